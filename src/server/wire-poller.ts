import type { FastifyBaseLogger } from 'fastify'
import type { WireService } from '../wire/index.ts'
import { startRepeating, type RunObserver } from './repeating.ts'

/**
 * Runs the wire desk's polling on a timer. Every process may run one: the
 * leases in `pollDue` make sure each source is polled by one process at a time.
 */
export function startWirePoller(deps: { wire: WireService; owner: string; log: FastifyBaseLogger; everyMs: number; onRun?: RunObserver }): { stop(): Promise<void> } {
  return startRepeating(
    async () => {
      for (const o of await deps.wire.pollDue(deps.owner)) {
        if (o.result === 'failed') deps.log.warn({ source: o.slug, reason: o.reason }, 'wire source failed')
        else if (o.result === 'ingested') {
          const sum = o.reports.reduce((a, r) => ({ imported: a.imported + r.imported, updated: a.updated + r.updated, rejected: a.rejected + r.rejected.length }), { imported: 0, updated: 0, rejected: 0 })
          deps.log.info({ source: o.slug, ...sum }, 'wire source polled')
        }
      }
    },
    deps.everyMs,
    (error) => deps.log.error({ err: error }, 'wire polling failed'),
    deps.onRun,
  )
}
