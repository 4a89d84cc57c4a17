import { createHash } from 'node:crypto'
import type { Db } from '../db/database.ts'
import type { Clock } from '../shared/clock.ts'
import { DomainError } from '../shared/errors.ts'

/**
 * Slows down, then briefly locks, repeated failed sign-ins for one email
 * address, beside the per-address limit at the HTTP edge. Keyed by the address
 * whether or not an account has it, so the answers never tell which exist.
 * The state is in the database, so every server process sees the same count.
 */

/** Failures within this window count together; a quiet window starts over. */
export const THROTTLE_WINDOW_MS = 15 * 60_000
/** From this many failures on, each attempt must wait 1, 2, 4… seconds after the last. */
export const SLOW_AFTER = 5
/** This many failures lock the address for LOCK_MS. */
export const LOCK_AFTER = 10
export const LOCK_MS = 15 * 60_000

export const THROTTLE_ERROR = 'AUTH_THROTTLED' as const

function keyOf(email: string): string {
  return createHash('sha256').update(`sign-in:${email.trim().toLowerCase()}`).digest('hex')
}

function waitWords(ms: number): string {
  const seconds = Math.ceil(ms / 1000)
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`
  return `${Math.ceil(seconds / 60)} minutes`
}

export function createSignInThrottle(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps

  /** Throws AUTH_THROTTLED (rate_limited) while the address must wait. */
  async function check(email: string): Promise<void> {
    const row = await db.selectFrom('sign_in_throttle').select(['blocked_until', 'failures']).where('key_hash', '=', keyOf(email)).executeTakeFirst()
    if (!row?.blocked_until) return
    const wait = Date.parse(row.blocked_until) - clock.now().getTime()
    if (wait <= 0) return
    const message =
      row.failures >= LOCK_AFTER
        ? `Too many failed sign-ins with this email address. Signing in with it is paused; try again in ${waitWords(wait)}.`
        : `Too many failed sign-ins with this email address. Wait ${waitWords(wait)}, then try again.`
    throw new DomainError('rate_limited', THROTTLE_ERROR, message)
  }

  /** Counts a failure and sets how long the next attempt must wait. */
  async function recordFailure(email: string): Promise<void> {
    const key = keyOf(email)
    const now = clock.now()
    const row = await db.selectFrom('sign_in_throttle').selectAll().where('key_hash', '=', key).executeTakeFirst()
    const isFresh = !row || now.getTime() - Date.parse(row.window_started_at) > THROTTLE_WINDOW_MS
    const failures = isFresh ? 1 : row.failures + 1
    const waitMs = failures >= LOCK_AFTER ? LOCK_MS : failures >= SLOW_AFTER ? 1000 * 2 ** (failures - SLOW_AFTER) : 0
    const values = {
      failures,
      window_started_at: isFresh ? now.toISOString() : row.window_started_at,
      blocked_until: waitMs > 0 ? new Date(now.getTime() + waitMs).toISOString() : null,
    }
    await db
      .insertInto('sign_in_throttle')
      .values({ key_hash: key, ...values })
      .onConflict((oc) => oc.column('key_hash').doUpdateSet(values))
      .execute()
  }

  /** A successful sign-in forgets the failures. */
  async function clear(email: string): Promise<void> {
    await db.deleteFrom('sign_in_throttle').where('key_hash', '=', keyOf(email)).execute()
  }

  return { check, recordFailure, clear }
}
