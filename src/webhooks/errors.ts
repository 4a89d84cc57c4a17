/** The webhooks' error codes (catalogued in docs/errors.md). */
export const WebhookErrors = {
  /** The form or command does not fit: bad URL, no or unknown events, a description too long. */
  WEBHOOK_INVALID: 'WEBHOOK_INVALID',
  /** The URL names (or resolves only to) a private, loopback or link-local address, and the site does not allow those. */
  WEBHOOK_PRIVATE_ADDRESS: 'WEBHOOK_PRIVATE_ADDRESS',
  WEBHOOK_NOT_FOUND: 'WEBHOOK_NOT_FOUND',
  WEBHOOK_DELIVERY_NOT_FOUND: 'WEBHOOK_DELIVERY_NOT_FOUND',
} as const
