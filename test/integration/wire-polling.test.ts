import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Container } from '../../src/server/container.ts'
import type { Clock } from '../../src/shared/clock.ts'
import { createWireService } from '../../src/wire/index.ts'
import { parseWire } from '../../src/wire/formats/index.ts'
import { createDropFolder } from '../../src/wire/sources/drop-folder.ts'
import { fetchFeed } from '../../src/wire/sources/http-fetch.ts'
import { DIALECTS } from '../support/dialects.ts'
import { wireFixturePath } from '../support/wire-fixtures.ts'
import { buildTestContainer, type TestContainer } from '../support/test-context.ts'


/** A feed server on loopback whose answers the test scripts. */
function feedServer() {
  const state = { body: readFileSync(wireFixturePath('rss/meridian-world.xml')), etag: '"v1"', status: 200, hits: 0, conditionalHits: 0, delayMs: 0 }
  const server: Server = createServer((req, res) => {
    state.hits++
    if (req.headers['if-none-match']) state.conditionalHits++
    const answer = () => {
      if (state.status !== 200) {
        res.writeHead(state.status).end('agency trouble')
        return
      }
      if (req.headers['if-none-match'] === state.etag) {
        res.writeHead(304).end()
        return
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: state.etag }).end(state.body)
    }
    if (state.delayMs) setTimeout(answer, state.delayMs)
    else answer()
  })
  return {
    state,
    async start(): Promise<string> {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
      return `http://127.0.0.1:${(server.address() as { port: number }).port}/feed.xml`
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  }
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: wire polling`, () => {
    let ctx: TestContainer
    let c: Container
    let now: Date
    const clock: Clock = { now: () => new Date(now) }
    let feed: ReturnType<typeof feedServer>

    beforeEach(async () => {
      now = new Date('2026-02-03T12:00:00Z')
      ctx = await buildTestContainer(dialect, { clock })
      c = ctx.container
      feed = feedServer()
    })
    afterEach(async () => {
      await feed.stop()
      await ctx.cleanup()
    })

    it('polls a feed, sends its ETag back, backs off after errors and records each outcome', async () => {
      const url = await feed.start()
      await c.wire.createSource({ slug: 'meridian', name: 'Meridian world feed', kind: 'feed', url, intervalSeconds: 60, allowPrivateNetwork: true })

      const [first] = await c.wire.pollDue('test-a')
      expect(first).toMatchObject({ slug: 'meridian', result: 'ingested' })
      const imported = first!.result === 'ingested' ? first!.reports[0]!.imported : 0
      expect(imported).toBeGreaterThan(0)
      // Not due again until the interval has passed.
      expect(await c.wire.pollDue('test-a')).toEqual([])

      now = new Date('2026-02-03T12:01:00Z')
      expect((await c.wire.pollDue('test-a'))[0]).toMatchObject({ result: 'not-modified' })
      expect(feed.state.conditionalHits).toBe(1)

      // The agency changes the feed: a new ETag, a changed item.
      feed.state.etag = '"v2"'
      feed.state.body = Buffer.from(feed.state.body.toString('utf8').replace('Port talks resume in Valmont', 'Port talks resume in Valmont after a week'))
      now = new Date('2026-02-03T12:02:00Z')
      const [changed] = await c.wire.pollDue('test-a')
      expect(changed!.result === 'ingested' && changed!.reports[0]).toMatchObject({ imported: 0, updated: 1 })

      // Errors: recorded on the source, with a growing pause.
      feed.state.status = 500
      now = new Date('2026-02-03T12:03:00Z')
      expect((await c.wire.pollDue('test-a'))[0]).toMatchObject({ result: 'failed', reason: expect.stringContaining('HTTP 500') })
      let [source] = await c.wire.listSources()
      expect(source).toMatchObject({ consecutiveFailures: 1, lastError: expect.stringContaining('HTTP 500'), lastSuccessAt: '2026-02-03T12:02:00.000Z' })
      expect(source!.nextPollAt).toBe('2026-02-03T12:05:00.000Z')
      now = new Date('2026-02-03T12:05:00Z')
      await c.wire.pollDue('test-a')
      ;[source] = await c.wire.listSources()
      expect(source!.consecutiveFailures).toBe(2)
      expect(source!.nextPollAt).toBe('2026-02-03T12:09:00.000Z')

      feed.state.status = 200
      now = new Date('2026-02-03T12:09:00Z')
      expect((await c.wire.pollDue('test-a'))[0]!.result).not.toBe('failed')
      ;[source] = await c.wire.listSources()
      expect(source).toMatchObject({ consecutiveFailures: 0, lastSuccessAt: '2026-02-03T12:09:00.000Z' })
    })

    it('two processes polling at once fetch each source exactly once', async () => {
      const url = await feed.start()
      feed.state.delayMs = 150
      await c.wire.createSource({ slug: 'meridian', name: 'Meridian', kind: 'feed', url, allowPrivateNetwork: true })
      // A second process: its own service over the same database.
      const other = createWireService({
        db: c.database.db,
        clock,
        node: 'the-other-process',
        parse: parseWire,
        articles: c.articles,
        sources: c.sources,
        fetchFeed,
        folders: createDropFolder(),
      })
      const [a, b] = await Promise.all([c.wire.pollDue('process-a'), other.pollDue('process-b')])
      expect(a.length + b.length).toBe(1)
      expect(feed.state.hits).toBe(1)
    })

    it('refuses private addresses unless the source allows them, and survives a dead host', async () => {
      const url = await feed.start()
      await c.wire.createSource({ slug: 'private', name: 'Private', kind: 'feed', url })
      const [refused] = await c.wire.pollDue('test')
      expect(refused).toMatchObject({ result: 'failed', reason: expect.stringContaining('private address') })
      expect(feed.state.hits).toBe(0)

      await c.wire.createSource({ slug: 'dead', name: 'Dead', kind: 'feed', url: 'http://127.0.0.1:9/feed', allowPrivateNetwork: true })
      const outcomes = await c.wire.pollDue('test')
      expect(outcomes.find((o) => o.slug === 'dead')).toMatchObject({ result: 'failed', reason: expect.stringContaining('ECONNREFUSED') })
    })

    it('ingests each file of a drop folder once and moves it to processed/ or rejected/', async () => {
      const folder = mkdtempSync(path.join(os.tmpdir(), 'masthead-drop-'))
      try {
        writeFileSync(path.join(folder, 'story.xml'), readFileSync(wireFixturePath('newsml-g2/acp-harbour-talks-v1.xml')))
        writeFileSync(path.join(folder, 'junk.bin'), readFileSync(wireFixturePath('broken/binary-junk.bin')))
        writeFileSync(path.join(folder, '.partial-upload'), 'still copying')
        writeFileSync(path.join(folder, 'fresh.json'), readFileSync(wireFixturePath('ninjs/v3-an-election-count.json')))
        // Files settle before they are read; make the first two look old.
        const old = new Date(Date.now() - 60_000)
        utimesSync(path.join(folder, 'story.xml'), old, old)
        utimesSync(path.join(folder, 'junk.bin'), old, old)
        mkdirSync(path.join(folder, 'processed'))

        await c.wire.createSource({ slug: 'acp-drop', name: 'ACP drop folder', kind: 'folder', folder })
        const [outcome] = await c.wire.pollDue('test')
        expect(outcome!.result).toBe('ingested')
        expect(readdirSync(folder).sort()).toEqual(['.partial-upload', 'fresh.json', 'processed', 'rejected'])
        expect(readdirSync(path.join(folder, 'processed'))).toEqual(['story.xml'])
        expect(readdirSync(path.join(folder, 'rejected'))).toEqual(['junk.bin'])
        expect((await c.wire.listQuarantine()).map((q) => path.basename(q.origin))).toEqual(['junk.bin'])
        const stored = (await c.wire.listDesk({}, { page: 1, perPage: 10 })).items.flatMap((g) => g.items)
        expect(stored.map((i) => i.headline)).toEqual(['Coastal neighbours reopen talks on shared harbour'])
      } finally {
        rmSync(folder, { recursive: true, force: true })
      }
    })
  })
}

describe('guarded feed fetch', () => {
  it('gives up on a server that does not answer in time, and on too many redirects or too much data', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/slow') return setTimeout(() => res.end('late'), 2000)
      if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end()
      if (req.url === '/big') return res.end(Buffer.alloc(4096, 'x'))
      res.end('ok')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    try {
      expect(await fetchFeed({ url: `${base}/slow`, allowPrivateNetwork: true, timeoutMs: 200 })).toEqual({ kind: 'failed', reason: 'No answer within 200 ms' })
      expect(await fetchFeed({ url: `${base}/loop`, allowPrivateNetwork: true })).toEqual({ kind: 'failed', reason: 'More than 3 redirects' })
      expect(await fetchFeed({ url: `${base}/big`, allowPrivateNetwork: true, maxBytes: 1024 })).toEqual({ kind: 'failed', reason: 'The response is larger than 1024 bytes' })
      expect(await fetchFeed({ url: 'ftp://example.org/feed' })).toEqual({ kind: 'failed', reason: 'Refusing ftp: URL' })
      const ok = await fetchFeed({ url: `${base}/ok`, allowPrivateNetwork: true })
      expect(ok.kind === 'fetched' && Buffer.from(ok.bytes).toString()).toBe('ok')
    } finally {
      server.closeAllConnections()
      server.close()
    }
  })
})
