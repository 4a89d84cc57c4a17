import { WIRE_ENCODING_GUESSED, WIRE_ENCODING_UNSUPPORTED } from '../errors.ts'

/** Bytes turned into text, with the encoding used and anything worth telling the desk. */
export interface DecodedText {
  text: string
  encoding: string
  warnings: { code: string; message: string }[]
}

/** Why bytes could not be turned into text. */
export interface DecodeFailure {
  error: { code: string; message: string }
}

/**
 * Decodes wire bytes to a string. The order follows RFC 7303: a byte order
 * mark wins, then the transport's charset, then the XML declaration, then
 * UTF-8. Bytes that do not fit a UTF encoding are not lost: they are read as
 * windows-1252 (the web's "latin1") and a warning says so.
 */
export function decodeBytes(
  bytes: Uint8Array,
  opts: { contentType?: string | undefined; xml: boolean },
): DecodedText | DecodeFailure {
  const warnings: DecodedText['warnings'] = []
  const bom = sniffBom(bytes)
  const transport = charsetOf(opts.contentType)
  const declared = opts.xml && !bom ? declaredXmlEncoding(bytes) : null
  const candidates = [...new Set([bom, transport, declared, 'utf-8'].filter((label): label is string => !!label))]

  const unsupported: string[] = []
  const misfits: string[] = []
  for (const label of candidates) {
    let decoder: TextDecoder
    try {
      decoder = new TextDecoder(label, { fatal: true })
    } catch {
      unsupported.push(label)
      continue
    }
    let text: string
    try {
      text = repairWindows1252(decoder.encoding, decoder.decode(bytes))
    } catch {
      // Only the UTF decoders reject bytes; the next candidate may fit.
      misfits.push(decoder.encoding)
      continue
    }
    for (const name of unsupported) {
      warnings.push({
        code: WIRE_ENCODING_UNSUPPORTED,
        message: `The declared encoding "${name.slice(0, 40)}" is not supported; the bytes were read as ${decoder.encoding}.`,
      })
    }
    if (misfits.length > 0) {
      warnings.push({ code: WIRE_ENCODING_GUESSED, message: `The bytes are not valid ${misfits.join(' or ')}; they were read as ${decoder.encoding}.` })
    }
    return { text, encoding: decoder.encoding, warnings }
  }
  if (unsupported.length > 0) {
    // Guessing would turn an exotic encoding into mojibake: better to say so.
    return {
      error: {
        code: WIRE_ENCODING_UNSUPPORTED,
        message: `The character encoding "${unsupported[0]!.slice(0, 40)}" is not supported, and the bytes are not UTF-8.`,
      },
    }
  }
  // windows-1252 maps every byte, so nothing is lost; the desk is told.
  const fallback = new TextDecoder('windows-1252')
  warnings.push({
    code: WIRE_ENCODING_GUESSED,
    message: `The bytes are not valid ${misfits.join(' or ')}; they were read as windows-1252.`,
  })
  return { text: repairWindows1252(fallback.encoding, fallback.decode(bytes)), encoding: fallback.encoding, warnings }
}

/** What windows-1252 puts at 0x80–0x9F, where ISO-8859-1 has invisible control codes. */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
]

/**
 * Node 20's TextDecoder reads "windows-1252" (and "iso-8859-1", which WHATWG
 * defines as the same) as plain ISO-8859-1, turning curly quotes, dashes and
 * the euro sign into control codes. A correct decoder never yields those
 * codes for this encoding, so mapping them back is safe on any Node.
 */
function repairWindows1252(encoding: string, text: string): string {
  if (encoding !== 'windows-1252') return text
  return text.replace(/[\u0080-\u009f]/g, (c) => String.fromCharCode(WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!))
}

/** The encoding a byte order mark announces, if any. */
export function sniffBom(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8'
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le'
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be'
  return null
}

/** The charset parameter of a Content-Type header, if any. */
export function charsetOf(contentType: string | undefined): string | null {
  const match = contentType ? /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType) : null
  return match?.[1]?.toLowerCase() ?? null
}

/** The encoding named in an XML declaration, read from the ASCII-compatible head of the bytes. */
export function declaredXmlEncoding(bytes: Uint8Array): string | null {
  // UTF-16 without a byte order mark still starts with "<?" in two bytes each.
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return 'utf-16le'
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return 'utf-16be'
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 512))
  const match = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._:-]*)["']/.exec(head)
  return match?.[1]?.toLowerCase() ?? null
}
