import type { Selectable } from 'kysely'
import type { Db } from '../db/database.ts'
import { DomainError } from '../shared/errors.ts'
import { newId } from '../shared/ids.ts'
import { parseInput } from '../shared/parse.ts'
import { slugify } from '../shared/slug.ts'
import { CreateSection, CreateTag } from './commands.ts'
import { SectionErrors } from './errors.ts'
import type { Section, Tag } from './section.ts'
import type { SectionsTable } from './tables.ts'

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

/** Sections and tags: creation and reads. */
export function createSectionService(deps: { db: Db }) {
  const { db } = deps

  /** Every section, ordered for display (position, then name). The tree is small: read it whole. */
  async function listSections(): Promise<Section[]> {
    const rows = await db.selectFrom('sections').selectAll().orderBy('position').orderBy('name').execute()
    return rows.map(toSection)
  }

  async function createSection(input: CreateSection): Promise<Section> {
    const cmd = parseInput(CreateSection, input, SectionErrors.SECTION_INVALID)
    const taken = await db.selectFrom('sections').select('id').where('slug', '=', cmd.slug).executeTakeFirst()
    if (taken) throw new DomainError('conflict', SectionErrors.SECTION_SLUG_TAKEN, `A section with slug "${cmd.slug}" exists.`)
    if (cmd.parentId) {
      const parent = await db.selectFrom('sections').select('id').where('id', '=', cmd.parentId).executeTakeFirst()
      if (!parent) throw new DomainError('invalid', SectionErrors.SECTION_NOT_FOUND, 'The parent section does not exist.')
    }
    const row = {
      id: newId('sec'),
      slug: cmd.slug,
      name: cmd.name,
      description: cmd.description,
      kind: cmd.kind,
      parent_id: cmd.parentId,
      position: cmd.position,
    }
    await db.insertInto('sections').values(row).execute()
    return toSection(row)
  }

  async function createTag(input: CreateTag): Promise<Tag> {
    const cmd = parseInput(CreateTag, input, SectionErrors.TAG_INVALID)
    const taken = await db.selectFrom('tags').select('id').where('slug', '=', cmd.slug).executeTakeFirst()
    if (taken) throw new DomainError('conflict', SectionErrors.TAG_SLUG_TAKEN, `A tag with slug "${cmd.slug}" exists.`)
    const tag = { id: newId('tag'), slug: cmd.slug, name: cmd.name }
    await db.insertInto('tags').values(tag).execute()
    return tag
  }

  /** The tag with this slug, or null. */
  async function findTagBySlug(slug: string): Promise<Tag | null> {
    return (await db.selectFrom('tags').selectAll().where('slug', '=', slug).executeTakeFirst()) ?? null
  }

  /** Tags by id, in no particular order; unknown ids are skipped. */
  async function tagsByIds(ids: readonly string[]): Promise<Tag[]> {
    if (ids.length === 0) return []
    return db.selectFrom('tags').selectAll().where('id', 'in', [...ids]).execute()
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

  return { listSections, createSection, createTag, findTagBySlug, tagsByIds, listTags, resolveTagNames }
}

export type SectionService = ReturnType<typeof createSectionService>
