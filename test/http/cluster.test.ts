import { readFileSync } from 'node:fs'
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defineConfig } from '../../src/server/config.ts'
import { buildContainer } from '../../src/server/container.ts'
import { startServe, type ServeProcess } from '../support/cli.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts'

const METRICS_TOKEN = 'cluster-test-metrics-token'
const ADMIN = { email: 'cluster.admin@example.org', password: 'cluster admin password 1', name: 'Cleo Cluster', role: 'admin' as const }

/** The worker processes under a cluster's primary, from /proc. */
function workersOf(pid: number): number[] {
  const listed = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim()
  return listed ? listed.split(/\s+/).map(Number) : []
}

/**
 * One request on a connection of its own. The cluster's primary hands each
 * new connection to the next worker in turn, so consecutive calls reach
 * every worker.
 */
function fresh(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (c: string) => (body += c))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    request.on('error', reject)
    request.end(options.body)
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('masthead serve --workers 2 on SQLite', () => {
  let database: TestDatabase
  let server: ServeProcess | undefined
  let token: string
  let refs: { sectionId: string; authorId: string; sourceId: string }

  beforeAll(async () => {
    database = await createTestDatabase('sqlite')
    // No webhook sending: the delivery queued below stays pending, for the metrics test.
    server = await startServe({ ...database.env, MASTHEAD_WORKERS: '2', METRICS_TOKEN, MASTHEAD_WIRE_POLL_SECONDS: '0', MASTHEAD_WEBHOOKS_SECONDS: '0' }, 120_000)
    // The first worker loaded the demo paper; a token for the admin API comes from the same database, as `masthead` would make it.
    const container = await buildContainer(defineConfig({ dataDir: database.dataDir, loadDemo: false, logLevel: 'silent', webhooks: { everySeconds: 0, allowPrivateNetwork: true } }))
    try {
      const adminId = (await container.auth.createUser(ADMIN)).user.id
      ;({ token } = await container.adminTokens.create({ name: 'Cluster test', scopes: ['stories:read', 'stories:write', 'stories:publish'] }, { userId: adminId }))
      const [sections, authors, sources] = await Promise.all([container.sections.listSections(), container.authors.listAll(), container.sources.listAll()])
      refs = { sectionId: sections[0]!.id, authorId: authors[0]!.id, sourceId: sources.find((s) => s.kind === 'staff')!.id }
      await container.webhooks.createEndpoint({ url: 'http://127.0.0.1:9/hook', description: 'Never sent to', events: ['story.unpublished'] }, { userId: adminId })
      await container.webhooks.enqueue('story.unpublished', { id: 'art_test', url: 'http://127.0.0.1/articles/test', headline: 'A test', status: 'unpublished' })
    } finally {
      await container.close()
    }
  }, 180_000)
  afterAll(async () => {
    await server?.stop().catch(() => {})
    await database?.drop()
  })

  const api = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${server!.url}/api/admin/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify(body),
    })
    expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(300)
    return (await response.json()) as { story: { id: string; version: number } }
  }

  it('says so in its running line, and runs two workers under one primary', async () => {
    expect(server!.stdout()).toMatch(/Masthead is running at http:\/\/127\.0\.0\.1:\d+ \(2 workers\)/)
    expect(workersOf(server!.pid)).toHaveLength(2)
  })

  it('a story published through one worker shows on every worker within a second', async () => {
    const title = 'Ferry crews vote on a new winter timetable'
    // Both workers cache the home page first, so a worker that missed the purge would keep the old one for a minute.
    for (let i = 0; i < 4; i++) {
      const page = await fresh(`${server!.url}/`)
      expect(page.status).toBe(200)
      expect(page.body).not.toContain(title)
    }
    const draft = await api('POST', '/stories', { title })
    await api('PATCH', `/stories/${draft.story.id}`, {
      baseVersion: draft.story.version,
      changes: {
        body: [{ type: 'paragraph', content: [{ text: 'Crews on the harbour ferries vote this week on a timetable that keeps the last crossing at eleven.' }] }],
        sectionIds: [refs.sectionId],
        authorIds: [refs.authorId],
        sourceId: refs.sourceId,
      },
    })
    await api('POST', `/stories/${draft.story.id}/publish`, {})
    const published = Date.now()
    // Four connections in a row reach each worker twice; all four must show the story.
    for (;;) {
      const pages = []
      for (let i = 0; i < 4; i++) pages.push(await fresh(`${server!.url}/`))
      if (pages.every((p) => p.status === 200 && p.body.includes(title))) break
      if (Date.now() - published > 1000) throw new Error('a worker still served the home page without the story a second after it was published')
      await sleep(25)
    }
  })

  it('counts a per-address limit once for all workers (password reset: 10 a minute)', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 12; i++) {
      statuses.push((await fresh(`${server!.url}/admin/password-reset`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=nobody%40example.org' })).status)
    }
    // Each worker alone would have seen six and refused none.
    expect(statuses.slice(0, 10).filter((s) => s === 429)).toEqual([])
    expect(statuses.slice(10)).toEqual([429, 429])
  })

  it('answers /metrics for every worker together', async () => {
    const before = await fresh(`${server!.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    expect(before.status).toBe(200)
    const healthz = (text: string) => Number(/masthead_http_requests_total\{method="GET",route="\/healthz",status_class="2xx"\} (\d+)/.exec(text)?.[1] ?? 0)
    for (let i = 0; i < 10; i++) expect((await fresh(`${server!.url}/healthz`)).status).toBe(200)
    const after = await fresh(`${server!.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    // Five of the ten went to each worker: one worker's own count would have grown by five.
    expect(healthz(after.body) - healthz(before.body)).toBe(10)
    // A value read from the shared database is each worker's, not their sum: one delivery waits, not two.
    expect(after.body).toMatch(/^masthead_webhook_deliveries_pending 1$/m)
  })

  it('starts another worker when one dies, and keeps serving meanwhile', async () => {
    const [victim, survivor] = workersOf(server!.pid)
    process.kill(victim!, 'SIGKILL')
    // A connection handed over in the instant before the primary hears of the death would be cut; that instant is not what this checks.
    await sleep(300)
    for (let i = 0; i < 6; i++) expect((await fresh(`${server!.url}/healthz`)).status).toBe(200)
    const deadline = Date.now() + 30_000
    let workers = workersOf(server!.pid)
    while (!(workers.length === 2 && !workers.includes(victim!)) && Date.now() < deadline) {
      await sleep(100)
      workers = workersOf(server!.pid)
    }
    expect(workers).toContain(survivor)
    expect(workers).toHaveLength(2)
    expect(server!.stderr()).toMatch(/worker \d exited \(SIGKILL\); starting another in 1 s/)
  })

  it('stops every worker gracefully on SIGTERM and exits 0', async () => {
    const workers = workersOf(server!.pid)
    const code = await server!.stop()
    server = undefined
    expect(code).toBe(0)
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow()
  })
})
