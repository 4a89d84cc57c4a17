import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { recordAudit } from '../audit/index.ts'
import type { Db } from '../db/database.ts'
import type { Clock } from '../shared/clock.ts'
import { DomainError } from '../shared/errors.ts'
import { newId } from '../shared/ids.ts'
import { parseInput } from '../shared/parse.ts'
import { AuthErrors } from './errors.ts'
import { hashPassword, verifyPassword } from './passwords.ts'
import type { AuthLinkKind, AuthLinksTable, Role } from './tables.ts'

/** How long each kind of link works. */
export const LINK_LIFETIME_MS: Record<Exclude<AuthLinkKind, 'second_factor'>, number> = {
  invite: 7 * 24 * 3600_000,
  reset: 3600_000,
  email: 24 * 3600_000,
}

const Email = z.string().trim().toLowerCase().email('Give an email address such as name@example.org.').max(320)
const Password = z.string().min(12, 'Use at least 12 characters.').max(200, 'Use at most 200 characters.')
const Name = z.string().trim().min(1, 'Give your name as it should appear in the newsroom.').max(160)

type Actor = { userId: string | null; role?: Role }

/** An invitation nobody has used yet, as the staff page lists it. */
export interface PendingInvitation {
  email: string
  role: Role
  invitedBy: string | null
  createdAt: string
  expiresAt: string
}

export interface LinkDeps {
  db: Db
  clock: Clock
  openSession: (trx: Db, userId: string) => Promise<string>
  assertAdmin: (actor: Actor) => void
  hashToken: (token: string) => string
}

/**
 * Single-use links sent by mail: invitations (7 days), password resets (an
 * hour) and email-address confirmations (a day). The token is random and only
 * its hash is stored; a link is used by a conditional UPDATE, so it works once
 * even when clicked twice at the same moment. The callers send the mail.
 */
export function createAuthLinks(deps: LinkDeps) {
  const { db, clock, hashToken } = deps
  const nowIso = () => clock.now().toISOString()

  async function issue(trx: Db, link: Omit<AuthLinksTable, 'token_hash' | 'created_at' | 'expires_at' | 'used_at'>): Promise<{ token: string; expiresAt: string }> {
    const token = randomBytes(32).toString('base64url')
    const now = clock.now()
    const expiresAt = new Date(now.getTime() + LINK_LIFETIME_MS[link.kind as keyof typeof LINK_LIFETIME_MS]).toISOString()
    await trx.insertInto('auth_links').values({ ...link, token_hash: hashToken(token), created_at: now.toISOString(), expires_at: expiresAt, used_at: null }).execute()
    return { token, expiresAt }
  }

  const invalid = () => new DomainError('not_found', AuthErrors.AUTH_LINK_INVALID, 'This link has expired or was already used. Ask for a new one.')

  async function find(token: string, kind: AuthLinkKind): Promise<AuthLinksTable> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw invalid()
    const row = await db
      .selectFrom('auth_links')
      .selectAll()
      .where('token_hash', '=', hashToken(token))
      .where('kind', '=', kind)
      .where('used_at', 'is', null)
      .where('expires_at', '>', nowIso())
      .executeTakeFirst()
    if (!row) throw invalid()
    return row
  }

  /** Marks a link used inside `trx`; throws when someone used it first. */
  async function spend(trx: Db, row: AuthLinksTable): Promise<void> {
    const result = await trx.updateTable('auth_links').set({ used_at: nowIso() }).where('token_hash', '=', row.token_hash).where('used_at', 'is', null).executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) throw invalid()
  }

  async function assertEmailFree(trx: Db, email: string): Promise<void> {
    const taken = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()
    if (taken) throw new DomainError('conflict', AuthErrors.USER_EMAIL_TAKEN, `An account has the address ${email}.`, [{ path: 'email', message: 'An account has this address already.', code: 'taken' }])
  }

  /** Invites someone by email to join with a role. Only admins invite; an earlier invitation to the same address stops working. */
  async function invite(actor: Actor, input: { email: string; role: Role }): Promise<{ token: string; expiresAt: string; email: string }> {
    deps.assertAdmin(actor)
    const cmd = parseInput(z.object({ email: Email, role: z.enum(['admin', 'editor', 'author', 'contributor']) }), input, AuthErrors.USER_INVALID)
    return db.transaction().execute(async (trx) => {
      await assertEmailFree(trx, cmd.email)
      await trx.updateTable('auth_links').set({ used_at: nowIso() }).where('kind', '=', 'invite').where('email', '=', cmd.email).where('used_at', 'is', null).execute()
      const link = await issue(trx, { kind: 'invite', user_id: null, email: cmd.email, role: cmd.role, created_by: actor.userId })
      await recordAudit(trx, { actorId: actor.userId, action: 'staff.invited', targetType: 'email', targetId: null, summary: `Invited ${cmd.email} as ${cmd.role}`, at: nowIso() })
      return { ...link, email: cmd.email }
    })
  }

  /** Invitations still waiting for their invitee (not used, revoked or expired), newest first. */
  async function pendingInvitations(): Promise<PendingInvitation[]> {
    const rows = await db
      .selectFrom('auth_links')
      .select(['email', 'role', 'created_by', 'created_at', 'expires_at'])
      .where('kind', '=', 'invite')
      .where('used_at', 'is', null)
      .where('expires_at', '>', nowIso())
      .orderBy('created_at', 'desc')
      .execute()
    return rows.map((r) => ({ email: r.email, role: r.role ?? 'contributor', invitedBy: r.created_by, createdAt: r.created_at, expiresAt: r.expires_at }))
  }

  /** Stops the waiting invitation to an address working (admins). Returns false when there was none. */
  async function revokeInvitation(actor: Actor, email: string): Promise<boolean> {
    deps.assertAdmin(actor)
    const address = email.trim().toLowerCase()
    return db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('auth_links')
        .set({ used_at: nowIso() })
        .where('kind', '=', 'invite')
        .where('email', '=', address)
        .where('used_at', 'is', null)
        .where('expires_at', '>', nowIso())
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) === 0) return false
      await recordAudit(trx, { actorId: actor.userId, action: 'staff.invitation_revoked', targetType: 'email', targetId: null, summary: `Revoked the invitation to ${address}`, at: nowIso() })
      return true
    })
  }

  /** What an invitation link offers, or AUTH_LINK_INVALID. */
  async function invitation(token: string): Promise<{ email: string; role: Role; expiresAt: string }> {
    const row = await find(token, 'invite')
    return { email: row.email, role: row.role ?? 'contributor', expiresAt: row.expires_at }
  }

  /** Creates the invitee's account with the name and password they chose, and signs them in. */
  async function acceptInvitation(token: string, input: { name: string; password: string }): Promise<{ sessionToken: string; userId: string }> {
    const row = await find(token, 'invite')
    const cmd = parseInput(z.object({ name: Name, password: Password }), input, AuthErrors.USER_INVALID)
    const hash = await hashPassword(cmd.password)
    return db.transaction().execute(async (trx) => {
      await spend(trx, row)
      await assertEmailFree(trx, row.email)
      const id = newId('usr')
      await trx
        .insertInto('users')
        .values({
          id,
          email: row.email,
          name: cmd.name,
          role: row.role ?? 'contributor',
          password_hash: hash,
          must_change_password: 0,
          created_at: nowIso(),
          deactivated_at: null,
          last_sign_in_at: null,
          totp_secret: null,
          totp_enabled_at: null,
          totp_last_step: null,
        })
        .execute()
      const sessionToken = await deps.openSession(trx, id)
      await recordAudit(trx, { actorId: id, action: 'staff.joined', targetType: 'user', targetId: id, summary: `${cmd.name} joined as ${row.role}`, at: nowIso() })
      return { sessionToken, userId: id }
    })
  }

  /**
   * Starts a password reset. Returns the link for the caller to mail, or null
   * when no active account has the address; the caller answers the same
   * either way, so the form tells nobody which addresses have accounts.
   */
  async function requestPasswordReset(email: string): Promise<{ token: string; expiresAt: string; user: { id: string; name: string; email: string } } | null> {
    const parsed = Email.safeParse(email)
    if (!parsed.success) return null
    const user = await db.selectFrom('users').select(['id', 'name', 'email']).where('email', '=', parsed.data).where('deactivated_at', 'is', null).executeTakeFirst()
    if (!user) return null
    return db.transaction().execute(async (trx) => {
      const link = await issue(trx, { kind: 'reset', user_id: user.id, email: user.email, role: null, created_by: user.id })
      await recordAudit(trx, { actorId: null, action: 'auth.password_reset_requested', targetType: 'user', targetId: user.id, summary: `Reset link sent to ${user.email}`, at: nowIso() })
      return { ...link, user }
    })
  }

  /** The address a reset link is for, or AUTH_LINK_INVALID. */
  async function passwordReset(token: string): Promise<{ email: string }> {
    const row = await find(token, 'reset')
    return { email: row.email }
  }

  /** Sets a new password from a reset link; every session of the account ends. */
  async function resetPassword(token: string, password: string): Promise<{ email: string }> {
    const row = await find(token, 'reset')
    const cmd = parseInput(z.object({ password: Password }), { password }, AuthErrors.AUTH_PASSWORD_INVALID)
    const hash = await hashPassword(cmd.password)
    await db.transaction().execute(async (trx) => {
      await spend(trx, row)
      await trx.updateTable('users').set({ password_hash: hash, must_change_password: 0 }).where('id', '=', row.user_id!).execute()
      await trx.deleteFrom('sessions').where('user_id', '=', row.user_id!).execute()
      await recordAudit(trx, { actorId: row.user_id, action: 'auth.password_reset', targetType: 'user', targetId: row.user_id, summary: 'Reset their password by email; every session ended', at: nowIso() })
    })
    return { email: row.email }
  }

  /** Starts changing one's address: checks the password and returns a link for the new address to confirm. */
  async function requestEmailChange(userId: string, input: { email: string; password: string }): Promise<{ token: string; expiresAt: string; email: string }> {
    const cmd = parseInput(z.object({ email: Email, password: z.string() }), input, AuthErrors.USER_INVALID)
    const user = await db.selectFrom('users').select(['id', 'email', 'password_hash']).where('id', '=', userId).executeTakeFirstOrThrow()
    if (!(await verifyPassword(cmd.password, user.password_hash))) {
      throw new DomainError('invalid', AuthErrors.AUTH_PASSWORD_INVALID, 'The password is not right.', [{ path: 'password', message: 'This is not your password.', code: 'mismatch' }])
    }
    if (cmd.email === user.email) throw new DomainError('invalid', AuthErrors.USER_INVALID, 'That is your address already.', [{ path: 'email', message: 'That is your address already.', code: 'same' }])
    return db.transaction().execute(async (trx) => {
      await assertEmailFree(trx, cmd.email)
      const link = await issue(trx, { kind: 'email', user_id: userId, email: cmd.email, role: null, created_by: userId })
      return { ...link, email: cmd.email }
    })
  }

  /** The new address a confirmation link is for, without using the link (the page that asks to confirm), or AUTH_LINK_INVALID. */
  async function emailChange(token: string): Promise<{ email: string }> {
    const row = await find(token, 'email')
    return { email: row.email }
  }

  /** Confirms a new address from the link sent to it. */
  async function confirmEmailChange(token: string): Promise<{ email: string }> {
    const row = await find(token, 'email')
    await db.transaction().execute(async (trx) => {
      await spend(trx, row)
      await assertEmailFree(trx, row.email)
      const before = await trx.selectFrom('users').select('email').where('id', '=', row.user_id!).executeTakeFirstOrThrow()
      await trx.updateTable('users').set({ email: row.email }).where('id', '=', row.user_id!).execute()
      await recordAudit(trx, { actorId: row.user_id, action: 'staff.email_changed', targetType: 'user', targetId: row.user_id, summary: `Email changed from ${before.email} to ${row.email}`, at: nowIso() })
    })
    return { email: row.email }
  }

  return { invite, pendingInvitations, revokeInvitation, invitation, acceptInvitation, requestPasswordReset, passwordReset, resetPassword, requestEmailChange, emailChange, confirmEmailChange }
}
