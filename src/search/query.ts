import { DomainError } from '../shared/errors.ts'
import { SearchErrors } from './errors.ts'

/**
 * The search query language, on purpose a small one: words, and phrases in
 * double quotes. Everything else (FTS operators, `*`, `^`, `:`, parentheses,
 * NEAR, column filters) is punctuation and falls away, so no query can reach
 * an engine's own syntax. Both engines receive only the words and phrases
 * below, normalised the same way, and treat them as "all of these".
 */

/** The longest query accepted, in characters. */
export const MAX_QUERY_LENGTH = 200
/** The most words (phrase words included) one query may hold. */
export const MAX_QUERY_WORDS = 12

const OPERATORS = /(?<![\p{L}\p{N}])(?:AND|OR|NOT|NEAR)(?![\p{L}\p{N}])/gu

/** A parsed query: single words and phrases (each a list of words), all lower case without accents. */
export interface ParsedQuery {
  /** The query as the reader typed it, cleaned of unreadable characters: what the search box shows again. */
  text: string
  words: string[]
  phrases: string[][]
}

// Lone surrogates (broken UTF-16, e.g. from a bad percent-encoding), the replacement character and C0/C1 controls.
// eslint-disable-next-line no-control-regex
const UNREADABLE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFD\u0000-\u001F\u007F-\u009F]/g

/** Drops characters no reader meant to type, keeping the rest as written. */
export function cleanQueryText(raw: string): string {
  return raw.replace(UNREADABLE, ' ').replace(/\s+/g, ' ').trim()
}

/**
 * Folds text the way the index does: NFKD, combining marks removed, lower
 * case. "Pérez" and "PEREZ" both become "perez".
 * @example foldText('Élan Ñandú') // 'elan nandu'
 */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase()
}

/** The words of a text as the index sees them: runs of letters and digits, folded. */
export function wordsOf(text: string): string[] {
  return foldText(text).match(/[\p{L}\p{N}]+/gu) ?? []
}

/**
 * Parses what a reader typed. Returns null when nothing searchable is left
 * (an empty box, only punctuation or operators); throws SEARCH_QUERY_TOO_LONG
 * past MAX_QUERY_LENGTH characters or MAX_QUERY_WORDS words.
 * @example parseQuery('oil "deportation flights" -x*') // words ['oil', 'x'], phrases [['deportation', 'flights']]
 */
export function parseQuery(raw: string): ParsedQuery | null {
  // Measure before cleaning, so a 10,000-character paste gets the same clear answer however much of it is noise.
  if ([...raw].length > MAX_QUERY_LENGTH * 4) throw tooLong()
  const text = cleanQueryText(raw)
  if ([...text].length > MAX_QUERY_LENGTH) throw tooLong()
  // Straight and typographic double quotes delimit phrases; an unclosed quote runs to the end.
  const parts = text.split(/["“”„«»]/)
  const words: string[] = []
  const phrases: string[][] = []
  parts.forEach((part, i) => {
    const isQuoted = i % 2 === 1
    // Outside quotes, AND, OR, NOT and NEAR typed in capitals are operators someone expected; they are dropped, not searched for.
    const found = wordsOf(isQuoted ? part : part.replace(OPERATORS, ' '))
    if (found.length === 0) return
    if (isQuoted && found.length > 1) phrases.push(found)
    else words.push(...found)
  })
  const unique = [...new Set(words)]
  const count = unique.length + phrases.reduce((n, p) => n + p.length, 0)
  if (count === 0) return null
  if (count > MAX_QUERY_WORDS) throw tooLong()
  return { text, words: unique, phrases }
}

function tooLong(): DomainError {
  return new DomainError('invalid', SearchErrors.SEARCH_QUERY_TOO_LONG, `Search for at most ${MAX_QUERY_LENGTH} characters and ${MAX_QUERY_WORDS} words.`, [
    { path: 'q', message: `Use at most ${MAX_QUERY_LENGTH} characters and ${MAX_QUERY_WORDS} words.`, code: 'too_big' },
  ])
}
