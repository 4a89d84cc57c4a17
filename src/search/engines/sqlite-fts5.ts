import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../db/database.ts'
import { foldText } from '../query.ts'
import type { EngineHit, SearchDocument, SearchEngine, SearchFilters, SearchRequest } from '../port.ts'

/**
 * Search on SQLite's FTS5. `search_entries` gives every indexed story a
 * stable integer id (the FTS row id) and holds the filter columns;
 * `search_fts` holds the seven text columns, tokenised by unicode61 with
 * diacritics removed. Created by migration 2026_12_01_0400_create_search_index.
 */

/** bm25 weights, in column order: headline, dek, body, quotes, authors, tags, credit. */
const WEIGHTS = sql.raw('10.0, 4.0, 1.0, 2.0, 4.0, 3.0, 2.0')
/** Seconds over which a story's score halves: 90 days. */
const HALF_LIFE_S = 90 * 24 * 3600
const BODY_COLUMN = 2

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
    await sql`delete from search_entries where id = ${id}`.execute(trx)
  }

  async function upsert(trx: Db, doc: SearchDocument): Promise<void> {
    await remove(trx, doc.articleId)
    const inserted = await sql<{ id: number }>`
      insert into search_entries (article_id, source_id, published_ts) values (${doc.articleId}, ${doc.sourceId}, ${epoch(doc.publishedAt)}) returning id`.execute(trx)
    const id = inserted.rows[0]!.id
    await sql`
      insert into search_fts (rowid, headline, dek, body, quotes, authors, tags, credit)
      values (${id}, ${doc.headline}, ${doc.dek}, ${doc.body}, ${doc.quotes}, ${doc.authors}, ${doc.tags}, ${doc.credit})`.execute(trx)
  }

  async function search(db: Db, request: SearchRequest): Promise<EngineHit[]> {
    const match = matchExpression(request.query)
    if (match === '') return []
    const where = [sql`search_fts match ${match}`, ...filterSql(request.filters)]
    // Rank first without snippets: SQLite would otherwise build a snippet for every match before sorting.
    const ranked = await sql<{ id: number; article_id: string }>`
      select e.id as id, e.article_id as article_id
      from search_fts join search_entries e on e.id = search_fts.rowid
      where ${sql.join(where, sql` and `)}
      order by bm25(search_fts, ${WEIGHTS}) / (1.0 + max(0.0, ${epoch(request.now)} - e.published_ts) / ${sql.raw(`${HALF_LIFE_S}.0`)}), e.published_ts desc, e.id desc
      limit ${request.limit} offset ${request.offset}`.execute(db)
    const hits: EngineHit[] = []
    for (const row of ranked.rows) {
      const snippet = await sql<{ snippet: string | null }>`
        select snippet(search_fts, ${sql.raw(String(BODY_COLUMN))}, char(2), char(3), '…', 24) as snippet
        from search_fts where search_fts match ${match} and rowid = ${row.id}`.execute(db)
      hits.push({ articleId: row.article_id, snippet: snippet.rows[0]?.snippet ?? '' })
    }
    return hits
  }

  return { name: 'sqlite-fts5', upsert, remove, search }
}
