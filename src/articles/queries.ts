import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely'
import type { Database, Db } from '../db/database.ts'
import type { ArticleListingsTable } from './tables.ts'
import { toPage, type Page, type PageRequest } from '../shared/pagination.ts'
import type { Article, ArticleSummary, Correction } from './article.ts'
import { publiclyVisible } from './policies.ts'
import { listingRows, type ListingKind } from './listings.ts'
import { loadArticleBySlug, rowToArticle } from './repository.ts'
import { preparedQuery, preparedQueryWith } from '../db/prepared.ts'

/** Filters for public lists; all given filters apply together. */
export interface ListFilter {
  /**
   * Stories in this section or any section below it, read from the section
   * listings (listings.ts): one index range, however large the archive.
   */
  sectionId?: string
  /** Stories linked to any of these sections (no sub-sections added). */
  sectionIds?: readonly string[]
  authorId?: string
  tagId?: string
  excludeIds?: readonly string[]
}

type LinkTable = 'article_sections' | 'article_authors' | 'article_tags'
type LinkColumn<T extends LinkTable> = T extends 'article_sections' ? 'section_id' : T extends 'article_authors' ? 'author_id' : 'tag_id'

/**
 * "The article is linked to one of these ids", as a correlated EXISTS rather
 * than `id IN (subquery)`: SQLite would otherwise collect every id of a
 * section (thousands) on each request before walking the date index, so a
 * page's cost would grow with the section, not the page.
 * SQL (both dialects): `exists (select 1 from article_tags where article_tags.article_id = articles.id and tag_id in (…))`
 */
export function linkedTo<T extends LinkTable>(table: T, column: LinkColumn<T>, ids: readonly string[]) {
  return (eb: ExpressionBuilder<Database, 'articles'>) =>
    eb.exists(
      eb
        .selectFrom(table as LinkTable)
        .select(sql<number>`1`.as('one'))
        .whereRef(`${table}.article_id` as 'article_tags.article_id', '=', 'articles.id')
        .where(column as 'tag_id', 'in', [...ids]),
    )
}

/** What the public lookup of a slug found. */
export type SlugLookup =
  /** A public story, with its corrections (oldest first). */
  | { kind: 'article'; article: Article; corrections: Correction[] }
  | { kind: 'moved'; slug: string }
  /** Taken down because its source withdrew it: the page answers 410 with the note. */
  | { kind: 'withdrawn'; title: string; note: string; withdrawnAt: string }
  | { kind: 'missing' }

/**
 * Finds a published story by its slug. A retired slug answers `moved` with the
 * current one, so the site can redirect; drafts and unpublished stories are `missing`.
 */
export async function findPublishedBySlug(db: Db, slug: string, now: string): Promise<SlugLookup> {
  const found = await loadArticleBySlug(db, slug)
  if (found) {
    const { article } = found
    const visible = article.status === 'published' && article.publishedAt !== null && article.publishedAt <= now
    // Most stories have no corrections: their page then runs no statement for them.
    if (visible) return { kind: 'article', article, corrections: found.isCorrected ? await listCorrections(db, article.id) : [] }
    if (article.status === 'unpublished' && article.withdrawnAt && article.withdrawnNote) {
      return { kind: 'withdrawn', title: article.title, note: article.withdrawnNote, withdrawnAt: article.withdrawnAt }
    }
    return { kind: 'missing' }
  }
  const moved = await db
    .selectFrom('article_slug_history')
    .innerJoin('articles', 'articles.id', 'article_slug_history.article_id')
    .select('articles.slug')
    .where('article_slug_history.slug', '=', slug)
    .where(publiclyVisible(now))
    .executeTakeFirst()
  return moved ? { kind: 'moved', slug: moved.slug } : { kind: 'missing' }
}

/**
 * One page of published stories, newest first. Fetches one row more than the
 * page holds to learn whether another page follows, instead of counting.
 */
export async function listPublished(db: Db, filter: ListFilter, request: PageRequest, now: string): Promise<Page<ArticleSummary>> {
  if (filter.sectionId !== undefined) return listSection(db, filter.sectionId, filter, request, now)
  const alone = filtersGiven(filter) === 1
  if (alone && filter.tagId !== undefined) return listLinked(db, 'tag', filter.tagId, request, now)
  if (alone && filter.authorId !== undefined) return listLinked(db, 'author', filter.authorId, request, now)
  let query = db
    .selectFrom('articles')
    .select(['id', 'slug', 'title', 'dek', 'primary_section_id', 'source_id', 'published_at', 'updated_at'])
    .where(publiclyVisible(now))
  if (filter.sectionIds) {
    if (filter.sectionIds.length === 0) return toPage([], request)
    query = query.where(linkedTo('article_sections', 'section_id', filter.sectionIds))
  }
  if (filter.authorId) query = query.where(linkedTo('article_authors', 'author_id', [filter.authorId]))
  if (filter.tagId) query = query.where(linkedTo('article_tags', 'tag_id', [filter.tagId]))
  if (filter.excludeIds && filter.excludeIds.length > 0) query = query.where('id', 'not in', [...filter.excludeIds])
  const rows = await query
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(request.perPage + 1)
    .offset((request.page - 1) * request.perPage)
    .execute()
  const summaries = await summarize(db, rows)
  return toPage(summaries, request)
}

/** How many of a filter's conditions are set: with one, a listing alone answers. */
const filtersGiven = (filter: ListFilter) => Object.values(filter).filter((value) => value !== undefined).length

/** What a story card needs, as the section listings hold it. */
const LISTING_COLUMNS = [
  'article_listings.article_id as id',
  'article_listings.slug',
  'article_listings.title',
  'article_listings.dek',
  'article_listings.primary_section_id',
  'article_listings.source_id',
  'article_listings.published_at',
  'article_listings.updated_at',
] as const

const SUMMARY_COLUMNS = [
  'articles.id',
  'articles.slug',
  'articles.title',
  'articles.dek',
  'articles.primary_section_id',
  'articles.source_id',
  'articles.published_at',
  'articles.updated_at',
] as const

/**
 * The `author_ids` column of a card: the story's author ids in their set
 * order, comma-joined (ids never hold a comma), by a subquery on the story's
 * id column, so a page's cards get their bylines with their rows, from the
 * covering (article_id, position, author_id) index, instead of in a second
 * statement. `string_agg(… order by …)` is the same SQL in PostgreSQL and in
 * SQLite (3.44 and later).
 */
function bylineOf(idColumn: 'l.article_id' | 'articles.id') {
  return sql<string | null>`(select string_agg(author_id, ',' order by position) from article_authors where article_id = ${sql.ref(idColumn)})`.as('author_ids')
}

/** linkedTo for a query over the section listings: the same EXISTS, keyed on the listing row's story. */
function listedAndLinkedTo<T extends LinkTable>(table: T, column: LinkColumn<T>, ids: readonly string[]) {
  return (eb: ExpressionBuilder<Database, 'article_listings'>) =>
    eb.exists(
      eb
        .selectFrom(table as LinkTable)
        .select(sql<number>`1`.as('one'))
        .whereRef(`${table}.article_id` as 'article_tags.article_id', '=', 'article_listings.article_id')
        .where(column as 'tag_id', 'in', [...ids]),
    )
}

/**
 * A section's page (sub-sections included) from its listing rows alone: the
 * (section_id, published_at, article_id) key is walked backwards from `now`,
 * and the rows carry what a card shows, so no story row (nor its body) is
 * read. Listing rows exist only for published stories, so the status is not
 * tested again here.
 */
async function listSection(db: Db, sectionId: string, filter: ListFilter, request: PageRequest, now: string): Promise<Page<ArticleSummary>> {
  if (filtersGiven(filter) === 1) return toPage(await summarize(db, await rangePages.section(request.perPage + 1)(db, sectionId, now, (request.page - 1) * request.perPage)), request)
  let query = db
    .selectFrom('article_listings')
    .select(LISTING_COLUMNS)
    .where('article_listings.section_id', '=', sectionId)
    .where('article_listings.published_at', '<=', now)
  if (filter.sectionIds) {
    if (filter.sectionIds.length === 0) return toPage([], request)
    query = query.where(listedAndLinkedTo('article_sections', 'section_id', filter.sectionIds))
  }
  if (filter.authorId) query = query.where(listedAndLinkedTo('article_authors', 'author_id', [filter.authorId]))
  if (filter.tagId) query = query.where(listedAndLinkedTo('article_tags', 'tag_id', [filter.tagId]))
  if (filter.excludeIds && filter.excludeIds.length > 0) query = query.where('article_listings.article_id', 'not in', [...filter.excludeIds])
  const rows = await query
    .orderBy('article_listings.published_at', 'desc')
    .orderBy('article_listings.article_id', 'desc')
    .limit(request.perPage + 1)
    .offset((request.page - 1) * request.perPage)
    .execute()
  return toPage(await summarize(db, rows), request)
}

/** One listing's key range, newest first from `now`: a section's (sub-sections included), a tag's or an author's. */
function listingRange(db: Db, listing: ListingKind, id: string, now: string) {
  return listingRows(db, listing, id, now)
    .select(['l.article_id as id', 'l.slug', 'l.title', 'l.dek', 'l.primary_section_id', 'l.source_id', 'l.published_at', 'l.updated_at'])
    .select(bylineOf('l.article_id'))
    .orderBy('l.published_at', 'desc')
    .orderBy('l.article_id', 'desc')
}

/** One page of a listing's range, compiled once per listing and page size (src/db/prepared.ts): the most read queries of the site. */
const rangePage = (listing: ListingKind) =>
  preparedQueryWith((limit: number) => (db, id: string, now: string, offset: number) => listingRange(db, listing, id, now).limit(sql.lit(limit)).offset(offset))
const rangePages = { section: rangePage('section'), tag: rangePage('tag'), author: rangePage('author') }

/** A tag's or an author's page from their listing rows alone, as listSection reads a section's. */
async function listLinked(db: Db, listing: 'tag' | 'author', id: string, request: PageRequest, now: string): Promise<Page<ArticleSummary>> {
  const rows = await rangePages[listing](request.perPage + 1)(db, id, now, (request.page - 1) * request.perPage)
  return toPage(await summarize(db, rows), request)
}

/** The front page's stories: the newest one, and the newest few of each section after it. */
export interface FrontPage {
  lead: ArticleSummary | null
  /** One list per section asked for, in the same order; the lead is in none of them. */
  blocks: ArticleSummary[][]
}

/**
 * The front page in three queries, whatever the number of sections: the
 * lead, then every section's newest stories (sub-sections included, from the
 * listings alone) as one UNION ALL of key ranges, then the bylines of all of
 * them.
 */
export async function listFrontPage(db: Db, sectionIds: readonly string[], perSection: number, now: string): Promise<FrontPage> {
  const [leadRow] = await newestStory(db, now)
  const rows = sectionIds.length > 0 ? await frontBlocks(perSection)(db, sectionIds, leadRow ? [leadRow.id] : [], now) : []
  const summaries = await summarize(db, [...(leadRow ? [leadRow] : []), ...rows])
  const byId = new Map(summaries.map((s) => [s.id, s]))
  const blocks: ArticleSummary[][] = sectionIds.map(() => [])
  // Newest first within each block, as the listing index gives them; a UNION promises no order of its own.
  for (const row of rows.sort(newestFirst)) blocks[Number(row.block)]!.push(byId.get(row.id)!)
  return { lead: leadRow ? byId.get(leadRow.id)! : null, blocks }
}

/** Rows in publication order, newest first, then by id as the listings' keys have them. */
function newestFirst(a: { published_at: string | null; id: string }, b: { published_at: string | null; id: string }): number {
  const [x, y] = [a.published_at ?? '', b.published_at ?? '']
  return x !== y ? (x < y ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0
}

/**
 * One UNION ALL of listing ranges, each wrapped as a derived table: SQLite
 * takes no parentheses around a UNION member with its own LIMIT.
 */
function unionOfRanges<R>(db: Db, ranges: readonly SelectQueryBuilder<Database & { l: ArticleListingsTable }, 'l', R>[]) {
  const [first, ...rest] = ranges.map((range, i) => db.selectFrom(range.as(`r${i}`)).selectAll())
  return rest.reduce((union, next) => union.unionAll(next), first!)
}

/**
 * The newest public story: the newest publication time first (a walk of the
 * status and date index that stops at once), then the highest id at that time.
 * Ordering by both columns made SQLite sort the stories sharing the newest
 * date in a temporary tree, three times the cost on the front page.
 */
const newestStory = preparedQuery((db, now: string) =>
  db
    .selectFrom('articles')
    .select(SUMMARY_COLUMNS)
    .select(bylineOf('articles.id'))
    // Equal to the newest public time and published is public: repeating the time bound here would make SQLite walk it instead.
    .where('status', '=', 'published')
    .where('published_at', '=', (eb) => eb.selectFrom('articles').select((inner) => inner.fn.max('published_at').as('newest')).where(publiclyVisible(now)))
    .orderBy('id', 'desc')
    .limit(sql.lit(1)),
)

/** Every section's newest stories but the lead (none or one id), numbered by block. */
const frontBlocks = preparedQueryWith((perSection: number) => (db, sectionIds: readonly string[], leadIds: readonly string[], now: string) =>
  unionOfRanges(
    db,
    sectionIds.map((sectionId, index) => {
      let range = listingRange(db, 'section', sectionId, now).select(sql.lit(index).as('block'))
      for (const leadId of leadIds) range = range.where('l.article_id', '!=', leadId)
      return range.limit(sql.lit(perSection))
    }),
  ),
)

type SummaryRow = {
  /** The comma-joined bylines when the query read them with the row (`bylineOf`). */
  author_ids?: string | null
  id: string
  slug: string
  title: string
  dek: string | null
  primary_section_id: string | null
  source_id: string | null
  published_at: string | null
  updated_at: string | null
}

/** Rows of published articles to summaries, with their bylines: read with the rows, or else loaded in one query. */
async function summarize(db: Db, rows: readonly SummaryRow[]): Promise<ArticleSummary[]> {
  const loaded = await authorIdsFor(db, rows.filter((r) => r.author_ids === undefined).map((r) => r.id))
  const bylines = (row: SummaryRow) => (row.author_ids === undefined ? (loaded.get(row.id) ?? []) : (row.author_ids?.split(',') ?? []))
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    title: row.title,
    dek: row.dek,
    primarySectionId: row.primary_section_id,
    sourceId: row.source_id,
    // Only published rows reach here, and publishing always sets the date.
    publishedAt: row.published_at ?? '',
    updatedAt: row.updated_at,
    authorIds: bylines(row),
  }))
}

const bylinesOf = preparedQuery((db, articleIds: readonly string[]) =>
  db.selectFrom('article_authors').select(['article_id', 'author_id']).where('article_id', 'in', articleIds).orderBy('article_id').orderBy('position'),
)

/** Ordered author ids for many articles in one query. */
async function authorIdsFor(db: Db, articleIds: readonly string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>()
  if (articleIds.length === 0) return map
  const rows = await bylinesOf(db, articleIds)
  for (const row of rows) {
    const list = map.get(row.article_id) ?? []
    list.push(row.author_id)
    map.set(row.article_id, list)
  }
  return map
}

/**
 * Stories related to `article`: published ones sharing a tag or its primary
 * section (sub-sections included), newest first. Each tag's and the section's
 * newest few come from their listings, one short key range each, so the cost
 * does not grow with the archive; good enough until search brings similarity.
 */
export async function listRelated(db: Db, article: Article, limit: number, now: string): Promise<ArticleSummary[]> {
  const primary = article.sectionIds.slice(0, 1)
  if (primary.length === 0 && article.tagIds.length === 0) return []
  // One more than asked for in each range: the story itself may be among them.
  const rows = await relatedRanges(limit + 1)(db, primary, article.tagIds, now)
  const seen = new Set([article.id])
  const newest = rows
    .sort(newestFirst)
    .filter((row) => !seen.has(row.id) && seen.add(row.id))
    .slice(0, limit)
  return summarize(db, newest)
}

/** The newest `each` of the primary section's listing (none or one id) and of each tag's, in one UNION ALL. */
const relatedRanges = preparedQueryWith((each: number) => (db, primary: readonly string[], tagIds: readonly string[], now: string) =>
  unionOfRanges(db, [...primary.map((id) => listingRange(db, 'section', id, now).limit(sql.lit(each))), ...tagIds.map((id) => listingRange(db, 'tag', id, now).limit(sql.lit(each)))]),
)

const correctionsOf = preparedQuery((db, articleId: string) => db.selectFrom('corrections').selectAll().where('article_id', '=', articleId).orderBy('created_at'))

/** Corrections of an article, oldest first. */
export async function listCorrections(db: Db, articleId: string): Promise<Correction[]> {
  const rows = await correctionsOf(db, articleId)
  return rows.map((r) => ({ id: r.id, articleId: r.article_id, text: r.text, createdAt: r.created_at }))
}

/** Revision history of an article, newest first. */
export async function listRevisions(db: Db, articleId: string) {
  const rows = await db
    .selectFrom('revisions')
    .select(['id', 'number', 'reason', 'created_at', 'actor_id'])
    .where('article_id', '=', articleId)
    .orderBy('number', 'desc')
    .execute()
  return rows.map((r) => ({ id: r.id, number: r.number, reason: r.reason, createdAt: r.created_at, actorId: r.actor_id }))
}

/**
 * Whole published articles for a list of ids, in the order given, with their
 * links loaded in three batched queries (feeds, sitemaps, exports). Ids that
 * are not public now are left out.
 */
export async function loadPublishedMany(db: Db, ids: readonly string[], now: string): Promise<Article[]> {
  if (ids.length === 0) return []
  // Visibility is checked on the rows, not in SQL: with `status = 'published'` in the WHERE clause
  // SQLite may walk the status index (every published story) instead of the primary key.
  const rows = (await db.selectFrom('articles').selectAll().where('id', 'in', [...ids]).execute()).filter(
    (r) => r.status === 'published' && r.published_at !== null && r.published_at <= now,
  )
  if (rows.length === 0) return []
  const found = rows.map((r) => r.id)
  const [sections, authors, tags] = await Promise.all([
    db.selectFrom('article_sections').select(['article_id', 'section_id as ref']).where('article_id', 'in', found).orderBy('article_id').orderBy('position').execute(),
    db.selectFrom('article_authors').select(['article_id', 'author_id as ref']).where('article_id', 'in', found).orderBy('article_id').orderBy('position').execute(),
    db.selectFrom('article_tags').select(['article_id', 'tag_id as ref']).where('article_id', 'in', found).orderBy('article_id').orderBy('tag_id').execute(),
  ])
  const group = (list: readonly { article_id: string; ref: string }[]) => {
    const map = new Map<string, string[]>()
    for (const row of list) map.set(row.article_id, [...(map.get(row.article_id) ?? []), row.ref])
    return map
  }
  const [bySection, byAuthor, byTag] = [group(sections), group(authors), group(tags)]
  const byId = new Map(
    rows.map((row) => [
      row.id,
      rowToArticle(row, { sectionIds: bySection.get(row.id) ?? [], authorIds: byAuthor.get(row.id) ?? [], tagIds: byTag.get(row.id) ?? [] }),
    ]),
  )
  return ids.map((id) => byId.get(id)).filter((a): a is Article => a !== undefined)
}

/** Corrections of many articles in one query, oldest first per article. */
export async function listCorrectionsFor(db: Db, articleIds: readonly string[]): Promise<Map<string, Correction[]>> {
  const map = new Map<string, Correction[]>()
  if (articleIds.length === 0) return map
  const rows = await db.selectFrom('corrections').selectAll().where('article_id', 'in', [...articleIds]).orderBy('created_at').orderBy('id').execute()
  for (const r of rows) map.set(r.article_id, [...(map.get(r.article_id) ?? []), { id: r.id, articleId: r.article_id, text: r.text, createdAt: r.created_at }])
  return map
}
