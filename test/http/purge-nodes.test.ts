import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { paragraph } from '../../src/articles/index.ts'
import { defineConfig, type Config } from '../../src/server/config.ts'
import type { Container } from '../../src/server/container.ts'
import { startServer, type RunningServer } from '../../src/server/main.ts'
import { EDITOR } from '../support/factories.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts'
import { eventually, startReceiver, type Receiver } from '../support/webhook-receiver.ts'

/** The demo paper's staff byline and source, which a story needs to be published. */
async function byline(c: Container) {
  const [author, source] = await Promise.all([c.authors.findBySlug('staff'), c.sources.findBySlug('staff')])
  return { authorIds: [author!.id], sourceId: source!.id }
}

const REDIS_URL = 'redis://127.0.0.1:6379'

/** A run's own names, so parallel runs sharing Redis and PostgreSQL do not hear each other's purges. */
const runId = () => `${process.pid}_${randomBytes(4).toString('hex')}`

/** Polls a page until `check` holds, for at most `ms` (the promise of "every node shows it within a second"). */
async function within(ms: number, url: string, check: (html: string) => boolean): Promise<number> {
  const started = Date.now()
  for (;;) {
    const response = await fetch(url)
    expect(response.status, url).toBe(200)
    if (check(await response.text())) return Date.now() - started
    if (Date.now() - started > ms) throw new Error(`${url} did not change within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

// Two real servers on their own ports sharing one PostgreSQL database: a change on one shows on both.
describe.each([
  { transport: 'Redis pub/sub', redis: true },
  { transport: 'PostgreSQL LISTEN/NOTIFY', redis: false },
] as const)('several nodes, purges through $transport', ({ redis }) => {
  let database: TestDatabase
  let cdn: Receiver
  const nodes: RunningServer[] = []

  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    cdn = await startReceiver()
    const id = runId()
    const shared: Partial<Config> & Pick<Config, 'dataDir'> = {
      dataDir: database.dataDir,
      database: database.target,
      port: 0,
      logLevel: 'silent',
      wirePollSeconds: 0,
      webhooks: { everySeconds: 0, allowPrivateNetwork: false },
      purgeChannel: `purge_${id}`,
      cdnPurgeUrl: cdn.url,
      ...(redis ? { redisUrl: REDIS_URL, redisPrefix: `test_${id}:` } : {}),
    }
    // The first node loads the demo paper; the second finds it there.
    nodes.push(await startServer(defineConfig({ ...shared, loadDemo: true }), { logger: false }))
    nodes.push(await startServer(defineConfig({ ...shared, loadDemo: false }), { logger: false }))
    expect(nodes.map((n) => n.container.purgeBus.kind)).toEqual(redis ? ['redis', 'redis'] : ['postgres', 'postgres'])
  }, 180_000)

  afterAll(async () => {
    for (const node of nodes) await node.close()
    await cdn?.stop()
    await database?.drop()
  }, 60_000)

  it('a story published on one node shows on both within a second; an unrelated section is not rendered again', async () => {
    const [a, b] = nodes as [RunningServer, RunningServer]
    const c = a.container
    const sections = await c.sections.listSections()
    const top = sections.filter((s) => s.parentId === null)
    // The story's section, and one that is neither it nor above it.
    const home = top.find((s) => !sections.some((child) => child.parentId === s.id))!
    const unrelated = top.find((s) => s.id !== home.id)!
    const pages = ['/', `/sections/${home.slug}`, `/sections/${unrelated.slug}`]
    const before = new Map<string, string>()
    for (const node of nodes) {
      for (const path of pages) {
        const response = await fetch(node.url + path)
        expect(response.status, path).toBe(200)
        before.set(node.url + path, response.headers.get('etag')!)
        if (path === `/sections/${home.slug}`) expect(response.headers.get('surrogate-key')!.split(' ')).toContain(`section:${home.id}`)
      }
      // Cached: asked again, the same document.
      expect((await fetch(node.url + '/')).headers.get('etag')).toBe(before.get(node.url + '/'))
    }

    // Renders are counted by the list queries the section pages run.
    const spies = nodes.map((node) => vi.spyOn(node.container.articles, 'listPublished'))
    const title = `Purge probe ${runId()}`
    const draft = await c.articles.createDraft({ title, body: [paragraph('Filed on node A.')], sectionIds: [home.id], ...(await byline(c)) }, EDITOR)
    await c.articles.publish(draft.id, {}, EDITOR)

    for (const node of [a, b]) {
      for (const path of ['/', `/sections/${home.slug}`]) await within(1000, node.url + path, (html) => html.includes(title))
    }
    // Node B rendered the story's section again (so the counter counts)...
    expect(spies[1]!.mock.calls.some(([filter]) => (filter.sectionId === home.id || filter.sectionIds?.includes(home.id)) && !filter.excludeIds)).toBe(true)
    for (const spy of spies) spy.mockClear()
    // ...but not the unrelated section: both nodes still serve the same cached document without a query.
    for (const node of nodes) {
      const response = await fetch(`${node.url}/sections/${unrelated.slug}`)
      expect(response.headers.get('etag')).toBe(before.get(`${node.url}/sections/${unrelated.slug}`))
    }
    for (const spy of spies) expect(spy).not.toHaveBeenCalled()
    for (const spy of spies) spy.mockRestore()

    // The CDN was told once, by the node that made the change, with the story's keys.
    await eventually(() => cdn.received.some((r) => r.body.includes(`story:${draft.id}`)), 5000)
    await new Promise((r) => setTimeout(r, 300))
    const told = cdn.received.filter((r) => r.body.includes(`story:${draft.id}`))
    expect(told).toHaveLength(1)
    expect(told[0]!.headers['content-type']).toBe('application/json')
    const { keys } = JSON.parse(told[0]!.body) as { keys: string[] }
    expect(keys).toEqual(expect.arrayContaining([`story:${draft.id}`, 'home', `section:${home.id}`, 'sitemap']))
    expect(keys).not.toContain(`section:${unrelated.id}`)

    // Taken down on node B: gone from node A's section page too.
    await b.container.articles.unpublish(draft.id, { note: 'Pulled for a check.' }, EDITOR)
    await within(1000, `${a.url}/sections/${home.slug}`, (html) => !html.includes(title))
  }, 120_000)

  it('an update, a correction and a take-down on either node reach both nodes\' home page and site feeds', async () => {
    const [a, b] = nodes as [RunningServer, RunningServer]
    const sections = await a.container.sections.listSections()
    const section = sections.find((s) => s.parentId === null && !sections.some((child) => child.parentId === s.id))!
    const everywhere = async (check: (html: string) => boolean) => {
      for (const node of nodes) for (const path of ['/', '/feed.rss', '/feed.json']) await within(1000, node.url + path, check)
    }
    // Both nodes have the home page and feeds cached before each change (the previous check fetched them).
    await everywhere(() => true)
    const first = `Home probe ${runId()}`
    const draft = await a.container.articles.createDraft({ title: first, body: [paragraph('Filed on node A.')], sectionIds: [section.id], ...(await byline(a.container)) }, EDITOR)
    await a.container.articles.publish(draft.id, {}, EDITOR)
    await everywhere((html) => html.includes(first))

    // A public update on node B: its new headline on node A's home page and feeds, the old one gone.
    const updated = `${first} updated`
    await b.container.articles.edit(draft.id, { title: updated }, EDITOR)
    await everywhere((html) => html.includes(updated))

    // A correction with a new headline, on node A.
    const corrected = `${first} corrected`
    await a.container.articles.correct(draft.id, { text: 'An earlier version gave the wrong quay.', changes: { title: corrected } }, EDITOR)
    await everywhere((html) => html.includes(corrected) && !html.includes(updated))

    // Taken down on node B: off every home page and feed.
    await b.container.articles.unpublish(draft.id, { note: 'Pulled for a check.' }, EDITOR)
    await everywhere((html) => !html.includes(first))
  }, 120_000)
})

describe('a Redis that cannot be reached', () => {
  let node: RunningServer | null = null
  let database: TestDatabase
  const lines: string[] = []

  beforeAll(async () => {
    database = await createTestDatabase('sqlite')
    for (const level of ['error', 'warn'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(' '))
      })
    }
    node = await startServer(
      defineConfig({
        dataDir: database.dataDir,
        database: database.target,
        port: 0,
        logLevel: 'silent',
        wirePollSeconds: 0,
        webhooks: { everySeconds: 0, allowPrivateNetwork: false },
        // Nothing listens on port 1.
        redisUrl: 'redis://127.0.0.1:1',
        redisPrefix: `test_${runId()}:`,
      }),
      { logger: false },
    )
  }, 120_000)

  afterAll(async () => {
    await node?.close()
    vi.restoreAllMocks()
    await database?.drop()
  }, 60_000)

  it('serves pages, shows its own changes at once, and says so in one line', async () => {
    const c = node!.container
    expect((await fetch(`${node!.url}/`)).status).toBe(200)
    const section = (await c.sections.listSections())[0]!
    const title = `Local purge ${runId()}`
    const draft = await c.articles.createDraft({ title, body: [paragraph('Redis is away.')], sectionIds: [section.id], ...(await byline(c)) }, EDITOR)
    await c.articles.publish(draft.id, {}, EDITOR)
    // The purge reaches this process's own cache without Redis.
    const page = await fetch(`${node!.url}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain(title)
    // Give the reconnecting connection time to fail a few more times: still one line.
    await new Promise((r) => setTimeout(r, 1500))
    expect((await fetch(`${node!.url}/sections/${section.slug}`)).status).toBe(200)
    const purgeLines = lines.filter((line) => line.includes('cache purges'))
    expect(purgeLines).toHaveLength(1)
    expect(purgeLines[0]).toMatch(/Redis cannot be reached .*expire/)
  }, 60_000)
})
