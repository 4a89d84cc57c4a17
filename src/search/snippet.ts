import { SNIPPET_CLOSE, SNIPPET_OPEN } from './port.ts'
import { foldText, type ParsedQuery } from './query.ts'

// eslint-disable-next-line no-control-regex -- the whole ASCII range, controls included
const ASCII = /^[\x00-\x7f]*$/

/**
 * A snippet of `text` around the densest run of query words, with each
 * matched word between the snippet marks: for engines whose own highlighter
 * would reinterpret the text (PostgreSQL's ts_headline drops anything that
 * looks like an HTML tag). Text is returned as written, never parsed.
 * @example makeSnippet('The oil deal was signed.', query('oil'), 10) // 'The \u0002oil\u0003 deal was signed.'
 */
export function makeSnippet(text: string, query: Pick<ParsedQuery, 'words' | 'phrases'>, windowWords = 30): string {
  const wanted = new Set([...query.words, ...query.phrases.flat()].map(foldText))
  // For an ASCII word, which most are, foldText (NFKD, marks removed, lower case) is lower case alone, many times cheaper.
  const tokens = [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    isMatch: wanted.has(ASCII.test(m[0]) ? m[0].toLowerCase() : foldText(m[0])),
  }))
  if (tokens.length === 0) return ''
  // The window of `windowWords` tokens holding the most matches (first such window wins).
  let best = 0
  let bestCount = -1
  let count = 0
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.isMatch) count++
    if (i >= windowWords && tokens[i - windowWords]!.isMatch) count--
    const start = Math.max(0, i - windowWords + 1)
    if (count > bestCount) {
      bestCount = count
      best = start
    }
  }
  const first = tokens[best]!
  const last = tokens[Math.min(tokens.length, best + windowWords) - 1]!
  let out = best > 0 ? '…' : ''
  let cursor = first.start
  for (const token of tokens.slice(best, best + windowWords)) {
    out += text.slice(cursor, token.start)
    out += token.isMatch ? `${SNIPPET_OPEN}${text.slice(token.start, token.end)}${SNIPPET_CLOSE}` : text.slice(token.start, token.end)
    cursor = token.end
  }
  const isCut = last !== tokens.at(-1)
  return isCut ? `${out}…` : out + text.slice(cursor)
}
