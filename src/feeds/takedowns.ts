import type { PublishedKey } from '../articles/index.ts'
import type { Db } from '../db/database.ts'

/**
 * When stories last left the site. A feed's or sitemap's newest public change
 * does not move when a story is unpublished or withdrawn (the story only drops
 * out), so a client asking If-Modified-Since would be told 304 and keep showing
 * it. Their Last-Modified is the later of that and the latest takedown.
 *
 * Reads the articles table's documented columns, as search's backfill does: a
 * taken-down story's `modified_at` is its takedown, or a later private edit,
 * and later is only ever safe (one needless full answer).
 */
export interface Takedowns {
  /** The latest takedown of a story that sorts at or before `upTo` in publication order (any story without it); null when none. */
  latest(upTo?: PublishedKey | null): Promise<string | null>
}

export function createTakedowns(db: Db): Takedowns {
  return {
    async latest(upTo) {
      let query = db
        .selectFrom('articles')
        .select((eb) => eb.fn.max('modified_at').as('at'))
        .where('status', '=', 'unpublished')
        .where('published_at', 'is not', null)
      if (upTo) {
        query = query.where((eb) => eb.or([eb('published_at', '<', upTo.publishedAt), eb.and([eb('published_at', '=', upTo.publishedAt), eb('id', '<=', upTo.id)])]))
      }
      return ((await query.executeTakeFirst())?.at as string | null | undefined) ?? null
    },
  }
}

/** The later of two ISO instants, either possibly absent. */
export function laterOf(a: string | null, b: string | null): string | null {
  if (a === null) return b
  if (b === null) return a
  return a > b ? a : b
}
