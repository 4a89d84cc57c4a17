/** A receiver an admin registered: where to POST, which events, and the secret we sign with. */
export interface WebhookEndpointsTable {
  id: string
  url: string
  description: string
  /** JSON array of event types, e.g. `["story.published"]`. */
  events: string
  /**
   * The signing secret, as issued (`whsec_…`). Kept in the clear on purpose:
   * we must be able to sign with it, and a key kept in the same database
   * would not protect it (docs/threat-model.md, "Webhook secrets").
   */
  secret: string
  /** 1 while deliveries are made; 0 pauses the endpoint (new events are not queued for it). */
  enabled: number
  created_at: string
  updated_at: string
  secret_rotated_at: string | null
}

/** One event for one endpoint: the body to send (fixed when queued) and where its delivery stands. */
export interface WebhookDeliveriesTable {
  id: string
  endpoint_id: string
  /** The event's id, the same for every endpoint it went to (the body's `id`). */
  event_id: string
  event_type: string
  /** The JSON body, exactly as it is sent on every attempt. */
  body: string
  status: 'pending' | 'delivered' | 'failed'
  /** Every try so far, for the log. */
  attempts: number
  /** Failures in a row since the last success or "send again": the backoff's exponent. */
  failures: number
  created_at: string
  /** When the worker may try next; null once delivered or failed. */
  next_attempt_at: string | null
  /** The first failure of the current round; retries stop 24 hours after it. */
  first_failed_at: string | null
  last_attempt_at: string | null
  last_status_code: number | null
  last_error: string | null
  delivered_at: string | null
  failed_at: string | null
  /** Which worker holds the delivery, and until when (a crashed worker's lease runs out). */
  lease_owner: string | null
  lease_until: string | null
}

/** One try at one delivery, for the admin's log. */
export interface WebhookAttemptsTable {
  id: string
  delivery_id: string
  endpoint_id: string
  attempted_at: string
  /** Null when no answer came (timeout, refused address, network error). */
  status_code: number | null
  duration_ms: number
  is_success: number
  /** A short reason for a failure. */
  error: string | null
  /** The start of the answer's body, cut short. */
  response_snippet: string | null
}

export interface WebhooksTables {
  webhook_endpoints: WebhookEndpointsTable
  webhook_deliveries: WebhookDeliveriesTable
  webhook_attempts: WebhookAttemptsTable
}
