import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import type { Database, Db } from '../db/database.ts'
import { listingRows, type ListingKind } from './listings.ts'
import { publiclyVisible } from './policies.ts'

/**
 * Reads over every published story for sitemaps and exports, in keyset pages
 * ordered by (published_at, id): each page starts after the last row of the
 * one before, so walking a million stories costs a million index steps and
 * holds one page in memory, never an OFFSET scan per page.
 */

/** A position in the (published_at, id) order. */
export interface PublishedKey {
  publishedAt: string
  id: string
}

/** What a sitemap needs of a story. */
export interface PublishedRef extends PublishedKey {
  slug: string
  title: string
  /** The last public update, or the publication date. */
  lastModifiedAt: string
}

/** `(published_at, id) > (key)`, spelled out: row-value comparison is not in every SQLite query planner's index path. */
function after(key: PublishedKey) {
  return (eb: ExpressionBuilder<Database, 'articles'>) =>
    eb.or([eb('articles.published_at', '>', key.publishedAt), eb.and([eb('articles.published_at', '=', key.publishedAt), eb('articles.id', '>', key.id)])])
}

/** One keyset page of published stories after `from` (exclusive; null for the start), oldest first. */
export async function listPublishedRefs(db: Db, options: { from: PublishedKey | null; limit: number }, now: string): Promise<PublishedRef[]> {
  let query = db
    .selectFrom('articles')
    .select(['id', 'slug', 'title', 'published_at', 'updated_at'])
    .where(publiclyVisible(now))
  if (options.from) query = query.where(after(options.from))
  const rows = await query.orderBy('published_at').orderBy('id').limit(options.limit).execute()
  return rows.map((r) => ({ id: r.id, slug: r.slug, title: r.title, publishedAt: r.published_at!, lastModifiedAt: r.updated_at ?? r.published_at! }))
}

/** How many stories are public now. */
export async function countPublished(db: Db, now: string): Promise<number> {
  const row = await db.selectFrom('articles').select((eb) => eb.fn.countAll<number | string>().as('n')).where(publiclyVisible(now)).executeTakeFirst()
  return Number(row?.n ?? 0)
}

/**
 * The key of the story `offset` places after `from` (exclusive; null for the
 * start) in publication order, or null past the end: where a sitemap chunk
 * ends. Reads `offset` index entries from `from`, never from the beginning.
 */
export async function publishedKeyAfter(db: Db, from: PublishedKey | null, offset: number, now: string): Promise<PublishedKey | null> {
  let query = db.selectFrom('articles').select(['id', 'published_at']).where(publiclyVisible(now))
  if (from) query = query.where(after(from))
  const row = await query.orderBy('published_at').orderBy('id').limit(1).offset(offset).executeTakeFirst()
  return row ? { id: row.id, publishedAt: row.published_at! } : null
}

/** The newest publication or update among stories after `after` (exclusive) up to `upTo` (inclusive); null when there are none. */
export async function lastModifiedBetween(db: Db, range: { after: PublishedKey | null; upTo: PublishedKey | null }, now: string): Promise<string | null> {
  let query = db
    .selectFrom('articles')
    .select(sql<string | null>`max(coalesce(articles.updated_at, articles.published_at))`.as('at'))
    .where(publiclyVisible(now))
  if (range.after) query = query.where(after(range.after))
  if (range.upTo) {
    const upTo = range.upTo
    query = query.where((eb) => eb.not(after(upTo)(eb)))
  }
  return (await query.executeTakeFirst())?.at ?? null
}

/**
 * The latest takedown (unpublish or withdrawal) of a story that sorts at or
 * before `upTo` in publication order, or of any story without it; null when
 * none. A feed's or sitemap's newest public change does not move when a story
 * only drops out, so its Last-Modified takes the later of the two. A taken-down
 * story's `modified_at` is its takedown or a later private edit; later is only
 * ever safe (one needless full answer instead of a 304).
 */
export async function lastTakedown(db: Db, upTo: PublishedKey | null): Promise<string | null> {
  let query = db
    .selectFrom('articles')
    .select((eb) => eb.fn.max('modified_at').as('at'))
    .where('status', '=', 'unpublished')
    .where('published_at', 'is not', null)
  if (upTo) query = query.where((eb) => eb.not(after(upTo)(eb)))
  return ((await query.executeTakeFirst())?.at as string | null | undefined) ?? null
}

/** Stories published since `since`, newest first, at most `limit`: the news sitemap. */
export async function listPublishedSince(db: Db, since: string, limit: number, now: string): Promise<PublishedRef[]> {
  const rows = await db
    .selectFrom('articles')
    .select(['id', 'slug', 'title', 'published_at', 'updated_at'])
    .where(publiclyVisible(now))
    .where('published_at', '>=', since)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ id: r.id, slug: r.slug, title: r.title, publishedAt: r.published_at!, lastModifiedAt: r.updated_at ?? r.published_at! }))
}

type LinkTable = 'article_sections' | 'article_authors' | 'article_tags'
const LINK_COLUMNS = { article_sections: 'section_id', article_authors: 'author_id', article_tags: 'tag_id' } as const

/**
 * For each section, author or tag with public stories: the newest publication
 * or update among them, in one grouped query. Sections here count only their
 * own stories; callers fold sub-sections in.
 */
export async function lastModifiedByLink(db: Db, table: LinkTable, now: string): Promise<Map<string, string>> {
  const column = LINK_COLUMNS[table]
  const rows = await db
    .selectFrom(table as 'article_tags')
    .innerJoin('articles', 'articles.id', `${table}.article_id` as 'article_tags.article_id')
    .select([sql<string>`${sql.ref(`${table}.${column}`)}`.as('ref'), sql<string>`max(coalesce(articles.updated_at, articles.published_at))`.as('at')])
    .where(publiclyVisible(now))
    .groupBy(sql.ref(`${table}.${column}`) as never)
    .execute()
  return new Map(rows.map((r) => [r.ref, r.at]))
}

/** What a reader of the content API may narrow a list of stories to. */
export interface PublishedFilter {
  /** Stories in this section or any section below it, from the section listings (listings.ts). */
  sectionId?: string
  /** Stories in any of these sections. */
  sectionIds?: readonly string[]
  authorId?: string
  tagId?: string
  sourceId?: string
  /** Stories published or publicly updated at or after this instant. */
  changedSince?: string
}

/**
 * The filters besides the section listing, as conditions on `articles`, for
 * both the plain walk and the listing walk; null when nothing can match.
 */
function storyConditions(filter: PublishedFilter): ((eb: ExpressionBuilder<Database, 'articles'>) => Expression<SqlBool>)[] | null {
  const conditions: ((eb: ExpressionBuilder<Database, 'articles'>) => Expression<SqlBool>)[] = []
  if (filter.sectionIds) {
    if (filter.sectionIds.length === 0) return null
    const ids = [...filter.sectionIds]
    conditions.push((eb) => eb.exists(eb.selectFrom('article_sections').select('article_sections.article_id').whereRef('article_sections.article_id', '=', 'articles.id').where('article_sections.section_id', 'in', ids)))
  }
  if (filter.authorId) {
    const id = filter.authorId
    conditions.push((eb) => eb.exists(eb.selectFrom('article_authors').select('article_authors.article_id').whereRef('article_authors.article_id', '=', 'articles.id').where('article_authors.author_id', '=', id)))
  }
  if (filter.tagId) {
    const id = filter.tagId
    conditions.push((eb) => eb.exists(eb.selectFrom('article_tags').select('article_tags.article_id').whereRef('article_tags.article_id', '=', 'articles.id').where('article_tags.tag_id', '=', id)))
  }
  if (filter.sourceId) {
    const id = filter.sourceId
    conditions.push((eb) => eb('articles.source_id', '=', id))
  }
  if (filter.changedSince) {
    const since = filter.changedSince
    conditions.push(() => sql<SqlBool>`coalesce(articles.updated_at, articles.published_at) >= ${since}`)
  }
  return conditions
}

/** `(published_at, id) < (key)`: the page after `key` when walking newest first. */
function before(key: PublishedKey) {
  return (eb: ExpressionBuilder<Database, 'articles'>) =>
    eb.or([eb('articles.published_at', '<', key.publishedAt), eb.and([eb('articles.published_at', '=', key.publishedAt), eb('articles.id', '<', key.id)])])
}

/**
 * One keyset page of public stories, newest first, strictly before `before`
 * (null for the start): the keys to load, and whether more follow. A page
 * costs its own rows whatever its depth in the archive.
 */
export async function listPublishedKeys(
  db: Db,
  filter: PublishedFilter,
  options: { before: PublishedKey | null; limit: number },
  now: string,
): Promise<{ keys: PublishedKey[]; hasMore: boolean }> {
  if (filter.sectionId !== undefined) return listListingKeys(db, 'section', filter.sectionId, filter, options, now)
  if (filter.tagId !== undefined) {
    const { tagId, ...rest } = filter
    return listListingKeys(db, 'tag', tagId, rest, options, now)
  }
  if (filter.authorId !== undefined) {
    const { authorId, ...rest } = filter
    return listListingKeys(db, 'author', authorId, rest, options, now)
  }
  let query = db.selectFrom('articles').select(['articles.id', 'articles.published_at']).where(publiclyVisible(now))
  const conditions = storyConditions(filter)
  if (!conditions) return { keys: [], hasMore: false }
  for (const condition of conditions) query = query.where(condition)
  if (options.before) query = query.where(before(options.before))
  const rows = await query.orderBy('articles.published_at', 'desc').orderBy('articles.id', 'desc').limit(options.limit + 1).execute()
  return { keys: rows.slice(0, options.limit).map((r) => ({ id: r.id, publishedAt: r.published_at! })), hasMore: rows.length > options.limit }
}

/**
 * listPublishedKeys over one listing (listings.ts): a section's (sub-sections
 * included), a tag's or an author's, walked backwards from `before` (or now),
 * joining each story by primary key for the other filters. Listing rows exist
 * only for published stories.
 */
async function listListingKeys(
  db: Db,
  listing: ListingKind,
  id: string,
  filter: PublishedFilter,
  options: { before: PublishedKey | null; limit: number },
  now: string,
): Promise<{ keys: PublishedKey[]; hasMore: boolean }> {
  let query = listingRows(db, listing, id, now).innerJoin('articles', 'articles.id', 'l.article_id').select(['l.article_id as id', 'l.published_at'])
  const conditions = storyConditions(filter)
  if (!conditions) return { keys: [], hasMore: false }
  for (const condition of conditions) query = query.where(condition)
  if (options.before) {
    const last = options.before
    query = query.where((eb) => eb.or([eb('l.published_at', '<', last.publishedAt), eb.and([eb('l.published_at', '=', last.publishedAt), eb('l.article_id', '<', last.id)])]))
  }
  const rows = await query.orderBy('l.published_at', 'desc').orderBy('l.article_id', 'desc').limit(options.limit + 1).execute()
  return { keys: rows.slice(0, options.limit).map((r) => ({ id: r.id, publishedAt: r.published_at })), hasMore: rows.length > options.limit }
}
