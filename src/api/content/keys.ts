import { createHash, randomBytes } from 'node:crypto'
import { z } from 'zod'
import type { Db } from '../../db/database.ts'
import type { Clock } from '../../shared/clock.ts'
import { DomainError } from '../../shared/errors.ts'
import { newId } from '../../shared/ids.ts'
import { parseInput } from '../../shared/parse.ts'

export const ContentKeyErrors = {
  CONTENT_KEY_INVALID: 'CONTENT_KEY_INVALID',
  CONTENT_KEY_REQUIRED: 'CONTENT_KEY_REQUIRED',
  CONTENT_KEY_NOT_FOUND: 'CONTENT_KEY_NOT_FOUND',
  CONTENT_KEY_NAME_INVALID: 'CONTENT_KEY_NAME_INVALID',
} as const

/** A content key as listed: never the key itself. */
export interface ContentKey {
  id: string
  name: string
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex')
/** Keys look like `mck_` and 43 base64url characters; anything else is refused without a lookup. */
const KEY_SHAPE = /^mck_[A-Za-z0-9_-]{43}$/
/** A key's last use is written at most this often, so reading the API does not write on every call. */
const TOUCH_EVERY_MS = 60_000

/**
 * Keys for the read-only content API. Programs send one in `X-Content-Key`
 * (or `?key=`); a site can require one (CONTENT_API_REQUIRE_KEY), and a
 * revoked key stops working at once. Only a hash is stored.
 */
export function createContentKeys(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps

  async function create(input: { name: string }): Promise<{ key: string; id: string }> {
    const { name } = parseInput(z.object({ name: z.string().trim().min(1, 'Give the key a name, such as the program that uses it.').max(120) }), input, ContentKeyErrors.CONTENT_KEY_NAME_INVALID)
    const key = `mck_${randomBytes(32).toString('base64url')}`
    const id = newId('key')
    await db.insertInto('content_api_keys').values({ id, name, key_hash: hashKey(key), created_at: clock.now().toISOString(), last_used_at: null, revoked_at: null }).execute()
    return { key, id }
  }

  async function list(): Promise<ContentKey[]> {
    const rows = await db.selectFrom('content_api_keys').selectAll().orderBy('created_at', 'desc').execute()
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }))
  }

  async function revoke(id: string): Promise<void> {
    const result = await db.updateTable('content_api_keys').set({ revoked_at: clock.now().toISOString() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) {
      const exists = await db.selectFrom('content_api_keys').select('id').where('id', '=', id).executeTakeFirst()
      if (!exists) throw new DomainError('not_found', ContentKeyErrors.CONTENT_KEY_NOT_FOUND, `No content key has the id ${id}.`)
    }
  }

  /** Throws CONTENT_KEY_INVALID unless `key` is a key that was made here and not revoked. */
  async function check(key: string): Promise<void> {
    const invalid = () => new DomainError('unauthenticated', ContentKeyErrors.CONTENT_KEY_INVALID, 'This content key is not valid: it is mistyped or was revoked.')
    if (!KEY_SHAPE.test(key)) throw invalid()
    const row = await db.selectFrom('content_api_keys').select(['id', 'revoked_at', 'last_used_at']).where('key_hash', '=', hashKey(key)).executeTakeFirst()
    if (!row || row.revoked_at) throw invalid()
    const now = clock.now()
    if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > TOUCH_EVERY_MS) {
      await db.updateTable('content_api_keys').set({ last_used_at: now.toISOString() }).where('id', '=', row.id).execute()
    }
  }

  return { create, list, revoke, check }
}

export type ContentKeys = ReturnType<typeof createContentKeys>
