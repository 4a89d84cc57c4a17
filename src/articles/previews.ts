import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/database.ts'
import type { Clock } from '../shared/clock.ts'
import type { Actor } from './policies.ts'

/** How long a shared preview link works. */
export const PREVIEW_TTL_MS = 48 * 3600_000

const hash = (token: string) => createHash('sha256').update(token).digest('hex')

/**
 * Private links to a story's preview, for someone without an account (a
 * source checking a quote, a lawyer). The token is random and only its hash is
 * stored; the link stops working after PREVIEW_TTL_MS.
 */
export function createPreviews(deps: { db: Kysely<Database>; clock: Clock }) {
  const { db, clock } = deps

  async function create(articleId: string, actor: Actor): Promise<{ token: string; expiresAt: string }> {
    const token = randomBytes(24).toString('base64url')
    const now = clock.now()
    const expiresAt = new Date(now.getTime() + PREVIEW_TTL_MS).toISOString()
    await db
      .insertInto('preview_links')
      .values({ token_hash: hash(token), article_id: articleId, created_by: actor.userId, created_at: now.toISOString(), expires_at: expiresAt })
      .execute()
    return { token, expiresAt }
  }

  /** The article id a live token opens, or null for an unknown or expired one. */
  async function find(token: string): Promise<string | null> {
    if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null
    const row = await db
      .selectFrom('preview_links')
      .select('article_id')
      .where('token_hash', '=', hash(token))
      .where('expires_at', '>', clock.now().toISOString())
      .executeTakeFirst()
    return row?.article_id ?? null
  }

  return { create, find }
}
