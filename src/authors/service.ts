import { z } from 'zod'
import type { Db } from '../db/database.ts'
import { DomainError } from '../shared/errors.ts'
import { newId } from '../shared/ids.ts'
import { parseInput } from '../shared/parse.ts'
import { SLUG_PATTERN } from '../shared/slug.ts'
import type { Author } from './author.ts'
import type { AuthorsTable } from './tables.ts'

export const AuthorErrors = {
  AUTHOR_NOT_FOUND: 'AUTHOR_NOT_FOUND',
  AUTHOR_INVALID: 'AUTHOR_INVALID',
  AUTHOR_SLUG_TAKEN: 'AUTHOR_SLUG_TAKEN',
} as const

export const CreateAuthor = z.object({
  slug: z.string().regex(SLUG_PATTERN, 'Use lower-case letters, digits and single hyphens.').max(80),
  name: z.string().trim().min(1).max(160),
  kind: z.enum(['person', 'desk']),
  jobTitle: z.string().trim().max(160).nullable().default(null),
  bio: z.string().trim().max(4000).nullable().default(null),
})
export type CreateAuthor = z.input<typeof CreateAuthor>

function toAuthor(row: AuthorsTable): Author {
  return { id: row.id, slug: row.slug, name: row.name, kind: row.kind, jobTitle: row.job_title, bio: row.bio }
}

/** Authors and desks. */
export function createAuthorService(deps: { db: Db }) {
  const { db } = deps

  async function createAuthor(input: CreateAuthor): Promise<Author> {
    const cmd = parseInput(CreateAuthor, input, AuthorErrors.AUTHOR_INVALID)
    const taken = await db.selectFrom('authors').select('id').where('slug', '=', cmd.slug).executeTakeFirst()
    if (taken) throw new DomainError('conflict', AuthorErrors.AUTHOR_SLUG_TAKEN, `An author with slug "${cmd.slug}" exists.`)
    const row: AuthorsTable = {
      id: newId('aut'),
      slug: cmd.slug,
      name: cmd.name,
      kind: cmd.kind,
      job_title: cmd.jobTitle,
      bio: cmd.bio,
    }
    await db.insertInto('authors').values(row).execute()
    return toAuthor(row)
  }

  /** The author with this slug, or null. */
  async function findBySlug(slug: string): Promise<Author | null> {
    const row = await db.selectFrom('authors').selectAll().where('slug', '=', slug).executeTakeFirst()
    return row ? toAuthor(row) : null
  }

  /** Authors by id; unknown ids are skipped. */
  async function byIds(ids: readonly string[]): Promise<Author[]> {
    if (ids.length === 0) return []
    const rows = await db.selectFrom('authors').selectAll().where('id', 'in', [...ids]).execute()
    return rows.map(toAuthor)
  }

  /** Every author and desk, by name: the byline choices. */
  async function listAll(): Promise<Author[]> {
    const rows = await db.selectFrom('authors').selectAll().orderBy('name').execute()
    return rows.map(toAuthor)
  }

  return { createAuthor, findBySlug, byIds, listAll }
}

export type AuthorService = ReturnType<typeof createAuthorService>
