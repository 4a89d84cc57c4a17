import type { Kysely } from 'kysely'
import type { Database, Db } from '../db/database.ts'
import type { Clock } from '../shared/clock.ts'
import { DomainError, type Issue } from '../shared/errors.ts'
import type { EventChannel, TransactionalChannel } from '../shared/events.ts'
import { newId } from '../shared/ids.ts'
import type { PageRequest } from '../shared/pagination.ts'
import { parseInput } from '../shared/parse.ts'
import { assertTransition, fieldsOf, type Article, type StoryFields } from './article.ts'
import { Correct, CreateDraft, EditArticle, ImportStory, Note, Publish, Schedule } from './commands.ts'
import * as desk from './desk-queries.ts'
import { createEditing } from './editing.ts'
import { ArticleErrors } from './errors.ts'
import { assertActsForThePaper, assertCanEdit, assertCanRead, assertCanSubmit, type Actor } from './policies.ts'
import { createPresence } from './presence.ts'
import { createPreviews } from './previews.ts'
import * as queries from './queries.ts'
import * as keyset from './keyset.ts'
import { insertArticle, insertRevision, isSlugTaken, saveArticle } from './repository.ts'
import { applyFieldChanges, assertReadyToPublish, assertSlugFree, checkReferences, freeSlugFrom, loadWorkingCopy, lockAndLoad, mustLoad, readinessProblems, recordEvent, recordSnapshot, withFields } from './steps.ts'

/** What the articles feature announces; the composition root wires caches, notifications and webhooks to it. */
export type ArticleEvents = {
  'article.published': { article: Article }
  /** A published story changed; `isCorrection` when the change came with a public correction (then `article.corrected` follows). */
  'article.updated': { article: Article; previousSlug: string; isCorrection?: boolean }
  /** A published story got a public correction. */
  'article.corrected': { article: Article; correction: { text: string; at: string } }
  'article.unpublished': { article: Article }
  'article.changed': { articleId: string }
  /** A writer sent a story to the editors. */
  'story.submitted': { article: Article; actorId: string | null }
  /** An editor sent a story back to its writer with a note. */
  'story.returned': { article: Article; actorId: string | null; note: string }
  /** A story went public for the first time or again (by a person or the scheduler). */
  'story.published': { article: Article; actorId: string | null }
}

export type { Actor }

/**
 * Something that must follow every change readers can see, inside the same
 * transaction (the search index): a story is never findable after it is
 * taken down, and never missing after it goes out.
 */
export interface PublicChangeFollower {
  sync(trx: Db, article: Article): Promise<void>
}

/**
 * What a caller may add to one change, inside its transaction: the admin API
 * marks its idempotency claim there, so the mark commits with the change.
 */
export interface ChangeOptions {
  inTransaction?: (trx: Db, article: Article) => Promise<void>
}

/**
 * Whether a story was made from agency copy that the agency has since killed
 * (the wire desk knows; it is asked inside the publishing transaction). A
 * killed story is held back: never scheduled, never published by the
 * scheduler, and published now only when an editor confirms it.
 */
export interface SourceKills {
  killedCopyOf(trx: Db, articleId: string): Promise<{ itemId: string } | null>
}

export interface ArticleServiceDeps {
  db: Kysely<Database>
  clock: Clock
  events: EventChannel<ArticleEvents>
  /** Told of each public change in its transaction; none by default. */
  followers?: readonly PublicChangeFollower[]
  /**
   * Hears the public events (published, updated, corrected, unpublished)
   * inside the change's transaction, for what must commit with it (the
   * webhook outbox); `events` hears them again after the commit.
   */
  inTransaction?: TransactionalChannel<ArticleEvents, Db>
  /** Tells publishing which stories come from killed agency copy; none by default. */
  sourceKills?: SourceKills
}

/**
 * The story lifecycle: drafts, review, scheduling, publishing, public updates,
 * corrections and unpublishing, with the editor's saves. Every change readers
 * can see is recorded as a revision, and every workflow step as an event, in
 * the same transaction as the change itself. Who may do what is checked here
 * (policies.ts), whatever surface calls.
 */
type DraftFields = Omit<StoryFields, 'slug' | 'dek' | 'seoTitle' | 'seoDescription' | 'dateline'> & Partial<Pick<StoryFields, 'dek' | 'seoTitle' | 'seoDescription' | 'dateline'>>

/** A new draft from a command's story fields: the one place a story's starting state is spelled out (new, imported). */
function newDraft(cmd: DraftFields, meta: { slug: string; createdAt: string; modifiedAt: string; actor: Actor }): Article {
  return {
    id: newId('art'),
    slug: meta.slug,
    title: cmd.title,
    seoTitle: cmd.seoTitle ?? null,
    seoDescription: cmd.seoDescription ?? null,
    dek: cmd.dek ?? null,
    dateline: cmd.dateline ?? null,
    body: cmd.body,
    status: 'draft',
    sectionIds: cmd.sectionIds,
    authorIds: cmd.authorIds,
    tagIds: cmd.tagIds,
    sourceId: cmd.sourceId,
    featuredMediaId: cmd.featuredMediaId,
    publishedAt: null,
    updatedAt: null,
    scheduledAt: null,
    createdAt: meta.createdAt,
    modifiedAt: meta.modifiedAt,
    revision: 0,
    editVersion: 1,
    createdBy: meta.actor.userId,
    modifiedBy: meta.actor.userId,
    withdrawnAt: null,
    withdrawnNote: null,
  }
}

/**
 * Refuses to schedule killed agency copy, and to publish it now unless an
 * editor confirmed. Scheduling has no confirmation: it would go out later
 * with no one there to judge, and the scheduler holds killed copy back.
 */
function assertMayPublishKilled(options: { isScheduling: boolean; publishAnyway: boolean }): void {
  if (options.isScheduling) {
    throw new DomainError('conflict', ArticleErrors.ARTICLE_SOURCE_KILLED, 'The agency killed the copy this story was made from; it cannot be scheduled.', [
      { path: 'at', message: 'The agency killed the copy this story was made from, so it cannot be scheduled. An editor can still publish it now, confirming they checked it.', code: 'source_killed' },
    ])
  }
  if (!options.publishAnyway) {
    throw new DomainError('conflict', ArticleErrors.ARTICLE_SOURCE_KILLED, 'The agency killed the copy this story was made from; it is not published unless an editor confirms.', [
      { path: 'publishAnyway', message: 'The agency killed the copy this story was made from. Publish only if you have checked it no longer depends on that copy, and tick “Publish anyway”.', code: 'source_killed' },
    ])
  }
}

export function createArticleService(deps: ArticleServiceDeps) {
  const { db, clock, events } = deps
  const followers = deps.followers ?? []
  const inTransaction = deps.inTransaction
  const sourceKills = deps.sourceKills
  /** Runs every follower in the change's transaction; a failure rolls the change back. */
  const follow = async (trx: Db, article: Article) => {
    for (const follower of followers) await follower.sync(trx, article)
  }
  const nowIso = () => clock.now().toISOString()
  const changed = (articleId: string) => events.emit('article.changed', { articleId })
  const editing = createEditing({ db, clock, onChanged: changed })
  const presence = createPresence({ db, clock })
  const previews = createPreviews({ db, clock })

  /** Creates a draft. The slug defaults to a free one made from the headline. */
  async function createDraft(input: CreateDraft, actor: Actor, change: ChangeOptions = {}): Promise<Article> {
    const cmd = parseInput(CreateDraft, input, ArticleErrors.ARTICLE_INVALID)
    const at = nowIso()
    const article = await db.transaction().execute(async (trx) => {
      await checkReferences(trx, cmd)
      const slug = cmd.slug ?? (await freeSlugFrom(trx, cmd.title, null))
      if (cmd.slug) await assertSlugFree(trx, slug, null)
      const article = newDraft(cmd, { slug, createdAt: at, modifiedAt: at, actor })
      await insertArticle(trx, article)
      await recordEvent(trx, { articleId: article.id, kind: 'created', actorId: actor.userId, at })
      await change.inTransaction?.(trx, article)
      return article
    })
    changed(article.id)
    return article
  }

  /**
   * Writes a story brought in from another system inside the caller's
   * transaction, so an importer can record what it remembers about the item in
   * the same commit (nothing half-imported). A published story gets its first
   * revision and is indexed for search like any publication; its dates are the
   * old system's. The returned `announce` tells caches and listeners, and must
   * be called only after the transaction has committed.
   */
  async function importStory(trx: Db, input: ImportStory, actor: Actor): Promise<{ article: Article; problems: Issue[]; announce: () => void }> {
    const cmd = parseInput(ImportStory, input, ArticleErrors.ARTICLE_INVALID)
    const at = nowIso()
    await checkReferences(trx, cmd)
    const slug = cmd.slug && !(await isSlugTaken(trx, cmd.slug, null)) ? cmd.slug : await freeSlugFrom(trx, cmd.slug ?? cmd.title, null)
    const createdAt = new Date(cmd.createdAt).toISOString()
    const publishedAt = cmd.status === 'published' ? new Date(cmd.publishedAt ?? cmd.createdAt).toISOString() : null
    const updatedAt = publishedAt && cmd.updatedAt && Date.parse(cmd.updatedAt) > Date.parse(publishedAt) ? new Date(cmd.updatedAt).toISOString() : null
    let article = newDraft(cmd, { slug, createdAt, modifiedAt: at, actor })
    await insertArticle(trx, article)
    await recordEvent(trx, { articleId: article.id, kind: 'created', actorId: actor.userId, note: 'Imported.', at })
    // A story the old site published but that lacks what publishing needs here stays a draft, and the caller is told why.
    const problems = publishedAt ? await readinessProblems(trx, article) : []
    if (publishedAt && problems.length === 0) {
      const previous = article
      article = { ...article, status: 'published', publishedAt, updatedAt, revision: 1 }
      await insertRevision(trx, article, 'publish', at, actor.userId)
      await recordSnapshot(trx, { articleId: article.id, editVersion: article.editVersion, reason: 'published', fields: fieldsOf(article), actorId: actor.userId, at })
      await recordEvent(trx, { articleId: article.id, kind: 'published', actorId: actor.userId, note: 'Imported as published.', at })
      await saveArticle(trx, article, previous)
      await follow(trx, article)
      await inTransaction?.emit(trx, 'article.published', { article })
    }
    const done = article
    return {
      article: done,
      problems,
      announce: () => {
        if (done.status === 'published') events.emit('article.published', { article: done })
        changed(done.id)
      },
    }
  }

  /**
   * Edits a story directly (the CLI, imports, the API). On a published story
   * the edit is public: it becomes a new revision and sets "Updated" unless
   * `isMinor`. A new slug retires the old one, which keeps redirecting.
   */
  async function edit(id: string, input: EditArticle, actor: Actor): Promise<Article> {
    const { isMinor, ...changes } = parseInput(EditArticle, input, ArticleErrors.ARTICLE_INVALID)
    const { article, previous } = await db.transaction().execute(async (trx) => {
      const previous = await lockAndLoad(trx, id)
      assertCanEdit(actor, previous)
      if (previous.status === 'published') assertActsForThePaper(actor)
      const at = nowIso()
      const fields = await applyFieldChanges(trx, fieldsOf(previous), changes, { articleId: id, wasEverPublic: previous.publishedAt !== null })
      const article = await withFields(trx, { ...previous, editVersion: previous.editVersion + 1, modifiedBy: actor.userId }, fields, at)
      if (previous.status === 'published') await publicChange(trx, article, { isMinor, actor, at })
      await saveArticle(trx, article, previous)
      if (previous.status === 'published') {
        await follow(trx, article)
        await inTransaction?.emit(trx, 'article.updated', { article, previousSlug: previous.slug })
      }
      return { article, previous }
    })
    if (article.status === 'published') events.emit('article.updated', { article, previousSlug: previous.slug })
    changed(id)
    return article
  }

  /** Records a public change of a published story: a revision, a snapshot and an event. */
  async function publicChange(trx: Db, article: Article, options: { isMinor: boolean; actor: Actor; at: string }) {
    article.revision += 1
    if (!options.isMinor) article.updatedAt = options.at
    await insertRevision(trx, article, 'update', options.at, options.actor.userId)
    await recordSnapshot(trx, { articleId: article.id, editVersion: article.editVersion, reason: options.isMinor ? 'minor' : 'updated', fields: fieldsOf(article), actorId: options.actor.userId, at: options.at })
    await recordEvent(trx, { articleId: article.id, kind: 'updated', actorId: options.actor.userId, note: options.isMinor ? 'Minor fix, no "Updated" label.' : null, at: options.at })
  }

  /**
   * Publishes a published story's pending changes from the editor: a public
   * update ("Updated <date>" on the page) or, with `isMinor`, a minor fix.
   */
  async function publishChanges(id: string, options: { isMinor: boolean }, actor: Actor, change: ChangeOptions = {}): Promise<Article> {
    assertActsForThePaper(actor)
    const { article, previous } = await db.transaction().execute(async (trx) => {
      const previous = await lockAndLoad(trx, id)
      if (previous.status !== 'published') throw new DomainError('conflict', ArticleErrors.ARTICLE_BAD_TRANSITION, 'Only a published story has changes to publish; publish the story itself.')
      const working = await loadWorkingCopy(trx, id)
      if (!working) throw new DomainError('conflict', ArticleErrors.ARTICLE_NO_CHANGES, 'There are no unpublished changes.')
      const at = nowIso()
      const article = await withFields(trx, { ...previous, editVersion: previous.editVersion + 1, modifiedBy: actor.userId }, working.fields, at)
      await publicChange(trx, article, { isMinor: options.isMinor, actor, at })
      await trx.deleteFrom('article_working_copies').where('article_id', '=', id).execute()
      await saveArticle(trx, article, previous)
      await follow(trx, article)
      await inTransaction?.emit(trx, 'article.updated', { article, previousSlug: previous.slug })
      await change.inTransaction?.(trx, article)
      return { article, previous }
    })
    events.emit('article.updated', { article, previousSlug: previous.slug })
    changed(id)
    return article
  }

  /** Sends a draft to the editors. */
  async function submitForReview(id: string, actor: Actor): Promise<Article> {
    const article = await db.transaction().execute(async (trx) => {
      const previous = await lockAndLoad(trx, id)
      assertCanSubmit(actor, previous)
      assertTransition(previous.status, 'in_review')
      const at = nowIso()
      const article: Article = { ...previous, status: 'in_review', scheduledAt: null, modifiedAt: at, modifiedBy: actor.userId }
      await saveArticle(trx, article, previous)
      await recordSnapshot(trx, { articleId: id, editVersion: article.editVersion, reason: 'submitted', fields: fieldsOf(article), actorId: actor.userId, at })
      await recordEvent(trx, { articleId: id, kind: 'submitted', actorId: actor.userId, at })
      return article
    })
    events.emit('story.submitted', { article, actorId: actor.userId })
    changed(id)
    return article
  }

  /** An editor sends a story in review (or scheduled) back to its writer, saying why. */
  async function sendBack(id: string, input: Note, actor: Actor): Promise<Article> {
    assertActsForThePaper(actor)
    const { note } = parseInput(Note, input, ArticleErrors.ARTICLE_INVALID)
    const article = await db.transaction().execute(async (trx) => {
      const previous = await lockAndLoad(trx, id)
      if (previous.status !== 'in_review' && previous.status !== 'scheduled') {
        throw new DomainError('conflict', ArticleErrors.ARTICLE_BAD_TRANSITION, 'Only a story in review or scheduled can be sent back.')
      }
      const at = nowIso()
      const article: Article = { ...previous, status: 'draft', scheduledAt: null, modifiedAt: at, modifiedBy: actor.userId }
      await saveArticle(trx, article, previous)
      await recordSnapshot(trx, { articleId: id, editVersion: article.editVersion, reason: 'returned', fields: fieldsOf(article), actorId: actor.userId, at })
      await recordEvent(trx, { articleId: id, kind: 'returned', actorId: actor.userId, note, at })
      return article
    })
    events.emit('story.returned', { article, actorId: actor.userId, note })
    changed(id)
    return article
  }

  /** Takes a scheduled story off the schedule, back to draft. */
  async function unschedule(id: string, actor: Actor): Promise<Article> {
    assertActsForThePaper(actor)
    const article = await db.transaction().execute(async (trx) => {
      const previous = await lockAndLoad(trx, id)
      if (previous.status !== 'scheduled') throw new DomainError('conflict', ArticleErrors.ARTICLE_BAD_TRANSITION, 'The story is not scheduled.')
      const at = nowIso()
      const article: Article = { ...previous, status: 'draft', scheduledAt: null, modifiedAt: at, modifiedBy: actor.userId }
      await saveArticle(trx, article, previous)
      await recordEvent(trx, { articleId: id, kind: 'unscheduled', actorId: actor.userId, at })
      return article
    })
    changed(id)
    return article
  }

  /** Moves a scheduled or in-review story back to draft without a note (the system, tests). */
  async function returnToDraft(id: string, actor: Actor): Promise<Article> {
    const article = await db.transaction().execute(async (trx) => {
      const previous = await lockAndLoad(trx, id)
      assertCanEdit(actor, previous)
      assertTransition(previous.status, 'draft')
      const article: Article = { ...previous, status: 'draft', scheduledAt: null, modifiedAt: nowIso(), modifiedBy: actor.userId }
      await saveArticle(trx, article, previous)
      return article
    })
    changed(id)
    return article
  }

  /**
   * Publishes now, or schedules when `at` is in the future. The first
   * publication date is kept for life: republishing an unpublished story
   * marks it updated instead. A past `at` backdates the first publication
   * (imports); the editor schedules through `schedule`, which refuses the past.
   */
  async function publish(id: string, input: Publish, actor: Actor, change: ChangeOptions = {}): Promise<Article> {
    assertActsForThePaper(actor)
    const cmd = parseInput(Publish, input, ArticleErrors.ARTICLE_INVALID)
    const now = nowIso()
    const at = cmd.at ? new Date(cmd.at).toISOString() : now
    const article = await db.transaction().execute(async (trx) => {
      const previous = await lockAndLoad(trx, id)
      await assertReadyToPublish(trx, previous)
      const isKilled = (await sourceKills?.killedCopyOf(trx, id)) != null
      if (isKilled) assertMayPublishKilled({ isScheduling: at > now, publishAnyway: cmd.publishAnyway === true })
      if (at > now) {
        assertTransition(previous.status, 'scheduled')
        const article: Article = { ...previous, status: 'scheduled', scheduledAt: at, modifiedAt: now, modifiedBy: actor.userId }
        await saveArticle(trx, article, previous)
        await recordEvent(trx, { articleId: id, kind: 'scheduled', actorId: actor.userId, note: `For ${at}.`, at: now })
        await change.inTransaction?.(trx, article)
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
        modifiedBy: actor.userId,
        revision: previous.revision + 1,
        withdrawnAt: null,
        withdrawnNote: null,
      }
      await insertRevision(trx, article, 'publish', now, actor.userId)
      await recordSnapshot(trx, { articleId: id, editVersion: article.editVersion, reason: 'published', fields: fieldsOf(article), actorId: actor.userId, at: now })
      await recordEvent(trx, { articleId: id, kind: 'published', actorId: actor.userId, note: isKilled ? 'Published although the agency had killed the copy it was made from.' : null, at: now })
      await saveArticle(trx, article, previous)
      await follow(trx, article)
      await inTransaction?.emit(trx, 'article.published', { article })
      await change.inTransaction?.(trx, article)
      return article
    })
    if (article.status === 'published') {
      events.emit('article.published', { article })
      events.emit('story.published', { article, actorId: actor.userId })
    }
    changed(id)
    return article
  }

  /** Schedules for a future time; a time that has passed is refused at the field. */
  async function schedule(id: string, input: Schedule, actor: Actor, change: ChangeOptions = {}): Promise<Article> {
    const cmd = parseInput(Schedule, input, ArticleErrors.ARTICLE_INVALID)
    if (Date.parse(cmd.at) <= clock.now().getTime()) {
      throw new DomainError('invalid', ArticleErrors.ARTICLE_SCHEDULE_PAST, 'That time has passed.', [
        { path: 'at', message: 'Choose a time in the future, or publish now.', code: 'past' },
      ])
    }
    return publish(id, { at: cmd.at }, actor, change)
  }

  /**
   * Publishes every scheduled story whose time has come; returns their ids.
   * Safe when several processes run it at once: a story another process has
   * just published fails its transition here and is skipped. `onPublished`
   * hears each story this call published, with its scheduled time and the
   * time it actually went out (for the scheduler's lateness metric). A story
   * from killed agency copy is not published: it goes back to draft and
   * `onHeld` hears it.
   */
  async function publishDue(
    actor: Actor,
    options: { onPublished?: (story: { id: string; scheduledAt: string; ranAt: string }) => void; onHeld?: (story: { id: string }) => void } = {},
  ): Promise<string[]> {
    const due = await db.selectFrom('articles').select('id').where('status', '=', 'scheduled').where('scheduled_at', '<=', nowIso()).execute()
    const published: string[] = []
    for (const { id } of due) {
      const article = await mustLoad(db, id)
      if (article.status !== 'scheduled') continue
      try {
        await publish(id, { at: article.scheduledAt ?? undefined }, actor)
        published.push(id)
        if (article.scheduledAt) options.onPublished?.({ id, scheduledAt: article.scheduledAt, ranAt: nowIso() })
      } catch (error) {
        if (error instanceof DomainError && error.code === ArticleErrors.ARTICLE_BAD_TRANSITION) continue
        if (error instanceof DomainError && error.code === ArticleErrors.ARTICLE_SOURCE_KILLED) {
          if (await holdBack(id)) options.onHeld?.({ id })
          continue
        }
        throw error
      }
    }
    return published
  }

  /**
   * Takes a scheduled story whose agency copy was killed off the schedule
   * instead of publishing it: back to draft, with the reason in its history
   * (the editor and the stories list show the kill). Returns false when
   * another process got there first.
   */
  async function holdBack(id: string): Promise<boolean> {
    const held = await db.transaction().execute(async (trx) => {
      const previous = await lockAndLoad(trx, id)
      if (previous.status !== 'scheduled') return false
      const at = nowIso()
      const article: Article = { ...previous, status: 'draft', scheduledAt: null, modifiedAt: at, modifiedBy: null }
      await saveArticle(trx, article, previous)
      await recordEvent(trx, {
        articleId: id,
        kind: 'schedule_skipped',
        actorId: null,
        note: `Not published at ${previous.scheduledAt ?? 'its time'}: the agency killed the copy it was made from. It is a draft again.`,
        at,
      })
      return true
    })
    if (held) changed(id)
    return held
  }

  /**
   * Adds a public correction as one revision, together with the story's
   * pending changes if it has any (or the changes given).
   */
  async function correct(id: string, input: Correct, actor: Actor, change: ChangeOptions = {}): Promise<Article> {
    assertActsForThePaper(actor)
    const cmd = parseInput(Correct, input, ArticleErrors.ARTICLE_INVALID)
    const { article, correction, previousSlug } = await db.transaction().execute(async (trx) => {
      const previous = await lockAndLoad(trx, id)
      if (previous.status !== 'published') {
        throw new DomainError('conflict', ArticleErrors.ARTICLE_BAD_TRANSITION, 'Only a published article can be corrected; edit the draft instead.')
      }
      if (cmd.baseVersion !== undefined && cmd.baseVersion !== previous.editVersion) {
        throw new DomainError('conflict', ArticleErrors.ARTICLE_VERSION_CONFLICT, `These changes were based on version ${cmd.baseVersion}, but the story is at version ${previous.editVersion} now. Nothing was changed.`)
      }
      const at = nowIso()
      const working = await loadWorkingCopy(trx, id)
      const base = working?.fields ?? fieldsOf(previous)
      const fields = await applyFieldChanges(trx, base, cmd.changes ?? {}, { articleId: id, wasEverPublic: true })
      const article = await withFields(trx, { ...previous, editVersion: previous.editVersion + 1, modifiedBy: actor.userId }, fields, at)
      article.revision = previous.revision + 1
      article.updatedAt = at
      await trx.insertInto('corrections').values({ id: newId('cor'), article_id: id, text: cmd.text, created_at: at }).execute()
      await insertRevision(trx, article, 'correct', at, actor.userId)
      await recordSnapshot(trx, { articleId: id, editVersion: article.editVersion, reason: 'corrected', fields: fieldsOf(article), actorId: actor.userId, at })
      await recordEvent(trx, { articleId: id, kind: 'corrected', actorId: actor.userId, note: cmd.text, at })
      await trx.deleteFrom('article_working_copies').where('article_id', '=', id).execute()
      await saveArticle(trx, article, previous)
      await follow(trx, article)
      const correction = { text: cmd.text, at }
      await inTransaction?.emit(trx, 'article.updated', { article, previousSlug: previous.slug, isCorrection: true })
      await inTransaction?.emit(trx, 'article.corrected', { article, correction })
      await change.inTransaction?.(trx, article)
      return { article, correction, previousSlug: previous.slug }
    })
    // A correction may change the address too: the old one is purged with the new.
    events.emit('article.updated', { article, previousSlug, isCorrection: true })
    events.emit('article.corrected', { article, correction })
    changed(id)
    return article
  }

  async function takeDown(id: string, actor: Actor, options: { note: string; isWithdrawal: boolean }, change: ChangeOptions = {}): Promise<Article> {
    const article = await db.transaction().execute(async (trx) => {
      const previous = await lockAndLoad(trx, id)
      assertTransition(previous.status, 'unpublished')
      const at = nowIso()
      const article: Article = {
        ...previous,
        status: 'unpublished',
        modifiedAt: at,
        modifiedBy: actor.userId,
        revision: previous.revision + 1,
        withdrawnAt: options.isWithdrawal ? at : null,
        withdrawnNote: options.isWithdrawal ? options.note : null,
      }
      await insertRevision(trx, article, 'unpublish', at, actor.userId)
      await recordEvent(trx, { articleId: id, kind: options.isWithdrawal ? 'withdrawn' : 'unpublished', actorId: actor.userId, note: options.note, at })
      await saveArticle(trx, article, previous)
      await follow(trx, article)
      await inTransaction?.emit(trx, 'article.unpublished', { article })
      await change.inTransaction?.(trx, article)
      return article
    })
    events.emit('article.unpublished', { article })
    changed(id)
    return article
  }

  /** Takes a story off the site, saying why (kept in its history); its URL then answers 404. */
  async function unpublish(id: string, input: Note, actor: Actor, change: ChangeOptions = {}): Promise<Article> {
    assertActsForThePaper(actor)
    const { note } = parseInput(Note, input, ArticleErrors.ARTICLE_INVALID)
    return takeDown(id, actor, { note, isWithdrawal: false }, change)
  }

  /**
   * Takes a story off the site because its source withdrew it: its URL then
   * answers 410 Gone with a short public note, so readers and search engines
   * learn it was withdrawn, not lost.
   */
  async function withdraw(id: string, input: Note, actor: Actor): Promise<Article> {
    assertActsForThePaper(actor)
    const { note } = parseInput(Note, input, ArticleErrors.ARTICLE_INVALID)
    return takeDown(id, actor, { note, isWithdrawal: true })
  }

  /** An article in any state, for staff; null when there is none. No access check: callers that show it to a person use `open`. */
  async function findById(id: string): Promise<Article | null> {
    return (await db.selectFrom('articles').select('id').where('id', '=', id).executeTakeFirst()) ? mustLoad(db, id) : null
  }

  /** An article a person may read, or a not_found / forbidden DomainError. */
  async function getForStaff(id: string, actor: Actor): Promise<Article> {
    const article = await mustLoad(db, id)
    assertCanRead(actor, article)
    return article
  }

  return {
    createDraft,
    importStory,
    edit,
    publishChanges,
    submitForReview,
    sendBack,
    unschedule,
    returnToDraft,
    publish,
    schedule,
    publishDue,
    correct,
    unpublish,
    withdraw,
    findById,
    getForStaff,
    open: editing.open,
    save: editing.save,
    listConflicts: editing.listConflicts,
    resolveConflict: editing.resolveConflict,
    getConflict: editing.getConflict,
    discardChanges: editing.discardChanges,
    restore: editing.restore,
    applyAgencyUpdate: editing.applyAgencyUpdate,
    listSnapshots: editing.listSnapshots,
    listEvents: editing.listEvents,
    touchPresence: presence.touch,
    createPreviewLink: async (id: string, actor: Actor) => {
      assertCanRead(actor, await mustLoad(db, id))
      return previews.create(id, actor)
    },
    findByPreviewToken: previews.find,
    listStories: (filter: desk.StoryFilter, page: PageRequest, actor: Actor) => desk.listStories(db, desk.restrictTo(filter, actor), page),
    countStories: (filter: desk.StoryFilter, actor: Actor) => desk.countStories(db, desk.restrictTo(filter, actor)),
    findPublishedBySlug: (slug: string) => queries.findPublishedBySlug(db, slug, nowIso()),
    listPublished: (filter: queries.ListFilter, page: PageRequest) => queries.listPublished(db, filter, page, nowIso()),
    listFrontPage: (sectionIds: readonly string[], perSection: number) => queries.listFrontPage(db, sectionIds, perSection, nowIso()),
    listRelated: (article: Article, limit: number) => queries.listRelated(db, article, limit, nowIso()),
    listCorrections: (articleId: string) => queries.listCorrections(db, articleId),
    listCorrectionsFor: (articleIds: readonly string[]) => queries.listCorrectionsFor(db, articleIds),
    loadPublishedMany: (ids: readonly string[]) => queries.loadPublishedMany(db, ids, nowIso()),
    listPublishedRefs: (options: { from: keyset.PublishedKey | null; limit: number }) => keyset.listPublishedRefs(db, options, nowIso()),
    countPublished: () => keyset.countPublished(db, nowIso()),
    publishedKeyAfter: (from: keyset.PublishedKey | null, offset: number) => keyset.publishedKeyAfter(db, from, offset, nowIso()),
    lastModifiedBetween: (range: { after: keyset.PublishedKey | null; upTo: keyset.PublishedKey | null }) => keyset.lastModifiedBetween(db, range, nowIso()),
    listPublishedSince: (since: string, limit: number) => keyset.listPublishedSince(db, since, limit, nowIso()),
    lastTakedown: (upTo: keyset.PublishedKey | null = null) => keyset.lastTakedown(db, upTo),
    listPublishedKeys: (filter: keyset.PublishedFilter, options: { before: keyset.PublishedKey | null; limit: number }) => keyset.listPublishedKeys(db, filter, options, nowIso()),
    lastModifiedByLink: (kind: 'section' | 'author' | 'tag') => keyset.lastModifiedByLink(db, `article_${kind}s` as 'article_sections', nowIso()),
    listRevisions: (articleId: string) => queries.listRevisions(db, articleId),
    storiesUsingMedia: (mediaId: string) => desk.storiesUsingMedia(db, mediaId),
  }
}

export type ArticleService = ReturnType<typeof createArticleService>
