import type { Db } from '../db/database.ts'
import type { ParsedQuery } from './query.ts'

/**
 * What the index holds of one published story. Texts are as written; each
 * engine folds them itself (see `foldText`) so accents and case never matter.
 */
export interface SearchDocument {
  articleId: string
  headline: string
  dek: string
  body: string
  /** Quote blocks and pull quotes: the words and who said them, to whom. */
  quotes: string
  authors: string
  tags: string
  /** The credit line and the source's full name ("ACP Agence Continentale de Presse"). */
  credit: string
  sourceId: string | null
  publishedAt: string
}

/** Filters that narrow a search; all given ones apply together. */
export interface SearchFilters {
  /** Stories in any of these sections (the caller folds in sub-sections). */
  sectionIds?: readonly string[]
  authorId?: string
  sourceId?: string
  /** Published at or after this instant (ISO). */
  from?: string
  /** Published before this instant (ISO). */
  until?: string
}

export interface SearchRequest {
  query: ParsedQuery
  filters: SearchFilters
  limit: number
  offset: number
  /** The instant recency is measured from (ISO). */
  now: string
}

/**
 * One match: the story and a snippet of its body with each matched word
 * between SNIPPET_OPEN and SNIPPET_CLOSE.
 */
export interface EngineHit {
  articleId: string
  snippet: string
}

/**
 * A page of hits, and whether matches were left unranked: more than
 * RANKED_MATCHES stories matched, so only the newest of them (and up to
 * OLDER_HEADLINE_MATCHES older ones with the words in the headline) could be
 * reached. `oldestRanked` is the publication time (ISO) of the oldest story
 * of the newest window, for the reader to search before it.
 */
export interface EngineResult {
  hits: EngineHit[]
  cut: { oldestRanked: string } | null
}

/**
 * How many matching stories are ranked: the newest this many. A word found
 * in most of a large archive ("election") would otherwise mean scoring every
 * story that has it (half a second at 100,000 stories); with recency in the
 * ranking, the first pages come from the newest matches anyway. 250 keeps
 * bm25 (the costly part: ~45 µs a row on SQLite) within the 20 ms budget. Rarer words
 * and phrases, with fewer matches than this, are ranked in full.
 */
export const RANKED_MATCHES = 250

/**
 * When the newest RANKED_MATCHES do not hold every match, up to this many
 * older stories with every word (and phrase) in the headline are ranked too,
 * so an older story about the thing itself stays reachable without a date
 * filter. They are not scored by the engine (bm25 needs its own pass over the
 * full query, and a headline-only score is on another scale): each counts as
 * relevant as the best story of the window, decayed by its own age.
 */
export const OLDER_HEADLINE_MATCHES = RANKED_MATCHES

/** Marks around matched words in engine snippets; stripped from indexed text so no story can fake them. */
export const SNIPPET_OPEN = '\u0002'
export const SNIPPET_CLOSE = '\u0003'

/**
 * A full-text engine: SQLite FTS5 or PostgreSQL text search. Writes run in
 * the caller's transaction, so the index changes with the story or not at all.
 * Ranking, per engine but to one rule: matches in the headline weigh most,
 * then dek and bylines, quotes, tags and credit, then the body; the score
 * decays with age (halved at 90 days), so of two equal matches the newer wins.
 */
export interface SearchEngine {
  readonly name: 'sqlite-fts5' | 'postgres-tsvector'
  upsert(trx: Db, doc: SearchDocument): Promise<void>
  remove(trx: Db, articleId: string): Promise<void>
  /** Up to `limit` hits from `offset`, best first. Never throws for any parsed query. */
  search(db: Db, request: SearchRequest): Promise<EngineResult>
}

/**
 * A story of the ranked window, with its engine's relevance (higher is
 * better), or null for an older headline match (see OLDER_HEADLINE_MATCHES).
 */
export interface WindowRow {
  articleId: string
  publishedTs: number
  relevance: number | null
}

/**
 * The one ranking rule of every engine: relevance divided by `1 + age / 90
 * days` (so halved at 90 days), then the newer, then the larger article id;
 * an older headline match counts as relevant as the window's best. Returns
 * the rows of the page asked for.
 */
export function rankWindow<T extends WindowRow>(rows: readonly T[], request: Pick<SearchRequest, 'now' | 'limit' | 'offset'>): T[] {
  const now = Date.parse(request.now) / 1000
  const best = Math.max(0, ...rows.map((row) => row.relevance ?? 0))
  const score = (row: WindowRow) => (row.relevance ?? best) / (1 + Math.max(0, now - row.publishedTs) / HALF_LIFE_S)
  return rows
    .map((row) => ({ row, score: score(row) }))
    .sort((a, b) => b.score - a.score || b.row.publishedTs - a.row.publishedTs || (a.row.articleId < b.row.articleId ? 1 : a.row.articleId > b.row.articleId ? -1 : 0))
    .slice(request.offset, request.offset + request.limit)
    .map((entry) => entry.row)
}

/** Seconds over which a story's score halves: 90 days. */
const HALF_LIFE_S = 90 * 24 * 3600

/** Removes the snippet marks (and other controls) from text about to be indexed. */
export function indexableText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, ' ')
}
