import { decodeHTMLStrict } from 'entities'
import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes'
import { WIRE_ENTITY_REFUSED, WIRE_LIMIT_EXCEEDED, WIRE_MALFORMED } from '../errors.ts'
import { resolveUrl } from '../../html-to-blocks/index.ts'
import { collapseSpaces } from '../../shared/spaces.ts'

/**
 * A small, safe XML reader for wire copy, built on saxes (a strict,
 * namespace-aware SAX parser that jsdom relies on).
 *
 * Safety comes from what saxes does not do, and from one check of ours:
 * - saxes never reads a DTD, never fetches anything, and never expands a
 *   declared entity; it only knows the five XML entities and character
 *   references (a reference to anything else is a well-formedness error);
 * - we refuse any document whose DOCTYPE declares an entity, so an XXE or
 *   "billion laughs" payload is reported as such instead of as a vague error;
 * - HTML's named entities (`&nbsp;`, `&eacute;`), which feeds use without
 *   declaring, are looked up as fixed strings: a lookup never recurses, so it
 *   cannot grow the document.
 */

/** The namespace of `xml:lang` and `xml:base`. */
export const XML_NS = 'http://www.w3.org/XML/1998/namespace'

/** An element with its namespace-resolved name, attributes, children and source line. */
export interface XmlElement {
  type: 'element'
  name: string
  local: string
  ns: string
  attrs: XmlAttr[]
  children: XmlNode[]
  parent: XmlElement | null
  line: number
}

/** An attribute, with its namespace resolved (`xml:base` has ns XML_NS and local `base`). */
export interface XmlAttr {
  name: string
  local: string
  ns: string
  value: string
}

/** Character data; CDATA sections are merged into it. */
export interface XmlText {
  type: 'text'
  value: string
}

/** A node of the tree: element or text (comments and processing instructions are not kept). */
export type XmlNode = XmlElement | XmlText

/** Why a document could not be read, with a stable code and where. */
export class XmlReadError extends Error {
  override readonly name = 'XmlReadError'
  constructor(
    readonly code: string,
    message: string,
    readonly line: number | null,
    /** The problem without its position, for messages that place it themselves. */
    readonly detail: string = message,
  ) {
    super(message)
  }
}

/** Limits that keep a hostile document from exhausting the stack or memory. */
export interface XmlLimits {
  maxDepth: number
  maxElements: number
}

const DEFAULT_LIMITS: XmlLimits = { maxDepth: 256, maxElements: 500_000 }

/** Prefixes feeds use without declaring them, mapped to the namespaces they always mean. */
const WELL_KNOWN_PREFIXES: Record<string, string> = {
  dc: 'http://purl.org/dc/elements/1.1/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  media: 'http://search.yahoo.com/mrss/',
  atom: 'http://www.w3.org/2005/Atom',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dcterms: 'http://purl.org/dc/terms/',
  xhtml: 'http://www.w3.org/1999/xhtml',
}

const HTML_ENTITIES: Record<string, string> = new Proxy(Object.create(null) as Record<string, string>, {
  get(_target, name) {
    if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9]{1,31}$/.test(name)) return undefined
    const reference = `&${name};`
    const decoded = decodeHTMLStrict(reference)
    return decoded === reference ? undefined : decoded
  },
})

/**
 * Parses a whole XML document into a tree, or throws XmlReadError with
 * WIRE_MALFORMED, WIRE_ENTITY_REFUSED or WIRE_LIMIT_EXCEEDED.
 */
export function parseXml(text: string, limits: XmlLimits = DEFAULT_LIMITS): XmlElement {
  const parser = new SaxesParser({
    xmlns: true,
    position: true,
    resolvePrefix: (prefix: string) =>
      prefix === '' ? '' : (WELL_KNOWN_PREFIXES[prefix] ?? `urn:masthead:undeclared-prefix:${prefix}`),
  })
  parser.ENTITIES = HTML_ENTITIES

  let root: XmlElement | null = null
  let current: XmlElement | null = null
  let depth = 0
  let elements = 0

  parser.on('doctype', (doctype) => {
    if (/<!ENTITY/i.test(doctype)) {
      throw new XmlReadError(
        WIRE_ENTITY_REFUSED,
        'The document declares XML entities in its DOCTYPE; wire copy never needs them, and they are how XXE and entity-expansion attacks work, so the document was refused unread.',
        parser.line,
      )
    }
  })
  parser.on('opentag', (tag: SaxesTagNS) => {
    depth += 1
    elements += 1
    if (depth > limits.maxDepth) {
      throw new XmlReadError(WIRE_LIMIT_EXCEEDED, `Elements nest deeper than ${limits.maxDepth} levels.`, parser.line)
    }
    if (elements > limits.maxElements) {
      throw new XmlReadError(WIRE_LIMIT_EXCEEDED, `The document has more than ${limits.maxElements} elements.`, parser.line)
    }
    const element: XmlElement = {
      type: 'element',
      name: tag.name,
      local: tag.local,
      ns: tag.uri,
      attrs: Object.values(tag.attributes as Record<string, SaxesAttributeNS>).map((attr) => ({
        name: attr.name,
        local: attr.local,
        ns: attr.uri,
        value: attr.value,
      })),
      children: [],
      parent: current,
      line: parser.line,
    }
    if (current) current.children.push(element)
    else root = element
    current = element
  })
  parser.on('closetag', () => {
    depth -= 1
    current = current?.parent ?? null
  })
  const addText = (value: string) => {
    if (!current || value === '') return
    const last = current.children[current.children.length - 1]
    if (last?.type === 'text') last.value += value
    else current.children.push({ type: 'text', value })
  }
  parser.on('text', addText)
  parser.on('cdata', addText)

  try {
    parser.write(text).close()
  } catch (error) {
    if (error instanceof XmlReadError) throw error
    const message = error instanceof Error ? error.message.replace(/^(?:.*?:)?\d+:\d+:\s*/, '') : String(error)
    throw new XmlReadError(
      WIRE_MALFORMED,
      `The XML is not well-formed at line ${parser.line}, column ${parser.column + 1}: ${message}`,
      parser.line,
      message,
    )
  }
  if (!root) throw new XmlReadError(WIRE_MALFORMED, 'The XML has no root element.', null)
  return root
}

/** The value of an attribute by local name (and namespace, default none). */
export function attr(element: XmlElement, local: string, ns = ''): string | undefined {
  return element.attrs.find((a) => a.local === local && a.ns === ns)?.value
}

/** The element children, optionally only those with a local name (and namespace, when given). */
export function children(element: XmlElement, local?: string, ns?: string): XmlElement[] {
  const out: XmlElement[] = []
  for (const child of element.children) {
    if (child.type !== 'element') continue
    if (local !== undefined && child.local !== local) continue
    if (ns !== undefined && child.ns !== ns) continue
    out.push(child)
  }
  return out
}

/** The first element child with a local name (and namespace, when given). */
export function child(element: XmlElement, local: string, ns?: string): XmlElement | undefined {
  return children(element, local, ns)[0]
}

/** All descendant text, in document order, without iterating recursion limits away. */
export function textOf(element: XmlElement): string {
  let out = ''
  const stack: XmlNode[] = [element]
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node.type === 'text') out += node.value
    else for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!)
  }
  return out
}

/** The trimmed, whitespace-collapsed text of the first matching child, or null. */
export function childText(element: XmlElement, local: string, ns?: string): string | null {
  const found = child(element, local, ns)
  if (!found) return null
  const text = collapseSpaces(textOf(found)).trim()
  return text === '' ? null : text
}

/** The language in scope for an element (`xml:lang` on it or an ancestor). */
export function langOf(element: XmlElement): string | null {
  for (let el: XmlElement | null = element; el; el = el.parent) {
    const lang = attr(el, 'lang', XML_NS)
    if (lang !== undefined) return lang.trim() || null
  }
  return null
}

/**
 * The base URL in scope for an element: every `xml:base` from the root down,
 * each resolved against the one above it, starting from the document's own URL.
 */
export function baseOf(element: XmlElement, documentBase: string | null): string | null {
  const chain: string[] = []
  for (let el: XmlElement | null = element; el; el = el.parent) {
    const base = attr(el, 'base', XML_NS)
    if (base !== undefined) chain.unshift(base.trim())
  }
  let base = documentBase
  for (const step of chain) {
    base = resolveUrl(step, base) ?? (URL.canParse(step) ? step : base)
  }
  return base
}


/** Where each element with one of the given local names starts and ends in the text, for reading items one by one. */
export interface XmlSegment {
  start: number
  end: number
  line: number
}

/**
 * Finds the extent of every `<name …>…</name>` (any prefix) in raw text,
 * without parsing: used only to salvage the good items of a document that is
 * not well-formed as a whole. Items of these formats never nest in themselves.
 * Runs in one pass over the text, so a hostile document of a million unclosed
 * openings costs no more than a sound one.
 */
export function findSegments(text: string, locals: readonly string[]): XmlSegment[] {
  const names = locals.map((l) => l.replace(/[^A-Za-z0-9_.-]/g, '')).join('|')
  const opens: { at: number; tagEnd: number; selfClosing: boolean }[] = []
  const openTag = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?(?:${names})(?=[\\s/>])`, 'g')
  // The end of each start tag is the next '>', looked up again only once we
  // are past it, so however long the attributes, the text is read once.
  let gt = -1
  for (let m = openTag.exec(text); m; m = openTag.exec(text)) {
    if (gt !== -1 && gt < m.index) gt = -1
    if (gt === -1) gt = text.indexOf('>', m.index)
    if (gt === -1) gt = text.length
    opens.push({ at: m.index, tagEnd: Math.min(gt + 1, text.length), selfClosing: text[gt - 1] === '/' })
  }
  const closes: number[] = []
  const closeTag = new RegExp(`</(?:[A-Za-z_][\\w.-]*:)?(?:${names})\\s*>`, 'g')
  for (let m = closeTag.exec(text); m; m = closeTag.exec(text)) closes.push(m.index + m[0].length)

  const segments: XmlSegment[] = []
  let c = 0
  let line = 1
  let newline = text.indexOf('\n')
  for (let i = 0; i < opens.length; i++) {
    const { at, tagEnd, selfClosing } = opens[i]!
    const next = opens[i + 1]?.at ?? text.length
    let end: number
    if (selfClosing) end = tagEnd
    else {
      while (c < closes.length && closes[c]! <= at) c++
      // Unclosed: the item runs to the next one, so its neighbours stay readable.
      end = c < closes.length && closes[c]! <= next ? closes[c]! : next
    }
    // Newlines are looked up in order and each once, so counting lines stays linear.
    while (newline !== -1 && newline < at) {
      line++
      newline = text.indexOf('\n', newline + 1)
    }
    segments.push({ start: at, end, line })
  }
  return segments
}

/** The raw start tag of the root element (with its namespace declarations), on one line, or null. */
export function rootStartTag(text: string): { tag: string; name: string } | null {
  const body = skipProlog(text)
  const match = /^<([A-Za-z_][\w.:-]*)(?:\s[^>]*)?>/.exec(body)
  if (!match) return null
  const tag = match[0].endsWith('/>') ? `${match[0].slice(0, -2)}>` : match[0]
  return { tag: tag.replace(/[\r\n\t]+/g, ' '), name: match[1]! }
}

/** The text after the XML declaration, comments, processing instructions and DOCTYPE. */
export function skipProlog(text: string): string {
  let i = 0
  for (;;) {
    while (i < text.length && /[\s\uFEFF]/.test(text[i]!)) i++
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i)
      if (end === -1) return ''
      i = end + 2
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i)
      if (end === -1) return ''
      i = end + 3
    } else if (/^<!DOCTYPE/i.test(text.slice(i, i + 9))) {
      const bracket = text.indexOf('[', i)
      const close = text.indexOf('>', i)
      if (bracket !== -1 && bracket < close) {
        const end = text.indexOf(']', bracket)
        const after = end === -1 ? -1 : text.indexOf('>', end)
        if (after === -1) return ''
        i = after + 1
      } else {
        if (close === -1) return ''
        i = close + 1
      }
    } else return text.slice(i)
  }
}

/** How many items of a broken document are read one by one before the rest are only counted. */
export const MAX_SALVAGED_ITEMS = 20_000

/**
 * The most characters of the root start tag each salvaged item is parsed
 * inside. Only namespace declarations, `xml:lang` and `xml:base` are carried,
 * each at most MAX_SHELL_ATTRIBUTE long, so a root tag padded with a huge
 * attribute costs its size once, not once per item.
 */
export const MAX_SHELL_LENGTH = 4096
const MAX_SHELL_ATTRIBUTE = 1024
/** Salvage parses at most this many times the document's length, shells included. */
const SALVAGE_WORK_FACTOR = 4

/** One item read on its own from a document that is not well-formed as a whole. */
export type SalvagedItem =
  | { index: number; line: number; raw: string; element: XmlElement }
  | { index: number; line: number; raw: string; error: XmlReadError }

/**
 * The root start tag reduced to what items inherit from it: its name, its
 * namespace declarations, `xml:lang` and `xml:base`. Everything else (and any
 * declaration longer than MAX_SHELL_ATTRIBUTE) is left out, within
 * MAX_SHELL_LENGTH in all.
 */
export function rootShell(tag: string, name: string): string {
  let shell = `<${name}`
  const attribute = /\s([A-Za-z_][\w.:-]*)\s*=\s*("[^"]*"|'[^']*')/g
  for (let m = attribute.exec(tag); m; m = attribute.exec(tag)) {
    const attrName = m[1]!
    const kept = attrName === 'xmlns' || attrName.startsWith('xmlns:') || attrName === 'xml:lang' || attrName === 'xml:base'
    if (!kept || m[2]!.length > MAX_SHELL_ATTRIBUTE + 2) continue
    const piece = ` ${attrName}=${m[2]}`
    if (shell.length + piece.length + 1 > MAX_SHELL_LENGTH) break
    shell += piece
  }
  return `${shell}>`
}

/**
 * Whether a document that failed to parse whole may have its items read one
 * by one: when it is broken, or when one part of it is past a limit (an item
 * nested too deep must not cost the sound items beside it; the salvage has
 * bounds of its own). Never when it declared entities: that is refused whole.
 */
export function isSalvageable(error: XmlReadError): boolean {
  return error.code === WIRE_MALFORMED || error.code === WIRE_LIMIT_EXCEEDED
}

/**
 * Reads the items of a broken document one by one: each `<item>` (or entry,
 * newsItem…) is parsed inside the root's shell (see rootShell), so it keeps the
 * root's namespace declarations, language and base. Every item is then hung
 * under one shared copy of that root, so the parsed wrappers are garbage at
 * once: memory follows the size of the input, whatever the root tag holds.
 * Also returns what comes before the first item (the channel or feed head),
 * closed off and parsed, when that much is sound.
 */
export function salvageItems(
  text: string,
  locals: readonly string[],
): { head: XmlElement | null; items: SalvagedItem[]; skipped: number } {
  const root = rootStartTag(text)
  if (!root) return { head: null, items: [], skipped: 0 }
  const shell = rootShell(root.tag, root.name)
  const close = `</${root.name}>`
  let sharedRoot: XmlElement | null
  try {
    sharedRoot = parseXml(`${shell}${close}`)
  } catch {
    sharedRoot = null
  }
  const found = findSegments(text, locals)
  // Each salvaged item costs a parser of its own: cap them, far above any real
  // batch, and stop once the text parsed (shells included) passes a few times
  // the document, so a hostile mass of tiny items under a long shell stays linear.
  let segments = found.slice(0, MAX_SALVAGED_ITEMS)
  let work = 0
  const budget = SALVAGE_WORK_FACTOR * text.length + 65_536
  const within = segments.findIndex((segment) => (work += shell.length + close.length + segment.end - segment.start) > budget)
  if (within !== -1) segments = segments.slice(0, within)
  const items: SalvagedItem[] = segments.map((segment, index) => {
    const raw = text.slice(segment.start, segment.end)
    try {
      if (!sharedRoot) throw new XmlReadError(WIRE_MALFORMED, 'The root element cannot be read.', 1)
      const wrapper = parseXml(`${shell}${raw}${close}`)
      const element = findDescendant(wrapper, locals)
      if (!element) throw new XmlReadError(WIRE_MALFORMED, 'The item is empty.', 1)
      shiftLines(element, segment.line - 1)
      element.parent = sharedRoot
      return { index, line: segment.line, raw, element }
    } catch (error) {
      const readError =
        error instanceof XmlReadError ? error : new XmlReadError(WIRE_MALFORMED, String(error), null)
      const line = readError.line === null ? segment.line : segment.line + readError.line - 1
      return {
        index,
        line: segment.line,
        raw,
        error: new XmlReadError(readError.code, `${readError.code === WIRE_MALFORMED ? 'The item is not well-formed XML' : 'The item could not be read'} near line ${line}: ${readError.detail}`, line, readError.detail),
      }
    }
  })
  const firstStart = segments[0]?.start ?? text.length
  const headText = text.slice(0, firstStart)
  let head: XmlElement | null
  try {
    head = parseXml(headText + closersFor(headText))
  } catch {
    head = null
  }
  return { head, items, skipped: found.length - segments.length }
}

function findDescendant(root: XmlElement, locals: readonly string[]): XmlElement | null {
  const stack: XmlElement[] = [root]
  while (stack.length > 0) {
    const el = stack.pop()!
    if (el !== root && locals.includes(el.local)) return el
    for (let i = el.children.length - 1; i >= 0; i--) {
      const c = el.children[i]!
      if (c.type === 'element') stack.push(c)
    }
  }
  return null
}

function shiftLines(element: XmlElement, by: number): void {
  const stack: XmlElement[] = [element]
  while (stack.length > 0) {
    const el = stack.pop()!
    el.line += by
    for (const c of el.children) if (c.type === 'element') stack.push(c)
  }
}

/** Closing tags for the elements left open at the end of a text fragment, innermost first; one linear pass. */
function closersFor(fragment: string): string {
  const open: string[] = []
  let i = fragment.indexOf('<')
  while (i !== -1) {
    let end: number
    if (fragment.startsWith('<!--', i)) end = fragment.indexOf('-->', i + 4)
    else if (fragment.startsWith('<![CDATA[', i)) end = fragment.indexOf(']]>', i + 9)
    else if (fragment.startsWith('<?', i)) end = fragment.indexOf('?>', i + 2)
    else {
      end = fragment.indexOf('>', i + 1)
      if (end === -1) break
      const tag = /^<(\/?)([A-Za-z_][\w.:-]*)/.exec(fragment.slice(i, Math.min(end + 1, i + 300)))
      if (tag && fragment[end - 1] !== '/' && fragment[i + 1] !== '!') {
        if (tag[1] === '/') {
          const at = open.lastIndexOf(tag[2]!)
          if (at !== -1) open.length = at
        } else open.push(tag[2]!)
      }
    }
    if (end === -1) break
    i = fragment.indexOf('<', end + 1)
  }
  return open.reverse().map((name) => `</${name}>`).join('')
}
