import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../db/database.ts'
import { wordsOf } from '../query.ts'
import { makeSnippet } from '../snippet.ts'
import { RANKED_MATCHES, type EngineHit, type SearchDocument, type SearchEngine, type SearchFilters, type SearchRequest } from '../port.ts'

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
const HALF_LIFE_S = 90 * 24 * 3600

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

  async function search(db: Db, request: SearchRequest): Promise<EngineHit[]> {
    const query = tsquery(request.query)
    if (!query) return []
    const where = [sql`d.document @@ q.query`, ...filterSql(request.filters)]
    // The newest RANKED_MATCHES matches are ranked, as on SQLite.
    const result = await sql<{ article_id: string; body: string }>`
      with q as (select (${query}) as query),
      newest as (
        select d.article_id, d.body, d.published_ts, d.document
        from search_documents d, q
        where ${sql.join(where, sql` and `)}
        order by d.published_ts desc
        limit ${RANKED_MATCHES}
      )
      select n.article_id, n.body
      from newest n, q
      order by ts_rank(${WEIGHTS}::float4[], n.document, q.query) / (1.0 + greatest(0.0, ${epoch(request.now)}::float8 - n.published_ts) / ${sql.raw(`${HALF_LIFE_S}.0`)}) desc,
        n.published_ts desc, n.article_id desc
      limit ${request.limit} offset ${request.offset}`.execute(db)
    // Snippets are made here, not by ts_headline, which drops anything shaped like an HTML tag from the text.
    return result.rows.map((r) => ({ articleId: r.article_id, snippet: makeSnippet(r.body, request.query) }))
  }

  return { name: 'postgres-tsvector', upsert, remove, search }
}
