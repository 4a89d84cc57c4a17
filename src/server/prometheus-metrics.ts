import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Kysely } from 'kysely'
import type { Database } from '../db/database.ts'
import type { Metrics, PoolStats } from './metrics.ts'

/** Collapses a status code to its class, so label values stay few: 2xx, 3xx, 4xx, 5xx. */
function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other'
}

const secondsSince = (iso: string | null | undefined, nowMs: number): number | null => {
  if (!iso) return null
  const t = Date.parse(iso)
  return Number.isNaN(t) ? null : Math.max(0, (nowMs - t) / 1000)
}

/**
 * Builds the metrics for one app. Job lag is read from the database when
 * Prometheus scrapes, not kept in memory, so every process reports the same
 * backlog whichever of them did the work: the oldest scheduled story past its
 * time, each wire source's last successful poll, webhook deliveries waiting,
 * and periodic jobs past their due time.
 */
export function createMetrics(deps: { db: Kysely<Database>; pool: () => PoolStats | null; now: () => Date; onScrapeError?: (error: unknown) => void }): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const now = () => deps.now().getTime()
  const quietly = async (read: () => Promise<void>) => {
    try {
      await read()
    } catch (error) {
      deps.onScrapeError?.(error)
    }
  }

  const requests = new Counter({ name: 'masthead_http_requests_total', help: 'HTTP requests answered, by method, route pattern and status class.', labelNames: ['method', 'route', 'status_class'], registers: [registry] })
  const latency = new Histogram({
    name: 'masthead_http_request_duration_seconds',
    help: 'Time from a request arriving to its response being sent, by method, route pattern and status class.',
    labelNames: ['method', 'route', 'status_class'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  const cacheLookups = new Counter({ name: 'masthead_page_cache_lookups_total', help: 'Rendered-page cache lookups, by result (hit, stale or miss).', labelNames: ['result'], registers: [registry] })
  const purges = new Counter({ name: 'masthead_page_cache_purges_total', help: 'Purges applied to the rendered-page cache, by where they came from (local or remote).', labelNames: ['source'], registers: [registry] })
  const jobRuns = new Histogram({ name: 'masthead_job_run_duration_seconds', help: 'Runs of the repeating jobs in this process, by job and outcome.', labelNames: ['job', 'outcome'], buckets: [0.01, 0.05, 0.25, 1, 5, 15, 60, 300], registers: [registry] })
  const jobLastRun = new Gauge({ name: 'masthead_job_last_run_timestamp_seconds', help: 'When a repeating job last finished a run in this process (Unix seconds), by job and outcome.', labelNames: ['job', 'outcome'], registers: [registry], aggregator: 'max' })
  const publishLateness = new Histogram({
    name: 'masthead_scheduled_publish_delay_seconds',
    help: 'How long after its scheduled time the scheduled publisher in this process put each story out.',
    buckets: [1, 5, 15, 30, 60, 120, 300, 900, 3600],
    registers: [registry],
  })
  const wireItems = new Counter({ name: 'masthead_wire_ingest_items_total', help: 'Wire items ingested by the poller in this process, by outcome.', labelNames: ['outcome'], registers: [registry] })
  for (const outcome of ['imported', 'updated', 'rejected']) wireItems.inc({ outcome }, 0)
  for (const result of ['hit', 'miss']) cacheLookups.inc({ result }, 0)

  // Read from the database at each scrape, so every worker of a cluster reports the same value: their sum would be wrong, their maximum is it.
  new Gauge({
    name: 'masthead_scheduled_publish_overdue_seconds',
    help: 'How long the oldest scheduled story whose time has come has been waiting to be published (0 when none is waiting).',
    registers: [registry],
    aggregator: 'max',
    async collect() {
      await quietly(async () => {
        const nowMs = now()
        const row = await deps.db.selectFrom('articles').select((eb) => eb.fn.min('scheduled_at').as('oldest')).where('status', '=', 'scheduled').where('scheduled_at', '<=', new Date(nowMs).toISOString()).executeTakeFirst()
        this.set(secondsSince(row?.oldest as string | null | undefined, nowMs) ?? 0)
      })
    },
  })
  new Gauge({
    name: 'masthead_wire_source_last_success_age_seconds',
    help: 'Seconds since each enabled wire source was last polled successfully (sources never polled successfully are left out).',
    labelNames: ['source'],
    registers: [registry],
    aggregator: 'max',
    async collect() {
      await quietly(async () => {
        const nowMs = now()
        const rows = await deps.db.selectFrom('wire_sources').select(['slug', 'last_success_at']).where('enabled', '=', 1).execute()
        this.reset()
        for (const row of rows) {
          const age = secondsSince(row.last_success_at, nowMs)
          if (age !== null) this.set({ source: row.slug }, age)
        }
      })
    },
  })
  new Gauge({
    name: 'masthead_webhook_deliveries_pending',
    help: 'Webhook deliveries not yet delivered nor given up on.',
    registers: [registry],
    aggregator: 'max',
    async collect() {
      await quietly(async () => {
        const row = await deps.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirst()
        this.set(Number(row?.n ?? 0))
      })
    },
  })
  new Gauge({
    name: 'masthead_webhook_delivery_overdue_seconds',
    help: 'How long the oldest pending webhook delivery whose next attempt is due has been waiting (0 when none is).',
    registers: [registry],
    aggregator: 'max',
    async collect() {
      await quietly(async () => {
        const nowMs = now()
        const row = await deps.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.min('next_attempt_at').as('oldest')).where('status', '=', 'pending').where('next_attempt_at', '<=', new Date(nowMs).toISOString()).executeTakeFirst()
        this.set(secondsSince(row?.oldest as string | null | undefined, nowMs) ?? 0)
      })
    },
  })
  new Gauge({
    name: 'masthead_periodic_job_overdue_seconds',
    help: 'How long each periodic job has been past its due time (0 when not yet due).',
    labelNames: ['job'],
    registers: [registry],
    aggregator: 'max',
    async collect() {
      await quietly(async () => {
        const nowMs = now()
        const rows = await deps.db.selectFrom('job_runs').select(['name', 'next_due_at']).execute()
        this.reset()
        for (const row of rows) this.set({ job: row.name }, secondsSince(row.next_due_at, nowMs) ?? 0)
      })
    },
  })
  const pool = (name: string, help: string, pick: (s: PoolStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const stats = deps.pool()
        if (stats) this.set(pick(stats))
      },
    })
  if (deps.pool()) {
    pool('masthead_db_pool_connections', 'PostgreSQL connections open in this process\'s pool.', (s) => s.total)
    pool('masthead_db_pool_idle_connections', 'PostgreSQL connections open and idle in this process\'s pool.', (s) => s.idle)
    pool('masthead_db_pool_waiting_clients', 'Queries waiting for a PostgreSQL connection from this process\'s pool.', (s) => s.waiting)
  }

  return {
    json: () => registry.getMetricsAsJSON(),
    observeRequest({ method, route, status, seconds }) {
      const labels = { method, route: route ?? 'unmatched', status_class: statusClass(status) }
      requests.inc(labels)
      latency.observe(labels, seconds)
    },
    countCacheHit: () => cacheLookups.inc({ result: 'hit' }),
    instrumentCache(cache) {
      return {
        ...cache,
        get(key) {
          const page = cache.get(key)
          cacheLookups.inc({ result: page ? 'hit' : 'miss' })
          return page
        },
        lookup(key) {
          const hit = cache.lookup(key)
          cacheLookups.inc({ result: !hit ? 'miss' : hit.stale ? 'stale' : 'hit' })
          return hit
        },
      }
    },
    purged(source) {
      purges.inc({ source })
    },
    jobRan(job, outcome, seconds) {
      jobRuns.observe({ job, outcome }, seconds)
      jobLastRun.set({ job, outcome }, now() / 1000)
    },
    publishedLate(seconds) {
      publishLateness.observe(seconds)
    },
    wireIngested(outcome, count) {
      if (count > 0) wireItems.inc({ outcome }, count)
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() }
    },
  }
}
