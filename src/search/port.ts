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
 * How many matching stories are ranked: the newest this many. A word found
 * in most of a large archive ("election") would otherwise mean scoring every
 * story that has it (half a second at 100,000 stories); with recency in the
 * ranking, the first pages come from the newest matches anyway. 250 keeps
 * bm25 (the costly part: ~45 µs a row on SQLite) within the 20 ms budget. Rarer words
 * and phrases, with fewer matches than this, are ranked in full.
 */
export const RANKED_MATCHES = 250

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
  search(db: Db, request: SearchRequest): Promise<EngineHit[]>
}

/** Removes the snippet marks (and other controls) from text about to be indexed. */
export function indexableText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, ' ')
}
