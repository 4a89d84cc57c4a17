import { createHash, randomBytes } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import { recordAudit } from '../audit/index.ts'
import type { Db } from '../db/database.ts'
import type { Clock } from '../shared/clock.ts'
import { DomainError } from '../shared/errors.ts'
import { AuthErrors } from './errors.ts'
import { verifyPassword } from './passwords.ts'

/** Codes an authenticator app shows: RFC 6238 defaults, which every app supports. */
const PERIOD_SECONDS = 30
const RECOVERY_CODES = 10

const hashCode = (code: string) => createHash('sha256').update(code.replace(/[\s-]/g, '').toLowerCase()).digest('hex')

/** A recovery code people can copy: `k7q2-9fhw-3mzx`. */
function newRecoveryCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789'
  const bytes = randomBytes(12)
  let out = ''
  for (let i = 0; i < 12; i++) out += (i > 0 && i % 4 === 0 ? '-' : '') + alphabet[bytes[i]! % alphabet.length]
  return out
}

/**
 * Two-factor sign-in with authenticator apps (TOTP, RFC 6238) through the
 * otpauth library, and ten single-use recovery codes. A code is accepted in
 * the current 30-second step or one step either side (clock drift), and never
 * twice: the last accepted step is stored.
 */
export function createTwoFactor(deps: { db: Db; clock: Clock; issuer: () => Promise<string> }) {
  const { db, clock } = deps
  const nowIso = () => clock.now().toISOString()

  function totpFor(secret: string, label: string, issuer: string): TOTP {
    return new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secret) })
  }

  /** The accepted time step for a code, or null. */
  function stepOf(secret: string, code: string): number | null {
    const token = code.replace(/\s/g, '')
    if (!/^\d{6}$/.test(token)) return null
    const timestamp = clock.now().getTime()
    const delta = totpFor(secret, 'x', 'x').validate({ token, timestamp, window: 1 })
    return delta === null ? null : Math.floor(timestamp / 1000 / PERIOD_SECONDS) + delta
  }

  /**
   * Starts setting up: a new secret, not yet in force. Returns the otpauth://
   * URI for the QR code and the secret for typing in by hand.
   */
  async function begin(userId: string): Promise<{ uri: string; secret: string }> {
    const user = await db.selectFrom('users').select(['email', 'totp_enabled_at']).where('id', '=', userId).executeTakeFirstOrThrow()
    if (user.totp_enabled_at) throw new DomainError('conflict', AuthErrors.AUTH_TWO_FACTOR_STATE, 'Two-factor sign-in is on already. Turn it off first to set up a new app.')
    const secret = new Secret({ size: 20 }).base32
    await db.updateTable('users').set({ totp_secret: secret, totp_last_step: null }).where('id', '=', userId).execute()
    return { uri: totpFor(secret, user.email, await deps.issuer()).toString(), secret }
  }

  /** The pending setup again (after a wrong code), without a new secret. */
  async function pending(userId: string): Promise<{ uri: string; secret: string } | null> {
    const user = await db.selectFrom('users').select(['email', 'totp_secret', 'totp_enabled_at']).where('id', '=', userId).executeTakeFirstOrThrow()
    if (!user.totp_secret || user.totp_enabled_at) return null
    return { uri: totpFor(user.totp_secret, user.email, await deps.issuer()).toString(), secret: user.totp_secret }
  }

  /** Turns it on once the app shows a right code; returns the ten recovery codes, shown only this once. */
  async function enable(userId: string, code: string): Promise<string[]> {
    const user = await db.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('id', '=', userId).executeTakeFirstOrThrow()
    if (user.totp_enabled_at || !user.totp_secret) throw new DomainError('conflict', AuthErrors.AUTH_TWO_FACTOR_STATE, 'Start the setup again.')
    const step = stepOf(user.totp_secret, code)
    if (step === null) throw new DomainError('invalid', AuthErrors.AUTH_CODE_INVALID, 'That code is not right.', [{ path: 'code', message: 'Type the six digits your app shows now.', code: 'invalid' }])
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode)
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ totp_enabled_at: nowIso(), totp_last_step: step }).where('id', '=', userId).execute()
      await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
      await trx.insertInto('recovery_codes').values(codes.map((c) => ({ user_id: userId, code_hash: hashCode(c), used_at: null }))).execute()
      await recordAudit(trx, { actorId: userId, action: 'auth.two_factor_enabled', targetType: 'user', targetId: userId, summary: 'Turned on two-factor sign-in', at: nowIso() })
    })
    return codes
  }

  /** Turns it off after checking the password. */
  async function disable(userId: string, password: string): Promise<void> {
    const user = await db.selectFrom('users').select(['password_hash', 'totp_enabled_at']).where('id', '=', userId).executeTakeFirstOrThrow()
    if (!(await verifyPassword(password, user.password_hash))) {
      throw new DomainError('invalid', AuthErrors.AUTH_PASSWORD_INVALID, 'The password is not right.', [{ path: 'password', message: 'This is not your password.', code: 'mismatch' }])
    }
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null }).where('id', '=', userId).execute()
      await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
      await recordAudit(trx, { actorId: userId, action: 'auth.two_factor_disabled', targetType: 'user', targetId: userId, summary: 'Turned off two-factor sign-in', at: nowIso() })
    })
  }

  /** Checks a sign-in code: `totp`, `recovery` (now spent), or `wrong`. */
  async function verify(userId: string, code: string): Promise<'totp' | 'recovery' | 'wrong'> {
    const user = await db.selectFrom('users').select(['totp_secret', 'totp_enabled_at', 'totp_last_step']).where('id', '=', userId).executeTakeFirst()
    if (!user?.totp_secret || !user.totp_enabled_at) return 'wrong'
    const step = stepOf(user.totp_secret, code)
    if (step !== null) {
      // Only a later step than the last one used: a code seen over someone's shoulder is spent.
      const result = await db
        .updateTable('users')
        .set({ totp_last_step: step })
        .where('id', '=', userId)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1 ? 'totp' : 'wrong'
    }
    if (!/^[a-z0-9-\s]{12,20}$/i.test(code.trim())) return 'wrong'
    const spent = await db
      .updateTable('recovery_codes')
      .set({ used_at: nowIso() })
      .where('user_id', '=', userId)
      .where('code_hash', '=', hashCode(code.trim()))
      .where('used_at', 'is', null)
      .executeTakeFirst()
    return Number(spent.numUpdatedRows) === 1 ? 'recovery' : 'wrong'
  }

  async function codesLeft(userId: string): Promise<number> {
    const row = await db
      .selectFrom('recovery_codes')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  return { begin, pending, enable, disable, verify, codesLeft }
}
