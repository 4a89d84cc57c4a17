import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { toPage, type Page, type PageRequest } from '../shared/pagination.ts'
import type { ArticleStatus } from './article.ts'
import type { Actor } from './policies.ts'
import { linkedTo } from './queries.ts'

/** Filters of the newsroom's stories list; all given filters apply together. */
export interface StoryFilter {
  status?: ArticleStatus
  sectionId?: string
  /** An author or desk in the byline. */
  authorId?: string
  /** `'staff'` for the paper's own copy (a staff source or none), else a source id. */
  credit?: string
  /** Words in the headline. */
  q?: string
  /** Stories this person started. */
  createdBy?: string
}

/** A story as the newsroom's list shows it. */
export interface StoryRow {
  id: string
  slug: string
  title: string
  status: ArticleStatus
  sectionIds: string[]
  authorIds: string[]
  sourceId: string | null
  createdBy: string | null
  modifiedBy: string | null
  modifiedAt: string
  scheduledAt: string | null
  publishedAt: string | null
  withdrawnAt: string | null
  hasPendingChanges: boolean
}

/** Contributors only ever list their own stories, whatever filter they send. */
export function restrictTo(filter: StoryFilter, actor: Actor): StoryFilter {
  return actor.role === 'contributor' ? { ...filter, createdBy: actor.userId ?? '-' } : filter
}

function filtered(db: Db, filter: StoryFilter) {
  let query = db.selectFrom('articles')
  if (filter.status) query = query.where('articles.status', '=', filter.status)
  if (filter.sectionId) query = query.where(linkedTo('article_sections', 'section_id', [filter.sectionId]))
  if (filter.authorId) query = query.where(linkedTo('article_authors', 'author_id', [filter.authorId]))
  if (filter.createdBy) query = query.where('articles.created_by', '=', filter.createdBy)
  if (filter.credit === 'staff') {
    query = query.where((eb) =>
      eb.or([
        eb('articles.source_id', 'is', null),
        eb.exists(eb.selectFrom('sources').select(sql<number>`1`.as('one')).whereRef('sources.id', '=', 'articles.source_id').where('sources.kind', '=', 'staff')),
      ]),
    )
  } else if (filter.credit) {
    query = query.where('articles.source_id', '=', filter.credit)
  }
  if (filter.q) {
    // lower() on both sides: LIKE is case-insensitive on SQLite but not on PostgreSQL.
    const pattern = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    query = query.where(sql<boolean>`lower(articles.title) like ${pattern} escape '\\'`)
  }
  return query
}

/** One page of stories, most recently changed first. */
export async function listStories(db: Db, filter: StoryFilter, request: PageRequest): Promise<Page<StoryRow>> {
  const rows = await filtered(db, filter)
    .select([
      'articles.id',
      'articles.slug',
      'articles.title',
      'articles.status',
      'articles.source_id',
      'articles.created_by',
      'articles.modified_by',
      'articles.modified_at',
      'articles.scheduled_at',
      'articles.published_at',
      'articles.withdrawn_at',
    ])
    .orderBy('articles.modified_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(request.perPage + 1)
    .offset((request.page - 1) * request.perPage)
    .execute()
  const ids = rows.map((r) => r.id)
  const [sections, authors, pending] =
    ids.length === 0
      ? [[], [], []]
      : await Promise.all([
          db.selectFrom('article_sections').select(['article_id', 'section_id as ref']).where('article_id', 'in', ids).orderBy('position').execute(),
          db.selectFrom('article_authors').select(['article_id', 'author_id as ref']).where('article_id', 'in', ids).orderBy('position').execute(),
          db.selectFrom('article_working_copies').select('article_id').where('article_id', 'in', ids).execute(),
        ])
  const group = (links: { article_id: string; ref: string }[]) => {
    const map = new Map<string, string[]>()
    for (const link of links) map.set(link.article_id, [...(map.get(link.article_id) ?? []), link.ref])
    return map
  }
  const sectionsOf = group(sections)
  const authorsOf = group(authors)
  const withChanges = new Set(pending.map((p) => p.article_id))
  return toPage(
    rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      title: r.title,
      status: r.status,
      sectionIds: sectionsOf.get(r.id) ?? [],
      authorIds: authorsOf.get(r.id) ?? [],
      sourceId: r.source_id,
      createdBy: r.created_by,
      modifiedBy: r.modified_by,
      modifiedAt: r.modified_at,
      scheduledAt: r.scheduled_at,
      publishedAt: r.published_at,
      withdrawnAt: r.withdrawn_at,
      hasPendingChanges: withChanges.has(r.id),
    })),
    request,
  )
}

/** How many stories match, e.g. the review queue's length. */
export async function countStories(db: Db, filter: StoryFilter): Promise<number> {
  const row = await filtered(db, filter).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Stories of any state that place a media-library picture: as their featured
 * picture or in an image block of their body. The body is JSON text written by
 * JSON.stringify, so the block reads `"mediaId":"med_…"` on both dialects.
 */
export async function storiesUsingMedia(db: Db, mediaId: string): Promise<{ id: string; title: string; status: ArticleStatus }[]> {
  const pattern = `%${JSON.stringify({ mediaId }).slice(1, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  return db
    .selectFrom('articles')
    .select(['id', 'title', 'status'])
    .where((eb) => eb.or([eb('featured_media_id', '=', mediaId), sql<boolean>`body like ${pattern} escape '\\'`]))
    .orderBy('modified_at', 'desc')
    .limit(200)
    .execute()
}
