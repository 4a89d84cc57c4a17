import type { Selectable } from 'kysely'
import { refreshListings } from '../articles/index.ts'
import { recordAudit } from '../audit/index.ts'
import type { Db } from '../db/database.ts'
import { preparedQuery } from '../db/prepared.ts'
import { DomainError } from '../shared/errors.ts'
import { newId } from '../shared/ids.ts'
import { parseInput } from '../shared/parse.ts'
import { slugify } from '../shared/slug.ts'
import { isUniqueViolation } from '../shared/unique.ts'
import { CreateSection, CreateTag, DeleteSection, MergeTags, RenameTag, UpdateSection } from './commands.ts'
import { SectionErrors } from './errors.ts'
import { replaceRoutingId } from './references.ts'
import { descendantIds, type Section, type Tag } from './section.ts'
import type { SectionsTable } from './tables.ts'

/** Who makes a change, for the audit log; null for the system. */
export interface RecordActor {
  userId: string | null
}

function toSection(row: Selectable<SectionsTable>): Section {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    kind: row.kind,
    parentId: row.parent_id,
    position: row.position,
  }
}

function slugTaken(code: string, what: string, slug: string): DomainError {
  return new DomainError('conflict', code, `${what} already uses the slug "${slug}".`, [{ path: 'slug', message: `${what} already uses the slug "${slug}". Choose another.`, code: 'taken' }])
}

/**
 * Sections and tags: the tree, its order, renames that keep old addresses
 * answering (slug_redirects), merges and deletions that move stories first.
 * Every change made with an actor is audited in its own transaction.
 */
export interface SectionServiceDeps {
  db: Db
  /**
   * Brings what follows public stories (the search index) up to date for these stories, inside the
   * change's transaction, so search finds them by the new name at once. Built by the composition root.
   */
  reindexStories?: (trx: Db, articleIds: readonly string[]) => Promise<void>
}

/** A story page's tags, on every uncached render. */
const tagsWithIds = preparedQuery((db, ids: readonly string[]) => db.selectFrom('tags').selectAll().where('id', 'in', ids))

export function createSectionService(deps: SectionServiceDeps) {
  const { db } = deps
  const reindex = deps.reindexStories ?? (async () => {})
  const nowIso = () => new Date().toISOString()

  /** Every section, ordered for display (position, then name). The tree is small: read it whole. */
  async function listSections(): Promise<Section[]> {
    const rows = await db.selectFrom('sections').selectAll().orderBy('position').orderBy('name').execute()
    return rows.map(toSection)
  }

  async function getSection(id: string): Promise<Section> {
    const row = await db.selectFrom('sections').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw new DomainError('not_found', SectionErrors.SECTION_NOT_FOUND, 'That section does not exist.')
    return toSection(row)
  }

  /** How many stories (of any status) each section holds, by section id; sections without any are absent. */
  async function storyCounts(): Promise<Map<string, number>> {
    const rows = await db
      .selectFrom('article_sections')
      .select((eb) => ['section_id', eb.fn.countAll<number | string>().as('n')])
      .groupBy('section_id')
      .execute()
    return new Map(rows.map((r) => [r.section_id, Number(r.n)]))
  }

  async function assertParent(trx: Db, parentId: string | null, selfId: string | null): Promise<void> {
    if (!parentId) return
    const all = (await trx.selectFrom('sections').selectAll().execute()).map(toSection)
    if (!all.some((s) => s.id === parentId)) {
      throw new DomainError('invalid', SectionErrors.SECTION_NOT_FOUND, 'The parent section does not exist.', [{ path: 'parentId', message: 'Choose a parent from the list.', code: 'unknown' }])
    }
    if (selfId && descendantIds(all, selfId).includes(parentId)) {
      throw new DomainError('invalid', SectionErrors.SECTION_CYCLE, 'A section cannot go under itself or one of its own sub-sections.', [
        { path: 'parentId', message: 'A section cannot go under itself or one of its own sub-sections. Choose another parent.', code: 'cycle' },
      ])
    }
  }

  async function assertSlugFree(trx: Db, slug: string, selfId: string | null): Promise<void> {
    const taken = await trx.selectFrom('sections').select('id').where('slug', '=', slug).executeTakeFirst()
    if (taken && taken.id !== selfId) throw slugTaken(SectionErrors.SECTION_SLUG_TAKEN, 'Another section', slug)
  }

  /** Runs a change in a transaction, turning a slug raced away by someone else into the same conflict as one taken before. */
  async function inTransaction<T>(code: string, what: string, slug: string | null, run: (trx: Db) => Promise<T>): Promise<T> {
    try {
      // Built on a transaction (an importer writing a story with its sections), the change joins it.
      return db.isTransaction ? await run(db) : await db.transaction().execute(run)
    } catch (error) {
      if (slug !== null && isUniqueViolation(error)) throw slugTaken(code, what, slug)
      throw error
    }
  }

  /** Creates a section at the end of its siblings unless a position is given. */
  async function createSection(input: CreateSection, actor?: RecordActor): Promise<Section> {
    const cmd = parseInput(CreateSection, input, SectionErrors.SECTION_INVALID)
    return inTransaction(SectionErrors.SECTION_SLUG_TAKEN, 'Another section', cmd.slug, async (trx) => {
      await assertSlugFree(trx, cmd.slug, null)
      await assertParent(trx, cmd.parentId, null)
      let position = cmd.position
      if (input.position === undefined) {
        const last = await trx
          .selectFrom('sections')
          .select((eb) => eb.fn.max('position').as('max'))
          .where((eb) => (cmd.parentId ? eb('parent_id', '=', cmd.parentId) : eb('parent_id', 'is', null)))
          .executeTakeFirst()
        position = last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1
      }
      const row = { id: newId('sec'), slug: cmd.slug, name: cmd.name, description: cmd.description, kind: cmd.kind, parent_id: cmd.parentId, position }
      await trx.insertInto('sections').values(row).execute()
      // A new section may take over an address an old one redirected from.
      await trx.deleteFrom('slug_redirects').where('kind', '=', 'section').where('slug', '=', cmd.slug).execute()
      if (actor) await recordAudit(trx, { actorId: actor.userId, action: 'section.created', targetType: 'section', targetId: row.id, summary: `Created section ${cmd.name} (/sections/${cmd.slug})` })
      return toSection(row)
    })
  }

  /**
   * Renames, describes or moves a section. A new slug keeps the old address
   * answering with a redirect; a new parent may not be the section itself or
   * anything below it.
   */
  async function updateSection(actor: RecordActor, id: string, input: UpdateSection): Promise<Section> {
    const cmd = parseInput(UpdateSection, input, SectionErrors.SECTION_INVALID)
    return inTransaction(SectionErrors.SECTION_SLUG_TAKEN, 'Another section', cmd.slug, async (trx) => {
      const before = toSection(await mustLoadSection(trx, id))
      await assertSlugFree(trx, cmd.slug, id)
      await assertParent(trx, cmd.parentId, id)
      let position = before.position
      if (cmd.parentId !== before.parentId) {
        // Moved: it goes to the end of its new siblings.
        const last = await trx
          .selectFrom('sections')
          .select((eb) => eb.fn.max('position').as('max'))
          .where((eb) => (cmd.parentId ? eb('parent_id', '=', cmd.parentId) : eb('parent_id', 'is', null)))
          .executeTakeFirst()
        position = last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1
      }
      await trx
        .updateTable('sections')
        .set({ slug: cmd.slug, name: cmd.name, description: cmd.description, kind: cmd.kind, parent_id: cmd.parentId, position })
        .where('id', '=', id)
        .execute()
      const changes: string[] = []
      if (cmd.slug !== before.slug) {
        await trx.deleteFrom('slug_redirects').where('kind', '=', 'section').where('slug', '=', cmd.slug).execute()
        await trx.insertInto('slug_redirects').values({ kind: 'section', slug: before.slug, target_id: id, created_at: nowIso() }).execute()
        changes.push(`address /sections/${before.slug} → /sections/${cmd.slug}`)
      }
      if (cmd.name !== before.name) changes.push(`name "${before.name}" → "${cmd.name}"`)
      if (cmd.parentId !== before.parentId) {
        changes.push('moved to another parent')
        // Its stories and its sub-sections' stories now list under other ancestors.
        const subtree = descendantIds((await trx.selectFrom('sections').selectAll().execute()).map(toSection), id)
        await refreshListings(trx, { linkedToSections: subtree })
      }
      if (cmd.description !== before.description) changes.push('description')
      if (cmd.kind !== before.kind) changes.push(`kind ${before.kind} → ${cmd.kind}`)
      if (changes.length > 0) {
        await recordAudit(trx, { actorId: actor.userId, action: 'section.changed', targetType: 'section', targetId: id, summary: `Section ${cmd.name}: ${changes.join('; ')}` })
      }
      return { ...before, ...cmd, position }
    })
  }

  async function mustLoadSection(trx: Db, id: string) {
    const row = await trx.selectFrom('sections').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw new DomainError('not_found', SectionErrors.SECTION_NOT_FOUND, 'That section does not exist.')
    return row
  }

  /** Moves a section one place up or down among its siblings; at either end it stays put. */
  async function reorderSection(actor: RecordActor, id: string, direction: 'up' | 'down'): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const self = toSection(await mustLoadSection(trx, id))
      const siblings = (
        await trx
          .selectFrom('sections')
          .selectAll()
          .where((eb) => (self.parentId ? eb('parent_id', '=', self.parentId) : eb('parent_id', 'is', null)))
          .orderBy('position')
          .orderBy('name')
          .execute()
      ).map(toSection)
      const index = siblings.findIndex((s) => s.id === id)
      const other = direction === 'up' ? index - 1 : index + 1
      if (other < 0 || other >= siblings.length) return
      ;[siblings[index], siblings[other]] = [siblings[other]!, siblings[index]!]
      // Positions are rewritten 0, 1, 2… so equal positions left by older data cannot make a move a no-op.
      for (const [position, sibling] of siblings.entries()) {
        if (sibling.position !== position) await trx.updateTable('sections').set({ position }).where('id', '=', sibling.id).execute()
      }
      await recordAudit(trx, { actorId: actor.userId, action: 'section.changed', targetType: 'section', targetId: id, summary: `Section ${self.name} moved ${direction} among its siblings` })
    })
  }

  /**
   * Deletes a section. One with stories needs `moveTo`, the section its
   * stories go to (and its old address then redirects there); one with
   * sub-sections is refused until they are moved or deleted.
   */
  async function deleteSection(actor: RecordActor, id: string, input: DeleteSection): Promise<{ moved: number }> {
    const cmd = parseInput(DeleteSection, input, SectionErrors.SECTION_INVALID)
    return db.transaction().execute(async (trx) => {
      const self = toSection(await mustLoadSection(trx, id))
      const child = await trx.selectFrom('sections').select('name').where('parent_id', '=', id).executeTakeFirst()
      if (child) {
        throw new DomainError('conflict', SectionErrors.SECTION_HAS_CHILDREN, `${self.name} has sub-sections (${child.name}). Move or delete them first.`)
      }
      const links = await trx.selectFrom('article_sections').select(['article_id', 'position']).where('section_id', '=', id).execute()
      if (links.length > 0 && !cmd.moveTo) {
        throw new DomainError('invalid', SectionErrors.SECTION_NOT_EMPTY, `${self.name} still has ${links.length} ${links.length === 1 ? 'story' : 'stories'}.`, [
          { path: 'moveTo', message: `${self.name} still has ${links.length} ${links.length === 1 ? 'story' : 'stories'}. Choose the section they move to.`, code: 'required' },
        ])
      }
      let target: Section | null = null
      if (cmd.moveTo) {
        const row = await trx.selectFrom('sections').selectAll().where('id', '=', cmd.moveTo).executeTakeFirst()
        if (!row || row.id === id) {
          throw new DomainError('invalid', SectionErrors.SECTION_NOT_FOUND, 'Choose another existing section for the stories.', [
            { path: 'moveTo', message: 'Choose another existing section for the stories.', code: 'unknown' },
          ])
        }
        target = toSection(row)
      }
      if (target && links.length > 0) {
        await moveStories(trx, id, target.id, links)
        await refreshListings(trx, { articleIds: links.map((l) => l.article_id) })
      }
      await replaceRoutingId(trx, 'section_ids', id, target?.id ?? null)
      if (target) {
        await trx.updateTable('slug_redirects').set({ target_id: target.id }).where('kind', '=', 'section').where('target_id', '=', id).execute()
        await trx.insertInto('slug_redirects').values({ kind: 'section', slug: self.slug, target_id: target.id, created_at: nowIso() }).execute()
      } else {
        await trx.deleteFrom('slug_redirects').where('kind', '=', 'section').where('target_id', '=', id).execute()
      }
      await trx.deleteFrom('sections').where('id', '=', id).execute()
      await recordAudit(trx, {
        actorId: actor.userId,
        action: 'section.deleted',
        targetType: 'section',
        targetId: id,
        summary: target ? `Deleted section ${self.name}; ${links.length} stories moved to ${target.name}` : `Deleted section ${self.name} (it had no stories)`,
      })
      return { moved: links.length }
    })
  }

  /** Moves the stories of one section to another, keeping each story's order of sections (and so its primary one). */
  async function moveStories(trx: Db, fromId: string, toId: string, links: { article_id: string; position: number }[]): Promise<void> {
    const articleIds = links.map((l) => l.article_id)
    const both = new Map<string, number>()
    for (let i = 0; i < articleIds.length; i += 500) {
      const rows = await trx
        .selectFrom('article_sections')
        .select(['article_id', 'position'])
        .where('section_id', '=', toId)
        .where('article_id', 'in', articleIds.slice(i, i + 500))
        .execute()
      for (const row of rows) both.set(row.article_id, row.position)
    }
    for (const link of links) {
      const existing = both.get(link.article_id)
      if (existing === undefined) continue
      // The story is in both: the target takes the better of the two places, so a primary section stays primary.
      await trx.deleteFrom('article_sections').where('article_id', '=', link.article_id).where('section_id', '=', fromId).execute()
      if (link.position < existing) {
        await trx.updateTable('article_sections').set({ position: link.position }).where('article_id', '=', link.article_id).where('section_id', '=', toId).execute()
      }
    }
    await trx.updateTable('article_sections').set({ section_id: toId }).where('section_id', '=', fromId).execute()
    await trx.updateTable('articles').set({ primary_section_id: toId }).where('primary_section_id', '=', fromId).execute()
  }

  /** The current slug of the record an old section or tag address now belongs to, or null. */
  async function redirectFor(kind: 'section' | 'tag', slug: string): Promise<string | null> {
    const redirect = await db.selectFrom('slug_redirects').select('target_id').where('kind', '=', kind).where('slug', '=', slug).executeTakeFirst()
    if (!redirect) return null
    const table = kind === 'section' ? 'sections' : 'tags'
    const target = await db.selectFrom(table).select('slug').where('id', '=', redirect.target_id).executeTakeFirst()
    return target?.slug ?? null
  }

  async function createTag(input: CreateTag, actor?: RecordActor): Promise<Tag> {
    const cmd = parseInput(CreateTag, input, SectionErrors.TAG_INVALID)
    return inTransaction(SectionErrors.TAG_SLUG_TAKEN, 'Another tag', cmd.slug, async (trx) => {
      const taken = await trx.selectFrom('tags').select('id').where('slug', '=', cmd.slug).executeTakeFirst()
      if (taken) throw slugTaken(SectionErrors.TAG_SLUG_TAKEN, 'Another tag', cmd.slug)
      const tag = { id: newId('tag'), slug: cmd.slug, name: cmd.name }
      await trx.insertInto('tags').values(tag).execute()
      await trx.deleteFrom('slug_redirects').where('kind', '=', 'tag').where('slug', '=', cmd.slug).execute()
      if (actor) await recordAudit(trx, { actorId: actor.userId, action: 'tag.created', targetType: 'tag', targetId: tag.id, summary: `Created tag ${cmd.name} (/tags/${cmd.slug})` })
      return tag
    })
  }

  async function getTag(id: string): Promise<Tag> {
    const row = await db.selectFrom('tags').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw new DomainError('not_found', SectionErrors.TAG_NOT_FOUND, 'That tag does not exist.')
    return row
  }

  /** Renames a tag; a new slug keeps the old address answering with a redirect. */
  async function renameTag(actor: RecordActor, id: string, input: RenameTag): Promise<Tag> {
    const cmd = parseInput(RenameTag, input, SectionErrors.TAG_INVALID)
    return inTransaction(SectionErrors.TAG_SLUG_TAKEN, 'Another tag', cmd.slug, async (trx) => {
      const before = await trx.selectFrom('tags').selectAll().where('id', '=', id).executeTakeFirst()
      if (!before) throw new DomainError('not_found', SectionErrors.TAG_NOT_FOUND, 'That tag does not exist.')
      const taken = await trx.selectFrom('tags').select('id').where('slug', '=', cmd.slug).executeTakeFirst()
      if (taken && taken.id !== id) throw slugTaken(SectionErrors.TAG_SLUG_TAKEN, 'Another tag', cmd.slug)
      if (cmd.slug === before.slug && cmd.name === before.name) return before
      await trx.updateTable('tags').set({ slug: cmd.slug, name: cmd.name }).where('id', '=', id).execute()
      if (cmd.slug !== before.slug) {
        await trx.deleteFrom('slug_redirects').where('kind', '=', 'tag').where('slug', '=', cmd.slug).execute()
        await trx.insertInto('slug_redirects').values({ kind: 'tag', slug: before.slug, target_id: id, created_at: nowIso() }).execute()
      }
      const tagged = await trx.selectFrom('article_tags').select('article_id').where('tag_id', '=', id).execute()
      await reindex(trx, tagged.map((t) => t.article_id))
      await recordAudit(trx, {
        actorId: actor.userId,
        action: 'tag.renamed',
        targetType: 'tag',
        targetId: id,
        summary: `Tag ${before.name} (/tags/${before.slug}) is now ${cmd.name} (/tags/${cmd.slug})`,
      })
      return { id, ...cmd }
    })
  }

  /**
   * Merges one tag into another: its stories get the kept tag, its routing
   * rules name the kept tag, its address (and any it inherited) redirects to
   * the kept tag's, and it is deleted.
   */
  async function mergeTags(actor: RecordActor, input: MergeTags): Promise<{ moved: number }> {
    const cmd = parseInput(MergeTags, input, SectionErrors.TAG_INVALID)
    if (cmd.fromId === cmd.intoId) {
      throw new DomainError('invalid', SectionErrors.TAG_MERGE_SELF, 'A tag cannot be merged into itself.', [
        { path: 'intoId', message: 'A tag cannot be merged into itself. Choose another tag to keep.', code: 'self' },
      ])
    }
    return db.transaction().execute(async (trx) => {
      const from = await trx.selectFrom('tags').selectAll().where('id', '=', cmd.fromId).executeTakeFirst()
      if (!from) throw new DomainError('not_found', SectionErrors.TAG_NOT_FOUND, 'That tag does not exist.')
      const into = await trx.selectFrom('tags').selectAll().where('id', '=', cmd.intoId).executeTakeFirst()
      if (!into) throw new DomainError('invalid', SectionErrors.TAG_NOT_FOUND, 'The tag to keep does not exist.', [{ path: 'intoId', message: 'Choose a tag from the list.', code: 'unknown' }])
      const stories = await trx.selectFrom('article_tags').select('article_id').where('tag_id', '=', from.id).execute()
      const ids = stories.map((s) => s.article_id)
      const tagged = new Set<string>()
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await trx.selectFrom('article_tags').select('article_id').where('tag_id', '=', into.id).where('article_id', 'in', ids.slice(i, i + 500)).execute()
        for (const row of rows) tagged.add(row.article_id)
      }
      const missing = ids.filter((id) => !tagged.has(id))
      for (let i = 0; i < missing.length; i += 500) {
        await trx.insertInto('article_tags').values(missing.slice(i, i + 500).map((article_id) => ({ article_id, tag_id: into.id }))).execute()
      }
      await trx.deleteFrom('article_tags').where('tag_id', '=', from.id).execute()
      // The merged tag's listing rows go with it (cascade); its stories are listed under the kept tag.
      await refreshListings(trx, { articleIds: missing })
      await replaceRoutingId(trx, 'tag_ids', from.id, into.id)
      await trx.updateTable('slug_redirects').set({ target_id: into.id }).where('kind', '=', 'tag').where('target_id', '=', from.id).execute()
      await trx.insertInto('slug_redirects').values({ kind: 'tag', slug: from.slug, target_id: into.id, created_at: nowIso() }).execute()
      await trx.deleteFrom('tags').where('id', '=', from.id).execute()
      await reindex(trx, ids)
      await recordAudit(trx, {
        actorId: actor.userId,
        action: 'tag.merged',
        targetType: 'tag',
        targetId: into.id,
        summary: `Merged tag ${from.name} (/tags/${from.slug}) into ${into.name}; ${ids.length} stories`,
      })
      return { moved: ids.length }
    })
  }

  /** How many stories carry each tag, by tag id; tags without any are absent. */
  async function tagCounts(): Promise<Map<string, number>> {
    const rows = await db
      .selectFrom('article_tags')
      .select((eb) => ['tag_id', eb.fn.countAll<number | string>().as('n')])
      .groupBy('tag_id')
      .execute()
    return new Map(rows.map((r) => [r.tag_id, Number(r.n)]))
  }

  /** The tag with this slug, or null. */
  async function findTagBySlug(slug: string): Promise<Tag | null> {
    return (await db.selectFrom('tags').selectAll().where('slug', '=', slug).executeTakeFirst()) ?? null
  }

  /** Tags by id, in no particular order; unknown ids are skipped. */
  async function tagsByIds(ids: readonly string[]): Promise<Tag[]> {
    if (ids.length === 0) return []
    return tagsWithIds(db, ids)
  }

  async function listTags(): Promise<Tag[]> {
    return db.selectFrom('tags').selectAll().orderBy('name').execute()
  }

  /**
   * The ids of tags named as a writer typed them ("Harbour, ports"), in that
   * order, creating those that do not exist yet. Names that make no slug are
   * skipped; the same tag named twice counts once.
   */
  async function resolveTagNames(names: readonly string[]): Promise<string[]> {
    const ids: string[] = []
    for (const raw of names) {
      const name = raw.trim().replace(/\s+/g, ' ').slice(0, 100)
      const slug = slugify(name)
      if (!slug) continue
      const existing = await findTagBySlug(slug)
      let id = existing?.id
      if (!id) {
        try {
          id = (await createTag({ slug, name })).id
        } catch (error) {
          // Someone else created it a moment ago.
          if (!(error instanceof DomainError && error.code === SectionErrors.TAG_SLUG_TAKEN)) throw error
          id = (await findTagBySlug(slug))!.id
        }
      }
      if (!ids.includes(id)) ids.push(id)
    }
    return ids
  }

  return {
    listSections,
    getSection,
    storyCounts,
    createSection,
    updateSection,
    reorderSection,
    deleteSection,
    redirectFor,
    createTag,
    getTag,
    renameTag,
    mergeTags,
    tagCounts,
    findTagBySlug,
    tagsByIds,
    listTags,
    resolveTagNames,
  }
}

export type SectionService = ReturnType<typeof createSectionService>
