import { DomainError } from '../../shared/errors.ts'
import { slugify } from '../../shared/slug.ts'
import { ImportErrors } from '../errors.ts'

/**
 * Export files as text: UTF-8 (with or without a byte order mark) unless the
 * XML declaration names another encoding the platform knows. Bytes that are
 * not valid in the encoding are refused rather than guessed at.
 */
export function decodeExport(bytes: Uint8Array, what: string): string {
  let encoding = 'utf-8'
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200))
  const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']/.exec(head.replace(/^\uFEFF|^ï»¿/, ''))
  if (declared) encoding = declared[1]!.toLowerCase()
  let decoder: TextDecoder
  try {
    decoder = new TextDecoder(encoding, { fatal: true })
  } catch {
    throw new DomainError('invalid', ImportErrors.IMPORT_UNREADABLE, `${what} declares the encoding "${encoding}", which cannot be read. Export it again as UTF-8.`)
  }
  try {
    return decoder.decode(bytes)
  } catch {
    throw new DomainError('invalid', ImportErrors.IMPORT_UNREADABLE, `${what} is not valid ${encoding.toUpperCase()}: some bytes are not text in that encoding. Export it again, or convert it to UTF-8 first.`)
  }
}

/** An ASCII slug from an old slug (possibly percent-encoded UTF-8), else from a name, else from a fallback. */
export function slugFrom(oldSlug: string | null | undefined, name: string, fallback: string): string {
  let decoded = oldSlug ?? ''
  try {
    decoded = decodeURIComponent(decoded)
  } catch {
    // Not percent-encoded after all.
  }
  return slugify(decoded) || slugify(name) || slugify(fallback) || 'imported'
}

/** Shortcodes every WordPress site has; others are recognised by their closing tag. */
const KNOWN_SHORTCODES = ['caption', 'wp_caption', 'gallery', 'embed', 'audio', 'video', 'playlist', 'contact-form', 'contact-form-7', 'vc_row', 'vc_column', 'vc_column_text', 'et_pb_section', 'et_pb_text']

/**
 * WordPress shortcodes reduced to their text: `[caption]` becomes a figure with
 * its caption, and any other shortcode is dropped while the text between its
 * tags stays. A bracket that is not a shortcode (`[sic]`) is left as it is.
 */
export function stripShortcodes(html: string): string {
  const names = new Set(KNOWN_SHORTCODES)
  for (const m of html.matchAll(/\[\/([A-Za-z][\w-]{0,40})\]/g)) names.add(m[1]!.toLowerCase())
  let out = html.replace(/\[(caption|wp_caption)\b[^\]]{0,2000}\]([\s\S]{0,20000}?)\[\/\1\]/gi, (_all, _name, inner: string) => {
    const img = /<a\b[^>]*>\s*<img\b[^>]*>\s*<\/a>|<img\b[^>]*>/i.exec(inner)
    if (!img) return inner
    const caption = inner.replace(img[0], '').trim()
    return `<figure>${img[0]}${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>`
  })
  out = out.replace(/\[\/?([A-Za-z][\w-]{0,40})(?:\s[^\]]{0,2000})?\/?\]/g, (all, name: string) => (names.has(name.toLowerCase()) ? '' : all))
  return out
}

const BLOCK_START = /^<(p|div|h[1-6]|ul|ol|li|blockquote|figure|table|pre|hr|section|article|aside|address|dl|form|iframe|script|style)\b/i

/**
 * Paragraphs for text written in WordPress's classic editor, which stores
 * blank lines where the site later adds `<p>` (WordPress's wpautop): a blank
 * line ends a paragraph, a single newline is a line break. Markup that already
 * has paragraphs (the block editor's) is left alone.
 */
export function autoParagraphs(html: string): string {
  if (/<p[\s>]/i.test(html) || !/\n\s*\n/.test(html)) return html
  return html
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n+/)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk !== '')
    .map((chunk) => (BLOCK_START.test(chunk) ? chunk : `<p>${chunk.replace(/\n/g, '<br>\n')}</p>`))
    .join('\n')
}

/**
 * The message for pages left out, with their old addresses (which answer 404
 * from now on), so the operator can recreate or redirect the ones that matter.
 */
export function pagesSkipped(paths: string[]): string {
  const count = paths.length
  const shown = paths.slice(0, 20).join(', ')
  const more = count > 20 ? ` and ${count - 20} more` : ''
  return `${count} page${count === 1 ? ' was' : 's were'} left out: Masthead has stories and sections, not pages. ${count === 1 ? 'Its old address is' : 'Their old addresses are'} not redirected: ${shown}${more}.`
}
