import { createHash, randomBytes } from 'node:crypto'
import { z } from 'zod'
import { recordAudit } from '../audit/index.ts'
import type { Db } from '../db/database.ts'
import type { Clock } from '../shared/clock.ts'
import { DomainError } from '../shared/errors.ts'
import { newId } from '../shared/ids.ts'
import { parseInput } from '../shared/parse.ts'
import { AuthErrors } from './errors.ts'
import { createAuthLinks } from './links.ts'
import { generatePassword, hashPassword, verifyPassword } from './passwords.ts'
import type { Role, UsersTable } from './tables.ts'
import { createSignInThrottle } from './throttle.ts'
import { createTwoFactor } from './two-factor.ts'

export { AuthErrors }

/** How long a session lasts without use; each use slides it forward. */
export const SESSION_IDLE_MS = 14 * 24 * 3600_000
/** How long the step between password and code at sign-in may take. */
const SECOND_FACTOR_MS = 5 * 60_000

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export const Password = z.string().min(12, 'Use at least 12 characters.').max(200, 'Use at most 200 characters.')
const Email = z.string().trim().toLowerCase().email('Give an email address such as name@example.org.').max(320)
const Name = z.string().trim().min(1, 'Give a name.').max(160)
const RoleSchema = z.enum(['admin', 'editor', 'author', 'contributor'])

export const CreateUser = z.object({
  email: Email,
  name: Name,
  role: RoleSchema,
  /** When absent a one-time password is generated and must be changed at first sign-in. */
  password: Password.optional(),
})
export type CreateUser = z.input<typeof CreateUser>

/** A member of staff as the rest of the system knows them. */
export interface StaffUser {
  id: string
  email: string
  name: string
  role: Role
}

/** A member of staff as the staff page lists them. */
export interface StaffMember extends StaffUser {
  createdAt: string
  lastSignInAt: string | null
  deactivatedAt: string | null
  hasTwoFactor: boolean
}

/** The person behind a session. */
export interface SessionUser extends StaffUser {
  mustChangePassword: boolean
  hasTwoFactor: boolean
}

/** Who acts on staff accounts: a person with a role, or the system (the CLI) when absent. */
export interface StaffActor {
  userId: string | null
  role?: Role
}

/** What a correct password leads to: a session, or first the code from the authenticator app. */
export type SignInResult =
  | { kind: 'signed_in'; token: string; user: StaffUser; mustChangePassword: boolean }
  | { kind: 'second_factor'; challenge: string }

const toMember = (row: Pick<UsersTable, 'id' | 'email' | 'name' | 'role' | 'created_at' | 'last_sign_in_at' | 'deactivated_at' | 'totp_enabled_at'>): StaffMember => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  createdAt: row.created_at,
  lastSignInAt: row.last_sign_in_at,
  deactivatedAt: row.deactivated_at,
  hasTwoFactor: row.totp_enabled_at !== null,
})

export interface AuthDeps {
  db: Db
  clock: Clock
  /** The name authenticator apps show beside the account, usually the site's name. */
  issuer: () => Promise<string>
}

/**
 * Staff accounts: sign-in (password, then a code when two-factor sign-in is
 * on), sessions, passwords, roles, deactivation, invitations, resets and
 * email changes. Every change a person makes is in the audit log, written in
 * the same transaction.
 */
export function createAuthService(deps: AuthDeps) {
  const { db, clock } = deps
  const nowIso = () => clock.now().toISOString()
  const throttle = createSignInThrottle({ db, clock })
  const twoFactor = createTwoFactor({ db, clock, issuer: deps.issuer })
  // A hash no account has, so an unknown email costs as much time as a wrong password. Made on first use.
  let dummyHash: Promise<string> | null = null

  async function mustLoad(trx: Db, id: string): Promise<UsersTable> {
    const row = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw new DomainError('not_found', AuthErrors.USER_NOT_FOUND, 'No such account.')
    return row
  }

  /**
   * Creates a staff account. Returns the generated one-time password when none
   * was given, so the caller can show it once; it is never stored in clear.
   */
  async function createUser(input: CreateUser, actor: StaffActor = { userId: null }): Promise<{ user: StaffUser; generatedPassword: string | null }> {
    const cmd = parseInput(CreateUser, input, AuthErrors.USER_INVALID)
    if (cmd.role === 'admin' && actor.role !== undefined && actor.role !== 'admin') {
      throw new DomainError('forbidden', AuthErrors.STAFF_ROLE_NOT_ALLOWED, 'Only an admin can make an admin.', [{ path: 'role', message: 'Only an admin can make an admin.', code: 'forbidden' }])
    }
    const generatedPassword = cmd.password ? null : generatePassword()
    const user: StaffUser = { id: newId('usr'), email: cmd.email, name: cmd.name, role: cmd.role }
    const passwordHash = await hashPassword(cmd.password ?? generatedPassword!)
    await db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('users').select('id').where('email', '=', cmd.email).executeTakeFirst()
      if (taken) throw new DomainError('conflict', AuthErrors.USER_EMAIL_TAKEN, `A user with email ${cmd.email} exists.`, [{ path: 'email', message: 'An account has this address.', code: 'taken' }])
      await trx
        .insertInto('users')
        .values({
          ...user,
          password_hash: passwordHash,
          must_change_password: generatedPassword ? 1 : 0,
          created_at: nowIso(),
          deactivated_at: null,
          last_sign_in_at: null,
          totp_secret: null,
          totp_enabled_at: null,
          totp_last_step: null,
        })
        .execute()
    })
    return { user, generatedPassword }
  }

  async function countAdmins(trx: Db = db): Promise<number> {
    const row = await trx
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('role', '=', 'admin')
      .where('deactivated_at', 'is', null)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async function findByEmail(email: string): Promise<(StaffUser & { passwordHash: string; mustChangePassword: boolean }) | null> {
    const row = await db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst()
    if (!row) return null
    return { id: row.id, email: row.email, name: row.name, role: row.role, passwordHash: row.password_hash, mustChangePassword: row.must_change_password === 1 }
  }

  async function openSession(trx: Db, userId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url')
    const now = clock.now()
    await trx
      .insertInto('sessions')
      .values({
        token_hash: hashToken(token),
        user_id: userId,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: new Date(now.getTime() + SESSION_IDLE_MS).toISOString(),
      })
      .execute()
    await trx.updateTable('users').set({ last_sign_in_at: now.toISOString() }).where('id', '=', userId).execute()
    return token
  }

  async function failSignIn(email: string): Promise<never> {
    await db.transaction().execute(async (trx) => {
      await recordAudit(trx, { actorId: null, action: 'auth.sign_in_failed', targetType: 'email', targetId: null, summary: `Failed sign-in as ${email.slice(0, 120)}`, at: nowIso() })
    })
    await throttle.recordFailure(email)
    throw new DomainError('unauthenticated', AuthErrors.AUTH_INVALID_CREDENTIALS, 'That email and password do not match an account.')
  }

  /**
   * Checks an email and password. Unknown emails, wrong passwords and
   * deactivated accounts fail alike, in about the same time, so the answer
   * does not tell which accounts exist. Repeated failures for one address slow
   * down and then pause its sign-ins (AUTH_THROTTLED). With two-factor sign-in
   * on, a correct password leads to a short challenge for the code instead of
   * a session.
   */
  async function signIn(email: string, password: string): Promise<SignInResult> {
    await throttle.check(email)
    const row = await db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst()
    const ok = await verifyPassword(password, row?.password_hash ?? (await (dummyHash ??= hashPassword(randomBytes(16).toString('hex')))))
    if (!row || !ok || row.deactivated_at !== null) return failSignIn(email)
    if (row.totp_enabled_at) {
      const challenge = randomBytes(32).toString('base64url')
      const now = clock.now()
      await db
        .insertInto('auth_links')
        .values({
          token_hash: hashToken(challenge),
          kind: 'second_factor',
          user_id: row.id,
          email: row.email,
          role: null,
          created_by: null,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + SECOND_FACTOR_MS).toISOString(),
          used_at: null,
        })
        .execute()
      return { kind: 'second_factor', challenge }
    }
    await throttle.clear(email)
    const token = await db.transaction().execute(async (trx) => {
      const token = await openSession(trx, row.id)
      await recordAudit(trx, { actorId: row.id, action: 'auth.sign_in', targetType: 'user', targetId: row.id, summary: 'Signed in with a password', at: nowIso() })
      return token
    })
    return { kind: 'signed_in', token, user: { id: row.id, email: row.email, name: row.name, role: row.role }, mustChangePassword: row.must_change_password === 1 }
  }

  /**
   * The second step of sign-in: the code from the authenticator app, or one of
   * the recovery codes (each works once). Wrong codes count as failed sign-ins.
   */
  async function completeSignIn(challenge: string, code: string): Promise<{ token: string; user: StaffUser; mustChangePassword: boolean }> {
    const link = await db
      .selectFrom('auth_links')
      .selectAll()
      .where('token_hash', '=', hashToken(challenge))
      .where('kind', '=', 'second_factor')
      .where('used_at', 'is', null)
      .where('expires_at', '>', nowIso())
      .executeTakeFirst()
    if (!link?.user_id) throw new DomainError('unauthenticated', AuthErrors.AUTH_SECOND_FACTOR_EXPIRED, 'That sign-in took too long. Start again with your password.')
    await throttle.check(link.email)
    const verdict = await twoFactor.verify(link.user_id, code)
    if (verdict === 'wrong') {
      await throttle.recordFailure(link.email)
      await db.transaction().execute((trx) => recordAudit(trx, { actorId: link.user_id, action: 'auth.sign_in_failed', targetType: 'user', targetId: link.user_id, summary: 'Wrong two-factor code', at: nowIso() }))
      throw new DomainError('unauthenticated', AuthErrors.AUTH_CODE_INVALID, 'That code is not right. Use the current code from your app, or a recovery code.', [{ path: 'code', message: 'That code is not right.', code: 'invalid' }])
    }
    await throttle.clear(link.email)
    const row = await mustLoad(db, link.user_id)
    if (row.deactivated_at) return failSignIn(link.email)
    const token = await db.transaction().execute(async (trx) => {
      const used = await trx.updateTable('auth_links').set({ used_at: nowIso() }).where('token_hash', '=', link.token_hash).where('used_at', 'is', null).executeTakeFirst()
      if (Number(used.numUpdatedRows) === 0) throw new DomainError('unauthenticated', AuthErrors.AUTH_SECOND_FACTOR_EXPIRED, 'That sign-in was already used. Start again with your password.')
      const token = await openSession(trx, row.id)
      await recordAudit(trx, {
        actorId: row.id,
        action: verdict === 'recovery' ? 'auth.recovery_code_used' : 'auth.sign_in',
        targetType: 'user',
        targetId: row.id,
        summary: verdict === 'recovery' ? 'Signed in with a recovery code' : 'Signed in with a password and a two-factor code',
        at: nowIso(),
      })
      return token
    })
    return { token, user: { id: row.id, email: row.email, name: row.name, role: row.role }, mustChangePassword: row.must_change_password === 1 }
  }

  /** The person behind a session token, or null when it is unknown, expired or the account is deactivated. Using a session extends it. */
  async function userForSession(token: string): Promise<SessionUser | null> {
    if (!token || token.length > 200) return null
    const now = clock.now()
    const row = await db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['users.id', 'users.email', 'users.name', 'users.role', 'users.must_change_password', 'users.totp_enabled_at', 'sessions.last_seen_at'])
      .where('sessions.token_hash', '=', hashToken(token))
      .where('sessions.expires_at', '>', now.toISOString())
      .where('users.deactivated_at', 'is', null)
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
    return { id: row.id, email: row.email, name: row.name, role: row.role, mustChangePassword: row.must_change_password === 1, hasTwoFactor: row.totp_enabled_at !== null }
  }

  async function signOut(token: string): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const session = await trx.selectFrom('sessions').select('user_id').where('token_hash', '=', hashToken(token)).executeTakeFirst()
      await trx.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute()
      if (session) await recordAudit(trx, { actorId: session.user_id, action: 'auth.sign_out', targetType: 'user', targetId: session.user_id, summary: 'Signed out', at: nowIso() })
    })
  }

  /** Ends every session of a person but the one they are using. */
  async function signOutOthers(userId: string, keepToken: string): Promise<number> {
    return db.transaction().execute(async (trx) => {
      const result = await trx.deleteFrom('sessions').where('user_id', '=', userId).where('token_hash', '!=', hashToken(keepToken)).executeTakeFirst()
      await recordAudit(trx, { actorId: userId, action: 'auth.sign_out_others', targetType: 'user', targetId: userId, summary: 'Signed out every other device', at: nowIso() })
      return Number(result.numDeletedRows)
    })
  }

  /** Replaces a password after checking the current one; other sessions of the user are closed. */
  async function changePassword(userId: string, input: { current: string; next: string }, keepToken: string): Promise<void> {
    const row = await db.selectFrom('users').select(['password_hash']).where('id', '=', userId).executeTakeFirst()
    if (!row || !(await verifyPassword(input.current, row.password_hash))) {
      throw new DomainError('invalid', AuthErrors.AUTH_PASSWORD_INVALID, 'The current password is not right.', [{ path: 'current', message: 'This is not your current password.', code: 'mismatch' }])
    }
    const { next } = parseInput(z.object({ next: Password }), { next: input.next }, AuthErrors.AUTH_PASSWORD_INVALID)
    if (next === input.current) {
      throw new DomainError('invalid', AuthErrors.AUTH_PASSWORD_INVALID, 'Choose a new password.', [{ path: 'next', message: 'The new password must differ from the current one.', code: 'same' }])
    }
    const hash = await hashPassword(next)
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ password_hash: hash, must_change_password: 0 }).where('id', '=', userId).execute()
      await trx.deleteFrom('sessions').where('user_id', '=', userId).where('token_hash', '!=', hashToken(keepToken)).execute()
      await recordAudit(trx, { actorId: userId, action: 'auth.password_changed', targetType: 'user', targetId: userId, summary: 'Changed their password; other sessions ended', at: nowIso() })
    })
  }

  /** Staff by id, in no particular order; unknown ids are left out. Deactivated people are included (their bylines and history stay). */
  async function byIds(ids: readonly string[]): Promise<StaffUser[]> {
    if (ids.length === 0) return []
    return db.selectFrom('users').select(['id', 'email', 'name', 'role']).where('id', 'in', [...ids]).execute()
  }

  /** One member of staff whose account is active; null for an unknown or deactivated one. */
  async function activeById(id: string): Promise<StaffUser | null> {
    return (await db.selectFrom('users').select(['id', 'email', 'name', 'role']).where('id', '=', id).where('deactivated_at', 'is', null).executeTakeFirst()) ?? null
  }

  /** Active staff who have one of these roles, by name. */
  async function withRoles(roles: readonly Role[]): Promise<StaffUser[]> {
    return db.selectFrom('users').select(['id', 'email', 'name', 'role']).where('role', 'in', [...roles]).where('deactivated_at', 'is', null).orderBy('name').execute()
  }

  /** Everyone with an account, active first, by name. */
  async function listStaff(): Promise<StaffMember[]> {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'email', 'name', 'role', 'created_at', 'last_sign_in_at', 'deactivated_at', 'totp_enabled_at'])
      .orderBy('name')
      .execute()
    return rows.map(toMember).sort((a, b) => Number(a.deactivatedAt !== null) - Number(b.deactivatedAt !== null))
  }

  async function getMember(id: string): Promise<StaffMember> {
    return toMember(await mustLoad(db, id))
  }

  function assertAdmin(actor: StaffActor): void {
    if (actor.role !== undefined && actor.role !== 'admin') throw new DomainError('forbidden', AuthErrors.STAFF_ROLE_NOT_ALLOWED, 'Only an admin can change accounts.')
  }

  /**
   * Keeps at least one active admin, or nobody could run the newsroom. The
   * active admins' rows are written first (an update that changes nothing),
   * so two admins demoting or deactivating each other at once take turns:
   * on PostgreSQL the second waits on the first's row locks and then counts
   * what it committed; on SQLite the write takes the database's write lock.
   * Without it each counted two admins and both went ahead, leaving none.
   */
  async function assertNotLastAdmin(trx: Db, row: UsersTable, what: string): Promise<void> {
    if (row.role !== 'admin' || row.deactivated_at !== null) return
    await trx.updateTable('users').set((eb) => ({ role: eb.ref('role') })).where('role', '=', 'admin').where('deactivated_at', 'is', null).execute()
    if ((await countAdmins(trx)) <= 1) {
      throw new DomainError('conflict', AuthErrors.STAFF_LAST_ADMIN, `${what} would leave the newsroom without an admin. Make someone else an admin first.`, [
        { path: 'role', message: 'This is the last admin.', code: 'last_admin' },
      ])
    }
  }

  async function changeRole(actor: StaffActor, userId: string, role: Role): Promise<StaffMember> {
    assertAdmin(actor)
    const next = parseInput(RoleSchema, role, AuthErrors.USER_INVALID)
    return db.transaction().execute(async (trx) => {
      const row = await mustLoad(trx, userId)
      if (row.role === next) return toMember(row)
      if (next !== 'admin') await assertNotLastAdmin(trx, row, 'Changing this role')
      await trx.updateTable('users').set({ role: next }).where('id', '=', userId).execute()
      await recordAudit(trx, { actorId: actor.userId, action: 'staff.role_changed', targetType: 'user', targetId: userId, summary: `${row.name}: ${row.role} → ${next}`, at: nowIso() })
      return toMember({ ...row, role: next })
    })
  }

  /** Stops an account signing in and ends its sessions at once; its bylines and history stay. */
  async function deactivate(actor: StaffActor, userId: string): Promise<void> {
    assertAdmin(actor)
    await db.transaction().execute(async (trx) => {
      const row = await mustLoad(trx, userId)
      if (row.deactivated_at) return
      await assertNotLastAdmin(trx, row, 'Deactivating this account')
      await trx.updateTable('users').set({ deactivated_at: nowIso() }).where('id', '=', userId).execute()
      await trx.deleteFrom('sessions').where('user_id', '=', userId).execute()
      await recordAudit(trx, { actorId: actor.userId, action: 'staff.deactivated', targetType: 'user', targetId: userId, summary: `Deactivated ${row.name}`, at: nowIso() })
    })
  }

  async function reactivate(actor: StaffActor, userId: string): Promise<void> {
    assertAdmin(actor)
    await db.transaction().execute(async (trx) => {
      const row = await mustLoad(trx, userId)
      if (!row.deactivated_at) return
      await trx.updateTable('users').set({ deactivated_at: null }).where('id', '=', userId).execute()
      await recordAudit(trx, { actorId: actor.userId, action: 'staff.reactivated', targetType: 'user', targetId: userId, summary: `Reactivated ${row.name}`, at: nowIso() })
    })
  }

  /**
   * Turns off two-factor sign-in for someone who lost both their authenticator
   * app and their recovery codes; without it they could never sign in again.
   * Done by an admin (or the command line, actor without a role). The secret
   * and the recovery codes go, and every session of the account ends: a
   * session opened by whoever holds the lost phone must not outlive the reset.
   */
  async function resetTwoFactor(actor: StaffActor, userId: string): Promise<StaffMember> {
    assertAdmin(actor)
    return db.transaction().execute(async (trx) => {
      const row = await mustLoad(trx, userId)
      if (!row.totp_enabled_at && !row.totp_secret) return toMember(row)
      await trx.updateTable('users').set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null }).where('id', '=', userId).execute()
      await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute()
      await trx.deleteFrom('sessions').where('user_id', '=', userId).execute()
      const by = actor.userId ? '' : ' from the command line'
      await recordAudit(trx, { actorId: actor.userId, action: 'staff.two_factor_reset', targetType: 'user', targetId: userId, summary: `Turned off two-factor sign-in for ${row.name}${by}; every session ended`, at: nowIso() })
      return toMember({ ...row, totp_enabled_at: null })
    })
  }

  async function updateName(userId: string, name: string): Promise<void> {
    const cmd = parseInput(z.object({ name: Name }), { name }, AuthErrors.USER_INVALID)
    await db.transaction().execute(async (trx) => {
      const row = await mustLoad(trx, userId)
      if (row.name === cmd.name) return
      await trx.updateTable('users').set({ name: cmd.name }).where('id', '=', userId).execute()
      await recordAudit(trx, { actorId: userId, action: 'staff.profile_changed', targetType: 'user', targetId: userId, summary: `Name changed from ${row.name} to ${cmd.name}`, at: nowIso() })
    })
  }

  /**
   * Sets a new one-time password from the command line, for when nobody can
   * sign in: every session ends, and the password must be changed at sign-in.
   */
  async function resetPasswordFromConsole(email: string): Promise<{ user: StaffUser; password: string }> {
    const found = await findByEmail(email)
    if (!found) throw new DomainError('not_found', AuthErrors.USER_NOT_FOUND, `No account has the address ${email}.`)
    const password = generatePassword()
    const hash = await hashPassword(password)
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ password_hash: hash, must_change_password: 1 }).where('id', '=', found.id).execute()
      await trx.deleteFrom('sessions').where('user_id', '=', found.id).execute()
      await recordAudit(trx, { actorId: null, action: 'auth.password_reset', targetType: 'user', targetId: found.id, summary: 'Password reset from the command line; sessions ended', at: nowIso() })
    })
    await throttle.clear(email)
    const { passwordHash: _h, mustChangePassword: _m, ...user } = found
    return { user, password }
  }

  const links = createAuthLinks({ db, clock, openSession, assertAdmin, hashToken })

  return {
    createUser,
    countAdmins: () => countAdmins(),
    findByEmail,
    signIn,
    completeSignIn,
    userForSession,
    signOut,
    signOutOthers,
    changePassword,
    byIds,
    activeById,
    withRoles,
    listStaff,
    getMember,
    changeRole,
    deactivate,
    reactivate,
    resetTwoFactor,
    updateName,
    resetPasswordFromConsole,
    ...links,
    beginTwoFactor: twoFactor.begin,
    pendingTwoFactor: twoFactor.pending,
    enableTwoFactor: twoFactor.enable,
    disableTwoFactor: twoFactor.disable,
    recoveryCodesLeft: twoFactor.codesLeft,
  }
}

export type AuthService = ReturnType<typeof createAuthService>
