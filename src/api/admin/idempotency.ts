import type { Db } from '../../db/database.ts'
import type { Clock } from '../../shared/clock.ts'
import { DomainError } from '../../shared/errors.ts'
import { AdminApiErrors } from './errors.ts'

/** How long a stored answer is replayed for a retry with the same key. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000
/** Keys clients may send: 1 to 200 visible ASCII characters (a UUID fits). */
export const IDEMPOTENCY_KEY_SHAPE = /^[\x21-\x7e]{1,200}$/

/**
 * A claim left unanswered this long belongs to a process that died before its
 * change committed (had it committed, `committed_ref` would say so): a retry
 * then takes the claim over and runs the request. Far longer than any story
 * write takes.
 */
export const ABANDONED_CLAIM_MS = 60_000

/**
 * What a claim found: go ahead (and later `complete` or `release`), replay an
 * answer given before, or answer for a change that committed without its
 * answer being stored (the process died in between): `ref` is what it made.
 */
export type Claim = { kind: 'new' } | { kind: 'replay'; status: number; body: unknown } | { kind: 'committed'; ref: string }

/**
 * Stored answers for the admin API's `Idempotency-Key` header, per token. The
 * first request with a key claims it with a row that has no answer yet; its
 * answer is stored when it is known. A retry with the same key and the same
 * request (method, path and body, hashed) gets that answer again for 24
 * hours, so a client that lost a response can send the write again without
 * doing it twice. The same key with another request is a client bug and is
 * refused (422), and a retry while the first is still running is told to
 * wait (409). The primary key (token, key) makes the claim atomic on both
 * dialects: of two racing inserts, one fails and reads the other's row.
 */
export function createIdempotencyStore(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps

  async function find(tokenId: string, key: string) {
    return db.selectFrom('admin_api_idempotency').selectAll().where('token_id', '=', tokenId).where('idempotency_key', '=', key).executeTakeFirst()
  }

  async function judge(row: NonNullable<Awaited<ReturnType<typeof find>>>, requestHash: string): Promise<Claim> {
    if (row.request_hash !== requestHash) {
      throw new DomainError('invalid', AdminApiErrors.ADMIN_API_IDEMPOTENCY_MISMATCH, 'This Idempotency-Key was used with a different request in the last 24 hours. Use a new key for a new request.', [
        { path: 'Idempotency-Key', message: 'Already used with another request body.', code: 'reused' },
      ])
    }
    if ((row.status === null || row.body === null) && row.committed_ref !== null) return { kind: 'committed', ref: row.committed_ref }
    if (row.status === null || row.body === null) {
      // Taken over only by the one retry whose conditional update wins.
      const now = clock.now()
      if (now.getTime() - Date.parse(row.created_at) > ABANDONED_CLAIM_MS) {
        const taken = await db
          .updateTable('admin_api_idempotency')
          .set({ created_at: now.toISOString() })
          .where('token_id', '=', row.token_id)
          .where('idempotency_key', '=', row.idempotency_key)
          .where('created_at', '=', row.created_at)
          .where('status', 'is', null)
          .where('committed_ref', 'is', null)
          .executeTakeFirst()
        if (Number(taken.numUpdatedRows) === 1) return { kind: 'new' }
      }
      throw new DomainError('conflict', AdminApiErrors.ADMIN_API_IDEMPOTENCY_IN_PROGRESS, 'The first request with this Idempotency-Key is still being handled. Retry in a moment.')
    }
    return { kind: 'replay', status: row.status, body: JSON.parse(row.body) as unknown }
  }

  async function claim(tokenId: string, key: string, requestHash: string): Promise<Claim> {
    const now = clock.now()
    const cutoff = new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString()
    // Expired answers of this token go first, so an old key is free again.
    await db.deleteFrom('admin_api_idempotency').where('token_id', '=', tokenId).where('created_at', '<', cutoff).execute()
    const existing = await find(tokenId, key)
    if (existing) return judge(existing, requestHash)
    try {
      await db
        .insertInto('admin_api_idempotency')
        .values({ token_id: tokenId, idempotency_key: key, request_hash: requestHash, status: null, body: null, created_at: now.toISOString(), committed_ref: null })
        .execute()
      return { kind: 'new' }
    } catch (error) {
      // Another request with this key inserted first.
      const raced = await find(tokenId, key)
      if (raced) return judge(raced, requestHash)
      throw error
    }
  }

  /**
   * Marks a claimed request's change as made, with `trx`, the change's own
   * transaction: a crash after its commit and before `complete` leaves a claim
   * that says the change happened, so a retry answers instead of redoing it.
   */
  async function markCommitted(trx: Db, tokenId: string, key: string, ref: string): Promise<void> {
    await trx.updateTable('admin_api_idempotency').set({ committed_ref: ref }).where('token_id', '=', tokenId).where('idempotency_key', '=', key).execute()
  }

  /** Stores the answer of a claimed request. */
  async function complete(tokenId: string, key: string, answer: { status: number; body: unknown }): Promise<void> {
    await db.updateTable('admin_api_idempotency').set({ status: answer.status, body: JSON.stringify(answer.body) }).where('token_id', '=', tokenId).where('idempotency_key', '=', key).execute()
  }

  /** Frees a claimed key whose request failed on our side (5xx), so the client may retry it. */
  async function release(tokenId: string, key: string): Promise<void> {
    await db.deleteFrom('admin_api_idempotency').where('token_id', '=', tokenId).where('idempotency_key', '=', key).where('status', 'is', null).where('committed_ref', 'is', null).execute()
  }

  return { claim, markCommitted, complete, release }
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>
