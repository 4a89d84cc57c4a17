import { WIRE_DOCUMENT_RECOVERED, WIRE_EMPTY, WIRE_FORMAT_UNKNOWN, WIRE_ITEM_EMPTY, WIRE_ITEM_INVALID, WIRE_LIMIT_EXCEEDED, WIRE_MALFORMED } from '../errors.ts'
import type { ParseReport, WireFormat, WireItem, WirePicture } from '../wire-item.ts'
import { decodeBytes } from './decode.ts'
import { ItemScope, blankItem, cleanLine, httpUrl, subjectFromScheme, syntheticId, uniqueLines, uniqueSubjects } from './fields.ts'
import { htmlToBlocks, htmlToText, textToBlocks, type Converted } from '../../html-to-blocks/index.ts'
import { xhtmlToBlocks, xhtmlToText } from './xhtml-to-blocks.ts'
import { ReportBuilder, checkSize, describeItem, failedReport, type ParseOptions, type WireAdapter } from './report.ts'
import {
  XmlReadError,
  attr,
  baseOf,
  child,
  childText,
  children,
  langOf,
  parseXml,
  rootStartTag,
  isSalvageable,
  salvageItems,
  textOf,
  type XmlElement,
} from './xml.ts'

/**
 * RSS 2.0, RSS 1.0 (RDF) and Atom 1.0, the feeds many agencies and partners
 * offer instead of IPTC formats. Item HTML goes through the block converter,
 * so nothing of it survives as markup; relative links are resolved against
 * xml:base, then the URL the feed was fetched from, then the feed's own link.
 */

const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  rss1: 'http://purl.org/rss/1.0/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dc: 'http://purl.org/dc/elements/1.1/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  media: 'http://search.yahoo.com/mrss/',
} as const

/** What the feed says once for all its items. */
interface FeedContext {
  format: WireFormat
  formatVersion: string | null
  /** The document's base URL, before any xml:base. */
  base: string | null
  title: string | null
  publisher: string | null
  language: string | null
  rights: string | null
  authors: { name: string | null; email: string | null }[]
}

/** Namespaces of RSS modules; a core RSS element is in none of them. */
const MODULES = new Set<string>([NS.atom, NS.rdf, NS.dc, NS.content, NS.media])

/**
 * A core RSS element: in no namespace (RSS 2.0), in the RSS 1.0 namespace
 * (RDF), or in whatever default namespace a feed chose to declare, as some
 * RSS 2.0 feeds do; anything but a module's namespace.
 */
function core(element: XmlElement, local: string): XmlElement | undefined {
  return coreAll(element, local)[0]
}

function coreAll(element: XmlElement, local: string): XmlElement[] {
  return children(element, local).filter((c) => !MODULES.has(c.ns))
}

function coreText(element: XmlElement, local: string, max: number): string | null {
  const found = core(element, local)
  return found ? cleanLine(textOf(found), max) : null
}

function nsText(element: XmlElement | undefined, local: string, ns: string, max: number): string | null {
  return element ? cleanLine(childText(element, local, ns), max) : null
}

/** An Atom text construct (`type` text, html or xhtml) as plain text. */
function atomText(element: XmlElement | undefined, max: number): string | null {
  if (!element) return null
  const type = attr(element, 'type') ?? 'text'
  if (type === 'html') return cleanLine(htmlToText(textOf(element)), max)
  if (type === 'xhtml') return cleanLine(xhtmlToText(element.children), max)
  return cleanLine(textOf(element), max)
}

/** "desk@example.org (Jane Roe)" → name and address, as RSS authors are written. */
function splitAuthor(raw: string | null): { name: string | null; email: string | null } {
  if (!raw) return { name: null, email: null }
  const paren = /^\s*([^\s()]+@[^\s()]+)\s*\((.+)\)\s*$/.exec(raw)
  if (paren) return { name: cleanLine(paren[2], 300), email: paren[1]! }
  if (/^[^\s@]+@[^\s@]+$/.test(raw.trim())) return { name: null, email: raw.trim() }
  return { name: cleanLine(raw, 300), email: null }
}

function applyConverted(item: WireItem, converted: Converted, scope: ItemScope): void {
  item.body = converted.body
  item.editorialNotes.push(...converted.notes)
  item.pictures.push(...converted.pictures)
  scope.conversionWarnings(converted.warnings)
}

/** Media RSS and enclosure pictures of an item (or entry). */
function mediaPictures(element: XmlElement, base: string | null, scope: ItemScope): WirePicture[] {
  const out: WirePicture[] = []
  const groups = [element, ...children(element, 'group', NS.media)]
  for (const holder of groups) {
    for (const media of children(holder, 'content', NS.media)) {
      const type = attr(media, 'type') ?? ''
      const medium = attr(media, 'medium') ?? ''
      if (!(medium === 'image' || /^image\//i.test(type) || (!medium && !type))) continue
      const href = scope.url(attr(media, 'url'), baseOf(media, base), 'media:content url')
      if (!href) continue
      const picture: WirePicture = { href }
      const caption = nsText(media, 'description', NS.media, 2000) ?? nsText(holder, 'description', NS.media, 2000) ?? nsText(media, 'title', NS.media, 2000)
      const credit = nsText(media, 'credit', NS.media, 300) ?? nsText(holder, 'credit', NS.media, 300)
      const alt = nsText(media, 'title', NS.media, 500)
      if (caption) picture.caption = caption
      if (credit) picture.credit = credit
      if (alt && alt !== caption) picture.altText = alt
      const width = Number(attr(media, 'width'))
      const height = Number(attr(media, 'height'))
      if (Number.isInteger(width) && width > 0 && width <= 100_000) picture.width = width
      if (Number.isInteger(height) && height > 0 && height <= 100_000) picture.height = height
      out.push(picture)
    }
  }
  for (const enclosure of children(element, 'enclosure', '')) {
    if (!/^image\//i.test(attr(enclosure, 'type') ?? '')) continue
    const href = scope.url(attr(enclosure, 'url'), baseOf(enclosure, base), 'enclosure url')
    if (href) out.push({ href })
  }
  if (out.length === 0) {
    const thumbnail = child(element, 'thumbnail', NS.media)
    const href = thumbnail ? scope.url(attr(thumbnail, 'url'), baseOf(thumbnail, base), 'media:thumbnail url') : null
    if (href) out.push({ href })
  }
  return out
}

function finish(item: WireItem, where: string, report: ReportBuilder, scope: ItemScope, title: string | null): void {
  const headline = title ?? scope.derivedHeadline(item.summary, item.body)
  if (!headline) {
    report.reject(where, WIRE_ITEM_EMPTY, 'The item has neither a title nor any text.')
    return
  }
  item.headline = headline
  item.editorialNotes = [...new Set(item.editorialNotes)].slice(0, 100)
  item.pictures = item.pictures.slice(0, 200)
  report.accept(where, item)
}

/** One RSS 2.0 or RSS 1.0 item. */
function readRssItem(element: XmlElement, index: number, ctx: FeedContext, report: ReportBuilder): void {
  const itemBase = baseOf(element, ctx.base)
  const guidElement = core(element, 'guid')
  const guid = guidElement ? cleanLine(textOf(guidElement), 1000) : cleanLine(attr(element, 'about', NS.rdf), 1000)
  const linkRaw = coreText(element, 'link', 2048)
  const where = describeItem('item', index, { name: 'guid', value: guid ?? linkRaw }, element.line)
  try {
    const scope = new ItemScope(report, where)
    const title = coreText(element, 'title', 5000)
    const description = core(element, 'description')
    const encoded = child(element, 'encoded', NS.content)
    const pubDate = coreText(element, 'pubDate', 200) ?? nsText(element, 'date', NS.dc, 200)

    const item = blankItem(ctx.format, '')
    item.formatVersion = ctx.formatVersion
    item.link = scope.url(linkRaw, itemBase, 'link')
    if (!item.link && guid && attr(guidElement ?? element, 'isPermaLink') !== 'false') item.link = httpUrl(guid, itemBase)
    item.agencyItemId = guid ?? item.link ?? linkRaw ?? syntheticId(title, pubDate, description ? textOf(description) : null)

    const html = encoded ? textOf(encoded) : description ? textOf(description) : ''
    if (html.trim() !== '') applyConverted(item, htmlToBlocks(html, { baseUrl: itemBase }), scope)
    if (encoded && description) item.summary = cleanLine(htmlToText(textOf(description)), 5000)

    const creators = children(element, 'creator', NS.dc).map((c) => cleanLine(textOf(c), 300))
    const author = splitAuthor(coreText(element, 'author', 500))
    item.byline = cleanLine(uniqueLines(creators, 300).join(', '), 500) ?? author.name
    if (author.email) item.editorialNotes.push(`Author contact: ${author.email}`)

    item.versionCreated = scope.date(pubDate, 'pubDate')
    const categories = children(element, 'category', '')
    item.subjects = uniqueSubjects(
      categories
        .filter((c) => attr(c, 'domain'))
        .map((c) => subjectFromScheme(attr(c, 'domain'), textOf(c))),
    )
    item.keywords = uniqueLines(
      [
        ...categories.filter((c) => !attr(c, 'domain')).map((c) => textOf(c)),
        ...children(element, 'subject', NS.dc).map((c) => textOf(c)),
        ...(nsText(element, 'keywords', NS.media, 5000)?.split(',') ?? []),
      ],
      300,
    )
    item.language = scope.language(langOf(element) ?? nsText(element, 'language', NS.dc, 40) ?? ctx.language)
    item.copyrightNotice = nsText(element, 'rights', NS.dc, 2000) ?? ctx.rights
    item.agencyName = nsText(element, 'publisher', NS.dc, 300) ?? ctx.publisher ?? ctx.title
    item.pictures.push(...mediaPictures(element, itemBase, scope))
    finish(item, where, report, scope, title ? cleanLine(htmlToText(title), 1000) : null)
  } catch (error) {
    report.reject(where, WIRE_ITEM_INVALID, `The item could not be read: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** One Atom entry. */
function readAtomEntry(element: XmlElement, index: number, ctx: FeedContext, report: ReportBuilder): void {
  const id = childText(element, 'id', NS.atom)
  const where = describeItem('entry', index, { name: 'id', value: id }, element.line)
  try {
    const scope = new ItemScope(report, where)
    const entryBase = baseOf(element, ctx.base)
    const item = blankItem('atom', '')
    item.formatVersion = ctx.formatVersion
    const links = children(element, 'link', NS.atom)
    const alternate =
      links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate' && /html/i.test(attr(l, 'type') ?? 'text/html')) ??
      links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate')
    if (alternate) item.link = scope.url(attr(alternate, 'href'), baseOf(alternate, ctx.base), 'link href')
    for (const enclosure of links.filter((l) => attr(l, 'rel') === 'enclosure' && /^image\//i.test(attr(l, 'type') ?? ''))) {
      const href = scope.url(attr(enclosure, 'href'), baseOf(enclosure, ctx.base), 'enclosure href')
      if (href) item.pictures.push(attr(enclosure, 'title') ? { href, caption: cleanLine(attr(enclosure, 'title'), 2000)! } : { href })
    }

    const titleText = atomText(child(element, 'title', NS.atom), 1000)
    const updated = childText(element, 'updated', NS.atom)
    const published = childText(element, 'published', NS.atom)
    item.agencyItemId = cleanLine(id, 1000) ?? item.link ?? syntheticId(titleText, updated, published)

    const content = child(element, 'content', NS.atom)
    const summaryElement = child(element, 'summary', NS.atom)
    const convert = (el: XmlElement): Converted | null => {
      const type = attr(el, 'type') ?? 'text'
      const base = baseOf(el, ctx.base)
      if (type === 'html' || /^text\/html/i.test(type)) return htmlToBlocks(textOf(el), { baseUrl: base })
      if (type === 'xhtml' || /xhtml/i.test(type)) return xhtmlToBlocks(el.children, { baseUrl: base })
      if (type === 'text' || /^text\//i.test(type)) return { body: textToBlocks(textOf(el)), notes: [], pictures: [], warnings: [] }
      return null
    }
    if (content && !attr(content, 'src')) {
      const converted = convert(content)
      if (converted) applyConverted(item, converted, scope)
      item.summary = atomText(summaryElement, 5000)
    } else {
      if (content) item.link ??= scope.url(attr(content, 'src'), baseOf(content, ctx.base), 'content src')
      const converted = summaryElement ? convert(summaryElement) : null
      if (converted) applyConverted(item, converted, scope)
    }

    item.versionCreated = scope.date(updated ?? published, updated ? 'updated' : 'published')
    item.firstCreated = scope.date(published, 'published')
    const authors = children(element, 'author', NS.atom).map((a) => ({
      name: nsText(a, 'name', NS.atom, 300),
      email: nsText(a, 'email', NS.atom, 300),
    }))
    const byWhom = authors.length > 0 ? authors : ctx.authors
    item.byline = cleanLine(uniqueLines(byWhom.map((a) => a.name), 300).join(', '), 500)
    for (const a of byWhom) if (a.email) item.editorialNotes.push(`Author contact${a.name ? ` (${a.name})` : ''}: ${a.email}`)

    const categories = children(element, 'category', NS.atom)
    item.subjects = uniqueSubjects(
      categories
        .filter((c) => attr(c, 'scheme') && attr(c, 'term'))
        .map((c) => subjectFromScheme(attr(c, 'scheme'), attr(c, 'term')!, attr(c, 'label'))),
    )
    item.keywords = uniqueLines(
      [...categories.filter((c) => !attr(c, 'scheme')).map((c) => attr(c, 'label') ?? attr(c, 'term')), ...(nsText(element, 'keywords', NS.media, 5000)?.split(',') ?? [])],
      300,
    )
    item.language = scope.language(langOf(content ?? element))
    item.copyrightNotice = atomText(child(element, 'rights', NS.atom), 2000) ?? ctx.rights
    item.agencyName = ctx.publisher ?? ctx.title
    item.pictures.push(...mediaPictures(element, entryBase, scope))
    finish(item, where, report, scope, titleText)
  } catch (error) {
    report.reject(where, WIRE_ITEM_INVALID, `The entry could not be read: ${error instanceof Error ? error.message : String(error)}`)
  }
}

function rssContext(root: XmlElement, format: WireFormat, opts: ParseOptions): { ctx: FeedContext; channel: XmlElement | undefined } {
  const channel = core(root, 'channel')
  const channelLink = channel ? coreText(channel, 'link', 2048) : null
  const ctx: FeedContext = {
    format,
    formatVersion: format === 'rdf' ? '1.0' : cleanLine(attr(root, 'version'), 40),
    base: opts.baseUrl ?? httpUrl(channelLink, null),
    title: channel ? coreText(channel, 'title', 300) : null,
    publisher: channel ? nsText(channel, 'publisher', NS.dc, 300) : null,
    language: channel ? (coreText(channel, 'language', 40) ?? nsText(channel, 'language', NS.dc, 40) ?? langOf(channel)) : null,
    rights: channel ? (coreText(channel, 'copyright', 2000) ?? nsText(channel, 'rights', NS.dc, 2000)) : null,
    authors: [],
  }
  return { ctx, channel }
}

function atomContext(root: XmlElement, opts: ParseOptions): FeedContext {
  const links = children(root, 'link', NS.atom)
  const self = links.find((l) => attr(l, 'rel') === 'self')
  const alternate = links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate')
  const fallback = httpUrl(attr(self ?? alternate ?? root, 'href'), baseOf(root, null))
  return {
    format: 'atom',
    formatVersion: '1.0',
    base: opts.baseUrl ?? fallback,
    title: atomText(child(root, 'title', NS.atom), 300),
    publisher: null,
    language: langOf(root),
    rights: atomText(child(root, 'rights', NS.atom), 2000),
    authors: children(root, 'author', NS.atom).map((a) => ({
      name: nsText(a, 'name', NS.atom, 300),
      email: nsText(a, 'email', NS.atom, 300),
    })),
  }
}

function itemsOf(root: XmlElement, format: WireFormat, channel: XmlElement | undefined): XmlElement[] {
  if (format === 'atom') return children(root, 'entry', NS.atom)
  // RSS 1.0 puts items beside the channel; some broken RSS 2.0 does too.
  return [...(channel ? coreAll(channel, 'item') : []), ...coreAll(root, 'item')]
}

/**
 * Reads an RSS 2.0, RSS 1.0 or Atom 1.0 feed (told apart by the root
 * element). When the XML is broken, the items are read one by one so one bad
 * item does not cost the rest.
 */
export function parseFeed(bytes: Uint8Array, opts: ParseOptions = {}): ParseReport {
  const tooLarge = checkSize(bytes, opts, null)
  if (tooLarge) return tooLarge
  const decoded = decodeBytes(bytes, { contentType: opts.contentType, xml: true })
  if ('error' in decoded) return failedReport(null, decoded.error.code, decoded.error.message)
  if (decoded.text.trim() === '') return failedReport(null, WIRE_EMPTY, 'The input holds only whitespace.')
  const warnings = decoded.warnings

  let root: XmlElement
  try {
    root = parseXml(decoded.text)
  } catch (thrown) {
    const error = thrown instanceof XmlReadError ? thrown : new XmlReadError(WIRE_MALFORMED, String(thrown), null)
    const format = formatOfRootName(rootStartTag(decoded.text)?.name.split(':').pop())
    if (!isSalvageable(error) || !format) return failedReport(format, error.code, error.message)
    const locals = format === 'atom' ? ['entry'] : ['item']
    const salvaged = salvageItems(decoded.text, locals)
    if (salvaged.items.length === 0) return failedReport(format, error.code, error.message)
    const report = new ReportBuilder(format, opts.onItem)
    for (const warning of warnings) report.warn('document', warning.code, warning.message)
    report.warn('document', WIRE_DOCUMENT_RECOVERED, `${error.message.replace(/\.$/, '')}. The items were read one by one.`)
    const head = salvaged.head
    const ctx: FeedContext = head
      ? format === 'atom'
        ? atomContext(head, opts)
        : rssContext(head, format, opts).ctx
      : { format, formatVersion: null, base: opts.baseUrl ?? null, title: null, publisher: null, language: null, rights: null, authors: [] }
    for (const entry of salvaged.items) {
      if ('element' in entry) {
        if (format === 'atom') readAtomEntry(entry.element, entry.index, ctx, report)
        else readRssItem(entry.element, entry.index, ctx, report)
      } else {
        const id = /<(?:\w+:)?(?:guid|id|link)[^<>]{0,500}>([^<]{1,300})</.exec(entry.raw)?.[1]?.trim() ?? null
        report.reject(describeItem(locals[0]!, entry.index, { name: format === 'atom' ? 'id' : 'guid', value: id }, entry.line), entry.error.code, entry.error.message)
      }
    }
    if (salvaged.skipped > 0) {
      report.reject('document', WIRE_LIMIT_EXCEEDED, `${salvaged.skipped} more items of the broken document were not read; only the first ${salvaged.items.length} are read one by one.`)
    }
    return report.build()
  }

  const format = formatOfRootName(root.local)
  if (!format) {
    return failedReport(null, WIRE_FORMAT_UNKNOWN, `The root element <${root.name.slice(0, 60)}> is not RSS, RSS 1.0 or Atom.`)
  }
  if (format === 'atom' && root.ns !== NS.atom) {
    const what = root.ns === 'http://purl.org/atom/ns#' ? 'Atom 0.3, which was replaced by Atom 1.0 in 2005' : `namespace "${root.ns.slice(0, 100)}"`
    return failedReport('atom', WIRE_FORMAT_UNKNOWN, `The feed is ${what}, not Atom 1.0; ask the source for Atom 1.0 or RSS.`)
  }
  const report = new ReportBuilder(format, opts.onItem)
  for (const warning of warnings) report.warn('document', warning.code, warning.message)
  if (format === 'atom') {
    const ctx = atomContext(root, opts)
    itemsOf(root, format, undefined).forEach((entry, i) => readAtomEntry(entry, i, ctx, report))
  } else {
    const { ctx, channel } = rssContext(root, format, opts)
    itemsOf(root, format, channel).forEach((item, i) => readRssItem(item, i, ctx, report))
  }
  return report.build()
}

function formatOfRootName(local: string | undefined): WireFormat | null {
  if (local === 'rss') return 'rss'
  if (local === 'RDF') return 'rdf'
  if (local === 'feed') return 'atom'
  return null
}

/** The feed adapter: RSS 2.0, RSS 1.0 and Atom 1.0. */
export const feedAdapter: WireAdapter = { name: 'feed', formats: ['rss', 'atom', 'rdf'], parse: parseFeed }
