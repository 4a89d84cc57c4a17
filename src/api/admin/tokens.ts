import { createHash, randomBytes } from 'node:crypto'
import { z } from 'zod'
import { recordAudit } from '../../audit/index.ts'
import type { Role } from '../../auth/index.ts'
import type { Db } from '../../db/database.ts'
import type { Clock } from '../../shared/clock.ts'
import { DomainError } from '../../shared/errors.ts'
import { newId } from '../../shared/ids.ts'
import { parseInput } from '../../shared/parse.ts'
import { AdminApiErrors } from './errors.ts'

/** What a token may do; each admin API operation needs exactly one of these. */
export const SCOPES = ['stories:read', 'stories:write', 'stories:publish', 'wire:import', 'media:write', 'readers:read'] as const
export type Scope = (typeof SCOPES)[number]

/** Words for the token form. */
export const SCOPE_LABELS: Record<Scope, string> = {
  'stories:read': 'Read stories in any state',
  'stories:write': 'Create drafts and edit stories',
  'stories:publish': 'Publish, schedule, unpublish and correct stories',
  'wire:import': 'Import agency copy',
  'media:write': 'Upload pictures to the media library',
  'readers:read': 'List reader submissions (tips as metadata only)',
}

/** Lifetimes offered when a token is made, in days; none means it does not expire. */
export const EXPIRY_DAYS = [7, 30, 90, 365] as const

/** A token as listed: never the token itself. */
export interface AdminToken {
  id: string
  name: string
  scopes: Scope[]
  createdBy: string
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
  revokedAt: string | null
}

/** Who a valid token acts as: the admin who made it, with their role now. */
export interface TokenPrincipal {
  tokenId: string
  scopes: ReadonlySet<Scope>
  userId: string
  role: Role
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')
/** Tokens look like `mat_` and 43 base64url characters (256 random bits); anything else is refused without a lookup. */
const TOKEN_SHAPE = /^mat_[A-Za-z0-9_-]{43}$/
/** A token's last use is written at most this often. */
const TOUCH_EVERY_MS = 60_000

const CreateToken = z.object({
  name: z.string().trim().min(1, 'Give the token a name, such as the program that uses it.').max(120, 'Use at most 120 characters.'),
  scopes: z.array(z.enum(SCOPES, { message: 'Choose from the listed scopes.' })).min(1, 'Choose at least one scope.').max(SCOPES.length),
  expiresInDays: z
    .union([z.literal(0), ...EXPIRY_DAYS.map((d) => z.literal(d))], { message: 'Choose one of the listed lifetimes.' })
    .default(0),
})
export type CreateToken = z.input<typeof CreateToken>

export interface AdminTokensDeps {
  db: Db
  clock: Clock
  /** The person a token acts for, when their account is active; null otherwise. */
  activeStaff(userId: string): Promise<{ id: string; role: Role } | null>
}

/**
 * Tokens for the admin API. An admin makes one with a name, scopes and an
 * optional lifetime; the token is shown once and only its SHA-256 is kept (it
 * holds 256 random bits, so a fast hash is enough: there is nothing to guess
 * from it). Calls act as the admin who made it, with that person's role at
 * the time of the call, so the articles service's policies apply unchanged; a
 * deactivated creator's tokens stop working. Revoking takes effect on the next
 * call: every call looks the token up.
 */
export function createAdminTokens(deps: AdminTokensDeps) {
  const { db, clock } = deps

  async function create(input: CreateToken, actor: { userId: string }): Promise<{ token: string; id: string }> {
    const cmd = parseInput(CreateToken, input, AdminApiErrors.ADMIN_API_TOKEN_FORM_INVALID)
    const token = `mat_${randomBytes(32).toString('base64url')}`
    const id = newId('tok')
    const now = clock.now()
    const at = now.toISOString()
    const expiresAt = cmd.expiresInDays ? new Date(now.getTime() + cmd.expiresInDays * 86_400_000).toISOString() : null
    const scopes = SCOPES.filter((s) => cmd.scopes.includes(s))
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('admin_api_tokens')
        .values({ id, name: cmd.name, token_hash: hashToken(token), scopes: JSON.stringify(scopes), created_by: actor.userId, created_at: at, expires_at: expiresAt, last_used_at: null, revoked_at: null, revoked_by: null })
        .execute()
      await recordAudit(trx, { actorId: actor.userId, action: 'api_token.created', targetType: 'api_token', targetId: id, summary: `“${cmd.name}” (${scopes.join(', ')})${expiresAt ? `, expires ${expiresAt.slice(0, 10)}` : ''}`, at })
    })
    return { token, id }
  }

  async function list(): Promise<AdminToken[]> {
    const rows = await db.selectFrom('admin_api_tokens').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').execute()
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      scopes: JSON.parse(r.scopes) as Scope[],
      createdBy: r.created_by,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      lastUsedAt: r.last_used_at,
      revokedAt: r.revoked_at,
    }))
  }

  async function revoke(id: string, actor: { userId: string }): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('admin_api_tokens').select(['id', 'name', 'revoked_at']).where('id', '=', id).executeTakeFirst()
      if (!row) throw new DomainError('not_found', AdminApiErrors.ADMIN_API_TOKEN_NOT_FOUND, `No admin API token has the id ${id}.`)
      if (row.revoked_at) return
      const at = clock.now().toISOString()
      await trx.updateTable('admin_api_tokens').set({ revoked_at: at, revoked_by: actor.userId }).where('id', '=', id).execute()
      await recordAudit(trx, { actorId: actor.userId, action: 'api_token.revoked', targetType: 'api_token', targetId: id, summary: `“${row.name}”`, at })
    })
  }

  /**
   * The principal behind a bearer token. Throws ADMIN_API_TOKEN_INVALID
   * (unauthenticated) for a token that is malformed, unknown, expired or
   * revoked, or whose maker's account is deactivated: one code for all, so
   * the answer tells a guesser nothing.
   */
  async function authenticate(token: string): Promise<TokenPrincipal> {
    const invalid = () => new DomainError('unauthenticated', AdminApiErrors.ADMIN_API_TOKEN_INVALID, 'This admin API token is not valid: it is mistyped, expired or revoked.')
    if (!TOKEN_SHAPE.test(token)) throw invalid()
    const row = await db.selectFrom('admin_api_tokens').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst()
    const now = clock.now()
    if (!row || row.revoked_at || (row.expires_at && Date.parse(row.expires_at) <= now.getTime())) throw invalid()
    const staff = await deps.activeStaff(row.created_by)
    if (!staff) throw invalid()
    if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > TOUCH_EVERY_MS) {
      await db.updateTable('admin_api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', row.id).execute()
    }
    return { tokenId: row.id, scopes: new Set(JSON.parse(row.scopes) as Scope[]), userId: staff.id, role: staff.role }
  }

  return { create, list, revoke, authenticate }
}

export type AdminTokens = ReturnType<typeof createAdminTokens>
