/**
 * XML text helpers for the feed writers. Characters XML 1.0 forbids (most C0
 * controls, lone surrogates, U+FFFE/U+FFFF) are dropped rather than escaped:
 * no escape makes them legal, and one stray control character from wire copy
 * must not make a whole feed unreadable.
 */

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Removes characters that may not appear in an XML 1.0 document. */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML, '')
}

/**
 * Escapes text for an XML element or a double-quoted attribute.
 * @example xmlEscape('Ana & "Bo" <x>') // 'Ana &amp; &quot;Bo&quot; &lt;x&gt;'
 */
export function xmlEscape(text: string): string {
  return xmlSafe(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
}

/** An element with escaped text content, or nothing when the value is null. */
export function el(name: string, value: string | null | undefined, attributes: Record<string, string> = {}): string {
  if (value === null || value === undefined) return ''
  return `<${name}${attrs(attributes)}>${xmlEscape(value)}</${name}>`
}

/** Escaped attributes, each preceded by a space. */
export function attrs(attributes: Record<string, string | number>): string {
  return Object.entries(attributes)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('')
}
