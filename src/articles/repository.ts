import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import type { Article } from './article.ts'
import { Body } from './body.ts'
import type { ArticleRow, RevisionReason } from './tables.ts'
import { newId } from '../shared/ids.ts'
import { refreshListings } from './listings.ts'
import { preparedQuery } from '../db/prepared.ts'

/** How many decoded bodies `decodeBody` keeps: the stories being read right now, not the archive. */
const DECODED_BODIES = 128
const decodedBodies = new Map<string, { raw: string; body: Article['body'] }>()

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}

/**
 * A stored body as the model, validated again (stored bodies were validated on
 * the way in; this guards against hand-edited rows). Parsing and validating
 * cost about 30 µs for a typical story, a few percent of rendering its page
 * without the cache, so the bodies of recently read stories are kept, frozen
 * so no caller can change another's copy, and reused while their stored text
 * is the same.
 */
function decodeBody(id: string, raw: string): Article['body'] {
  const known = decodedBodies.get(id)
  if (known && known.raw === raw) return known.body
  const body = deepFreeze(Body.parse(JSON.parse(raw)))
  if (known) decodedBodies.delete(id)
  else if (decodedBodies.size >= DECODED_BODIES) decodedBodies.delete(decodedBodies.keys().next().value!)
  decodedBodies.set(id, { raw, body })
  return body
}

/** Decodes a stored row plus its ordered link ids into the model. */
export function rowToArticle(row: ArticleRow, links: { sectionIds: string[]; authorIds: string[]; tagIds: string[] }): Article {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    seoTitle: row.seo_title,
    dek: row.dek,
    body: decodeBody(row.id, row.body),
    status: row.status,
    sectionIds: links.sectionIds,
    authorIds: links.authorIds,
    tagIds: links.tagIds,
    sourceId: row.source_id,
    dateline: row.dateline,
    seoDescription: row.seo_description,
    featuredMediaId: row.featured_media_id,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    scheduledAt: row.scheduled_at,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
    revision: row.revision,
    editVersion: row.edit_version,
    createdBy: row.created_by,
    modifiedBy: row.modified_by,
    withdrawnAt: row.withdrawn_at,
    withdrawnNote: row.withdrawn_note,
  }
}

/** The row that stores an article (links are separate tables). */
export function articleToRow(article: Article): ArticleRow {
  return {
    id: article.id,
    slug: article.slug,
    title: article.title,
    seo_title: article.seoTitle,
    dek: article.dek,
    body: JSON.stringify(article.body),
    status: article.status,
    primary_section_id: article.sectionIds[0] ?? null,
    source_id: article.sourceId,
    published_at: article.publishedAt,
    updated_at: article.updatedAt,
    scheduled_at: article.scheduledAt,
    created_at: article.createdAt,
    modified_at: article.modifiedAt,
    revision: article.revision,
    dateline: article.dateline,
    seo_description: article.seoDescription,
    featured_media_id: article.featuredMediaId,
    created_by: article.createdBy,
    modified_by: article.modifiedBy,
    withdrawn_at: article.withdrawnAt,
    withdrawn_note: article.withdrawnNote,
    edit_version: article.editVersion,
  }
}

/**
 * A story's links, read with its row: each kind's ids comma-joined (ids never
 * hold a comma) by a subquery on the row's id, sections and authors in their
 * set order, tags by id as they are stored (as the separate statement that
 * read them before had them). One statement instead of two on
 * every uncached story page. `string_agg(… order by …)` is the same SQL in
 * PostgreSQL and in SQLite (3.44 and later).
 */
const LINK_COLUMNS = [
  sql<string | null>`(select string_agg(section_id, ',' order by position, section_id) from article_sections where article_id = articles.id)`.as('section_ids'),
  sql<string | null>`(select string_agg(author_id, ',' order by position, author_id) from article_authors where article_id = articles.id)`.as('author_ids'),
  sql<string | null>`(select string_agg(tag_id, ',' order by tag_id) from article_tags where article_id = articles.id)`.as('tag_ids'),
]

const articleById = preparedQuery((db, id: string) => db.selectFrom('articles').selectAll().select(LINK_COLUMNS).where('id', '=', id))
/** By slug, the public lookup: whether the story has corrections comes too, so a page without any reads none. */
const articleBySlug = preparedQuery((db, slug: string) =>
  db
    .selectFrom('articles')
    .selectAll()
    .select(LINK_COLUMNS)
    .select((eb) => eb.exists(eb.selectFrom('corrections').select(sql<number>`1`.as('one')).whereRef('corrections.article_id', '=', 'articles.id')).as('is_corrected'))
    .where('slug', '=', slug),
)

const idsOf = (joined: string | null) => (joined ? joined.split(',') : [])
const withLinks = (row: ArticleRow & { section_ids: string | null; author_ids: string | null; tag_ids: string | null }) =>
  rowToArticle(row, { sectionIds: idsOf(row.section_ids), authorIds: idsOf(row.author_ids), tagIds: idsOf(row.tag_ids) })

/** Loads one article with its links, or null. */
export async function loadArticle(db: Db, where: { id: string } | { slug: string }): Promise<Article | null> {
  if ('slug' in where) return (await loadArticleBySlug(db, where.slug))?.article ?? null
  const [row] = await articleById(db, where.id)
  return row ? withLinks(row) : null
}

/** The article with this slug and its links, and whether it has any corrections; null when there is none. */
export async function loadArticleBySlug(db: Db, slug: string): Promise<{ article: Article; isCorrected: boolean } | null> {
  const [row] = await articleBySlug(db, slug)
  // SQLite answers EXISTS with 1 or 0, PostgreSQL with a boolean.
  return row ? { article: withLinks(row), isCorrected: Boolean(row.is_corrected) } : null
}

/** Inserts a new article and its links. */
export async function insertArticle(db: Db, article: Article): Promise<void> {
  await db.insertInto('articles').values(articleToRow(article)).execute()
  await replaceLinks(db, article)
  if (article.status === 'published') await refreshListings(db, { articleIds: [article.id] })
}

/** Whether a save changes what the listings (section, tag, author) hold for the story: only public stories have rows, with their card's fields. */
function changesListings(article: Article, previous: Article): boolean {
  if (article.status !== 'published' && previous.status !== 'published') return false
  return (
    article.status !== previous.status ||
    article.publishedAt !== previous.publishedAt ||
    article.sectionIds.join() !== previous.sectionIds.join() ||
    article.tagIds.join() !== previous.tagIds.join() ||
    article.authorIds.join() !== previous.authorIds.join() ||
    article.slug !== previous.slug ||
    article.title !== previous.title ||
    article.dek !== previous.dek ||
    article.sourceId !== previous.sourceId ||
    article.updatedAt !== previous.updatedAt
  )
}

/** Writes every column and replaces the links; the caller holds a transaction. */
export async function saveArticle(db: Db, article: Article, previous: Article): Promise<void> {
  const { id, ...columns } = articleToRow(article)
  await db.updateTable('articles').set(columns).where('id', '=', id).execute()
  if (
    article.sectionIds.join() !== previous.sectionIds.join() ||
    article.authorIds.join() !== previous.authorIds.join() ||
    article.tagIds.join() !== previous.tagIds.join()
  ) {
    await replaceLinks(db, article)
  }
  if (changesListings(article, previous)) await refreshListings(db, { articleIds: [article.id] })
}

async function replaceLinks(db: Db, article: Article): Promise<void> {
  await db.deleteFrom('article_sections').where('article_id', '=', article.id).execute()
  await db.deleteFrom('article_authors').where('article_id', '=', article.id).execute()
  await db.deleteFrom('article_tags').where('article_id', '=', article.id).execute()
  if (article.sectionIds.length > 0) {
    await db
      .insertInto('article_sections')
      .values(article.sectionIds.map((section_id, position) => ({ article_id: article.id, section_id, position })))
      .execute()
  }
  if (article.authorIds.length > 0) {
    await db
      .insertInto('article_authors')
      .values(article.authorIds.map((author_id, position) => ({ article_id: article.id, author_id, position })))
      .execute()
  }
  if (article.tagIds.length > 0) {
    await db.insertInto('article_tags').values(article.tagIds.map((tag_id) => ({ article_id: article.id, tag_id }))).execute()
  }
}

/** Records a public revision: the article as readers see it from now on. */
export async function insertRevision(
  db: Db,
  article: Article,
  reason: RevisionReason,
  at: string,
  actorId: string | null,
): Promise<void> {
  await db
    .insertInto('revisions')
    .values({
      id: newId('rev'),
      article_id: article.id,
      number: article.revision,
      reason,
      snapshot: JSON.stringify(article),
      created_at: at,
      actor_id: actorId,
    })
    .execute()
}

/** Keeps a retired slug pointing at its article, for 301s. */
export async function retireSlug(db: Db, slug: string, articleId: string, at: string): Promise<void> {
  await db.deleteFrom('article_slug_history').where('slug', '=', slug).execute()
  await db.insertInto('article_slug_history').values({ slug, article_id: articleId, retired_at: at }).execute()
}

/** Whether a slug is in use by another article, now or in its history. */
export async function isSlugTaken(db: Db, slug: string, exceptArticleId: string | null): Promise<boolean> {
  const current = await db.selectFrom('articles').select('id').where('slug', '=', slug).executeTakeFirst()
  if (current && current.id !== exceptArticleId) return true
  const retired = await db.selectFrom('article_slug_history').select('article_id').where('slug', '=', slug).executeTakeFirst()
  return Boolean(retired && retired.article_id !== exceptArticleId)
}

/** The ids in `ids` that do not exist in `table`. */
export async function missingIds(db: Db, table: 'sections' | 'authors' | 'tags' | 'sources', ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return []
  const found = await db.selectFrom(table).select('id').where('id', 'in', [...ids]).execute()
  const have = new Set(found.map((r) => r.id))
  return ids.filter((id) => !have.has(id))
}
