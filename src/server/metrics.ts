import { timingSafeEqual, createHash } from 'node:crypto'
import type { EventChannel } from '../shared/events.ts'
import type { PageCache } from '../site/index.ts'
import type { WireEvents } from '../wire/index.ts'

/** What a PostgreSQL pool says about its connections; null on SQLite, which has one connection. */
export interface PoolStats {
  total: number
  idle: number
  waiting: number
}

/**
 * The process's Prometheus metrics, one registry per app instance so tests
 * that start several servers in one process do not share or clash counters.
 * Built by the composition root; the pieces it hands out (`observeRequest`,
 * `jobRan`, `wireIngested`, `purged`) are the only ways in. With /metrics off
 * (no METRICS_TOKEN, the default) they are `metricsOff`, which counts
 * nothing, and prom-client is never loaded (src/server/prometheus-metrics.ts).
 */
export interface Metrics {
  /** Every metric in prom-client's JSON form, for the cluster's primary to sum with the other workers'. */
  json(): Promise<unknown[]>
  /** Counts one answered HTTP request under its route pattern, never its raw URL. */
  observeRequest(request: { method: string; route: string | undefined; status: number; seconds: number }): void
  /** Wraps a page cache so its lookups count as hits, stale hits or misses (purges are counted by the purger: `purged`). */
  instrumentCache(cache: PageCache): PageCache
  /** Counts a page served from the cache without the instrumented cache (the site's cache-hit hook). */
  countCacheHit(): void
  /** Counts a purge applied to the page cache: made here (`local`) or heard from another process (`remote`). */
  purged(source: string): void
  /** Records one run of a repeating job: how long it took and whether it failed. */
  jobRan(job: string, outcome: 'ok' | 'failed', seconds: number): void
  /** Records how late the scheduled publisher put out one story, in seconds after its scheduled time. */
  publishedLate(seconds: number): void
  /** Counts wire items by what ingest did with them. */
  wireIngested(outcome: 'imported' | 'updated' | 'rejected', count: number): void
  /** The Prometheus text exposition of every metric. */
  render(): Promise<{ contentType: string; body: string }>
}

/** The metrics of a server whose /metrics is off: nothing is counted, so no request pays for it. */
export const metricsOff: Metrics = {
  json: async () => [],
  observeRequest() {},
  instrumentCache: (cache) => cache,
  countCacheHit() {},
  purged() {},
  jobRan() {},
  publishedLate() {},
  wireIngested() {},
  render: async () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: '' }),
}

/** Whether an Authorization header carries the metrics token, compared in constant time. */
export function hasMetricsToken(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  if (!match) return false
  // Hashing first gives both sides one length, so the comparison leaks neither the token nor its length.
  const digest = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(match[1]!), digest(token))
}

/** Counts every wire input a container stores, however it came, into `metrics`. Returns the unsubscribe. */
export function countWireIngest(metrics: Metrics, wireEvents: EventChannel<WireEvents>): () => void {
  return wireEvents.on('wire.ingested', (sum) => {
    metrics.wireIngested('imported', sum.imported)
    metrics.wireIngested('updated', sum.updated)
    metrics.wireIngested('rejected', sum.rejected)
  })
}
