import type { ExpressionBuilder, Kysely } from 'kysely'
import { recordAudit } from '../audit/index.ts'
import type { Database, Db } from '../db/database.ts'
import type { Clock } from '../shared/clock.ts'
import { DomainError } from '../shared/errors.ts'
import { newId } from '../shared/ids.ts'
import { parseInput } from '../shared/parse.ts'
import { EndpointFields } from './commands.ts'
import { WebhookErrors } from './errors.ts'
import type { WebhookAttemptsTable, WebhookDeliveriesTable, WebhookEndpointsTable } from './tables.ts'
import { DEFAULT_RETRY_POLICY, newSecret, nextAttemptAt, sign, WEBHOOK_EVENTS, WEBHOOK_HEADERS, type RetryPolicy, type WebhookEvent } from './webhook.ts'

/** What one POST to an endpoint gave: an answer (any status), or none. */
export type SendResult =
  | { kind: 'answered'; status: number; snippet: string; durationMs: number }
  | { kind: 'failed'; reason: string; durationMs: number }

/**
 * Sends one signed POST; `senders/http-post.ts` implements it with the shared
 * outbound guard (no private addresses unless allowed, no redirects followed,
 * time and size capped). Never throws.
 */
export type WebhookSender = (request: { url: string; headers: Record<string, string>; body: string; allowPrivateNetwork: boolean }) => Promise<SendResult>

/** Whether a host may be reached, as `classifyHost` in src/http answers it; for refusing an address at the form. */
export type HostClassifier = (hostname: string) => Promise<'public' | 'private' | 'unknown'>

export interface WebhookServiceDeps {
  db: Kysely<Database>
  clock: Clock
  sender: WebhookSender
  classifyHost: HostClassifier
  /** Endpoints on private, loopback and link-local addresses are allowed (the site's MASTHEAD_WEBHOOKS_ALLOW_PRIVATE_NETWORK). */
  allowPrivateNetwork: boolean
  policy?: RetryPolicy
  /** A number in [0, 1) for the backoff's jitter. */
  random?: () => number
}

/** Who changes the endpoints, for the audit log. */
export interface WebhookActor {
  userId: string | null
}

/** A registered endpoint, without its secret: the secret is shown once, when issued. */
export interface WebhookEndpoint {
  id: string
  url: string
  description: string
  events: WebhookEvent[]
  isEnabled: boolean
  createdAt: string
  updatedAt: string
  secretRotatedAt: string | null
}

/** An endpoint in the list, with how its deliveries stand. */
export interface EndpointSummary extends WebhookEndpoint {
  pending: number
  failed: number
  lastDeliveredAt: string | null
}

export interface WebhookAttempt {
  id: string
  attemptedAt: string
  statusCode: number | null
  durationMs: number
  isSuccess: boolean
  error: string | null
  responseSnippet: string | null
}

export interface WebhookDelivery {
  id: string
  eventId: string
  eventType: string
  status: WebhookDeliveriesTable['status']
  attempts: number
  createdAt: string
  nextAttemptAt: string | null
  deliveredAt: string | null
  failedAt: string | null
  lastStatusCode: number | null
  lastError: string | null
  /** Newest first. */
  log: WebhookAttempt[]
}

/** What the worker did with one delivery, for logs and tests. */
export interface DeliveryOutcome {
  deliveryId: string
  endpointId: string
  eventType: string
  result: 'delivered' | 'retrying' | 'failed'
  statusCode: number | null
  error: string | null
}

/** A claimed delivery is the worker's for this long: well over one request's time cap, so a crashed worker's lease runs out. */
const LEASE_MS = 2 * 60_000
/** Deliveries one run takes on; the next run takes the rest. */
const BATCH = 50
/** Requests in flight at once per worker, so one endpoint that hangs does not hold up the others. */
const PARALLEL = 8
/** The log shows this many deliveries per endpoint, and this many attempts per delivery. */
const LOG_DELIVERIES = 50
const LOG_ATTEMPTS = 10

function toEndpoint(row: WebhookEndpointsTable): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: (JSON.parse(row.events) as string[]).filter((e): e is WebhookEvent => (WEBHOOK_EVENTS as readonly string[]).includes(e)),
    isEnabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    secretRotatedAt: row.secret_rotated_at,
  }
}

function toAttempt(row: WebhookAttemptsTable): WebhookAttempt {
  return {
    id: row.id,
    attemptedAt: row.attempted_at,
    statusCode: row.status_code,
    durationMs: row.duration_ms,
    isSuccess: row.is_success === 1,
    error: row.error,
    responseSnippet: row.response_snippet,
  }
}

/**
 * Outgoing webhooks: the endpoints admins register, the deliveries each event
 * becomes (one row per endpoint, stored before anything is sent, so a restart
 * loses none), and the worker that sends them, signed, with retries.
 */
export function createWebhookService(deps: WebhookServiceDeps) {
  const { db, clock } = deps
  const policy = deps.policy ?? DEFAULT_RETRY_POLICY
  const random = deps.random ?? Math.random
  const nowIso = () => clock.now().toISOString()

  async function mustLoad(id: string): Promise<WebhookEndpointsTable> {
    const row = await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw new DomainError('not_found', WebhookErrors.WEBHOOK_NOT_FOUND, 'That webhook endpoint was not found.')
    return row
  }

  /** Parses the admin's fields and refuses a private address (unless the site allows them) at the URL field. */
  async function checkFields(input: EndpointFields) {
    const fields = parseInput(EndpointFields, input, WebhookErrors.WEBHOOK_INVALID)
    if (!deps.allowPrivateNetwork && (await deps.classifyHost(new URL(fields.url).hostname)) === 'private') {
      const message = 'This address is on a private, loopback or link-local network, which webhooks may not reach. Use a public address.'
      throw new DomainError('invalid', WebhookErrors.WEBHOOK_PRIVATE_ADDRESS, message, [{ path: 'url', message, code: 'private_address' }])
    }
    return fields
  }

  async function listEndpoints(): Promise<EndpointSummary[]> {
    const rows = await db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at').orderBy('id').execute()
    const counts = await db
      .selectFrom('webhook_deliveries')
      .select((eb) => ['endpoint_id', 'status', eb.fn.countAll<number>().as('n'), eb.fn.max('delivered_at').as('last')])
      .where('status', 'in', ['pending', 'failed', 'delivered'])
      .groupBy(['endpoint_id', 'status'])
      .execute()
    const of = (id: string, status: string) => counts.find((c) => c.endpoint_id === id && c.status === status)
    return rows.map((row) => ({
      ...toEndpoint(row),
      pending: Number(of(row.id, 'pending')?.n ?? 0),
      failed: Number(of(row.id, 'failed')?.n ?? 0),
      lastDeliveredAt: (of(row.id, 'delivered')?.last as string | null | undefined) ?? null,
    }))
  }

  async function getEndpoint(id: string): Promise<WebhookEndpoint> {
    return toEndpoint(await mustLoad(id))
  }

  /** Registers an endpoint; returns it with its secret, which is never shown again. */
  async function createEndpoint(input: EndpointFields, actor: WebhookActor): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const fields = await checkFields(input)
    const at = nowIso()
    const row: WebhookEndpointsTable = {
      id: newId('whk'),
      url: fields.url,
      description: fields.description,
      events: JSON.stringify(fields.events),
      secret: newSecret(),
      enabled: fields.enabled ? 1 : 0,
      created_at: at,
      updated_at: at,
      secret_rotated_at: null,
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('webhook_endpoints').values(row).execute()
      await recordAudit(trx, { actorId: actor.userId, action: 'webhook.created', targetType: 'webhook', targetId: row.id, summary: `Added webhook ${fields.url} (${fields.events.join(', ')})`, at })
    })
    return { endpoint: toEndpoint(row), secret: row.secret }
  }

  async function updateEndpoint(id: string, input: EndpointFields, actor: WebhookActor): Promise<WebhookEndpoint> {
    const previous = await mustLoad(id)
    const fields = await checkFields(input)
    const at = nowIso()
    const next = { url: fields.url, description: fields.description, events: JSON.stringify(fields.events), enabled: fields.enabled ? 1 : 0, updated_at: at }
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('webhook_endpoints').set(next).where('id', '=', id).execute()
      await recordAudit(trx, { actorId: actor.userId, action: 'webhook.changed', targetType: 'webhook', targetId: id, summary: `Changed webhook ${fields.url} (${fields.events.join(', ')}${fields.enabled ? '' : ', paused'})`, at })
    })
    return toEndpoint({ ...previous, ...next })
  }

  /** A new secret for an endpoint, in force at once; returned to be shown once. */
  async function rotateSecret(id: string, actor: WebhookActor): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const row = await mustLoad(id)
    const secret = newSecret()
    const at = nowIso()
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('webhook_endpoints').set({ secret, secret_rotated_at: at, updated_at: at }).where('id', '=', id).execute()
      await recordAudit(trx, { actorId: actor.userId, action: 'webhook.secret_rotated', targetType: 'webhook', targetId: id, summary: `New signing secret for webhook ${row.url}`, at })
    })
    return { endpoint: toEndpoint({ ...row, secret_rotated_at: at, updated_at: at }), secret }
  }

  /** Removes an endpoint with its deliveries and their log. */
  async function deleteEndpoint(id: string, actor: WebhookActor): Promise<void> {
    const row = await mustLoad(id)
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('webhook_attempts').where('endpoint_id', '=', id).execute()
      await trx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute()
      await trx.deleteFrom('webhook_endpoints').where('id', '=', id).execute()
      await recordAudit(trx, { actorId: actor.userId, action: 'webhook.deleted', targetType: 'webhook', targetId: id, summary: `Deleted webhook ${row.url}` })
    })
  }

  /**
   * Queues an event for every enabled endpoint that asked for it: one
   * delivery row each, written with `trx`, so the deliveries commit (or roll
   * back) with the change that caused them. Returns the event's id and how
   * many deliveries were queued.
   */
  async function enqueueIn(trx: Db, type: WebhookEvent, data: Record<string, unknown>): Promise<{ eventId: string; deliveries: number }> {
    const at = nowIso()
    const eventId = newId('whe')
    const endpoints = (await trx.selectFrom('webhook_endpoints').select(['id', 'events']).where('enabled', '=', 1).execute()).filter((e) => (JSON.parse(e.events) as string[]).includes(type))
    if (endpoints.length === 0) return { eventId, deliveries: 0 }
    const body = JSON.stringify({ id: eventId, type, created_at: at, data })
    await trx
      .insertInto('webhook_deliveries')
      .values(
        endpoints.map((endpoint) => ({
          id: newId('whd'),
          endpoint_id: endpoint.id,
          event_id: eventId,
          event_type: type,
          body,
          status: 'pending' as const,
          attempts: 0,
          failures: 0,
          created_at: at,
          next_attempt_at: at,
          first_failed_at: null,
          last_attempt_at: null,
          last_status_code: null,
          last_error: null,
          delivered_at: null,
          failed_at: null,
          lease_owner: null,
          lease_until: null,
        })),
      )
      .execute()
    return { eventId, deliveries: endpoints.length }
  }

  /** Queues an event on its own, in a transaction of its own (tests, the bench, "send a test event"). */
  function enqueue(type: WebhookEvent, data: Record<string, unknown>): Promise<{ eventId: string; deliveries: number }> {
    return db.transaction().execute((trx) => enqueueIn(trx, type, data))
  }

  /**
   * Sends every delivery whose time has come. Each is claimed first with a
   * conditional UPDATE (a lease, as wire polling does), so when several
   * processes run this at once each delivery is sent by exactly one of them.
   */
  async function deliverDue(owner: string): Promise<DeliveryOutcome[]> {
    const nowMs = clock.now().getTime()
    const now = new Date(nowMs).toISOString()
    const due = await db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .select('d.id')
      .where('d.status', '=', 'pending')
      .where('e.enabled', '=', 1)
      .where('d.next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<', now)]))
      .orderBy('d.next_attempt_at')
      .orderBy('d.id')
      .limit(BATCH)
      .execute()
    const outcomes: DeliveryOutcome[] = []
    const queue = due.map((d) => d.id)
    const work = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const claimed = await db
          .updateTable('webhook_deliveries')
          .set({ lease_owner: owner, lease_until: new Date(nowMs + LEASE_MS).toISOString() })
          .where('id', '=', id)
          .where('status', '=', 'pending')
          .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
          .executeTakeFirst()
        if (Number(claimed.numUpdatedRows) !== 1) continue
        const outcome = await deliverClaimed(id, owner)
        if (outcome) outcomes.push(outcome)
      }
    }
    await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, work))
    return outcomes
  }

  /** Sends a claimed delivery and records how it went; null when its endpoint was deleted meanwhile. */
  async function deliverClaimed(id: string, owner: string): Promise<DeliveryOutcome | null> {
    const delivery = await db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst()
    const endpoint = delivery && (await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', delivery.endpoint_id).executeTakeFirst())
    if (!delivery || !endpoint) return null
    const timestamp = Math.floor(clock.now().getTime() / 1000)
    const result = await deps.sender({
      url: endpoint.url,
      body: delivery.body,
      allowPrivateNetwork: deps.allowPrivateNetwork,
      headers: {
        'content-type': 'application/json',
        [WEBHOOK_HEADERS.id]: delivery.id,
        [WEBHOOK_HEADERS.event]: delivery.event_type,
        [WEBHOOK_HEADERS.timestamp]: String(timestamp),
        [WEBHOOK_HEADERS.signature]: sign(endpoint.secret, timestamp, delivery.body),
      },
    })
    const doneMs = clock.now().getTime()
    const at = new Date(doneMs).toISOString()
    // Deleted while the request was out: nothing left to record.
    if (!(await db.selectFrom('webhook_deliveries').select('id').where('id', '=', delivery.id).executeTakeFirst())) return null
    const status = result.kind === 'answered' ? result.status : null
    const isSuccess = status !== null && status >= 200 && status < 300
    const error = isSuccess ? null : result.kind === 'failed' ? result.reason : status! >= 300 && status! < 400 ? `HTTP ${status}: redirects are not followed; register the final address` : `HTTP ${status}`
    await db
      .insertInto('webhook_attempts')
      .values({
        id: newId('wha'),
        delivery_id: delivery.id,
        endpoint_id: endpoint.id,
        attempted_at: at,
        status_code: status,
        duration_ms: Math.round(result.durationMs),
        is_success: isSuccess ? 1 : 0,
        error: error?.slice(0, 300) ?? null,
        response_snippet: result.kind === 'answered' ? result.snippet.slice(0, 500) || null : null,
      })
      .execute()

    const base = { deliveryId: delivery.id, endpointId: endpoint.id, eventType: delivery.event_type, statusCode: status, error }
    // Written only while the lease is still ours, and it is given back in the same statement.
    const record = (changes: Partial<WebhookDeliveriesTable>) =>
      db
        .updateTable('webhook_deliveries')
        .set({ attempts: delivery.attempts + 1, last_attempt_at: at, last_status_code: status, last_error: error?.slice(0, 300) ?? null, lease_owner: null, lease_until: null, ...changes })
        .where('id', '=', delivery.id)
        .where('lease_owner', '=', owner)
        .execute()
    if (isSuccess) {
      await record({ status: 'delivered', delivered_at: at, next_attempt_at: null, first_failed_at: null, failures: 0 })
      return { ...base, result: 'delivered' }
    }
    const firstFailedAt = delivery.first_failed_at ?? at
    const failures = delivery.failures + 1
    const next = nextAttemptAt({ now: doneMs, firstFailedAt: Date.parse(firstFailedAt), failures, policy, random })
    if (next === null) {
      await record({ status: 'failed', failed_at: at, next_attempt_at: null, first_failed_at: firstFailedAt, failures })
      return { ...base, result: 'failed' }
    }
    await record({ next_attempt_at: new Date(next).toISOString(), first_failed_at: firstFailedAt, failures })
    return { ...base, result: 'retrying' }
  }

  /** An endpoint's latest deliveries, newest first, each with its latest attempts. */
  async function deliveries(endpointId: string): Promise<WebhookDelivery[]> {
    await mustLoad(endpointId)
    const rows = await db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(LOG_DELIVERIES).execute()
    const attempts = rows.length
      ? await db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', rows.map((r) => r.id)).orderBy('attempted_at', 'desc').orderBy('id', 'desc').execute()
      : []
    return rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      eventType: row.event_type,
      status: row.status,
      attempts: row.attempts,
      createdAt: row.created_at,
      nextAttemptAt: row.next_attempt_at,
      deliveredAt: row.delivered_at,
      failedAt: row.failed_at,
      lastStatusCode: row.last_status_code,
      lastError: row.last_error,
      log: attempts.filter((a) => a.delivery_id === row.id).slice(0, LOG_ATTEMPTS).map(toAttempt),
    }))
  }

  /**
   * Queues a delivery to be sent once more, now, with the same body and id
   * (a receiver that already has it can tell), and a fresh 24 hours of retries.
   */
  async function sendAgain(endpointId: string, deliveryId: string, actor: WebhookActor): Promise<void> {
    const endpoint = await mustLoad(endpointId)
    const at = nowIso()
    await db.transaction().execute(async (trx) => {
      const changed = await trx
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', next_attempt_at: at, first_failed_at: null, failures: 0, failed_at: null })
        .where('id', '=', deliveryId)
        .where('endpoint_id', '=', endpointId)
        .executeTakeFirst()
      if (Number(changed.numUpdatedRows) !== 1) throw new DomainError('not_found', WebhookErrors.WEBHOOK_DELIVERY_NOT_FOUND, 'That delivery was not found.')
      await recordAudit(trx, { actorId: actor.userId, action: 'webhook.resent', targetType: 'webhook', targetId: endpointId, summary: `Sent delivery ${deliveryId} to ${endpoint.url} again`, at })
    })
  }

  /**
   * Deletes delivered and failed deliveries (with their attempts) queued more
   * than `days` ago; pending ones stay whatever their age. The log is for
   * looking into recent trouble, not an archive.
   */
  async function purgeFinished(days: number): Promise<{ deliveries: number; attempts: number }> {
    const cutoff = new Date(clock.now().getTime() - days * 24 * 3600_000).toISOString()
    return db.transaction().execute(async (trx) => {
      const old = (eb: ExpressionBuilder<Database, 'webhook_deliveries'>) => eb.and([eb('status', 'in', ['delivered', 'failed']), eb('created_at', '<', cutoff)])
      const attempts = await trx
        .deleteFrom('webhook_attempts')
        .where('delivery_id', 'in', (eb) => eb.selectFrom('webhook_deliveries').select('id').where(old))
        .executeTakeFirst()
      const deliveries = await trx.deleteFrom('webhook_deliveries').where(old).executeTakeFirst()
      return { deliveries: Number(deliveries.numDeletedRows), attempts: Number(attempts.numDeletedRows) }
    })
  }

  return { listEndpoints, getEndpoint, createEndpoint, updateEndpoint, rotateSecret, deleteEndpoint, enqueue, enqueueIn, deliverDue, deliveries, sendAgain, purgeFinished }
}

export type WebhookService = ReturnType<typeof createWebhookService>
