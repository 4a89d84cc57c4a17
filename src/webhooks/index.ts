/** Outgoing webhooks: endpoints, queued deliveries, the signed sender's port and the retry rules. */
export {
  createWebhookService,
  type DeliveryOutcome,
  type EndpointSummary,
  type HostClassifier,
  type SendResult,
  type WebhookActor,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookSender,
  type WebhookService,
  type WebhookServiceDeps,
} from './service.ts'
export { EndpointFields } from './commands.ts'
export { WebhookErrors } from './errors.ts'
export { storySummary, subscribeWebhooks, type WebhookSubscriptionDeps } from './subscriptions.ts'
export { DEFAULT_RETRY_POLICY, nextAttemptAt, sign, verifySignature, WEBHOOK_EVENT_LABELS, WEBHOOK_EVENTS, WEBHOOK_HEADERS, type RetryPolicy, type WebhookEvent } from './webhook.ts'
export type { WebhooksTables } from './tables.ts'
