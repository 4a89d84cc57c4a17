import type { Kysely } from 'kysely'
import type { Database, Db } from '../db/database.ts'
import type { Clock } from '../shared/clock.ts'
import { DomainError, type Issue } from '../shared/errors.ts'
import type { EventChannel } from '../shared/events.ts'
import { newId } from '../shared/ids.ts'
import type { PageRequest } from '../shared/pagination.ts'
import { parseInput } from '../shared/parse.ts'
import { slugify } from '../shared/slug.ts'
import { assertPublishable, assertTransition, type Article } from './article.ts'
import { Correct, CreateDraft, EditArticle, Publish } from './commands.ts'
import { ArticleErrors } from './errors.ts'
import * as queries from './queries.ts'
import { insertArticle, insertRevision, isSlugTaken, loadArticle, missingIds, retireSlug, saveArticle } from './repository.ts'

/** What the articles feature announces; the composition root wires caches and webhooks to it. */
export type ArticleEvents = {
  'article.published': { article: Article }
  'article.updated': { article: Article; previousSlug: string }
  'article.unpublished': { article: Article }
  'article.changed': { articleId: string }
}

/** Who is acting: a staff user, or the system (seed, scheduler, import). */
export interface Actor {
  userId: string | null
}

export interface ArticleServiceDeps {
  db: Kysely<Database>
  clock: Clock
  events: EventChannel<ArticleEvents>
}

/**
 * The story lifecycle: drafts, publishing, public updates, corrections and
 * unpublishing. Every change readers can see is recorded as a revision, inside
 * the same transaction as the change itself.
 */
export function createArticleService(deps: ArticleServiceDeps) {
  const { db, clock, events } = deps
  const nowIso = () => clock.now().toISOString()

  async function mustLoad(trx: Db, id: string): Promise<Article> {
    const article = await loadArticle(trx, { id })
    if (!article) throw new DomainError('not_found', ArticleErrors.ARTICLE_NOT_FOUND, `No article with id ${id}.`)
    return article
  }

  /** Checks every referenced section, author, tag and source exists, naming each missing one. */
  async function checkReferences(trx: Db, refs: Partial<Pick<Article, 'sectionIds' | 'authorIds' | 'tagIds' | 'sourceId'>>): Promise<void> {
    const issues: Issue[] = []
    const check = async (table: 'sections' | 'authors' | 'tags' | 'sources', field: string, ids: readonly string[] | undefined) => {
      if (!ids || ids.length === 0) return
      const missing = new Set(await missingIds(trx, table, ids))
      ids.forEach((id, index) => {
        if (missing.has(id)) issues.push({ path: `${field}[${index}]`, message: `Unknown id ${id}.`, code: 'unknown_reference' })
      })
      if (new Set(ids).size !== ids.length) issues.push({ path: field, message: 'An id is listed twice.', code: 'duplicate' })
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

  async function assertSlugFree(trx: Db, slug: string, articleId: string | null): Promise<void> {
    if (await isSlugTaken(trx, slug, articleId)) {
      throw new DomainError('conflict', ArticleErrors.ARTICLE_SLUG_TAKEN, `The slug "${slug}" is used by another article.`, [
        { path: 'slug', message: 'Another article uses this slug.', code: 'taken' },
      ])
    }
  }

  /** Creates a draft. The slug defaults to one made from the headline. */
  async function createDraft(input: CreateDraft, _actor: Actor): Promise<Article> {
    const cmd = parseInput(CreateDraft, input, ArticleErrors.ARTICLE_INVALID)
    const slug = cmd.slug ?? (slugify(cmd.title) || 'untitled')
    const at = nowIso()
    const article: Article = {
      id: newId('art'),
      slug,
      title: cmd.title,
      seoTitle: cmd.seoTitle ?? null,
      dek: cmd.dek ?? null,
      body: cmd.body,
      status: 'draft',
      sectionIds: cmd.sectionIds,
      authorIds: cmd.authorIds,
      tagIds: cmd.tagIds,
      sourceId: cmd.sourceId,
      publishedAt: null,
      updatedAt: null,
      scheduledAt: null,
      createdAt: at,
      modifiedAt: at,
      revision: 0,
    }
    await db.transaction().execute(async (trx) => {
      await checkReferences(trx, article)
      await assertSlugFree(trx, slug, null)
      await insertArticle(trx, article)
    })
    events.emit('article.changed', { articleId: article.id })
    return article
  }

  /**
   * Edits a story. On a published story the edit is public: it becomes a new
   * revision and sets "Updated" unless `isMinor`. A new slug retires the old
   * one, which keeps redirecting.
   */
  async function edit(id: string, input: EditArticle, actor: Actor): Promise<Article> {
    const { isMinor, ...changes } = parseInput(EditArticle, input, ArticleErrors.ARTICLE_INVALID)
    const { article, previous } = await db.transaction().execute(async (trx) => {
      const previous = await mustLoad(trx, id)
      const article = await applyChanges(trx, previous, changes)
      if (previous.status === 'published') {
        article.revision = previous.revision + 1
        if (!isMinor) article.updatedAt = article.modifiedAt
        await insertRevision(trx, article, 'update', article.modifiedAt, actor.userId)
      }
      await saveArticle(trx, article, previous)
      return { article, previous }
    })
    if (article.status === 'published') events.emit('article.updated', { article, previousSlug: previous.slug })
    events.emit('article.changed', { articleId: id })
    return article
  }

  async function applyChanges(trx: Db, previous: Article, changes: Omit<EditArticle, 'isMinor'>): Promise<Article> {
    await checkReferences(trx, changes)
    const at = nowIso()
    const next: Article = { ...previous, modifiedAt: at }
    if (changes.title !== undefined) next.title = changes.title
    if (changes.seoTitle !== undefined) next.seoTitle = changes.seoTitle
    if (changes.dek !== undefined) next.dek = changes.dek
    if (changes.body !== undefined) next.body = changes.body
    if (changes.sectionIds !== undefined) next.sectionIds = changes.sectionIds
    if (changes.authorIds !== undefined) next.authorIds = changes.authorIds
    if (changes.tagIds !== undefined) next.tagIds = changes.tagIds
    if (changes.sourceId !== undefined) next.sourceId = changes.sourceId
    if (changes.slug !== undefined && changes.slug !== previous.slug) {
      await assertSlugFree(trx, changes.slug, previous.id)
      // Renaming back to a retired slug takes it out of the history.
      await trx.deleteFrom('article_slug_history').where('slug', '=', changes.slug).execute()
      // Only a slug readers have seen needs to keep answering.
      if (previous.publishedAt !== null) await retireSlug(trx, previous.slug, previous.id, at)
      next.slug = changes.slug
    }
    if (previous.status === 'published' || previous.status === 'scheduled') assertPublishable(next)
    return next
  }

  /** Sends a draft to the editors. */
  async function submitForReview(id: string, _actor: Actor): Promise<Article> {
    return transition(id, 'in_review')
  }

  /** Moves a scheduled or in-review story back to draft. */
  async function returnToDraft(id: string, _actor: Actor): Promise<Article> {
    return transition(id, 'draft')
  }

  async function transition(id: string, to: 'in_review' | 'draft'): Promise<Article> {
    const article = await db.transaction().execute(async (trx) => {
      const previous = await mustLoad(trx, id)
      assertTransition(previous.status, to)
      const article: Article = { ...previous, status: to, scheduledAt: null, modifiedAt: nowIso() }
      await saveArticle(trx, article, previous)
      return article
    })
    events.emit('article.changed', { articleId: id })
    return article
  }

  /**
   * Publishes now, or schedules when `at` is in the future. The first
   * publication date is kept for life: republishing an unpublished story
   * marks it updated instead.
   */
  async function publish(id: string, input: Publish, actor: Actor): Promise<Article> {
    const cmd = parseInput(Publish, input, ArticleErrors.ARTICLE_INVALID)
    const now = nowIso()
    const at = cmd.at ? new Date(cmd.at).toISOString() : now
    const article = await db.transaction().execute(async (trx) => {
      const previous = await mustLoad(trx, id)
      assertPublishable(previous)
      if (at > now) {
        assertTransition(previous.status, 'scheduled')
        const article: Article = { ...previous, status: 'scheduled', scheduledAt: at, modifiedAt: now }
        await saveArticle(trx, article, previous)
        return article
      }
      assertTransition(previous.status, 'published')
      const isRepublish = previous.publishedAt !== null
      const article: Article = {
        ...previous,
        status: 'published',
        publishedAt: previous.publishedAt ?? at,
        updatedAt: isRepublish ? now : previous.updatedAt,
        scheduledAt: null,
        modifiedAt: now,
        revision: previous.revision + 1,
      }
      await insertRevision(trx, article, 'publish', now, actor.userId)
      await saveArticle(trx, article, previous)
      return article
    })
    if (article.status === 'published') events.emit('article.published', { article })
    events.emit('article.changed', { articleId: id })
    return article
  }

  /** Publishes every scheduled story whose time has come; returns their ids. */
  async function publishDue(actor: Actor): Promise<string[]> {
    const due = await db
      .selectFrom('articles')
      .select('id')
      .where('status', '=', 'scheduled')
      .where('scheduled_at', '<=', nowIso())
      .execute()
    const published: string[] = []
    for (const { id } of due) {
      const article = await mustLoad(db, id)
      await publish(id, { at: article.scheduledAt ?? undefined }, actor)
      published.push(id)
    }
    return published
  }

  /** Adds a public correction, with an optional fix to the text, as one revision. */
  async function correct(id: string, input: Correct, actor: Actor): Promise<Article> {
    const cmd = parseInput(Correct, input, ArticleErrors.ARTICLE_INVALID)
    const article = await db.transaction().execute(async (trx) => {
      const previous = await mustLoad(trx, id)
      if (previous.status !== 'published') {
        throw new DomainError('conflict', ArticleErrors.ARTICLE_BAD_TRANSITION, 'Only a published article can be corrected; edit the draft instead.')
      }
      const article = await applyChanges(trx, previous, cmd.changes ?? {})
      article.revision = previous.revision + 1
      article.updatedAt = article.modifiedAt
      await trx
        .insertInto('corrections')
        .values({ id: newId('cor'), article_id: id, text: cmd.text, created_at: article.modifiedAt })
        .execute()
      await insertRevision(trx, article, 'correct', article.modifiedAt, actor.userId)
      await saveArticle(trx, article, previous)
      return article
    })
    events.emit('article.updated', { article, previousSlug: article.slug })
    events.emit('article.changed', { articleId: id })
    return article
  }

  /** Takes a story off the site; its URL then answers 404 (410 once the site learns it). */
  async function unpublish(id: string, actor: Actor): Promise<Article> {
    const article = await db.transaction().execute(async (trx) => {
      const previous = await mustLoad(trx, id)
      assertTransition(previous.status, 'unpublished')
      const article: Article = { ...previous, status: 'unpublished', modifiedAt: nowIso(), revision: previous.revision + 1 }
      await insertRevision(trx, article, 'unpublish', article.modifiedAt, actor.userId)
      await saveArticle(trx, article, previous)
      return article
    })
    events.emit('article.unpublished', { article })
    events.emit('article.changed', { articleId: id })
    return article
  }

  /** An article in any state, for staff; null when there is none. */
  async function findById(id: string): Promise<Article | null> {
    return loadArticle(db, { id })
  }

  return {
    createDraft,
    edit,
    submitForReview,
    returnToDraft,
    publish,
    publishDue,
    correct,
    unpublish,
    findById,
    findPublishedBySlug: (slug: string) => queries.findPublishedBySlug(db, slug, nowIso()),
    listPublished: (filter: queries.ListFilter, page: PageRequest) => queries.listPublished(db, filter, page, nowIso()),
    listRelated: (article: Article, limit: number) => queries.listRelated(db, article, limit, nowIso()),
    listCorrections: (articleId: string) => queries.listCorrections(db, articleId),
    listRevisions: (articleId: string) => queries.listRevisions(db, articleId),
  }
}

export type ArticleService = ReturnType<typeof createArticleService>
