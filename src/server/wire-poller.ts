import { hostname } from 'node:os'
import type { FastifyBaseLogger } from 'fastify'
import type { WireService } from '../wire/index.ts'

/**
 * Runs the wire desk's polling on a timer. Every process may run one: the
 * leases in `pollDue` make sure each source is polled by one process at a time.
 * A tick never overlaps the previous one.
 */
export function startWirePoller(deps: { wire: WireService; log: FastifyBaseLogger; everyMs: number }): { stop(): Promise<void> } {
  const owner = `${hostname()}:${process.pid}`
  let running: Promise<void> | null = null
  let stopped = false
  const tick = () => {
    if (running || stopped) return
    running = deps.wire
      .pollDue(owner)
      .then((outcomes) => {
        for (const o of outcomes) {
          if (o.result === 'failed') deps.log.warn({ source: o.slug, reason: o.reason }, 'wire source failed')
          else if (o.result === 'ingested') {
            const sum = o.reports.reduce((a, r) => ({ imported: a.imported + r.imported, updated: a.updated + r.updated, rejected: a.rejected + r.rejected.length }), { imported: 0, updated: 0, rejected: 0 })
            deps.log.info({ source: o.slug, ...sum }, 'wire source polled')
          }
        }
      })
      .catch((error: unknown) => deps.log.error({ err: error }, 'wire polling failed'))
      .finally(() => {
        running = null
      })
  }
  const timer = setInterval(tick, deps.everyMs)
  timer.unref()
  setImmediate(tick)
  return {
    async stop() {
      stopped = true
      clearInterval(timer)
      await running
    },
  }
}
