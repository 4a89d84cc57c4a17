import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/dialects.ts'
import { wireFixture } from '../support/wire-fixtures.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const TOKEN = 'metrics-token-for-the-tests-0123456789'

/** The value of one sample line (`name{labels} value`), or undefined when the exposition has no such line. */
function sample(body: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of body.split('\n')) {
    if (line.startsWith('#')) continue
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!match || match[1] !== name) continue
    const have = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]))
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3])
  }
  return undefined
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: /metrics`, () => {
    let t: TestServer
    let other: TestServer
    let off: TestServer
    beforeAll(async () => {
      t = await startTestServer(dialect, { metricsToken: TOKEN, wirePollSeconds: 0, webhooks: { everySeconds: 0, allowPrivateNetwork: false } })
      other = await startTestServer(dialect, { metricsToken: TOKEN, loadDemo: false, wirePollSeconds: 0 })
      off = await startTestServer(dialect, { loadDemo: false, wirePollSeconds: 0 })
    }, 180_000)
    afterAll(async () => {
      await Promise.allSettled([t?.cleanup(), other?.cleanup(), off?.cleanup()])
    })

    const scrape = async (server: TestServer) => {
      const response = await server.fetch('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })
      expect(response.status).toBe(200)
      return { response, body: await response.text() }
    }

    it('is not there at all without METRICS_TOKEN', async () => {
      expect((await off.fetch('/metrics')).status).toBe(404)
      expect((await off.fetch('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404)
    })

    it('asks for the bearer token and refuses a wrong one', async () => {
      const none = await t.fetch('/metrics')
      expect(none.status).toBe(401)
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/)
      expect((await t.fetch('/metrics', { headers: { authorization: 'Bearer not-the-token-at-all-000000' } })).status).toBe(401)
      expect((await t.fetch('/metrics', { headers: { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` } })).status).toBe(401)
    })

    it('counts requests by route pattern and status class, page cache hits and misses, in the Prometheus text format', async () => {
      const before = (await scrape(t)).body
      const hits0 = sample(before, 'masthead_page_cache_lookups_total', { result: 'hit' }) ?? 0
      const misses0 = sample(before, 'masthead_page_cache_lookups_total', { result: 'miss' }) ?? 0

      const home = await t.fetch('/')
      expect(home.status).toBe(200)
      await home.text()
      await (await t.fetch('/')).text()
      await (await t.fetch('/sections/no-such-section-at-all')).text()
      await (await t.fetch('/this/was/typed/by/a/reader?q=secret')).text()

      const { response, body } = await scrape(t)
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(body).toContain('# TYPE masthead_http_requests_total counter')
      expect(body).toContain('# TYPE masthead_http_request_duration_seconds histogram')
      expect(sample(body, 'masthead_http_requests_total', { method: 'GET', route: '/', status_class: '2xx' })).toBe(2)
      expect(sample(body, 'masthead_http_request_duration_seconds_count', { method: 'GET', route: '/', status_class: '2xx' })).toBe(2)
      expect(sample(body, 'masthead_http_requests_total', { method: 'GET', route: '/sections/:slug', status_class: '4xx' })).toBe(1)
      expect(sample(body, 'masthead_http_requests_total', { method: 'GET', route: 'unmatched', status_class: '4xx' })).toBe(1)
      // Raw URLs (and what readers type into them) never become label values.
      expect(body).not.toContain('typed/by/a/reader')
      expect(body).not.toContain('no-such-section')
      // The home page: rendered once (a miss), then served from the cache (a hit).
      expect(sample(body, 'masthead_page_cache_lookups_total', { result: 'hit' })).toBeGreaterThanOrEqual(hits0 + 1)
      expect(sample(body, 'masthead_page_cache_lookups_total', { result: 'miss' })).toBeGreaterThanOrEqual(misses0 + 1)
      // Process metrics come from prom-client's defaults.
      expect(sample(body, 'process_resident_memory_bytes')).toBeGreaterThan(0)
      expect(sample(body, 'masthead_webhook_deliveries_pending')).toBe(0)
      expect(sample(body, 'masthead_scheduled_publish_overdue_seconds')).toBe(0)
      // The scheduled publisher ran once at start.
      expect(sample(body, 'masthead_job_run_duration_seconds_count', { job: 'scheduled-publisher', outcome: 'ok' })).toBeGreaterThanOrEqual(1)
      if (dialect === 'postgres') expect(sample(body, 'masthead_db_pool_connections')).toBeGreaterThanOrEqual(1)
      else expect(sample(body, 'masthead_db_pool_connections')).toBeUndefined()
    })

    it('keeps each app instance in its own registry', async () => {
      // A scrape counts once its response is sent, so the second one sees the first.
      await scrape(other)
      const { body } = await scrape(other)
      expect(sample(body, 'masthead_http_requests_total', { method: 'GET', route: '/', status_class: '2xx' })).toBeUndefined()
      expect(sample(body, 'masthead_http_requests_total', { method: 'GET', route: '/metrics', status_class: '2xx' })).toBeGreaterThanOrEqual(1)
    })

    it('counts wire items stored however they came, an upload as much as a poll', async () => {
      const before = sample((await scrape(t)).body, 'masthead_wire_ingest_items_total', { outcome: 'imported' }) ?? 0
      await t.server.container.wire.ingest({ bytes: wireFixture('newsml-g2/acp-harbour-talks-v1.xml'), origin: 'upload' })
      expect(sample((await scrape(t)).body, 'masthead_wire_ingest_items_total', { outcome: 'imported' })).toBe(before + 1)
    })

    it('counts a purge of the page cache when a published story changes', async () => {
      const before = sample((await scrape(t)).body, 'masthead_page_cache_purges_total', { source: 'local' }) ?? 0
      // What the articles service announces when a published story is updated; the app purges the pages showing it.
      const [summary] = (await t.server.container.articles.listPublished({}, { page: 1, perPage: 1 })).items
      const article = (await t.server.container.articles.findById(summary!.id))!
      t.server.container.events.emit('article.updated', { article, previousSlug: article.slug })
      expect(sample((await scrape(t)).body, 'masthead_page_cache_purges_total', { source: 'local' })).toBe(before + 1)
    })
  })
}
