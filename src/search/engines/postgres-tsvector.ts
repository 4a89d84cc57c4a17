import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../db/database.ts'
import { wordsOf } from '../query.ts'
import { makeSnippet } from '../snippet.ts'
import { OLDER_HEADLINE_MATCHES, RANKED_MATCHES, rankWindow, type EngineResult, type SearchDocument, type SearchEngine, type SearchFilters, type SearchRequest } from '../port.ts'

/**
 * Search on PostgreSQL text search. `search_documents` holds a weighted
 * tsvector per story (A headline; B dek and bylines; C quotes, tags and
 * credit; D body) under a GIN index, built from the same folded words the
 * query uses (`wordsOf`), with the 'simple' configuration: no stemming and no
 * stop words, like FTS5's unicode61, so both engines find the same stories.
 * Created by migration 2026_12_01_0400_create_search_index.
 */

/** ts_rank weights for D, C, B, A. */
const WEIGHTS = '{0.1, 0.25, 0.4, 1.0}'

const epoch = (iso: string) => Date.parse(iso) / 1000
const folded = (...texts: string[]) => texts.flatMap(wordsOf).join(' ')

/** The tsquery for a parsed query: each word and each phrase, all required. Values are parameters, never spliced. */
function tsquery(query: SearchRequest['query']): RawBuilder<unknown> | null {
  const parts = [
    ...query.words.map((w) => sql`plainto_tsquery('simple', ${wordsOf(w).join(' ')})`),
    ...query.phrases.map((p) => sql`phraseto_tsquery('simple', ${p.flatMap(wordsOf).join(' ')})`),
  ]
  return parts.length === 0 ? null : sql.join(parts, sql` && `)
}

/** A tsquery literal: inside single quotes, a quote and a backslash are escaped (the words of `wordsOf` have neither, but say so anyway). */
const lexeme = (word: string) => `'${word.replace(/['\\]/g, (c) => `\\${c}`)}':A`

/**
 * The same query restricted to the headline (weight A): every word and phrase
 * labelled `:A`. Built as text for to_tsquery from the folded words; still one parameter.
 * @example headlineTsquery({ words: ['oil'], phrases: [['gas', 'field']] }) // to_tsquery('simple', "'oil':A & ('gas':A <-> 'field':A)")
 */
function headlineTsquery(query: SearchRequest['query']): RawBuilder<unknown> | null {
  const parts = [
    ...query.words.flatMap(wordsOf).map(lexeme),
    ...query.phrases.map((p) => p.flatMap(wordsOf)).filter((p) => p.length > 0).map((p) => `(${p.map(lexeme).join(' <-> ')})`),
  ]
  return parts.length === 0 ? null : sql`to_tsquery('simple', ${parts.join(' & ')})`
}

function filterSql(filters: SearchFilters): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = []
  if (filters.sectionIds) {
    out.push(
      filters.sectionIds.length === 0
        ? sql`false`
        : sql`exists (select 1 from article_sections s where s.article_id = d.article_id and s.section_id in (${sql.join(filters.sectionIds.map((id) => sql`${id}`))}))`,
    )
  }
  if (filters.authorId) out.push(sql`exists (select 1 from article_authors a where a.article_id = d.article_id and a.author_id = ${filters.authorId})`)
  if (filters.sourceId) out.push(sql`d.source_id = ${filters.sourceId}`)
  if (filters.from) out.push(sql`d.published_ts >= ${epoch(filters.from)}`)
  if (filters.until) out.push(sql`d.published_ts < ${epoch(filters.until)}`)
  return out
}

export function createPostgresSearchEngine(): SearchEngine {
  async function upsert(trx: Db, doc: SearchDocument): Promise<void> {
    const vector = sql`
      setweight(to_tsvector('simple', ${folded(doc.headline)}), 'A') ||
      setweight(to_tsvector('simple', ${folded(doc.dek, doc.authors)}), 'B') ||
      setweight(to_tsvector('simple', ${folded(doc.quotes, doc.tags, doc.credit)}), 'C') ||
      setweight(to_tsvector('simple', ${folded(doc.body)}), 'D')`
    await sql`
      insert into search_documents (article_id, source_id, published_ts, body, document)
      values (${doc.articleId}, ${doc.sourceId}, ${epoch(doc.publishedAt)}, ${doc.body}, ${vector})
      on conflict (article_id) do update set source_id = excluded.source_id, published_ts = excluded.published_ts, body = excluded.body, document = excluded.document`.execute(trx)
  }

  async function remove(trx: Db, articleId: string): Promise<void> {
    await sql`delete from search_documents where article_id = ${articleId}`.execute(trx)
  }

  /**
   * Matches of `query` newest first with their ts_rank when `scored`; `before` keeps them older
   * than a (published_ts, article_id) edge.
   */
  async function newestMatches(db: Db, query: RawBuilder<unknown>, filters: SearchFilters, limit: number, options: { scored: boolean; before?: { publishedTs: number; articleId: string } }) {
    const where = [sql`d.document @@ q.query`, ...filterSql(filters)]
    const { before } = options
    if (before) where.push(sql`(d.published_ts, d.article_id) < (${before.publishedTs}::float8, ${before.articleId})`)
    const relevance = options.scored ? sql`ts_rank(${WEIGHTS}::float4[], n.document, q.query)` : sql`null::float4`
    // Ranked outside the limited subquery, so ts_rank runs for the window only, never for every match.
    const result = await sql<{ article_id: string; published_ts: number; relevance: number | null }>`
      with q as (select (${query}) as query)
      select n.article_id, n.published_ts, ${relevance} as relevance
      from (
        select d.article_id, d.published_ts, d.document
        from search_documents d, q
        where ${sql.join(where, sql` and `)}
        order by d.published_ts desc, d.article_id desc
        limit ${limit}
      ) n, q
      order by n.published_ts desc, n.article_id desc`.execute(db)
    return result.rows.map((r) => ({ articleId: r.article_id, publishedTs: Number(r.published_ts), relevance: r.relevance === null ? null : Number(r.relevance) }))
  }

  async function search(db: Db, request: SearchRequest): Promise<EngineResult> {
    const query = tsquery(request.query)
    if (!query) return { hits: [], cut: null }
    // The newest RANKED_MATCHES matches, as on SQLite, and one more to know whether any were left out.
    const matches = await newestMatches(db, query, request.filters, RANKED_MATCHES + 1, { scored: true })
    const newest = matches.slice(0, RANKED_MATCHES)
    const edge = newest.at(-1)
    const cut = matches.length > RANKED_MATCHES && edge ? edge : null
    // Past the window, older stories with the words in the headline (weight A); not scored, see OLDER_HEADLINE_MATCHES.
    const headline = headlineTsquery(request.query)
    const older = cut && headline ? await newestMatches(db, headline, request.filters, OLDER_HEADLINE_MATCHES, { scored: false, before: cut }) : []
    const page = rankWindow([...newest, ...older], request)
    const ids = page.map((row) => row.articleId)
    const bodies =
      ids.length === 0 ? [] : (await sql<{ article_id: string; body: string }>`select article_id, body from search_documents where article_id in (${sql.join(ids)})`.execute(db)).rows
    const bodyOf = new Map(bodies.map((row) => [row.article_id, row.body]))
    // Snippets are made here, not by ts_headline, which drops anything shaped like an HTML tag from the text.
    return {
      hits: page.map((row) => ({ articleId: row.articleId, snippet: makeSnippet(bodyOf.get(row.articleId) ?? '', request.query) })),
      cut: cut ? { oldestRanked: new Date(cut.publishedTs * 1000).toISOString() } : null,
    }
  }

  return { name: 'postgres-tsvector', upsert, remove, search }
}
