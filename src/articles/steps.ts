import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { DomainError, type Issue } from '../shared/errors.ts'
import { newId } from '../shared/ids.ts'
import { recordAudit, type AuditAction } from '../audit/index.ts'
import { slugify } from '../shared/slug.ts'
import { fieldsOf, publishProblems, type Article, type StoryFields } from './article.ts'
import type { StoryChanges } from './commands.ts'
import { ArticleErrors } from './errors.ts'
import { isSlugTaken, loadArticle, missingIds, retireSlug } from './repository.ts'
import type { ArticleEventKind, SnapshotReason } from './tables.ts'

/**
 * The steps the lifecycle and the editor share, each run inside the caller's
 * transaction so a change and its record (event, snapshot) commit together.
 */

type Changes = { [K in keyof StoryChanges]: Exclude<StoryChanges[K], undefined> | undefined }

/**
 * Loads a story for a change inside a transaction, first taking its row lock
 * with a no-op UPDATE. On PostgreSQL a second transaction changing the same
 * story waits here and then sees the first one's result (so two scheduler
 * runs or two autosaves cannot both act on the same state); SQLite serialises
 * writers anyway. The same statement works on both.
 */
export async function lockAndLoad(trx: Db, id: string): Promise<Article> {
  await trx.updateTable('articles').set({ edit_version: sql<number>`edit_version` }).where('id', '=', id).execute()
  return mustLoad(trx, id)
}

export async function mustLoad(trx: Db, id: string): Promise<Article> {
  const article = await loadArticle(trx, { id })
  if (!article) throw new DomainError('not_found', ArticleErrors.ARTICLE_NOT_FOUND, `No article with id ${id}.`)
  return article
}

/** Checks every referenced section, author, tag and source exists, naming each missing one. */
export async function checkReferences(trx: Db, refs: Partial<Pick<StoryFields, 'sectionIds' | 'authorIds' | 'tagIds' | 'sourceId'>>): Promise<void> {
  const issues: Issue[] = []
  const check = async (table: 'sections' | 'authors' | 'tags' | 'sources', field: string, ids: readonly string[] | undefined) => {
    if (!ids || ids.length === 0) return
    const missing = new Set(await missingIds(trx, table, ids))
    ids.forEach((id, index) => {
      if (missing.has(id)) issues.push({ path: `${field}[${index}]`, message: `Unknown id ${id}.`, code: 'unknown_reference' })
    })
    if (new Set(ids).size !== ids.length) issues.push({ path: field, message: 'An entry is listed twice.', code: 'duplicate' })
  }
  await check('sections', 'sectionIds', refs.sectionIds)
  await check('authors', 'authorIds', refs.authorIds)
  await check('tags', 'tagIds', refs.tagIds)
  if (refs.sourceId) {
    const [missing] = await missingIds(trx, 'sources', [refs.sourceId])
    if (missing) issues.push({ path: 'sourceId', message: `Unknown id ${missing}.`, code: 'unknown_reference' })
  }
  if (issues.length > 0) {
    throw new DomainError('invalid', ArticleErrors.ARTICLE_REFERENCE_UNKNOWN, 'The article refers to records that do not exist.', issues)
  }
}

export async function assertSlugFree(trx: Db, slug: string, articleId: string | null): Promise<void> {
  if (await isSlugTaken(trx, slug, articleId)) {
    throw new DomainError('conflict', ArticleErrors.ARTICLE_SLUG_TAKEN, `The slug "${slug}" is used by another article.`, [
      { path: 'slug', message: 'Another story uses this address. Choose another.', code: 'taken' },
    ])
  }
}

/** A free slug made from a headline: `harbour-talks`, else `harbour-talks-2`, `-3`… */
export async function freeSlugFrom(trx: Db, title: string, articleId: string | null): Promise<string> {
  const base = slugify(title) || 'untitled'
  for (let n = 1; n < 100; n++) {
    const candidate = n === 1 ? base : `${base.slice(0, 75)}-${n}`
    if (!(await isSlugTaken(trx, candidate, articleId))) return candidate
  }
  return `${base.slice(0, 60)}-${randomBytes(4).toString('hex')}`
}

/** Applies field changes to the editable fields; checks references and the slug. */
export async function applyFieldChanges(
  trx: Db,
  current: StoryFields,
  changes: Changes,
  context: { articleId: string; wasEverPublic: boolean },
): Promise<StoryFields> {
  await checkReferences(trx, changes)
  const next: StoryFields = { ...current }
  if (changes.title !== undefined) next.title = changes.title
  if (changes.seoTitle !== undefined) next.seoTitle = changes.seoTitle
  if (changes.seoDescription !== undefined) next.seoDescription = changes.seoDescription
  if (changes.dek !== undefined) next.dek = changes.dek
  if (changes.dateline !== undefined) next.dateline = changes.dateline
  if (changes.body !== undefined) next.body = changes.body
  if (changes.sectionIds !== undefined) next.sectionIds = changes.sectionIds
  if (changes.authorIds !== undefined) next.authorIds = changes.authorIds
  if (changes.tagIds !== undefined) next.tagIds = changes.tagIds
  if (changes.sourceId !== undefined) next.sourceId = changes.sourceId
  if (changes.featuredMediaId !== undefined) next.featuredMediaId = changes.featuredMediaId
  if (changes.slug === '') {
    // The address follows the headline until someone sets it, and only while readers have never seen it.
    if (!context.wasEverPublic) next.slug = await freeSlugFrom(trx, next.title, context.articleId)
  } else if (changes.slug !== undefined && changes.slug !== current.slug) {
    await assertSlugFree(trx, changes.slug, context.articleId)
    next.slug = changes.slug
  }
  return next
}

/**
 * Writes fields onto an article for its next state. A new slug on a story
 * readers have seen retires the old one, which keeps redirecting.
 */
export async function withFields(trx: Db, previous: Article, fields: StoryFields, at: string): Promise<Article> {
  const next: Article = { ...previous, ...fields, modifiedAt: at }
  if (fields.slug !== previous.slug) {
    await assertSlugFree(trx, fields.slug, previous.id)
    // Renaming back to a retired slug takes it out of the history.
    await trx.deleteFrom('article_slug_history').where('slug', '=', fields.slug).execute()
    if (previous.publishedAt !== null) await retireSlug(trx, previous.slug, previous.id, at)
  }
  if (previous.status === 'published' || previous.status === 'scheduled') await assertReadyToPublish(trx, next)
  return next
}

/**
 * Everything that stops a story going public: what `publishProblems` finds in
 * the story itself, and the featured picture's alt text, which is kept with
 * the picture in the media library (readers who cannot see it must still
 * learn what it shows, as with pictures in the body).
 */
export async function readinessProblems(trx: Db, article: Article): Promise<Issue[]> {
  const issues = publishProblems(article)
  if (article.featuredMediaId) {
    const picture = await trx.selectFrom('media').select('alt').where('id', '=', article.featuredMediaId).executeTakeFirst()
    if (picture && picture.alt.trim() === '') {
      issues.push({ path: 'featuredMediaId', message: 'The featured picture has no alt text. Add it in the media library, or choose another picture.', code: 'required' })
    }
  }
  return issues
}

/** Throws ARTICLE_NOT_PUBLISHABLE with every missing piece listed. */
export async function assertReadyToPublish(trx: Db, article: Article): Promise<void> {
  const issues = await readinessProblems(trx, article)
  if (issues.length > 0) throw new DomainError('invalid', ArticleErrors.ARTICLE_NOT_PUBLISHABLE, 'The article is not ready to publish.', issues)
}

/** Story events that also belong in the newsroom's audit log. */
const AUDITED: Partial<Record<ArticleEventKind, AuditAction>> = {
  published: 'article.published',
  updated: 'article.updated',
  corrected: 'article.corrected',
  unpublished: 'article.unpublished',
  withdrawn: 'article.withdrawn',
  scheduled: 'article.scheduled',
  unscheduled: 'article.unscheduled',
}

/** Records a step in the story's history and, for public changes and schedules, in the audit log: same transaction. */
export async function recordEvent(trx: Db, event: { articleId: string; kind: ArticleEventKind; actorId: string | null; note?: string | null; at: string }): Promise<void> {
  await trx
    .insertInto('article_events')
    .values({ id: newId('evt'), article_id: event.articleId, kind: event.kind, actor_id: event.actorId, note: event.note ?? null, created_at: event.at })
    .execute()
  const action = AUDITED[event.kind]
  if (action) {
    const row = await trx.selectFrom('articles').select('title').where('id', '=', event.articleId).executeTakeFirst()
    const title = row?.title.trim() || 'Untitled story'
    await recordAudit(trx, { actorId: event.actorId, action, targetType: 'article', targetId: event.articleId, summary: event.note ? `“${title}”: ${event.note}` : `“${title}”`, at: event.at })
  }
}

export async function recordSnapshot(
  trx: Db,
  snapshot: { articleId: string; editVersion: number; reason: SnapshotReason; fields: StoryFields; actorId: string | null; at: string },
): Promise<string> {
  const id = newId('snp')
  await trx
    .insertInto('article_snapshots')
    .values({
      id,
      article_id: snapshot.articleId,
      edit_version: snapshot.editVersion,
      reason: snapshot.reason,
      data: JSON.stringify(snapshot.fields),
      actor_id: snapshot.actorId,
      created_at: snapshot.at,
    })
    .execute()
  return id
}

/** A published story's saved but unpublished changes, or null. */
export async function loadWorkingCopy(trx: Db, articleId: string): Promise<{ fields: StoryFields; savedBy: string | null; savedAt: string } | null> {
  const row = await trx.selectFrom('article_working_copies').selectAll().where('article_id', '=', articleId).executeTakeFirst()
  return row ? { fields: JSON.parse(row.data) as StoryFields, savedBy: row.saved_by, savedAt: row.saved_at } : null
}

/** What the editor shows: a published story's pending changes when there are some, else the story itself. */
export async function workingFieldsOf(trx: Db, article: Article): Promise<StoryFields> {
  return (await workingStateOf(trx, article)).fields
}

/**
 * The working fields with the person who last saved them: a snapshot of them
 * (kept before a save, a restore, a conflict copy or the agency's version
 * replaces them) is credited to that person, not to whoever replaces them.
 */
export async function workingStateOf(trx: Db, article: Article): Promise<{ fields: StoryFields; savedBy: string | null }> {
  const working = article.status === 'published' ? await loadWorkingCopy(trx, article.id) : null
  return working ? { fields: working.fields, savedBy: working.savedBy } : { fields: fieldsOf(article), savedBy: article.modifiedBy }
}
