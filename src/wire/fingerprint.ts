/**
 * Near-duplicate detection for agency copy: MinHash over the set of content
 * words. Two agencies covering the same event use different sentences but the
 * same names, places, numbers and key nouns, so word sets overlap far more
 * than for unrelated stories; MinHash estimates that overlap (Jaccard
 * similarity) from a short signature we can store and compare cheaply.
 */

import { MINHASH_WASM } from './minhash-wasm.ts'

export const SIGNATURE_SIZE = 128

/** A word's two base hashes are FNV-1a from these two seeds. */
const FIRST_SEED = 0x811c9dc5 | 0
const SECOND_SEED = 0x9747b28c | 0
const FNV_PRIME = 0x01000193

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

/** Lower case, accents folded: the text words are cut from. */
function foldedText(text: string): string {
  // Folding accents costs more than everything else here; plain ASCII has none to fold.
  return (!/[\u0080-\uffff]/.test(text) ? text : text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')).toLowerCase()
}

/** Word characters: a-z and 0-9 of the folded text. */
const isWordCode = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57)
const isDigit = (code: number) => code >= 48 && code <= 57

/** The content words of a text: lower-case, accents folded, stopwords and short words dropped. */
export function contentWords(text: string): Set<string> {
  const words = new Set<string>()
  const folded = foldedText(text)
  // Words are runs of [a-z0-9], found by a scan rather than a split: this runs for every item ingested.
  let start = -1
  for (let i = 0; i <= folded.length; i++) {
    const c = i < folded.length ? folded.charCodeAt(i) : 0
    if (isWordCode(c)) {
      if (start < 0) start = i
      continue
    }
    if (start < 0) continue
    const word = folded.slice(start, i)
    start = -1
    if (word.length < 3 && !isNumber(word)) continue
    if (STOPWORDS.has(word)) continue
    words.add(word.slice(0, word.length - stemmedLetters(word, 0, word.length)))
  }
  return words
}

function isNumber(word: string): boolean {
  for (let i = 0; i < word.length; i++) if (!isDigit(word.charCodeAt(i))) return false
  return word.length > 0
}

/**
 * A deliberately crude stemmer: agencies say "cuts"/"cut", "cooling"/"cools";
 * folding common English endings raises overlap for the same event far more
 * than for different ones. Says how many letters to drop from the end of the
 * word at `text[from, from + length)`: -ing, -ed, -es or -s (in that order)
 * where four letters or more are left, never from a number.
 */
function stemmedLetters(text: string, from: number, length: number): number {
  if (length <= 4 || isDigit(text.charCodeAt(from))) return 0
  const last = text.charCodeAt(from + length - 1)
  const beforeLast = text.charCodeAt(from + length - 2)
  if (last === 103 /* g */) return length >= 7 && beforeLast === 110 /* n */ && text.charCodeAt(from + length - 3) === 105 /* i */ ? 3 : 0
  if (last === 100 /* d */) return length >= 6 && beforeLast === 101 /* e */ ? 2 : 0
  if (last !== 115 /* s */) return 0
  return length >= 6 && beforeLast === 101 /* e */ ? 2 : 1
}

/**
 * The MinHash signature of a text, as hex-encoded 32-bit minima (SIGNATURE_SIZE of them). The k-th
 * hash is derived from two base hashes (Kirsch–Mitzenmacher), which is as good
 * as independent hashes for this purpose and far cheaper.
 *
 * The minima are worked out four at a time by a small WebAssembly module
 * (minhash.wat) where the runtime has SIMD, as Node 20 and later do; its
 * result is the scalar loop's (`minHashScalar`), bit for bit, a quarter of the
 * time. It was the largest cost of reading a wire backfill.
 * @example minHash('Central bank cuts rates').length // 1024
 */
export function minHash(text: string): string {
  const simd = simdKernel()
  return simd ? minHashSimd(simd, text) : minHashScalar(text)
}

/** The same signature by a plain loop: the reference the SIMD kernel is tested against, and the fallback without it. */
export function minHashScalar(text: string): string {
  // Minima are kept with the sign bit flipped in an Int32Array: signed order
  // is then unsigned order, and every step stays in 32-bit integers, which V8
  // runs several times faster than the same loop over unsigned values.
  const mins = new Int32Array(SIGNATURE_SIZE).fill(0x7fffffff)
  for (const word of contentWords(text)) {
    let h1 = FIRST_SEED
    let h2 = SECOND_SEED
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i)
      h1 = Math.imul(h1 ^ c, FNV_PRIME)
      h2 = Math.imul(h2 ^ c, FNV_PRIME)
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
  return signatureHex(mins)
}

/** The minima as 8 hex digits each, their sign bits flipped back. */
function signatureHex(mins: Int32Array): string {
  const bytes = Buffer.allocUnsafe(mins.length * 4)
  for (let k = 0; k < mins.length; k++) bytes.writeUInt32BE((mins[k]! ^ 0x80000000) >>> 0, k * 4)
  return bytes.toString('hex')
}

/** The compiled minhash.wat: its memory holds the minima, then the words' base hashes. */
interface SimdKernel {
  mins: Int32Array
  /** Two i32 per word: the first hash with its sign bit flipped, and the odd step. */
  words: Int32Array
  fold(count: number): void
}

let kernel: SimdKernel | null | undefined

/** Which loop `minHash` runs here: the SIMD kernel, or the scalar loop where WebAssembly SIMD is missing. */
export function minHashLoop(): 'simd' | 'scalar' {
  return simdKernel() ? 'simd' : 'scalar'
}

function simdKernel(): SimdKernel | null {
  if (kernel !== undefined) return kernel
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(MINHASH_WASM, 'base64')))
    const memory = instance.exports.memory as WebAssembly.Memory
    // The module's layout is fixed at 128 minima (512 bytes); the page after them holds the words.
    if (SIGNATURE_SIZE !== 128) throw new Error('minhash.wat is written for 128 minima')
    kernel = { mins: new Int32Array(memory.buffer, 0, SIGNATURE_SIZE), words: new Int32Array(memory.buffer, 512), fold: instance.exports.fold as (count: number) => void }
  } catch {
    // No WebAssembly SIMD here: the scalar loop gives the same signatures.
    kernel = null
  }
  return kernel
}

/**
 * The stopwords by their first hash (FNV-1a from FIRST_SEED), cut to 30 bits so
 * the key is always a small integer (a full 32-bit key is boxed on every
 * lookup); a hit is then compared letter by letter. A bitmap over the hash's
 * low bits answers most words without the lookup.
 */
const STOPWORD_KEY_MASK = 0x3fffffff
const STOPWORD_FILTER_BITS = 1 << 14
const STOPWORDS_BY_HASH = new Map<number, string[]>()
const STOPWORD_FILTER = new Uint8Array(STOPWORD_FILTER_BITS >> 3)
for (const word of STOPWORDS) {
  let h1 = FIRST_SEED
  for (let i = 0; i < word.length; i++) h1 = Math.imul(h1 ^ word.charCodeAt(i), FNV_PRIME)
  const key = h1 & STOPWORD_KEY_MASK
  STOPWORDS_BY_HASH.set(key, [...(STOPWORDS_BY_HASH.get(key) ?? []), word])
  const bit = h1 & (STOPWORD_FILTER_BITS - 1)
  STOPWORD_FILTER[bit >> 3]! |= 1 << (bit & 7)
}

function isStopword(text: string, from: number, length: number, h1: number): boolean {
  const bit = h1 & (STOPWORD_FILTER_BITS - 1)
  if ((STOPWORD_FILTER[bit >> 3]! & (1 << (bit & 7))) === 0) return false
  const candidates = STOPWORDS_BY_HASH.get(h1 & STOPWORD_KEY_MASK)
  if (!candidates) return false
  next: for (const word of candidates) {
    if (word.length !== length) continue
    for (let i = 0; i < length; i++) if (word.charCodeAt(i) !== text.charCodeAt(from + i)) continue next
    return true
  }
  return false
}

/**
 * The signature through the SIMD kernel, its words read as `contentWords`
 * reads them but hashed as they are scanned, without cutting them out; a
 * word whose stem is shorter (a prefix) has that prefix hashed again, which
 * costs less than keeping the hashes of every letter's step on the way. Words
 * are not de-duplicated, since a minimum taken twice is the same minimum, and
 * folding a word again costs the kernel less than a set would.
 */
function minHashSimd(simd: SimdKernel, text: string): string {
  const { mins, words: slots, fold } = simd
  const capacity = slots.length >> 1
  mins.fill(0x7fffffff)
  const folded = foldedText(text)
  let count = 0
  let start = -1
  let h1 = 0
  let h2 = 0
  let digitsOnly = true
  for (let i = 0; i <= folded.length; i++) {
    const c = i < folded.length ? folded.charCodeAt(i) : 0
    if (isWordCode(c)) {
      if (start < 0) {
        start = i
        h1 = FIRST_SEED
        h2 = SECOND_SEED
        digitsOnly = true
      }
      h1 = Math.imul(h1 ^ c, FNV_PRIME)
      h2 = Math.imul(h2 ^ c, FNV_PRIME)
      // Word codes are digits (48–57) or letters (97–122).
      if (c > 57) digitsOnly = false
      continue
    }
    if (start < 0) continue
    const from = start
    const length = i - from
    start = -1
    if (length < 3 && !digitsOnly) continue
    if (isStopword(folded, from, length, h1)) continue
    const dropped = stemmedLetters(folded, from, length)
    if (dropped > 0) {
      // A stem is a prefix of the word: hash it again without its last letters (a few words in five).
      h1 = FIRST_SEED
      h2 = SECOND_SEED
      for (let k = from, end = i - dropped; k < end; k++) {
        const code = folded.charCodeAt(k)
        h1 = Math.imul(h1 ^ code, FNV_PRIME)
        h2 = Math.imul(h2 ^ code, FNV_PRIME)
      }
    }
    slots[2 * count] = h1 ^ 0x80000000
    slots[2 * count + 1] = h2 | 1
    if (++count === capacity) {
      fold(count)
      count = 0
    }
  }
  if (count > 0) fold(count)
  return signatureHex(mins)
}

/** The signature an item is grouped by: its headline and its body's text (`bodyText(item.body)`). */
export function fingerprintOfText(headline: string, text: string): string {
  return minHash(`${headline}\n${text}`)
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
