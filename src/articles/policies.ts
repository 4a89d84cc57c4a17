import type { ExpressionBuilder } from 'kysely'
import type { Database } from '../db/database.ts'

/**
 * What a reader may see, as a query constraint: published and already out.
 * Scheduled stories whose time has come but that the scheduler has not flipped
 * yet stay hidden until it does, so a story never appears without its revision.
 */
export function publiclyVisible(now: string) {
  return (eb: ExpressionBuilder<Database, 'articles'>) =>
    eb.and([eb('articles.status', '=', 'published'), eb('articles.published_at', '<=', now)])
}
