/**
 * Near-duplicate detection for agency copy: MinHash over the set of content
 * words. Two agencies covering the same event use different sentences but the
 * same names, places, numbers and key nouns, so word sets overlap far more
 * than for unrelated stories; MinHash estimates that overlap (Jaccard
 * similarity) from a short signature we can store and compare cheaply.
 */

import { bodyText, type Body } from '../articles/index.ts'

export const SIGNATURE_SIZE = 128

/**
 * At or above this estimated similarity two items from different agencies are
 * grouped. On the samples in fingerprint.test.ts the same event scores 0.34–0.59
 * and different events on the same topic at most 0.16; 0.25 sits between.
 */
export const DUPLICATE_THRESHOLD = 0.25

// Words that say nothing about which event a story covers.
const STOPWORDS = new Set(
  (
    'the a an and or but if then than that this these those there their they them he she his her its it is are was were be been being ' +
    'to of in on at by for from with without into onto over under about after before during since until while as so such not no nor ' +
    'will would can could should may might must shall do does did done have has had having who whom whose which what when where why how ' +
    'said says say told tells according also more most other some any each all both few many much very just only own same too again ' +
    'one two three first last new year years week weeks day days monday tuesday wednesday thursday friday saturday sunday ' +
    'january february march april june july august september october november december mr mrs ms per cent percent'
  ).split(' '),
)

/** The content words of a text: lower-case, accents folded, stopwords and short words dropped. */
export function contentWords(text: string): Set<string> {
  const words = new Set<string>()
  // Folding accents costs more than everything else here; plain ASCII has none to fold.
  const folded = (!/[\u0080-\uffff]/.test(text) ? text : text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')).toLowerCase()
  // Words are runs of [a-z0-9], found by a scan rather than a split: this runs for every item ingested.
  let start = -1
  for (let i = 0; i <= folded.length; i++) {
    const c = i < folded.length ? folded.charCodeAt(i) : 0
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) start = i
      continue
    }
    if (start < 0) continue
    const word = folded.slice(start, i)
    start = -1
    if (word.length < 3 && !isNumber(word)) continue
    if (STOPWORDS.has(word)) continue
    words.add(stem(word))
  }
  return words
}

const isDigit = (code: number) => code >= 48 && code <= 57

function isNumber(word: string): boolean {
  for (let i = 0; i < word.length; i++) if (!isDigit(word.charCodeAt(i))) return false
  return word.length > 0
}

/**
 * A deliberately crude stemmer: agencies say "cuts"/"cut", "cooling"/"cools";
 * folding common English endings raises overlap for the same event far more
 * than for different ones.
 */
function stem(word: string): string {
  if (word.length <= 4 || isDigit(word.charCodeAt(0))) return word
  for (const suffix of ['ing', 'ed', 'es', 's']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length)
  }
  return word
}

/**
 * The MinHash signature of a text, as hex-encoded 32-bit minima (SIGNATURE_SIZE of them). The k-th
 * hash is derived from two base hashes (Kirsch–Mitzenmacher), which is as good
 * as independent hashes for this purpose and far cheaper.
 * @example minHash('Central bank cuts rates').length // 1024
 */
export function minHash(text: string): string {
  // Minima are kept with the sign bit flipped in an Int32Array: signed order
  // is then unsigned order, and every step stays in 32-bit integers, which V8
  // runs several times faster than the same loop over unsigned values.
  const mins = new Int32Array(SIGNATURE_SIZE).fill(0x7fffffff)
  for (const word of contentWords(text)) {
    let h1 = 0x811c9dc5
    let h2 = 0x9747b28c
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i)
      h1 = Math.imul(h1 ^ c, 0x01000193)
      h2 = Math.imul(h2 ^ c, 0x01000193)
    }
    h2 |= 1
    // The k-th hash is h1 + k·h2 (mod 2³²), kept with its sign bit flipped (adding 2³¹ commutes with
    // adding h2) and stepped four at a time: four independent minima per turn run several times faster.
    let h0 = (h1 ^ 0x80000000) | 0
    let hA = (h0 + h2) | 0
    let hB = (hA + h2) | 0
    let hC = (hB + h2) | 0
    const step = Math.imul(h2, 4)
    for (let k = 0; k < SIGNATURE_SIZE; k += 4) {
      if (h0 < mins[k]!) mins[k] = h0
      if (hA < mins[k + 1]!) mins[k + 1] = hA
      if (hB < mins[k + 2]!) mins[k + 2] = hB
      if (hC < mins[k + 3]!) mins[k + 3] = hC
      h0 = (h0 + step) | 0
      hA = (hA + step) | 0
      hB = (hB + step) | 0
      hC = (hC + step) | 0
    }
  }
  let out = ''
  for (const value of mins) out += ((value ^ 0x80000000) >>> 0).toString(16).padStart(8, '0')
  return out
}

/** The signature an item is grouped by: its headline and body text. */
export function itemFingerprint(item: { headline: string; body: Body }): string {
  return minHash(`${item.headline}\n${bodyText(item.body)}`)
}

/** Estimated Jaccard similarity of the texts behind two signatures, 0 to 1. */
export function similarity(a: string, b: string): number {
  if (a.length !== b.length || a.length === 0) return 0
  const empty = 'ffffffff'
  let same = 0
  let counted = 0
  for (let i = 0; i < a.length; i += 8) {
    const x = a.slice(i, i + 8)
    const y = b.slice(i, i + 8)
    // Two empty texts are not duplicates of each other.
    if (x === empty && y === empty) continue
    counted++
    if (x === y) same++
  }
  return counted === 0 ? 0 : same / SIGNATURE_SIZE
}

/** Rows per LSH band. Two rows in 64 bands find pairs at the 0.25 threshold 98% of the time (1 − (1 − 0.25²)⁶⁴). */
export const BAND_ROWS = 2

/**
 * The LSH band keys of a signature: `band index:hash values`. Items that share
 * any key are candidates; the exact similarity then decides. An empty text
 * has no bands, so it is never grouped.
 * @example bands(minHash(text)).length // 64
 */
const EMPTY_BAND = 'ffffffff'.repeat(BAND_ROWS)

export function bands(signature: string): string[] {
  const width = 8 * BAND_ROWS
  const keys: string[] = []
  for (let i = 0; i + width <= signature.length; i += width) {
    const chunk = signature.slice(i, i + width)
    if (chunk === EMPTY_BAND) continue
    keys.push(`${i / width}:${chunk}`)
  }
  return keys
}
