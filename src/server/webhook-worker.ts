import type { FastifyBaseLogger } from 'fastify'
import type { WebhookService } from '../webhooks/index.ts'
import { startRepeating, type RunObserver } from './repeating.ts'

/**
 * Sends due webhook deliveries on a timer. Every process may run one: the
 * leases in `deliverDue` make sure each delivery is sent by one process at a time.
 */
export function startWebhookWorker(deps: { webhooks: WebhookService; owner: string; log: FastifyBaseLogger; everyMs: number; onRun?: RunObserver }): { stop(): Promise<void> } {
  return startRepeating(
    async () => {
      for (const o of await deps.webhooks.deliverDue(deps.owner)) {
        if (o.result === 'delivered') deps.log.info({ delivery: o.deliveryId, endpoint: o.endpointId, event: o.eventType, status: o.statusCode }, 'webhook delivered')
        else deps.log.warn({ delivery: o.deliveryId, endpoint: o.endpointId, event: o.eventType, status: o.statusCode, reason: o.error, gaveUp: o.result === 'failed' }, 'webhook delivery failed')
      }
    },
    deps.everyMs,
    (error) => deps.log.error({ err: error }, 'webhook delivery run failed'),
    deps.onRun,
  )
}
