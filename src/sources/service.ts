import { z } from 'zod'
import type { Db } from '../db/database.ts'
import { DomainError } from '../shared/errors.ts'
import { newId } from '../shared/ids.ts'
import { parseInput } from '../shared/parse.ts'
import { SLUG_PATTERN } from '../shared/slug.ts'
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
} as const

export const CreateSource = z.object({
  slug: z.string().regex(SLUG_PATTERN, 'Use lower-case letters, digits and single hyphens.').max(80),
  name: z.string().trim().min(1).max(160),
  credit: z.string().trim().min(1).max(80),
  kind: z.enum(['staff', 'agency', 'partner', 'reader']),
  url: z.string().url().max(2048).nullable().default(null),
})
export type CreateSource = z.input<typeof CreateSource>

/** Wire agencies, partners, the staff and readers as sources of copy. */
export function createSourceService(deps: { db: Db }) {
  const { db } = deps

  async function createSource(input: CreateSource): Promise<Source> {
    const cmd = parseInput(CreateSource, input, SourceErrors.SOURCE_INVALID)
    const taken = await db.selectFrom('sources').select('id').where('slug', '=', cmd.slug).executeTakeFirst()
    if (taken) throw new DomainError('conflict', SourceErrors.SOURCE_SLUG_TAKEN, `A source with slug "${cmd.slug}" exists.`)
    const source: Source = { id: newId('src'), ...cmd }
    await db.insertInto('sources').values(source).execute()
    return source
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

  return { createSource, byIds, findBySlug, listAll }
}

export type SourceService = ReturnType<typeof createSourceService>
