import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../db/database.ts'
import { foldText } from '../query.ts'
import { makeSnippet } from '../snippet.ts'
import { OLDER_HEADLINE_MATCHES, RANKED_MATCHES, rankWindow, type EngineResult, type SearchDocument, type SearchEngine, type SearchFilters, type SearchRequest } from '../port.ts'

/**
 * Search on SQLite's FTS5. `search_entries` gives every indexed story an
 * integer id (the FTS row id) made from its publication time (`rowKeyBase`),
 * and holds the filter columns;
 * `search_fts` holds the seven text columns, tokenised by unicode61 with
 * diacritics removed. Snippets are made by `makeSnippet`, as on PostgreSQL. Created by migration 2026_12_01_0400_create_search_index.
 */

/** bm25 weights, in column order: headline, dek, body, quotes, authors, tags, credit. */
const WEIGHTS = sql.raw('10.0, 4.0, 1.0, 2.0, 4.0, 3.0, 2.0')

/** An FTS5 string literal: inside double quotes, a double quote is doubled (the FTS5 query syntax, §3.1). */
function ftsString(words: readonly string[]): string {
  return `"${words.join(' ').replace(/"/g, '""')}"`
}

/**
 * The MATCH expression: every word and phrase as a quoted string, joined by
 * spaces (FTS5's implicit AND). Quoting makes every token a literal, so
 * operators, column filters and `*` in the input mean nothing.
 * @example matchExpression({ words: ['oil'], phrases: [['deportation', 'flights']] }) // '"oil" "deportation flights"'
 */
export function matchExpression(query: { words: readonly string[]; phrases: readonly (readonly string[])[] }): string {
  return [...query.words.map((w) => ftsString([foldText(w)])), ...query.phrases.map((p) => ftsString(p.map(foldText)))].join(' ')
}

const epoch = (iso: string) => Date.parse(iso) / 1000

/**
 * Row ids per minute of publication: a story's row id is its publication
 * minute times this, plus a tie-breaker among stories of the same minute
 * (`freeRowId`), so FTS5's row-id order (the only order it reads matches in
 * cheaply) is publication order, whenever and however often a story is
 * re-indexed. Minutes, not seconds: FTS5 stores each posting's row id as a
 * varint delta, and on 20,000 synthetic stories five minutes apart the index
 * grew 23% over sequential ids with minute × 256, against 71% with
 * second × 2^20. Within a minute the order is the order of indexing.
 */
export const ROW_KEYS_PER_MINUTE = 256

/** The first row id for a story published at this instant. */
export function rowKeyBase(publishedAt: string): number {
  return Math.floor(epoch(publishedAt) / 60) * ROW_KEYS_PER_MINUTE
}

/**
 * The row id for a story whose minute starts at `base`: the next one of that
 * minute (a range read on the primary key). A full minute (an archive import
 * that knows only the day) spills into the first free id after it: a little
 * out of order, never a clash.
 */
async function freeRowId(trx: Db, base: number): Promise<number> {
  const top = (await sql<{ top: number | null }>`select max(id) as top from search_entries where id >= ${base} and id < ${base + ROW_KEYS_PER_MINUTE}`.execute(trx)).rows[0]?.top ?? null
  if (top === null) return base
  if (top + 1 < base + ROW_KEYS_PER_MINUTE) return top + 1
  const next = await sql<{ id: number }>`
    select e.id + 1 as id from search_entries e
    where e.id >= ${top} and not exists (select 1 from search_entries f where f.id = e.id + 1)
    order by e.id limit 1`.execute(trx)
  return next.rows[0]!.id
}

function filterSql(filters: SearchFilters): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = []
  if (filters.sectionIds) {
    out.push(
      filters.sectionIds.length === 0
        ? sql`0`
        : sql`exists (select 1 from article_sections s where s.article_id = e.article_id and s.section_id in (${sql.join(filters.sectionIds.map((id) => sql`${id}`))}))`,
    )
  }
  if (filters.authorId) out.push(sql`exists (select 1 from article_authors a where a.article_id = e.article_id and a.author_id = ${filters.authorId})`)
  if (filters.sourceId) out.push(sql`e.source_id = ${filters.sourceId}`)
  if (filters.from) out.push(sql`e.published_ts >= ${epoch(filters.from)}`)
  if (filters.until) out.push(sql`e.published_ts < ${epoch(filters.until)}`)
  return out
}

export function createSqliteSearchEngine(): SearchEngine {
  async function remove(trx: Db, articleId: string): Promise<void> {
    const row = await sql<{ id: number }>`select id from search_entries where article_id = ${articleId}`.execute(trx)
    const id = row.rows[0]?.id
    if (id === undefined) return
    await sql`delete from search_fts where rowid = ${id}`.execute(trx)
    await sql`delete from search_headlines where rowid = ${id}`.execute(trx)
    await sql`delete from search_entries where id = ${id}`.execute(trx)
  }

  async function upsert(trx: Db, doc: SearchDocument): Promise<void> {
    await remove(trx, doc.articleId)
    const id = await freeRowId(trx, rowKeyBase(doc.publishedAt))
    await sql`insert into search_entries (id, article_id, source_id, published_ts) values (${id}, ${doc.articleId}, ${doc.sourceId}, ${epoch(doc.publishedAt)})`.execute(trx)
    await sql`
      insert into search_fts (rowid, headline, dek, body, quotes, authors, tags, credit)
      values (${id}, ${doc.headline}, ${doc.dek}, ${doc.body}, ${doc.quotes}, ${doc.authors}, ${doc.tags}, ${doc.credit})`.execute(trx)
    await sql`insert into search_headlines (rowid, headline) values (${id}, ${doc.headline})`.execute(trx)
  }

  /**
   * Matches of `match` read off the FTS index newest first (row ids follow publication time, see
   * rowKeyBase), with their bm25 relevance when `scored`; `below` keeps row ids under a bound (FTS5 seeks to it).
   * `table` is `search_fts` (every column) or `search_headlines` (headlines alone, for older headline matches).
   * CROSS JOIN keeps the FTS table as the outer loop: with a plain join SQLite may walk
   * search_entries and run the MATCH once per row, minutes at 100,000 stories.
   */
  async function newestMatches(db: Db, match: string, filters: SearchFilters, limit: number, options: { table: 'search_fts' | 'search_headlines'; scored: boolean; below?: number }) {
    const table = sql.raw(options.table)
    const where = [sql`${table} match ${match}`, ...filterSql(filters)]
    if (options.below !== undefined) where.push(sql`${table}.rowid < ${options.below}`)
    const relevance = options.scored ? sql`bm25(search_fts, ${WEIGHTS})` : sql`null`
    const result = await sql<{ id: number; article_id: string; published_ts: number; relevance: number | null }>`
      select e.id as id, e.article_id as article_id, e.published_ts as published_ts, ${relevance} as relevance
      from ${table} cross join search_entries e on e.id = ${table}.rowid
      where ${sql.join(where, sql` and `)}
      order by ${table}.rowid desc
      limit ${sql.raw(String(limit))}`.execute(db)
    // bm25 is lower for better matches; the shared ranking wants higher.
    return result.rows.map((r) => ({ id: r.id, articleId: r.article_id, publishedTs: r.published_ts, relevance: r.relevance === null ? null : -r.relevance }))
  }

  async function search(db: Db, request: SearchRequest): Promise<EngineResult> {
    const match = matchExpression(request.query)
    if (match === '') return { hits: [], cut: null }
    // The newest RANKED_MATCHES matches, and one more to know whether any were left out.
    const matches = await newestMatches(db, match, request.filters, RANKED_MATCHES + 1, { table: 'search_fts', scored: true })
    const newest = matches.slice(0, RANKED_MATCHES)
    const edge = newest.at(-1)
    const cut = matches.length > RANKED_MATCHES && edge ? edge : null
    // Past the window, older stories with the words in the headline, from the headlines' own index (a
    // column filter on search_fts reads every column's postings of each word); not scored, see OLDER_HEADLINE_MATCHES.
    const older = cut ? await newestMatches(db, match, request.filters, OLDER_HEADLINE_MATCHES, { table: 'search_headlines', scored: false, below: cut.id }) : []
    const page = rankWindow([...newest, ...older], request)
    // Snippets from the stored bodies by row id alone, in one statement: FTS5's snippet() needs the
    // MATCH in the same query, and with it SQLite builds a snippet for every matching row before filtering by row id.
    const ids = page.map((row) => row.id)
    const bodies =
      ids.length === 0 ? [] : (await sql<{ id: number; body: string | null }>`select rowid as id, body from search_fts where rowid in (${sql.join(ids)})`.execute(db)).rows
    const bodyOf = new Map(bodies.map((row) => [row.id, row.body ?? '']))
    return {
      hits: page.map((row) => ({ articleId: row.articleId, snippet: makeSnippet(bodyOf.get(row.id) ?? '', request.query) })),
      cut: cut ? { oldestRanked: new Date(cut.publishedTs * 1000).toISOString() } : null,
    }
  }

  return { name: 'sqlite-fts5', upsert, remove, search }
}
