import { z } from 'zod'
import { recordAudit } from '../audit/index.ts'
import type { Db } from '../db/database.ts'
import { DomainError } from '../shared/errors.ts'
import { newId } from '../shared/ids.ts'
import { parseInput } from '../shared/parse.ts'
import { SLUG_PATTERN } from '../shared/slug.ts'
import { isUniqueViolation } from '../shared/unique.ts'
import type { SourcesTable } from './tables.ts'

/** The provenance of copy: every article carries one, and wire copy keeps its agency through editing. */
export interface Source {
  id: string
  slug: string
  name: string
  credit: string
  kind: SourcesTable['kind']
  url: string | null
}

export const SourceErrors = {
  SOURCE_NOT_FOUND: 'SOURCE_NOT_FOUND',
  SOURCE_INVALID: 'SOURCE_INVALID',
  SOURCE_SLUG_TAKEN: 'SOURCE_SLUG_TAKEN',
  SOURCE_IN_USE: 'SOURCE_IN_USE',
} as const

const Fields = {
  name: z.string().trim().min(1, 'Give a name.').max(160, 'Keep the name under 160 characters.'),
  credit: z.string().trim().min(1, 'Give the short credit readers see, such as ACP.').max(80, 'Keep the credit under 80 characters.'),
  kind: z.enum(['staff', 'agency', 'partner', 'reader'], { message: 'Choose what kind of source it is.' }),
  url: z
    .string()
    .trim()
    .max(2048)
    .url('Give a full address such as https://agency.example.')
    .refine((v) => /^https?:\/\//i.test(v), 'The address must start with http:// or https://.')
    .nullable()
    .default(null),
}

export const CreateSource = z.object({
  slug: z.string().trim().min(1, 'Give the source a slug.').max(80).regex(SLUG_PATTERN, 'Use lower-case letters, digits and single hyphens.'),
  ...Fields,
})
export type CreateSource = z.input<typeof CreateSource>

/**
 * Changing a source: everything but its slug, which stays fixed because the
 * wire desk finds an agency's source by it (src/wire, creditSourceFor).
 */
export const UpdateSource = z.object(Fields)
export type UpdateSource = z.input<typeof UpdateSource>

/** Who makes a change, for the audit log. */
export interface SourceActor {
  userId: string | null
}

function slugTaken(slug: string): DomainError {
  const message = `Another source already uses the slug "${slug}".`
  return new DomainError('conflict', SourceErrors.SOURCE_SLUG_TAKEN, message, [{ path: 'slug', message: `${message} Choose another.`, code: 'taken' }])
}

/** Wire agencies, partners, the staff and readers as sources of copy. */
export interface SourceServiceDeps {
  db: Db
  /**
   * Brings what follows public stories (the search index) up to date for these stories, inside the
   * change's transaction, so search finds them by the new name at once. Built by the composition root.
   */
  reindexStories?: (trx: Db, articleIds: readonly string[]) => Promise<void>
}

export function createSourceService(deps: SourceServiceDeps) {
  const { db } = deps
  const reindex = deps.reindexStories ?? (async () => {})

  /** Creates a source; with an actor, audited in the same transaction. The wire desk calls it without one for an agency it meets first. */
  async function createSource(input: CreateSource, actor?: SourceActor): Promise<Source> {
    const cmd = parseInput(CreateSource, input, SourceErrors.SOURCE_INVALID)
    // Without an actor (the wire desk meeting a new agency) there is no audit entry to pair with, and the
    // caller may already be inside a transaction of its own: a plain insert, as before.
    const run = async (trx: Db): Promise<Source> => {
      const taken = await trx.selectFrom('sources').select('id').where('slug', '=', cmd.slug).executeTakeFirst()
      if (taken) throw slugTaken(cmd.slug)
      const source: Source = { id: newId('src'), ...cmd }
      await trx.insertInto('sources').values(source).execute()
      if (actor) await recordAudit(trx, { actorId: actor.userId, action: 'source.created', targetType: 'source', targetId: source.id, summary: `Created source ${cmd.name} (credit "${cmd.credit}")` })
      return source
    }
    try {
      return actor ? await db.transaction().execute(run) : await run(db)
    } catch (error) {
      if (isUniqueViolation(error)) throw slugTaken(cmd.slug)
      throw error
    }
  }

  async function updateSource(actor: SourceActor, id: string, input: UpdateSource): Promise<Source> {
    const cmd = parseInput(UpdateSource, input, SourceErrors.SOURCE_INVALID)
    return db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst()
      if (!before) throw new DomainError('not_found', SourceErrors.SOURCE_NOT_FOUND, 'That source does not exist.')
      await trx.updateTable('sources').set(cmd).where('id', '=', id).execute()
      const changed = (Object.keys(cmd) as (keyof typeof cmd)[]).filter((key) => cmd[key] !== before[key])
      if (cmd.name !== before.name || cmd.credit !== before.credit) {
        const credited = await trx.selectFrom('articles').select('id').where('source_id', '=', id).execute()
        await reindex(trx, credited.map((a) => a.id))
      }
      if (changed.length > 0) {
        await recordAudit(trx, { actorId: actor.userId, action: 'source.changed', targetType: 'source', targetId: id, summary: `${cmd.name}: changed ${changed.join(', ')}` })
      }
      return { ...before, ...cmd }
    })
  }

  /** Deletes a source no story is credited to and no wire feed credits; otherwise refuses, so no credit line goes blank. */
  async function deleteSource(actor: SourceActor, id: string): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst()
      if (!row) throw new DomainError('not_found', SourceErrors.SOURCE_NOT_FOUND, 'That source does not exist.')
      const stories = Number((await trx.selectFrom('articles').select((eb) => eb.fn.countAll<number | string>().as('n')).where('source_id', '=', id).executeTakeFirstOrThrow()).n)
      const feeds = Number((await trx.selectFrom('wire_sources').select((eb) => eb.fn.countAll<number | string>().as('n')).where('credit_source_id', '=', id).executeTakeFirstOrThrow()).n)
      if (stories > 0 || feeds > 0) {
        const uses = [stories > 0 ? `${stories} ${stories === 1 ? 'story is' : 'stories are'} credited to it` : null, feeds > 0 ? `${feeds} wire ${feeds === 1 ? 'feed credits' : 'feeds credit'} it` : null].filter(Boolean)
        throw new DomainError('conflict', SourceErrors.SOURCE_IN_USE, `${row.name} cannot be deleted: ${uses.join(' and ')}.`)
      }
      await trx.deleteFrom('sources').where('id', '=', id).execute()
      await recordAudit(trx, { actorId: actor.userId, action: 'source.deleted', targetType: 'source', targetId: id, summary: `Deleted source ${row.name}` })
    })
  }

  async function getSource(id: string): Promise<Source> {
    const row = await db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw new DomainError('not_found', SourceErrors.SOURCE_NOT_FOUND, 'That source does not exist.')
    return row
  }

  /** How many stories are credited to each source, by source id; unused sources are absent. */
  async function storyCounts(): Promise<Map<string, number>> {
    const rows = await db
      .selectFrom('articles')
      .select((eb) => ['source_id', eb.fn.countAll<number | string>().as('n')])
      .where('source_id', 'is not', null)
      .groupBy('source_id')
      .execute()
    return new Map(rows.map((r) => [r.source_id!, Number(r.n)]))
  }

  /** Sources by id; unknown ids are skipped. */
  async function byIds(ids: readonly string[]): Promise<Source[]> {
    if (ids.length === 0) return []
    return db.selectFrom('sources').selectAll().where('id', 'in', [...ids]).execute()
  }

  async function findBySlug(slug: string): Promise<Source | null> {
    return (await db.selectFrom('sources').selectAll().where('slug', '=', slug).executeTakeFirst()) ?? null
  }

  /** Every source, by name. */
  async function listAll(): Promise<Source[]> {
    return db.selectFrom('sources').selectAll().orderBy('name').execute()
  }

  return { createSource, updateSource, deleteSource, getSource, storyCounts, byIds, findBySlug, listAll }
}

export type SourceService = ReturnType<typeof createSourceService>
