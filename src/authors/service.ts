import type { Insertable, Selectable } from 'kysely'
import { z } from 'zod'
import { recordAudit } from '../audit/index.ts'
import type { Db } from '../db/database.ts'
import { DomainError } from '../shared/errors.ts'
import { newId } from '../shared/ids.ts'
import { parseInput } from '../shared/parse.ts'
import { SLUG_PATTERN } from '../shared/slug.ts'
import { isUniqueViolation } from '../shared/unique.ts'
import type { Author, AuthorLink } from './author.ts'
import type { AuthorsTable } from './tables.ts'

export const AuthorErrors = {
  AUTHOR_NOT_FOUND: 'AUTHOR_NOT_FOUND',
  AUTHOR_INVALID: 'AUTHOR_INVALID',
  AUTHOR_SLUG_TAKEN: 'AUTHOR_SLUG_TAKEN',
  AUTHOR_ACCOUNT_TAKEN: 'AUTHOR_ACCOUNT_TAKEN',
  AUTHOR_IN_USE: 'AUTHOR_IN_USE',
} as const

const HttpUrl = z
  .string()
  .trim()
  .max(2048)
  .url('Give a full address such as https://example.org/name.')
  .refine((v) => /^https?:\/\//i.test(v), 'Links must start with http:// or https://.')

export const CreateAuthor = z.object({
  slug: z.string().trim().min(1, 'Give the author a slug.').max(80, 'Keep the slug under 80 characters.').regex(SLUG_PATTERN, 'Use lower-case letters, digits and single hyphens.'),
  name: z.string().trim().min(1, 'Give a name.').max(160, 'Keep the name under 160 characters.'),
  kind: z.enum(['person', 'desk'], { message: 'Choose a person or a desk.' }),
  jobTitle: z.string().trim().max(160, 'Keep the job title under 160 characters.').nullable().default(null),
  bio: z.string().trim().max(4000, 'Keep the biography under 4,000 characters.').nullable().default(null),
  userId: z.string().min(1).nullable().default(null),
  links: z.array(z.object({ label: z.string().trim().min(1).max(60, 'Keep link names under 60 characters.'), url: HttpUrl })).max(12, 'Give at most 12 links.').default([]),
  pictureMediaId: z.string().trim().max(64).nullable().default(null),
})
export type CreateAuthor = z.input<typeof CreateAuthor>
export const UpdateAuthor = CreateAuthor
export type UpdateAuthor = z.input<typeof UpdateAuthor>

function parseLinks(json: string): AuthorLink[] {
  try {
    const value: unknown = JSON.parse(json)
    return Array.isArray(value) ? value.filter((l): l is AuthorLink => typeof l?.label === 'string' && typeof l?.url === 'string') : []
  } catch {
    return []
  }
}

function toAuthor(row: Selectable<AuthorsTable>): Author {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    kind: row.kind,
    jobTitle: row.job_title,
    bio: row.bio,
    userId: row.user_id,
    links: parseLinks(row.links),
    pictureMediaId: row.picture_media_id,
  }
}

function slugTaken(slug: string): DomainError {
  const message = `Another author or desk already uses the slug "${slug}".`
  return new DomainError('conflict', AuthorErrors.AUTHOR_SLUG_TAKEN, message, [{ path: 'slug', message: `${message} Choose another.`, code: 'taken' }])
}

/** Who makes a change, for the audit log. */
export interface AuthorActor {
  userId: string | null
}

/** Authors and desks: the names bylines show, each optionally tied to a staff account. */
export interface AuthorServiceDeps {
  db: Db
  /**
   * Brings what follows public stories (the search index) up to date for these stories, inside the
   * change's transaction, so search finds them by the new name at once. Built by the composition root.
   */
  reindexStories?: (trx: Db, articleIds: readonly string[]) => Promise<void>
}

export function createAuthorService(deps: AuthorServiceDeps) {
  const { db } = deps
  const reindex = deps.reindexStories ?? (async () => {})

  async function checks(trx: Db, cmd: z.output<typeof CreateAuthor>, selfId: string | null): Promise<void> {
    const taken = await trx.selectFrom('authors').select('id').where('slug', '=', cmd.slug).executeTakeFirst()
    if (taken && taken.id !== selfId) throw slugTaken(cmd.slug)
    if (cmd.pictureMediaId) {
      const picture = await trx.selectFrom('media').select('id').where('id', '=', cmd.pictureMediaId).executeTakeFirst()
      if (!picture) throw new DomainError('invalid', AuthorErrors.AUTHOR_INVALID, 'That picture is not in the media library.', [{ path: 'pictureMediaId', message: 'Choose a picture from the media library.', code: 'unknown' }])
    }
    if (cmd.userId) {
      const user = await trx.selectFrom('users').select('id').where('id', '=', cmd.userId).executeTakeFirst()
      if (!user) throw new DomainError('invalid', AuthorErrors.AUTHOR_INVALID, 'That staff account does not exist.', [{ path: 'userId', message: 'Choose an account from the list.', code: 'unknown' }])
      const linked = await trx.selectFrom('authors').select(['id', 'name']).where('user_id', '=', cmd.userId).executeTakeFirst()
      if (linked && linked.id !== selfId) {
        const message = `That account already signs as ${linked.name}.`
        throw new DomainError('conflict', AuthorErrors.AUTHOR_ACCOUNT_TAKEN, message, [{ path: 'userId', message: `${message} Unlink it there first, or choose no account.`, code: 'taken' }])
      }
    }
  }

  function rowOf(id: string, cmd: z.output<typeof CreateAuthor>): Insertable<AuthorsTable> {
    return {
      id,
      slug: cmd.slug,
      name: cmd.name,
      kind: cmd.kind,
      job_title: cmd.jobTitle || null,
      bio: cmd.bio || null,
      user_id: cmd.userId,
      links: JSON.stringify(cmd.links),
      picture_media_id: cmd.pictureMediaId || null,
    }
  }

  async function write<T>(slug: string, run: (trx: Db) => Promise<T>): Promise<T> {
    try {
      // Built on a transaction (an importer writing a story with its authors), the change joins it.
      return db.isTransaction ? await run(db) : await db.transaction().execute(run)
    } catch (error) {
      if (isUniqueViolation(error)) throw slugTaken(slug)
      throw error
    }
  }

  /** Creates an author or desk; with an actor, audited in the same transaction. */
  async function createAuthor(input: CreateAuthor, actor?: AuthorActor): Promise<Author> {
    const cmd = parseInput(CreateAuthor, input, AuthorErrors.AUTHOR_INVALID)
    return write(cmd.slug, async (trx) => {
      await checks(trx, cmd, null)
      const row = rowOf(newId('aut'), cmd)
      await trx.insertInto('authors').values(row).execute()
      if (actor) await recordAudit(trx, { actorId: actor.userId, action: 'author.created', targetType: 'author', targetId: row.id, summary: `Created ${cmd.kind === 'desk' ? 'desk' : 'author'} ${cmd.name}` })
      return toAuthor(row as Selectable<AuthorsTable>)
    })
  }

  async function updateAuthor(actor: AuthorActor, id: string, input: UpdateAuthor): Promise<Author> {
    const cmd = parseInput(UpdateAuthor, input, AuthorErrors.AUTHOR_INVALID)
    return write(cmd.slug, async (trx) => {
      const before = await trx.selectFrom('authors').selectAll().where('id', '=', id).executeTakeFirst()
      if (!before) throw new DomainError('not_found', AuthorErrors.AUTHOR_NOT_FOUND, 'That author does not exist.')
      await checks(trx, cmd, id)
      const { id: _id, ...values } = rowOf(id, cmd)
      await trx.updateTable('authors').set(values).where('id', '=', id).execute()
      const changed = (Object.keys(values) as (keyof typeof values)[]).filter((key) => values[key] !== before[key])
      if (values.name !== before.name) {
        const bylines = await trx.selectFrom('article_authors').select('article_id').where('author_id', '=', id).execute()
        await reindex(trx, bylines.map((b) => b.article_id))
      }
      if (changed.length > 0) {
        await recordAudit(trx, { actorId: actor.userId, action: 'author.changed', targetType: 'author', targetId: id, summary: `${cmd.name}: changed ${changed.join(', ').replace(/_/g, ' ')}` })
      }
      return toAuthor({ ...before, ...values })
    })
  }

  /** Deletes an author or desk that no story names; one in a byline is refused, so no byline loses a name. */
  async function deleteAuthor(actor: AuthorActor, id: string): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('authors').selectAll().where('id', '=', id).executeTakeFirst()
      if (!row) throw new DomainError('not_found', AuthorErrors.AUTHOR_NOT_FOUND, 'That author does not exist.')
      const used = await trx.selectFrom('article_authors').select((eb) => eb.fn.countAll<number | string>().as('n')).where('author_id', '=', id).executeTakeFirstOrThrow()
      if (Number(used.n) > 0) {
        throw new DomainError('conflict', AuthorErrors.AUTHOR_IN_USE, `${row.name} is in the byline of ${used.n} ${Number(used.n) === 1 ? 'story' : 'stories'}; change those bylines first.`)
      }
      await trx.deleteFrom('authors').where('id', '=', id).execute()
      await recordAudit(trx, { actorId: actor.userId, action: 'author.deleted', targetType: 'author', targetId: id, summary: `Deleted ${row.kind === 'desk' ? 'desk' : 'author'} ${row.name}` })
    })
  }

  async function getAuthor(id: string): Promise<Author> {
    const row = await db.selectFrom('authors').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw new DomainError('not_found', AuthorErrors.AUTHOR_NOT_FOUND, 'That author does not exist.')
    return toAuthor(row)
  }

  /** How many stories name each author, by author id; those in no byline are absent. */
  async function storyCounts(): Promise<Map<string, number>> {
    const rows = await db.selectFrom('article_authors').select((eb) => ['author_id', eb.fn.countAll<number | string>().as('n')]).groupBy('author_id').execute()
    return new Map(rows.map((r) => [r.author_id, Number(r.n)]))
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

  return { createAuthor, updateAuthor, deleteAuthor, getAuthor, storyCounts, findBySlug, byIds, listAll }
}

export type AuthorService = ReturnType<typeof createAuthorService>
