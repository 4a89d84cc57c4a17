import type { Kysely } from 'kysely'
import type { Database } from '../db/database.ts'
import type { Clock } from '../shared/clock.ts'

/** How long after its last heartbeat someone still counts as having the story open. */
export const PRESENCE_TTL_MS = 60_000

/** Someone else with the story open, since they opened it (not their last heartbeat, so it does not move). */
export interface Presence {
  userId: string
  since: string
}

/**
 * Who has a story open in the editor. Kept in the database, so people on
 * different server processes see each other; the editor sends a heartbeat
 * every 20 seconds and rows older than the TTL no longer count.
 */
export function createPresence(deps: { db: Kysely<Database>; clock: Clock }) {
  const { db, clock } = deps

  /** Records that `userId` has the story open now; returns the others who do. */
  async function touch(articleId: string, userId: string): Promise<Presence[]> {
    const now = clock.now()
    const at = now.toISOString()
    const freshAfter = new Date(now.getTime() - PRESENCE_TTL_MS).toISOString()
    // Someone who went quiet and comes back opened the story again: a stale row of theirs goes, so "since" starts over.
    await db.deleteFrom('article_presence').where('article_id', '=', articleId).where('user_id', '=', userId).where('seen_at', '<', freshAfter).execute()
    await db
      .insertInto('article_presence')
      .values({ article_id: articleId, user_id: userId, seen_at: at, first_seen_at: at })
      .onConflict((oc) => oc.columns(['article_id', 'user_id']).doUpdateSet({ seen_at: at }))
      .execute()
    // Old rows are noise; clearing them here keeps the table small without a timer.
    await db.deleteFrom('article_presence').where('seen_at', '<', new Date(now.getTime() - 10 * PRESENCE_TTL_MS).toISOString()).execute()
    const rows = await db
      .selectFrom('article_presence')
      .select(['user_id', 'seen_at', 'first_seen_at'])
      .where('article_id', '=', articleId)
      .where('user_id', '!=', userId)
      .where('seen_at', '>=', freshAfter)
      .orderBy('user_id')
      .execute()
    return rows.map((r) => ({ userId: r.user_id, since: r.first_seen_at ?? r.seen_at }))
  }

  return { touch }
}
