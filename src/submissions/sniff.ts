/**
 * What a reader's attachment is, read from its first bytes: the file name and
 * the browser's claim are never trusted. Returns null for anything we do not
 * take (executables, archives that are not Office documents, HTML, SVG, …).
 */
export interface SniffedType {
  mediaType: string
  /** A file name extension that matches the type, for downloads. */
  extension: string
}

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) => signature.every((b, i) => bytes[offset + i] === b)

/** True when the bytes decode as UTF-8 text without NULs or other control characters than tab, CR, LF and form feed. */
function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) return false
    // Markup would be shown as text by us, but a browser opening the download might not: refuse it.
    return !/^\s*<(?:!doctype|html|svg|\?xml|script)/i.test(text)
  } catch {
    return false
  }
}

/** Finds an ASCII string inside the first bytes of a ZIP file (its first entry names). */
function zipMentions(bytes: Uint8Array, needle: string): boolean {
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 64 * 1024))).toString('latin1')
  return head.includes(needle)
}

/** The type of an attachment from its bytes, or null when it is not one we accept. */
export function sniffAttachment(bytes: Uint8Array): SniffedType | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { mediaType: 'application/pdf', extension: 'pdf' }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { mediaType: 'image/jpeg', extension: 'jpg' }
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mediaType: 'image/png', extension: 'png' }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    // Office Open XML and OpenDocument are ZIP files whose first entries say what they are.
    if (zipMentions(bytes, 'mimetypeapplication/vnd.oasis.opendocument.text')) return { mediaType: 'application/vnd.oasis.opendocument.text', extension: 'odt' }
    if (zipMentions(bytes, 'mimetypeapplication/vnd.oasis.opendocument.spreadsheet')) return { mediaType: 'application/vnd.oasis.opendocument.spreadsheet', extension: 'ods' }
    if (zipMentions(bytes, '[Content_Types].xml') || zipMentions(bytes, '_rels/.rels')) {
      if (zipMentions(bytes, 'word/')) return { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx' }
      if (zipMentions(bytes, 'xl/')) return { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' }
      if (zipMentions(bytes, 'ppt/')) return { mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extension: 'pptx' }
    }
    return null
  }
  // The old binary Office formats (.doc, .xls) share one container signature.
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return { mediaType: 'application/msword', extension: 'doc' }
  if (isPlainText(bytes)) return { mediaType: 'text/plain; charset=utf-8', extension: 'txt' }
  return null
}
