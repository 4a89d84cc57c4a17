import { WIRE_EMPTY, WIRE_FORMAT_UNKNOWN } from '../errors.ts'
import type { WireFormat } from '../wire-item.ts'
import { sniffBom } from './decode.ts'
import { skipProlog } from './xml.ts'

/** The verdict on some bytes: a format, or why there is none. */
export type Detection =
  | { format: WireFormat; reason: string }
  | { format: null; code: string; reason: string }

const HEAD_BYTES = 64 * 1024

const SIGNATURES: { bytes: number[]; what: string }[] = [
  { bytes: [0x1f, 0x8b], what: 'a gzip-compressed file; decompress it first' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive; unpack it and import the files inside' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
]

const G2_ROOTS = new Set(['newsMessage', 'newsItem', 'packageItem'])

/**
 * Tells which wire format some bytes are in from their content alone (never
 * from a file name or a content type, both of which lie): JSON is ninjs, and
 * XML is told apart by its root element.
 */
export function detectFormat(bytes: Uint8Array): Detection {
  if (bytes.length === 0) return { format: null, code: WIRE_EMPTY, reason: 'The input is empty.' }
  for (const signature of SIGNATURES) {
    if (signature.bytes.every((b, i) => bytes[i] === b)) {
      return { format: null, code: WIRE_FORMAT_UNKNOWN, reason: `The input is ${signature.what}, not wire copy.` }
    }
  }
  const head = headText(bytes)
  if (head === null) {
    return { format: null, code: WIRE_FORMAT_UNKNOWN, reason: 'The input is binary data, not text: it is no wire format we read.' }
  }
  const text = head.replace(/^[\s\uFEFF]+/, '')
  if (text === '') return { format: null, code: WIRE_EMPTY, reason: 'The input holds only whitespace.' }

  if (text[0] === '{' || text[0] === '[') {
    if (/"version"\s*:\s*"https?:\/\/jsonfeed\.org\//.test(text)) {
      return { format: null, code: WIRE_FORMAT_UNKNOWN, reason: 'The input is a JSON Feed, which the wire desk does not read; ask for RSS, Atom or ninjs.' }
    }
    return { format: 'ninjs', reason: 'The input is JSON, read as IPTC ninjs.' }
  }
  if (text[0] === '<') {
    const root = /^<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(skipProlog(text))?.[1]
    if (!root) {
      return { format: null, code: WIRE_FORMAT_UNKNOWN, reason: 'The input starts like XML, but no root element can be found.' }
    }
    if (G2_ROOTS.has(root)) return { format: 'newsml-g2', reason: `The root element is <${root}>: IPTC NewsML-G2.` }
    if (root === 'rss') return { format: 'rss', reason: 'The root element is <rss>: RSS 2.0.' }
    if (root === 'RDF') return { format: 'rdf', reason: 'The root element is <rdf:RDF>: RSS 1.0.' }
    if (root === 'feed') return { format: 'atom', reason: 'The root element is <feed>: Atom 1.0.' }
    if (root.toLowerCase() === 'html') {
      return { format: null, code: WIRE_FORMAT_UNKNOWN, reason: 'The input is an HTML page, not a feed; check the feed address.' }
    }
    return {
      format: null,
      code: WIRE_FORMAT_UNKNOWN,
      reason: `The input is XML with root element <${root.slice(0, 60)}>, which is no wire format we read (ninjs, NewsML-G2, RSS, RSS 1.0, Atom).`,
    }
  }
  return {
    format: null,
    code: WIRE_FORMAT_UNKNOWN,
    reason: 'The input is plain text, neither JSON nor XML: it is no wire format we read.',
  }
}

/** The first bytes as text, or null when they are binary. */
function headText(bytes: Uint8Array): string | null {
  const head = bytes.subarray(0, HEAD_BYTES)
  const bom = sniffBom(head)
  const utf16 =
    bom === 'utf-16le' || bom === 'utf-16be'
      ? bom
      : head[0] === 0x3c && head[1] === 0x00
        ? 'utf-16le'
        : head[0] === 0x00 && head[1] === 0x3c
          ? 'utf-16be'
          : null
  if (utf16) return new TextDecoder(utf16).decode(head)
  let controls = 0
  const sample = Math.min(head.length, 4096)
  for (let i = 0; i < sample; i++) {
    const b = head[i]!
    if (b === 0) return null
    if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) controls++
  }
  if (controls > sample / 20) return null
  // Latin-1 keeps every byte as one character: enough to see the markup's shape in any ASCII-compatible encoding.
  return new TextDecoder('latin1').decode(bom === 'utf-8' ? head.subarray(3) : head)
}
