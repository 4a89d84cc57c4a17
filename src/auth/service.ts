import { z } from 'zod'
import type { Db } from '../db/database.ts'
import type { Clock } from '../shared/clock.ts'
import { DomainError } from '../shared/errors.ts'
import { newId } from '../shared/ids.ts'
import { parseInput } from '../shared/parse.ts'
import { createHash, randomBytes } from 'node:crypto'
import { generatePassword, hashPassword, verifyPassword } from './passwords.ts'
import type { Role } from './tables.ts'
import { createSignInThrottle, THROTTLE_ERROR } from './throttle.ts'

export const AuthErrors = {
  USER_INVALID: 'USER_INVALID',
  USER_EMAIL_TAKEN: 'USER_EMAIL_TAKEN',
  AUTH_INVALID_CREDENTIALS: 'AUTH_INVALID_CREDENTIALS',
  AUTH_PASSWORD_INVALID: 'AUTH_PASSWORD_INVALID',
  AUTH_THROTTLED: THROTTLE_ERROR,
} as const

/** How long a session lasts without use; each use slides it forward. */
export const SESSION_IDLE_MS = 14 * 24 * 3600_000

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}



export const CreateUser = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  name: z.string().trim().min(1).max(160),
  role: z.enum(['admin', 'editor', 'author', 'contributor']),
  /** When absent a one-time password is generated and must be changed at first sign-in. */
  password: z.string().min(12, 'Use at least 12 characters.').max(200).optional(),
})
export type CreateUser = z.input<typeof CreateUser>

export interface StaffUser {
  id: string
  email: string
  name: string
  role: Role
}

/** Staff accounts. Sign-in and sessions come with the newsroom admin. */
export function createAuthService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps
  const throttle = createSignInThrottle({ db, clock })
  // A hash no account has, so an unknown email costs as much time as a wrong password. Made on first use.
  let dummyHash: Promise<string> | null = null

  /**
   * Creates a staff account. Returns the generated one-time password when none
   * was given, so the caller can show it once; it is never stored in clear.
   */
  async function createUser(input: CreateUser): Promise<{ user: StaffUser; generatedPassword: string | null }> {
    const cmd = parseInput(CreateUser, input, AuthErrors.USER_INVALID)
    const taken = await db.selectFrom('users').select('id').where('email', '=', cmd.email).executeTakeFirst()
    if (taken) throw new DomainError('conflict', AuthErrors.USER_EMAIL_TAKEN, `A user with email ${cmd.email} exists.`)
    const generatedPassword = cmd.password ? null : generatePassword()
    const user: StaffUser = { id: newId('usr'), email: cmd.email, name: cmd.name, role: cmd.role }
    await db
      .insertInto('users')
      .values({
        ...user,
        password_hash: await hashPassword(cmd.password ?? generatedPassword!),
        must_change_password: generatedPassword ? 1 : 0,
        created_at: clock.now().toISOString(),
      })
      .execute()
    return { user, generatedPassword }
  }

  async function countAdmins(): Promise<number> {
    const row = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('role', '=', 'admin')
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async function findByEmail(email: string): Promise<(StaffUser & { passwordHash: string; mustChangePassword: boolean }) | null> {
    const row = await db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst()
    if (!row) return null
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      passwordHash: row.password_hash,
      mustChangePassword: row.must_change_password === 1,
    }
  }

  /**
   * Checks an email and password and opens a session. Unknown emails and wrong
   * passwords fail alike, in about the same time, so the answer does not tell
   * which accounts exist. Repeated failures for one address slow down and then
   * pause its sign-ins (AUTH_THROTTLED), for known and unknown addresses alike.
   */
  async function signIn(email: string, password: string): Promise<{ token: string; user: StaffUser; mustChangePassword: boolean }> {
    await throttle.check(email)
    const found = await findByEmail(email)
    const ok = await verifyPassword(password, found?.passwordHash ?? (await (dummyHash ??= hashPassword(randomBytes(16).toString('hex')))))
    if (!found || !ok) {
      await throttle.recordFailure(email)
      throw new DomainError('unauthenticated', AuthErrors.AUTH_INVALID_CREDENTIALS, 'That email and password do not match an account.')
    }
    await throttle.clear(email)
    const token = randomBytes(32).toString('base64url')
    const now = clock.now()
    await db
      .insertInto('sessions')
      .values({
        token_hash: hashToken(token),
        user_id: found.id,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: new Date(now.getTime() + SESSION_IDLE_MS).toISOString(),
      })
      .execute()
    const { passwordHash: _hash, mustChangePassword, ...user } = found
    return { token, user, mustChangePassword }
  }

  /** The user behind a session token, or null when it is unknown or expired. Using a session extends it. */
  async function userForSession(token: string): Promise<(StaffUser & { mustChangePassword: boolean }) | null> {
    if (!token || token.length > 200) return null
    const now = clock.now()
    const row = await db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['users.id', 'users.email', 'users.name', 'users.role', 'users.must_change_password', 'sessions.last_seen_at'])
      .where('sessions.token_hash', '=', hashToken(token))
      .where('sessions.expires_at', '>', now.toISOString())
      .executeTakeFirst()
    if (!row) return null
    // Write the sliding expiry at most once a minute, not on every page.
    if (now.getTime() - Date.parse(row.last_seen_at) > 60_000) {
      await db
        .updateTable('sessions')
        .set({ last_seen_at: now.toISOString(), expires_at: new Date(now.getTime() + SESSION_IDLE_MS).toISOString() })
        .where('token_hash', '=', hashToken(token))
        .execute()
    }
    return { id: row.id, email: row.email, name: row.name, role: row.role, mustChangePassword: row.must_change_password === 1 }
  }

  async function signOut(token: string): Promise<void> {
    await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute()
  }

  /** Replaces a password after checking the current one; other sessions of the user are closed. */
  async function changePassword(userId: string, input: { current: string; next: string }, keepToken: string): Promise<void> {
    const row = await db.selectFrom('users').select(['password_hash']).where('id', '=', userId).executeTakeFirst()
    if (!row || !(await verifyPassword(input.current, row.password_hash))) {
      throw new DomainError('invalid', AuthErrors.AUTH_PASSWORD_INVALID, 'The current password is not right.', [
        { path: 'current', message: 'This is not your current password.', code: 'mismatch' },
      ])
    }
    const { next } = parseInput(z.object({ next: CreateUser.shape.password.unwrap() }), { next: input.next }, AuthErrors.AUTH_PASSWORD_INVALID)
    if (next === input.current) {
      throw new DomainError('invalid', AuthErrors.AUTH_PASSWORD_INVALID, 'Choose a new password.', [
        { path: 'next', message: 'The new password must differ from the current one.', code: 'same' },
      ])
    }
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ password_hash: await hashPassword(next), must_change_password: 0 }).where('id', '=', userId).execute()
      await trx.deleteFrom('sessions').where('user_id', '=', userId).where('token_hash', '!=', hashToken(keepToken)).execute()
    })
  }

  /** Staff by id, in no particular order; unknown ids are left out. */
  async function byIds(ids: readonly string[]): Promise<StaffUser[]> {
    if (ids.length === 0) return []
    const rows = await db.selectFrom('users').select(['id', 'email', 'name', 'role']).where('id', 'in', [...ids]).execute()
    return rows
  }

  /** Staff who have one of these roles, by name. */
  async function withRoles(roles: readonly Role[]): Promise<StaffUser[]> {
    return db.selectFrom('users').select(['id', 'email', 'name', 'role']).where('role', 'in', [...roles]).orderBy('name').execute()
  }

  return { createUser, countAdmins, findByEmail, signIn, userForSession, signOut, changePassword, byIds, withRoles }
}

export type AuthService = ReturnType<typeof createAuthService>
