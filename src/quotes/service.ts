import { sql, type Kysely } from 'kysely'
import { z } from 'zod'
import { Body, type Article, type PublicChangeFollower } from '../articles/index.ts'
import type { Database, Db } from '../db/database.ts'
import { preparedQuery } from '../db/prepared.ts'
import type { Clock } from '../shared/clock.ts'
import { DomainError } from '../shared/errors.ts'
import { toPage, type Page, type PageRequest } from '../shared/pagination.ts'
import { parseInput } from '../shared/parse.ts'
import { QuoteErrors } from './errors.ts'
import { quotesOf, speakerKey } from './ledger.ts'
import { recordAudit } from '../audit/index.ts'

/** The newest spelling filed under a key itself, read in the caller's transaction; null when none is. */
async function spellingIn(trx: Db, key: string): Promise<string | null> {
  const row = await trx.selectFrom('quote_entries').select('speaker_name').where('speaker_key', '=', key).orderBy('published_at', 'desc').limit(1).executeTakeFirst()
  return row?.speaker_name ?? null
}

/** A speaker with how often and how recently the paper quoted them. */
export interface Speaker {
  key: string
  name: string
  quoteCount: number
  lastQuotedAt: string
}

/** One entry of a speaker's page: the words, to whom, and the story they appeared in. */
export interface QuoteEntry {
  id: string
  speakerName: string
  text: string
  role: string | null
  givenTo: string | null
  context: string | null
  via: string | null
  saidOn: string | null
  article: { id: string; slug: string; title: string; publishedAt: string }
}

export type SpeakerLookup = { kind: 'speaker'; speaker: Speaker; page: Page<QuoteEntry> } | { kind: 'moved'; key: string } | { kind: 'missing' }

export const MergeSpeakers = z.object({
  from: z.string().trim().min(1, 'Choose the spelling to merge.').max(120),
  into: z.string().trim().min(1, 'Choose the speaker to keep.').max(120),
})
export type MergeSpeakers = z.input<typeof MergeSpeakers>

/** The key a stored key shows under: itself, or the speaker it was merged into. */
function canonical(column: string) {
  return sql<string>`coalesce((select a.speaker_key from quote_speaker_aliases a where a.alias_key = ${sql.ref(column)}), ${sql.ref(column)})`
}

/** Rewrites a story's ledger entries: its quote blocks when it is public, none otherwise. Runs in the caller's transaction. */
export async function syncQuotes(trx: Db, article: Pick<Article, 'id' | 'status' | 'publishedAt' | 'body'>): Promise<void> {
  await trx.deleteFrom('quote_entries').where('article_id', '=', article.id).execute()
  if (article.status !== 'published' || article.publishedAt === null) return
  const quotes = quotesOf(article)
  if (quotes.length === 0) return
  await trx
    .insertInto('quote_entries')
    .values(
      quotes.map((q) => ({
        id: `${article.id}:${q.position}`,
        article_id: article.id,
        position: q.position,
        speaker_key: q.speakerKey,
        speaker_name: q.speakerName,
        text: q.text,
        role: q.role,
        given_to: q.givenTo,
        context: q.context,
        via: q.via,
        said_on: q.saidOn,
        published_at: article.publishedAt!,
      })),
    )
    .execute()
}

/** Fills the ledger from every published story, in keyset batches (the migration that creates it). */
export async function backfillQuotes(db: Db): Promise<number> {
  let after = ''
  let count = 0
  for (;;) {
    const rows = await db.selectFrom('articles').select(['id', 'body', 'published_at']).where('status', '=', 'published').where('id', '>', after).orderBy('id').limit(500).execute()
    if (rows.length === 0) return count
    for (const row of rows) {
      const body = Body.safeParse(JSON.parse(row.body))
      if (body.success) await syncQuotes(db, { id: row.id, status: 'published', publishedAt: row.published_at, body: body.data })
      count++
    }
    after = rows.at(-1)!.id
  }
}

/** Where the speakers of a story's quotes are filed, on every uncached render of a story with quotes. */
const aliasesOf = preparedQuery((db, keys: readonly string[]) => db.selectFrom('quote_speaker_aliases').select(['alias_key', 'speaker_key']).where('alias_key', 'in', keys))

/**
 * The quotes ledger: every speaker quoted in published stories, with what
 * they were quoted as saying, newest first; editors merge two spellings of
 * one person. Entries follow the stories (a `PublicChangeFollower`), so an
 * unpublished story's quotes leave the ledger in the same transaction.
 */
export function createQuoteService(deps: { db: Kysely<Database>; clock: Clock }) {
  const { db, clock } = deps

  const follower: PublicChangeFollower = { sync: (trx, article) => syncQuotes(trx, article) }
  // Who wants to hear of merges (the public page cache): speaker pages and article links change.
  const mergeListeners = new Set<() => void>()

  async function resolve(key: string): Promise<string> {
    const alias = await db.selectFrom('quote_speaker_aliases').select('speaker_key').where('alias_key', '=', key).executeTakeFirst()
    return alias?.speaker_key ?? key
  }

  /** The display name of a canonical speaker: the newest spelling filed under that key itself, else under a merged one. */
  async function nameOf(key: string): Promise<string | null> {
    const own = await db.selectFrom('quote_entries').select('speaker_name').where('speaker_key', '=', key).orderBy('published_at', 'desc').limit(1).executeTakeFirst()
    if (own) return own.speaker_name
    const merged = await db
      .selectFrom('quote_entries')
      .innerJoin('quote_speaker_aliases', 'quote_speaker_aliases.alias_key', 'quote_entries.speaker_key')
      .select('quote_entries.speaker_name')
      .where('quote_speaker_aliases.speaker_key', '=', key)
      .orderBy('quote_entries.published_at', 'desc')
      .limit(1)
      .executeTakeFirst()
    return merged?.speaker_name ?? null
  }

  /** Every quoted speaker, by name, merged spellings folded in. */
  async function listSpeakers(): Promise<Speaker[]> {
    const rows = await db
      .selectFrom('quote_entries')
      .select([canonical('quote_entries.speaker_key').as('key'), sql<number | string>`count(*)`.as('n'), sql<string>`max(quote_entries.published_at)`.as('latest')])
      .groupBy(canonical('quote_entries.speaker_key'))
      .execute()
    const names = await db.selectFrom('quote_entries').select(['speaker_key', 'speaker_name', 'published_at']).orderBy('published_at', 'desc').execute()
    const nameByKey = new Map<string, string>()
    for (const n of names) if (!nameByKey.has(n.speaker_key)) nameByKey.set(n.speaker_key, n.speaker_name)
    return rows
      .map((r) => ({ key: r.key, name: nameByKey.get(r.key) ?? r.key, quoteCount: Number(r.n), lastQuotedAt: r.latest }))
      .sort((a, b) => a.name.localeCompare(b.name))
  }

  /** A speaker's quotes, newest story first; a merged spelling answers `moved` with the key to use. */
  async function speaker(key: string, request: PageRequest): Promise<SpeakerLookup> {
    const target = await resolve(key)
    if (target !== key) return { kind: 'moved', key: target }
    const keys = [key, ...(await db.selectFrom('quote_speaker_aliases').select('alias_key').where('speaker_key', '=', key).execute()).map((a) => a.alias_key)]
    const stats = await db
      .selectFrom('quote_entries')
      .select([sql<number | string>`count(*)`.as('n'), sql<string | null>`max(published_at)`.as('latest')])
      .where('speaker_key', 'in', keys)
      .executeTakeFirst()
    if (!stats || Number(stats.n) === 0 || !stats.latest) return { kind: 'missing' }
    const rows = await db
      .selectFrom('quote_entries')
      .innerJoin('articles', 'articles.id', 'quote_entries.article_id')
      .select([
        'quote_entries.id',
        'quote_entries.speaker_name',
        'quote_entries.text',
        'quote_entries.role',
        'quote_entries.given_to',
        'quote_entries.context',
        'quote_entries.via',
        'quote_entries.said_on',
        'quote_entries.published_at',
        'articles.id as article_id',
        'articles.slug',
        'articles.title',
      ])
      .where('quote_entries.speaker_key', 'in', keys)
      .orderBy('quote_entries.published_at', 'desc')
      .orderBy('quote_entries.article_id')
      .orderBy('quote_entries.position')
      .limit(request.perPage + 1)
      .offset((request.page - 1) * request.perPage)
      .execute()
    const entries: QuoteEntry[] = rows.map((r) => ({
      id: r.id,
      speakerName: r.speaker_name,
      text: r.text,
      role: r.role,
      givenTo: r.given_to,
      context: r.context,
      via: r.via,
      saidOn: r.said_on,
      article: { id: r.article_id, slug: r.slug, title: r.title, publishedAt: r.published_at },
    }))
    return {
      kind: 'speaker',
      speaker: { key, name: (await nameOf(key)) ?? key, quoteCount: Number(stats.n), lastQuotedAt: stats.latest },
      page: toPage(entries, request),
    }
  }

  /** The ledger key each name links to, merges applied: for the quotes on an article page. */
  async function keysFor(names: readonly string[]): Promise<Map<string, string>> {
    const byName = new Map(names.map((n) => [n, speakerKey(n)]))
    const keys = [...new Set(byName.values())]
    if (keys.length === 0) return new Map()
    const aliases = await aliasesOf(db, keys)
    const target = new Map(aliases.map((a) => [a.alias_key, a.speaker_key]))
    return new Map([...byName].map(([name, key]) => [name, target.get(key) ?? key]))
  }

  /**
   * Files one spelling under another speaker: `from` and everything already
   * merged into it then show under `into`. Both must be speakers the ledger
   * knows; merging a speaker into itself is refused.
   */
  async function merge(input: MergeSpeakers, actor: { userId: string | null }): Promise<{ into: string }> {
    const cmd = parseInput(MergeSpeakers, input, QuoteErrors.QUOTE_MERGE_INVALID)
    const result = await db.transaction().execute(async (trx) => {
      const known = async (key: string) => (await trx.selectFrom('quote_entries').select('id').where('speaker_key', '=', key).limit(1).executeTakeFirst()) !== undefined
      const aliasOf = async (key: string) => (await trx.selectFrom('quote_speaker_aliases').select('speaker_key').where('alias_key', '=', key).executeTakeFirst())?.speaker_key
      const into = (await aliasOf(cmd.into)) ?? cmd.into
      const from = (await aliasOf(cmd.from)) ?? cmd.from
      for (const [path, key] of [['from', cmd.from], ['into', cmd.into]] as const) {
        if (!(await known(key)) && !(await aliasOf(key))) {
          throw new DomainError('invalid', QuoteErrors.QUOTE_SPEAKER_NOT_FOUND, 'That speaker is not in the ledger.', [{ path, message: 'No quotes are filed under this speaker.', code: 'unknown' }])
        }
      }
      if (from === into) {
        throw new DomainError('invalid', QuoteErrors.QUOTE_MERGE_INVALID, 'These are already one speaker.', [{ path: 'into', message: 'Choose a different speaker to merge into.', code: 'same' }])
      }
      const at = clock.now().toISOString()
      // Whatever was merged into `from` follows it, so no chain of aliases forms.
      await trx.updateTable('quote_speaker_aliases').set({ speaker_key: into }).where('speaker_key', '=', from).execute()
      await trx.deleteFrom('quote_speaker_aliases').where('alias_key', '=', from).execute()
      await trx.insertInto('quote_speaker_aliases').values({ alias_key: from, speaker_key: into, merged_by: actor.userId, merged_at: at }).execute()
      // In the merge's own transaction: a refused or failed merge leaves no entry.
      const fromName = await spellingIn(trx, from)
      const intoName = await spellingIn(trx, into)
      await recordAudit(trx, {
        at,
        actorId: actor.userId,
        action: 'quote.speakers_merged',
        targetType: 'speaker',
        targetId: into,
        summary: `Merged ${fromName ?? from} (/quotes/${from}) into ${intoName ?? into} (/quotes/${into})`,
      })
      return { into }
    })
    for (const listener of mergeListeners) listener()
    return result
  }

  /** Calls `listener` after every merge; returns the function that stops it. */
  function onMerged(listener: () => void): () => void {
    mergeListeners.add(listener)
    return () => mergeListeners.delete(listener)
  }

  return { follower, listSpeakers, speaker, keysFor, merge, onMerged }
}

export type QuoteService = ReturnType<typeof createQuoteService>
