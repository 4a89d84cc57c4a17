import type { Kysely } from 'kysely'
import type { Database, Db } from '../db/database.ts'
import type { ChangeOptions } from './service.ts'
import type { Clock } from '../shared/clock.ts'
import { DomainError } from '../shared/errors.ts'
import { newId } from '../shared/ids.ts'
import { parseInput } from '../shared/parse.ts'
import { fieldsOf, type Article, type StoryFields } from './article.ts'
import { SaveStory, StoryChanges } from './commands.ts'
import { ArticleErrors } from './errors.ts'
import { assertCanEdit, assertCanRead, isHandedToDesk, type Actor } from './policies.ts'
import { saveArticle } from './repository.ts'
import { applyFieldChanges, loadWorkingCopy, lockAndLoad, mustLoad, recordEvent, recordSnapshot, withFields, workingStateOf } from './steps.ts'
import type { SnapshotReason } from './tables.ts'

/** A story as the editor opens it. */
export interface EditableStory {
  article: Article
  /** What the writer edits: for a published story, its pending changes if any. */
  fields: StoryFields
  /** True when a published story has saved changes readers do not see yet. */
  hasPendingChanges: boolean
  editVersion: number
}

/** The other side of a lost race, as the loser needs to see it. */
export interface CurrentVersion {
  version: number
  fields: StoryFields
  savedBy: string | null
  savedAt: string
}

/** What a save from the editor did: saved, or kept as a conflict copy because someone saved first. */
export type SaveOutcome =
  | { kind: 'saved'; version: number; savedAt: string }
  | { kind: 'conflict'; conflictId: string; current: CurrentVersion }

export interface ConflictCopy {
  id: string
  articleId: string
  fields: StoryFields
  baseVersion: number
  savedBy: string | null
  savedAt: string
}

export interface Snapshot {
  id: string
  editVersion: number
  reason: SnapshotReason
  fields: StoryFields
  actorId: string | null
  createdAt: string
}

export interface StoryEvent {
  id: string
  kind: string
  actorId: string | null
  note: string | null
  createdAt: string
}

/** The fields with every given change laid over them, without checks. */
function overlay(fields: StoryFields, changes: StoryChanges): StoryFields {
  const next: Record<string, unknown> = { ...fields }
  for (const [key, value] of Object.entries(changes)) if (value !== undefined && !(key === 'slug' && value === '')) next[key] = value
  return next as unknown as StoryFields
}

/** Draft snapshots during continuous editing: at most one per person every ten minutes. */
const DRAFT_SNAPSHOT_EVERY_MS = 10 * 60_000

export interface EditingDeps {
  db: Kysely<Database>
  clock: Clock
  onChanged: (articleId: string) => void
}

/**
 * Saving from the editor, with nothing ever lost: every save names the edit
 * version it started from; a save from an older version is stored whole as a
 * conflict copy and the writer is shown both. A published story's edits wait
 * in a working copy until an editor publishes them.
 */
export function createEditing(deps: EditingDeps) {
  const { db, clock } = deps
  const nowIso = () => clock.now().toISOString()

  async function open(id: string, actor: Actor): Promise<EditableStory> {
    const article = await mustLoad(db, id)
    assertCanRead(actor, article)
    const working = article.status === 'published' ? await loadWorkingCopy(db, id) : null
    return { article, fields: working?.fields ?? fieldsOf(article), hasPendingChanges: working !== null, editVersion: article.editVersion }
  }

  async function currentVersion(trx: Db, article: Article): Promise<CurrentVersion> {
    const working = article.status === 'published' ? await loadWorkingCopy(trx, article.id) : null
    return {
      version: article.editVersion,
      fields: working?.fields ?? fieldsOf(article),
      savedBy: working?.savedBy ?? article.modifiedBy,
      savedAt: working?.savedAt ?? article.modifiedAt,
    }
  }

  /**
   * Keeps the text a save replaces as a draft snapshot when the last snapshot
   * is old or the text is someone else's, so the history has the steps
   * without every keystroke. The snapshot is credited to whoever saved that
   * text (`savedBy`), not to the person saving over it.
   */
  async function maybeSnapshot(trx: Db, article: Article, replaced: { fields: StoryFields; savedBy: string | null }, actor: Actor, at: string): Promise<void> {
    const last = await trx
      .selectFrom('article_snapshots')
      .select(['created_at', 'edit_version'])
      .where('article_id', '=', article.id)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst()
    // A workflow step (sent for review, sent back, published) already kept this very version, under the name of who took the step.
    if (last && last.edit_version === article.editVersion) return
    const isStale = !last || replaced.savedBy !== actor.userId || Date.parse(at) - Date.parse(last.created_at) >= DRAFT_SNAPSHOT_EVERY_MS
    if (isStale) await recordSnapshot(trx, { articleId: article.id, editVersion: article.editVersion, reason: 'draft', fields: replaced.fields, actorId: replaced.savedBy, at })
  }

  /**
   * Writes fields as the story's new working state: onto the story itself
   * before it is public, into its working copy after. Bumps the edit version.
   */
  async function writeWorking(trx: Db, previous: Article, fields: StoryFields, actor: Actor, at: string): Promise<Article> {
    const base: Article = { ...previous, editVersion: previous.editVersion + 1, modifiedAt: at, modifiedBy: actor.userId }
    if (previous.status === 'published') {
      await trx.deleteFrom('article_working_copies').where('article_id', '=', previous.id).execute()
      await trx.insertInto('article_working_copies').values({ article_id: previous.id, data: JSON.stringify(fields), saved_by: actor.userId, saved_at: at }).execute()
      await saveArticle(trx, base, previous)
      return base
    }
    const next = await withFields(trx, base, fields, at)
    await saveArticle(trx, next, previous)
    return next
  }

  /** Keeps fields someone could not save as an unresolved conflict copy of the story, with an event saying why. */
  async function keepCopy(trx: Db, article: Article, copy: { fields: StoryFields; baseVersion: number; why: string }, actor: Actor, at: string): Promise<string> {
    const conflictId = newId('cfl')
    await trx
      .insertInto('article_conflicts')
      .values({ id: conflictId, article_id: article.id, data: JSON.stringify(copy.fields), base_version: copy.baseVersion, saved_by: actor.userId, saved_at: at, resolved_at: null })
      .execute()
    await recordEvent(trx, { articleId: article.id, kind: 'conflict', actorId: actor.userId, note: `Saved from version ${copy.baseVersion} ${copy.why}; kept as a conflict copy.`, at })
    return conflictId
  }

  /** Whether `fields` are already this person's newest unresolved copy: a refused editor may send the same text again. */
  async function isLatestCopyOf(trx: Db, id: string, actor: Actor, fields: StoryFields): Promise<boolean> {
    if (actor.userId === null) return false
    const latest = await trx
      .selectFrom('article_conflicts')
      .select('data')
      .where('article_id', '=', id)
      .where('saved_by', '=', actor.userId)
      .where('resolved_at', 'is', null)
      .orderBy('saved_at', 'desc')
      .limit(1)
      .executeTakeFirst()
    return latest?.data === JSON.stringify(fields)
  }

  /** Saves the editor's fields. Returns a conflict instead of saving over someone else's newer save. */
  async function save(id: string, input: SaveStory, actor: Actor, change: ChangeOptions = {}): Promise<SaveOutcome> {
    const cmd = parseInput(SaveStory, input, ArticleErrors.ARTICLE_INVALID)
    const outcome = await db.transaction().execute(async (trx): Promise<SaveOutcome | { kind: 'handed-over' }> => {
      const article = await lockAndLoad(trx, id)
      const at = nowIso()
      if (isHandedToDesk(actor, article)) {
        // Refused below, after this transaction has kept what the writer sent (once per distinct text).
        const working = (await workingStateOf(trx, article)).fields
        const fields = overlay(working, cmd.changes)
        const isNew = JSON.stringify(fields) !== JSON.stringify(working) && !(await isLatestCopyOf(trx, id, actor, fields))
        if (isNew) await keepCopy(trx, article, { fields, baseVersion: cmd.baseVersion, why: `after the story left its writer's hands (${article.status})` }, actor, at)
        return { kind: 'handed-over' }
      }
      assertCanEdit(actor, article)
      const state = await workingStateOf(trx, article)
      const working = state.fields
      if (cmd.baseVersion !== article.editVersion) {
        // Kept as sent, unchecked: whatever the writer typed must survive, even a slug that is taken.
        const fields = overlay(working, cmd.changes)
        const conflictId = await keepCopy(trx, article, { fields, baseVersion: cmd.baseVersion, why: `while version ${article.editVersion} was current` }, actor, at)
        return { kind: 'conflict', conflictId, current: await currentVersion(trx, article) }
      }
      const fields = await applyFieldChanges(trx, working, cmd.changes, { articleId: id, wasEverPublic: article.publishedAt !== null })
      await maybeSnapshot(trx, article, state, actor, at)
      const saved = await writeWorking(trx, article, fields, actor, at)
      await change.inTransaction?.(trx, article)
      return { kind: 'saved', version: saved.editVersion, savedAt: at }
    })
    if (outcome.kind === 'handed-over') {
      throw new DomainError(
        'forbidden',
        ArticleErrors.ARTICLE_HANDED_OVER,
        'You cannot change this story any more: an editor has it now (it is scheduled or public). What you wrote is kept on the story as a copy for the desk.',
      )
    }
    // A conflict stores a copy but changes nothing anyone sees.
    if (outcome.kind === 'saved') deps.onChanged(id)
    return outcome
  }

  /** Unresolved conflict copies of a story, newest first. */
  async function listConflicts(id: string): Promise<ConflictCopy[]> {
    const rows = await db.selectFrom('article_conflicts').selectAll().where('article_id', '=', id).where('resolved_at', 'is', null).orderBy('saved_at', 'desc').execute()
    return rows.map((r) => ({ id: r.id, articleId: r.article_id, fields: JSON.parse(r.data) as StoryFields, baseVersion: r.base_version, savedBy: r.saved_by, savedAt: r.saved_at }))
  }

  /**
   * Deals with a conflict copy: dismisses it, or (`take`) makes it the story's
   * working state, keeping what it replaces as a snapshot. Either way the copy
   * stays stored; it only leaves the editor's list.
   */
  async function resolveConflict(id: string, conflictId: string, options: { take: boolean }, actor: Actor): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const article = await lockAndLoad(trx, id)
      assertCanEdit(actor, article)
      const row = await trx.selectFrom('article_conflicts').selectAll().where('id', '=', conflictId).where('article_id', '=', id).where('resolved_at', 'is', null).executeTakeFirst()
      if (!row) throw new DomainError('not_found', ArticleErrors.ARTICLE_CONFLICT_NOT_FOUND, 'That conflict copy was already dealt with.')
      const at = nowIso()
      await trx.updateTable('article_conflicts').set({ resolved_at: at }).where('id', '=', conflictId).execute()
      if (!options.take) return
      const copy = JSON.parse(row.data) as StoryFields
      const { fields: working, savedBy } = await workingStateOf(trx, article)
      await recordSnapshot(trx, { articleId: id, editVersion: article.editVersion, reason: 'conflict', fields: working, actorId: savedBy, at })
      // The copy was never checked; check it now as a save would.
      const fields = await applyFieldChanges(trx, working, copy, { articleId: id, wasEverPublic: article.publishedAt !== null })
      await writeWorking(trx, article, fields, actor, at)
    })
    deps.onChanged(id)
  }

  /** One conflict copy, resolved or not. */
  async function getConflict(id: string, conflictId: string): Promise<ConflictCopy & { isResolved: boolean }> {
    const row = await db.selectFrom('article_conflicts').selectAll().where('id', '=', conflictId).where('article_id', '=', id).executeTakeFirst()
    if (!row) throw new DomainError('not_found', ArticleErrors.ARTICLE_CONFLICT_NOT_FOUND, 'No such conflict copy.')
    return { id: row.id, articleId: row.article_id, fields: JSON.parse(row.data) as StoryFields, baseVersion: row.base_version, savedBy: row.saved_by, savedAt: row.saved_at, isResolved: row.resolved_at !== null }
  }

  /** Drops a published story's pending changes; readers never saw them. */
  async function discardChanges(id: string, actor: Actor): Promise<Article> {
    const article = await db.transaction().execute(async (trx) => {
      const previous = await lockAndLoad(trx, id)
      assertCanEdit(actor, previous)
      const working = await loadWorkingCopy(trx, id)
      if (!working) throw new DomainError('conflict', ArticleErrors.ARTICLE_NO_CHANGES, 'There are no unpublished changes to discard.')
      const at = nowIso()
      await recordSnapshot(trx, { articleId: id, editVersion: previous.editVersion, reason: 'draft', fields: working.fields, actorId: working.savedBy, at })
      await trx.deleteFrom('article_working_copies').where('article_id', '=', id).execute()
      const next: Article = { ...previous, editVersion: previous.editVersion + 1, modifiedAt: at, modifiedBy: actor.userId }
      await saveArticle(trx, next, previous)
      return next
    })
    deps.onChanged(id)
    return article
  }

  /** Makes an earlier snapshot the working state again; what it replaces is kept as a snapshot first. */
  async function restore(id: string, snapshotId: string, actor: Actor): Promise<Article> {
    const article = await db.transaction().execute(async (trx) => {
      const previous = await lockAndLoad(trx, id)
      assertCanEdit(actor, previous)
      const row = await trx.selectFrom('article_snapshots').selectAll().where('id', '=', snapshotId).where('article_id', '=', id).executeTakeFirst()
      if (!row) throw new DomainError('not_found', ArticleErrors.ARTICLE_SNAPSHOT_NOT_FOUND, 'That version of the story does not exist.')
      const at = nowIso()
      const restored = JSON.parse(row.data) as StoryFields
      const replaced = await workingStateOf(trx, previous)
      await recordSnapshot(trx, { articleId: id, editVersion: previous.editVersion, reason: 'restored', fields: replaced.fields, actorId: replaced.savedBy, at })
      await recordEvent(trx, { articleId: id, kind: 'restored', actorId: actor.userId, note: `Restored the version of ${row.created_at}.`, at })
      // The slug of a story readers have seen stays as it is: restoring text must not move its address.
      const fields = previous.publishedAt !== null ? { ...restored, slug: replaced.fields.slug } : restored
      return writeWorking(trx, previous, fields, actor, at)
    })
    deps.onChanged(id)
    return article
  }

  /** Replaces text from the agency's newer version of wire copy, keeping what it replaces as a snapshot. */
  async function applyAgencyUpdate(id: string, changes: Pick<StoryChanges, 'title' | 'dek' | 'body'>, note: string, actor: Actor): Promise<Article> {
    const parsed = parseInput(StoryChanges.pick({ title: true, dek: true, body: true }), changes, ArticleErrors.ARTICLE_INVALID)
    const article = await db.transaction().execute(async (trx) => {
      const previous = await lockAndLoad(trx, id)
      assertCanEdit(actor, previous)
      const at = nowIso()
      const { fields: working, savedBy } = await workingStateOf(trx, previous)
      await recordSnapshot(trx, { articleId: id, editVersion: previous.editVersion, reason: 'agency_update', fields: working, actorId: savedBy, at })
      await recordEvent(trx, { articleId: id, kind: 'agency_update_applied', actorId: actor.userId, note, at })
      const fields = await applyFieldChanges(trx, working, parsed, { articleId: id, wasEverPublic: previous.publishedAt !== null })
      return writeWorking(trx, previous, fields, actor, at)
    })
    deps.onChanged(id)
    return article
  }

  async function listSnapshots(id: string): Promise<Snapshot[]> {
    const rows = await db.selectFrom('article_snapshots').selectAll().where('article_id', '=', id).orderBy('created_at', 'desc').orderBy('id', 'desc').execute()
    return rows.map((r) => ({ id: r.id, editVersion: r.edit_version, reason: r.reason, fields: JSON.parse(r.data) as StoryFields, actorId: r.actor_id, createdAt: r.created_at }))
  }

  async function listEvents(id: string): Promise<StoryEvent[]> {
    const rows = await db.selectFrom('article_events').selectAll().where('article_id', '=', id).orderBy('created_at', 'desc').orderBy('id', 'desc').execute()
    return rows.map((r) => ({ id: r.id, kind: r.kind, actorId: r.actor_id, note: r.note, createdAt: r.created_at }))
  }

  return { open, save, listConflicts, resolveConflict, getConflict, discardChanges, restore, applyAgencyUpdate, listSnapshots, listEvents, writeWorking }
}

export type Editing = ReturnType<typeof createEditing>
