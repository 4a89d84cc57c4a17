import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../db/database.ts'

/**
 * The section listings: one row per public story and section it appears in,
 * its sections' ancestors included (a story in Mexico is listed under Latin
 * America too), with its publication date and what a story card shows (slug,
 * title, dek, primary section, source, update date). A section page is then
 * one range of the (section_id, published_at, article_id) key, newest first,
 * that never touches the stories' rows (and their bodies), whatever the size
 * of the archive or of the section; without it, the list walked the date
 * index of every story and tested each one's links.
 *
 * Rows exist only for published stories; readers' visibility (published_at
 * <= now) is still checked on the row's date. Every write that changes what a
 * listing holds (publish, unpublish, a public story's sections or card fields,
 * a section moved or deleted) refreshes the stories it touched in its own
 * transaction.
 *
 * Tag and author listings (tag_listings, author_listings) hold the same card
 * fields keyed by each of the story's tags and authors, for tag and author
 * pages and a story's related stories; they are refreshed together with the
 * section listings.
 */

/** The listings a page or a list reads: a section's (sub-sections included), a tag's or an author's. */
export type ListingKind = 'section' | 'tag' | 'author'

/** A listing's table and the column that keys it; the three share their other columns (a story card's). */
export function listingTable(listing: ListingKind) {
  if (listing === 'section') return { table: 'article_listings', key: 'section_id' } as const
  return listing === 'tag' ? ({ table: 'tag_listings', key: 'tag_id' } as const) : ({ table: 'author_listings', key: 'author_id' } as const)
}

/**
 * One listing's rows for `id` that are public at `now`, as `l`: a section's
 * (sub-sections included), a tag's or an author's. The three tables have the
 * same card columns under a different key, so they are typed once, as the
 * section listings; callers pick the columns and the order.
 */
export function listingRows(db: Db, listing: ListingKind, id: string, now: string) {
  const { table, key } = listingTable(listing)
  return db
    .selectFrom(`${table} as l` as 'article_listings as l')
    .where(`l.${key}` as 'l.section_id', '=', id)
    .where('l.published_at', '<=', now)
}

/** Which stories to refresh: some by id, those linked to some sections, or all. */
export type ListingScope = { articleIds: readonly string[] } | { linkedToSections: readonly string[] } | 'all'

/** Ids per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500

/**
 * `with recursive … insert … select`: the listing rows of the published
 * stories that `restrict` keeps (a condition on `a`, the articles row).
 * The same SQL runs on SQLite and PostgreSQL.
 */
function insertRows(restrict: RawBuilder<unknown>) {
  return sql`
    with recursive tree (section_id, ancestor_id) as (
      select id, id from sections
      union all
      select tree.section_id, sections.parent_id from tree join sections on sections.id = tree.ancestor_id where sections.parent_id is not null
    )
    insert into article_listings (section_id, published_at, article_id, slug, title, dek, primary_section_id, source_id, updated_at)
    select distinct tree.ancestor_id, a.published_at, a.id, a.slug, a.title, a.dek, a.primary_section_id, a.source_id, a.updated_at
    from articles a
    join article_sections l on l.article_id = a.id
    join tree on tree.section_id = l.section_id
    where a.status = 'published' and a.published_at is not null and ${restrict}`
}

/** The tag and author listing rows of the published stories that `restrict` keeps. */
function insertLinkRows(link: 'tag' | 'author', restrict: RawBuilder<unknown>) {
  const { table, key } = listingTable(link)
  const links = link === 'tag' ? 'article_tags' : 'article_authors'
  return sql`
    insert into ${sql.table(table)} (${sql.ref(key)}, published_at, article_id, slug, title, dek, primary_section_id, source_id, updated_at)
    select l.${sql.ref(key)}, a.published_at, a.id, a.slug, a.title, a.dek, a.primary_section_id, a.source_id, a.updated_at
    from articles a
    join ${sql.table(links)} l on l.article_id = a.id
    where a.status = 'published' and a.published_at is not null and ${restrict}`
}

const LISTING_TABLES = (['section', 'tag', 'author'] as const).map((listing) => listingTable(listing).table)

async function insertAll(db: Db, restrict: RawBuilder<unknown>): Promise<void> {
  await insertRows(restrict).execute(db)
  await insertLinkRows('tag', restrict).execute(db)
  await insertLinkRows('author', restrict).execute(db)
}

/** Rewrites the listing rows of the stories in `scope` from their current state; the caller holds the transaction. */
export async function refreshListings(db: Db, scope: ListingScope): Promise<void> {
  if (scope === 'all') {
    for (const table of LISTING_TABLES) await db.deleteFrom(table).execute()
    await insertAll(db, sql`1 = 1`)
    return
  }
  if ('linkedToSections' in scope) {
    if (scope.linkedToSections.length === 0) return
    const linked = db.selectFrom('article_sections').select('article_sections.article_id').where('article_sections.section_id', 'in', [...scope.linkedToSections])
    // Collected first: the delete below must not change which stories the insert picks.
    const ids = (await linked.execute()).map((r) => r.article_id)
    await refreshListings(db, { articleIds: [...new Set(ids)] })
    return
  }
  for (let i = 0; i < scope.articleIds.length; i += CHUNK) {
    const ids = scope.articleIds.slice(i, i + CHUNK)
    for (const table of LISTING_TABLES) await db.deleteFrom(table).where('article_id', 'in', ids).execute()
    await insertAll(db, sql`a.id in (${sql.join(ids)})`)
  }
}
