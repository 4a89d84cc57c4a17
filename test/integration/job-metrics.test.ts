import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { countWireIngest } from '../../src/server/metrics.ts'
import { createMetrics } from '../../src/server/prometheus-metrics.ts'
import { startScheduledPublisher } from '../../src/server/scheduled-publisher.ts'
import { startWirePoller } from '../../src/server/wire-poller.ts'
import type { Clock } from '../../src/shared/clock.ts'
import { DIALECTS } from '../support/dialects.ts'
import { draftInput, EDITOR, makeWorld } from '../support/factories.ts'
import { buildTestContainer, type TestContainer } from '../support/test-context.ts'
import { wireFixturePath } from '../support/wire-fixtures.ts'

/** The value of one sample line of a Prometheus exposition, or undefined. */
function sample(body: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of body.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!match || match[1] !== name) continue
    const have = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]))
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3])
  }
  return undefined
}

const silent = pino({ level: 'silent' })

for (const dialect of DIALECTS) {
  describe(`${dialect}: job lag and ingest metrics`, () => {
    let ctx: TestContainer
    let folder: string | undefined
    afterEach(async () => {
      if (folder) rmSync(folder, { recursive: true, force: true })
      await ctx?.cleanup()
    })

    it('reports scheduled stories past their time, how late they went out, webhook backlog, periodic jobs past due, wire polling', async () => {
      // Whole seconds, so the ages below come out exact.
      let now = new Date(Math.floor(Date.now() / 1000) * 1000)
      const start = now.getTime()
      const at = (seconds: number) => new Date(start + seconds * 1000)
      const clock: Clock = { now: () => new Date(now) }
      ctx = await buildTestContainer(dialect, { clock, config: { webhooks: { everySeconds: 0, allowPrivateNetwork: true } } })
      const c = ctx.container
      const metrics = createMetrics({ db: c.database.db, pool: () => c.database.poolStats(), now: () => clock.now() })
      countWireIngest(metrics, c.wireEvents)
      const scrape = async () => (await metrics.render()).body

      const world = await makeWorld(c)
      const draft = await c.articles.createDraft(draftInput(world), EDITOR)
      await c.articles.publish(draft.id, { at: at(60).toISOString() }, EDITOR)
      await c.webhooks.createEndpoint({ url: 'http://127.0.0.1:9/hooks', description: 'Never reached', events: ['story.published'] }, { userId: null })
      await c.jobRunner.runDue([{ name: 'test.hourly', everyMs: 3600_000, run: async () => 'done' }])

      let body = await scrape()
      expect(sample(body, 'masthead_scheduled_publish_overdue_seconds')).toBe(0)
      expect(sample(body, 'masthead_webhook_deliveries_pending')).toBe(0)
      expect(sample(body, 'masthead_periodic_job_overdue_seconds', { job: 'test.hourly' })).toBe(0)

      // The scheduler did not run for a while: the story waits past its time.
      now = at(150)
      body = await scrape()
      expect(sample(body, 'masthead_scheduled_publish_overdue_seconds')).toBe(90)

      const publisher = startScheduledPublisher({ articles: c.articles, log: silent, everyMs: 60_000, onRun: (outcome, s) => metrics.jobRan('scheduled-publisher', outcome, s), onLate: (s) => metrics.publishedLate(s) })
      await expect.poll(async () => (await c.articles.findById(draft.id))?.status, { timeout: 10_000 }).toBe('published')
      await publisher.stop()
      // It went out 90 seconds after its time.
      expect(sample(await scrape(), 'masthead_scheduled_publish_delay_seconds_sum')).toBe(90)

      // Publishing queued a delivery for the endpoint; nobody sends it here.
      await expect.poll(async () => sample(await scrape(), 'masthead_webhook_deliveries_pending'), { timeout: 10_000 }).toBe(1)
      now = at(210)
      body = await scrape()
      expect(sample(body, 'masthead_scheduled_publish_overdue_seconds')).toBe(0)
      expect(sample(body, 'masthead_scheduled_publish_delay_seconds_count')).toBe(1)
      expect(sample(body, 'masthead_job_run_duration_seconds_count', { job: 'scheduled-publisher', outcome: 'ok' })).toBe(1)
      expect(sample(body, 'masthead_webhook_delivery_overdue_seconds')).toBe(60)

      // The hourly job was due at 3600 s; at 3630 s it is half a minute late.
      now = at(3630)
      expect(sample(await scrape(), 'masthead_periodic_job_overdue_seconds', { job: 'test.hourly' })).toBe(30)

      // A drop folder polled successfully: its age counts from then, and its items are counted by outcome.
      folder = mkdtempSync(path.join(os.tmpdir(), 'masthead-metrics-drop-'))
      const settled = new Date(Date.now() - 60_000)
      for (const [name, fixture] of [
        ['story.xml', 'newsml-g2/acp-harbour-talks-v1.xml'],
        ['junk.json', 'broken/binary-junk.bin'],
      ] as const) {
        writeFileSync(path.join(folder, name), readFileSync(wireFixturePath(fixture)))
        utimesSync(path.join(folder, name), settled, settled)
      }
      await c.wire.createSource({ slug: 'acp-drop', name: 'ACP drop folder', kind: 'folder', folder })
      const poller = startWirePoller({
        wire: c.wire,
        owner: c.node,
        log: silent,
        everyMs: 60_000,
      })
      await expect.poll(async () => sample(await scrape(), 'masthead_wire_source_last_success_age_seconds', { source: 'acp-drop' }), { timeout: 10_000 }).toBe(0)
      await poller.stop()
      now = at(3700)
      body = await scrape()
      expect(sample(body, 'masthead_wire_source_last_success_age_seconds', { source: 'acp-drop' })).toBe(70)
      expect(sample(body, 'masthead_wire_ingest_items_total', { outcome: 'imported' })).toBe(1)
      expect(sample(body, 'masthead_wire_ingest_items_total', { outcome: 'updated' })).toBe(0)
      expect(sample(body, 'masthead_wire_ingest_items_total', { outcome: 'rejected' })).toBe(1)

      if (dialect === 'postgres') {
        expect(sample(body, 'masthead_db_pool_connections')).toBeGreaterThanOrEqual(1)
        // The scrape's own queries may be waiting for a connection at that moment, so only its presence is certain.
        expect(sample(body, 'masthead_db_pool_waiting_clients')).toBeTypeOf('number')
        expect(sample(body, 'masthead_db_pool_idle_connections')).toBeTypeOf('number')
      } else expect(body).not.toContain('masthead_db_pool_connections')
    }, 120_000)
  })
}
