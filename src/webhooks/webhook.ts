import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** The events an endpoint may subscribe to, in the order the admin lists them. */
export const WEBHOOK_EVENTS = ['story.published', 'story.updated', 'story.corrected', 'story.unpublished', 'wire.item_killed', 'submission.received'] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

/** What each event means, for the admin's form and the docs. */
export const WEBHOOK_EVENT_LABELS: Readonly<Record<WebhookEvent, string>> = {
  'story.published': 'A story went public (first time, or again after being taken down)',
  'story.updated': 'A published story was updated',
  'story.corrected': 'A published story got a correction',
  'story.unpublished': 'A story was taken off the site (unpublished or withdrawn)',
  'wire.item_killed': 'An agency killed an item on the wire desk',
  'submission.received': 'A reader sent a letter, opinion piece or tip (kind and id only, never its words)',
}

/** The header names of every request we send; receivers read them (README "Webhooks"). */
export const WEBHOOK_HEADERS = {
  id: 'masthead-webhook-id',
  event: 'masthead-webhook-event',
  timestamp: 'masthead-webhook-timestamp',
  signature: 'masthead-webhook-signature',
} as const

/** A new signing secret: `whsec_` and 32 random bytes, base64url. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`
}

/**
 * The signature header's value: `v1=` and the hex HMAC-SHA256, keyed with the
 * whole secret string, of `${timestamp}.${body}` (timestamp in Unix seconds).
 * @example sign('whsec_abc', 1767225600, '{"id":"whe_1"}') // 'v1=5b0c…'
 */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

/**
 * What a receiver does, written once here so tests and docs agree: recompute
 * the signature, compare in constant time, and refuse a timestamp more than
 * `toleranceSeconds` away from now (a replayed request).
 */
export function verifySignature(input: { secret: string; body: string; timestamp: string; signature: string; nowSeconds: number; toleranceSeconds?: number }): boolean {
  const ts = Number(input.timestamp)
  if (!/^\d{1,12}$/.test(input.timestamp) || Math.abs(input.nowSeconds - ts) > (input.toleranceSeconds ?? 300)) return false
  const expected = Buffer.from(sign(input.secret, ts, input.body))
  const given = Buffer.from(input.signature)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

/** How long retries go on, and how they spread. */
export interface RetryPolicy {
  /** Delay after the first failure; each further failure doubles it. */
  baseMs: number
  /** The longest wait between two tries. */
  maxDelayMs: number
  /** Retries stop this long after the first failure; the delivery is then failed. */
  giveUpAfterMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 30_000, maxDelayMs: 3 * 3600_000, giveUpAfterMs: 24 * 3600_000 }

/**
 * When to try again after the `failures`-th failure in a row, or null when the
 * 24 hours since the first failure are up (the last try falls on the 24th hour). "Equal jitter": half the backoff is
 * fixed, half random, so many deliveries failing together (a receiver that was
 * down) do not all come back at the same second, yet none comes back at once.
 */
export function nextAttemptAt(input: { now: number; firstFailedAt: number; failures: number; policy: RetryPolicy; random: () => number }): number | null {
  const backoff = Math.min(input.policy.baseMs * 2 ** Math.max(0, input.failures - 1), input.policy.maxDelayMs)
  const deadline = input.firstFailedAt + input.policy.giveUpAfterMs
  if (input.now >= deadline) return null
  // The last try is at the deadline itself, not skipped because the backoff overshoots it.
  return Math.round(Math.min(input.now + backoff / 2 + input.random() * (backoff / 2), deadline))
}
