import {
  WIRE_DOCUMENT_RECOVERED,
  WIRE_EMPTY,
  WIRE_FIELD_IGNORED,
  WIRE_ITEM_EMPTY,
  WIRE_ITEM_INVALID,
  WIRE_ITEM_NO_ID,
  WIRE_LIMIT_EXCEEDED,
  WIRE_MALFORMED,
} from '../errors.ts'
import type { ParseReport, WireItem, WireKind, WirePicture, WireRelated } from '../wire-item.ts'
import { decodeBytes } from './decode.ts'
import { ItemScope, blankItem, cleanLine, cleanNote, pubStatusOf, subjectFromQcode, subjectFromUri, uniqueLines, uniqueSubjects } from './fields.ts'
import { htmlToBlocks, textToBlocks } from '../../html-to-blocks/index.ts'
import { xhtmlToBlocks } from './xhtml-to-blocks.ts'
import { ReportBuilder, checkSize, describeItem, failedReport, type ParseOptions, type WireAdapter } from './report.ts'
import {
  XmlReadError,
  attr,
  baseOf,
  langOf,
  parseXml,
  isSalvageable,
  salvageItems,
  textOf,
  type XmlElement,
} from './xml.ts'
import { pictureHeadline, renditionRef } from './pictures.ts'

/**
 * IPTC NewsML-G2: a newsItem or packageItem on its own, or several in a
 * newsMessage. We read the parts a desk needs (itemMeta, contentMeta,
 * rightsInfo, contentSet, groupSet) and ignore the rest of this very large
 * standard. Elements are matched in the NAR namespace, or in none, since some
 * providers forget to declare it.
 */

const NAR = 'http://iptc.org/std/nar/2006-10-01/'
const ITEM_ELEMENTS = ['newsItem', 'packageItem'] as const

function nar(element: XmlElement | undefined, local: string): XmlElement[] {
  if (!element) return []
  const out: XmlElement[] = []
  for (const c of element.children) if (c.type === 'element' && c.local === local && (c.ns === NAR || c.ns === '')) out.push(c)
  return out
}

function first(element: XmlElement | undefined, local: string): XmlElement | undefined {
  return nar(element, local)[0]
}

function text(element: XmlElement | undefined, max: number): string | null {
  return element ? cleanLine(textOf(element), max) : null
}

/** The name of a G2 concept: its `<name>` child in the item's language if there is one, else its literal. */
function conceptName(element: XmlElement, language: string | null): string | null {
  const names = nar(element, 'name')
  const preferred = names.find((n) => language && langOf(n)?.toLowerCase().startsWith(language.slice(0, 2).toLowerCase())) ?? names[0]
  return text(preferred, 500) ?? cleanLine(attr(element, 'literal'), 500)
}

function kindOf(element: XmlElement, itemClass: string | undefined): WireKind {
  if (element.local === 'packageItem') return 'package'
  const code = itemClass?.replace(/^ninat:/, '').replace(/^.*\/ninature\//, '').replace(/\/$/, '')
  switch (code) {
    case undefined:
    case 'text':
      return 'text'
    case 'picture':
    case 'graphic':
    case 'video':
    case 'audio':
      return code
    case 'composite':
      return 'package'
    default:
      return 'other'
  }
}

/** Every `contactInfo` under the metadata, as lines for the desk: agency contacts are never public copy. */
function contactNotes(meta: XmlElement | undefined): string[] {
  if (!meta) return []
  const out: string[] = []
  const stack: XmlElement[] = [meta]
  while (stack.length > 0) {
    const el = stack.pop()!
    if (el.local === 'contactInfo') {
      const owner = el.parent ? conceptName(el.parent, null) : null
      const parts = el.children
        .filter((c): c is XmlElement => c.type === 'element')
        .map((c) => {
          const value = cleanLine(textOf(c), 500) ?? cleanLine(attr(c, 'href') ?? attr(c, 'uri'), 500)
          return value ? `${c.local}: ${value}` : null
        })
        .filter((part): part is string => !!part)
      if (parts.length > 0) out.push(`Contact${owner ? ` (${owner})` : ''}: ${parts.join('; ')}`)
      continue
    }
    for (const c of el.children) if (c.type === 'element') stack.push(c)
  }
  return out
}

function readBody(item: WireItem, contentSet: XmlElement | undefined, scope: ItemScope, base: string | null): void {
  if (!contentSet) return
  const inlineXml = nar(contentSet, 'inlineXML')
  const inlineData = nar(contentSet, 'inlineData')
  const xhtml = inlineXml.find((el) => /xhtml|html/i.test(attr(el, 'contenttype') ?? '')) ?? inlineXml[0]
  if (xhtml) {
    const converted = xhtmlToBlocks(xhtml.children, { baseUrl: baseOf(xhtml, base) })
    item.body = converted.body
    item.editorialNotes.push(...converted.notes)
    item.pictures.push(...converted.pictures)
    scope.conversionWarnings(converted.warnings)
  } else {
    const data = inlineData.find((el) => /html/i.test(attr(el, 'contenttype') ?? '')) ?? inlineData[0]
    if (data) {
      if (/html/i.test(attr(data, 'contenttype') ?? '')) {
        const converted = htmlToBlocks(textOf(data), { baseUrl: baseOf(data, base) })
        item.body = converted.body
        item.editorialNotes.push(...converted.notes)
        item.pictures.push(...converted.pictures)
        scope.conversionWarnings(converted.warnings)
      } else item.body = textToBlocks(textOf(data))
    }
  }
}

function pictureFromRemote(contentSet: XmlElement | undefined, scope: ItemScope, base: string | null): WirePicture | null {
  const remotes = nar(contentSet, 'remoteContent').filter((el) => {
    const type = attr(el, 'contenttype')
    return (attr(el, 'href') ?? attr(el, 'residref')) && (!type || /^image\//i.test(type))
  })
  if (remotes.length === 0) return null
  const chosen =
    remotes.find((el) => /highres|original/i.test(attr(el, 'rendition') ?? '')) ??
    [...remotes].sort((a, b) => Number(attr(b, 'width') ?? 0) - Number(attr(a, 'width') ?? 0))[0]!
  const where = renditionRef(attr(chosen, 'href') ?? attr(chosen, 'residref'), baseOf(chosen, base), scope, 'remoteContent href')
  if (!where) return null
  const picture: WirePicture = { ...where }
  const width = Number(attr(chosen, 'width'))
  const height = Number(attr(chosen, 'height'))
  if (Number.isInteger(width) && width > 0 && width <= 100_000) picture.width = width
  if (Number.isInteger(height) && height > 0 && height <= 100_000) picture.height = height
  return picture
}

function readItem(element: XmlElement, index: number | null, report: ReportBuilder, base: string | null): void {
  const guid = attr(element, 'guid')?.trim() ?? ''
  const where = describeItem(element.local, index, { name: 'guid', value: guid }, element.line)
  if (guid === '') {
    report.reject(where, WIRE_ITEM_NO_ID, `The ${element.local} has no guid attribute, which NewsML-G2 requires and versioning needs.`)
    return
  }
  try {
    const scope = new ItemScope(report, where)
    const item = blankItem('newsml-g2', guid)
    const itemMeta = first(element, 'itemMeta')
    const contentMeta = first(element, 'contentMeta')
    const contentSet = first(element, 'contentSet')
    const itemBase = baseOf(element, base)

    item.formatVersion = cleanLine(attr(element, 'standardversion'), 40)
    item.version = scope.version(attr(element, 'version'))
    item.kind = kindOf(element, attr(first(itemMeta, 'itemClass') ?? element, 'qcode'))
    item.language = scope.language(attr(first(contentMeta, 'language') ?? element, 'tag') ?? langOf(element))

    const provider = first(itemMeta, 'provider')
    if (provider) {
      const qcode = attr(provider, 'qcode')
      item.agency = cleanLine(attr(provider, 'literal') ?? qcode?.replace(/^nprov:/, ''), 200)
      item.agencyName = conceptName(provider, item.language)
    }
    item.versionCreated = scope.date(text(first(itemMeta, 'versionCreated'), 80), 'versionCreated')
    item.firstCreated = scope.date(text(first(itemMeta, 'firstCreated'), 80), 'firstCreated')
    const embargoed = first(itemMeta, 'embargoed')
    if (embargoed) {
      const when = text(embargoed, 80)
      item.embargoUntil = scope.date(when, 'embargoed')
      if (!when) item.editorialNotes.push('Embargoed until further notice: the agency gave no release time.')
    }
    const status = first(itemMeta, 'pubStatus')
    if (status) {
      const raw = attr(status, 'qcode') ?? attr(status, 'uri')
      const mapped = pubStatusOf(raw)
      if (mapped) item.pubStatus = mapped
      else scope.warn(WIRE_FIELD_IGNORED, `pubStatus "${raw ?? ''}" is not one we know; the item was taken as usable.`)
    }
    item.signals = uniqueLines(nar(itemMeta, 'signal').map((s) => attr(s, 'qcode') ?? attr(s, 'uri') ?? attr(s, 'literal')), 200, 50)
    for (const note of nar(itemMeta, 'edNote')) {
      const value = cleanNote(textOf(note))
      if (value) item.editorialNotes.push(value)
    }
    for (const link of nar(itemMeta, 'link')) {
      const rel = attr(link, 'rel') ?? ''
      const type = attr(link, 'contenttype') ?? ''
      if (/canonical|self/i.test(rel) || /text\/html/i.test(type)) {
        item.link ??= scope.url(attr(link, 'href'), baseOf(link, itemBase), 'itemMeta link')
      } else if (/^image\//i.test(type)) {
        const href = scope.url(attr(link, 'href'), baseOf(link, itemBase), 'itemMeta link')
        const title = text(first(link, 'title'), 2000)
        if (href) item.pictures.push(title ? { href, caption: title } : { href })
      }
    }

    item.urgency = scope.urgency(text(first(contentMeta, 'urgency'), 20))
    const located = first(contentMeta, 'located')
    item.located = located ? conceptName(located, item.language) : null
    item.dateline = text(first(contentMeta, 'dateline'), 500)
    item.slugline = text(first(contentMeta, 'slugline'), 300)
    item.byline =
      text(first(contentMeta, 'by'), 500) ??
      cleanLine(nar(contentMeta, 'creator').map((c) => conceptName(c, item.language)).filter(Boolean).join(', '), 500)
    item.creditLine = text(first(contentMeta, 'creditline'), 500)
    item.keywords = uniqueLines(nar(contentMeta, 'keyword').map((k) => textOf(k)), 300)
    item.subjects = uniqueSubjects(
      nar(contentMeta, 'subject').map((s) => {
        const name = conceptName(s, item.language)
        const qcode = attr(s, 'qcode')
        if (qcode) return subjectFromQcode(qcode, name)
        const uri = attr(s, 'uri')
        if (uri) return subjectFromUri(uri, name)
        const literal = cleanLine(attr(s, 'literal'), 500)
        return literal ? (name && name !== literal ? { code: literal, name } : { code: literal }) : null
      }),
    )
    const headlines = nar(contentMeta, 'headline')
    const main = headlines.find((h) => !attr(h, 'role') || /main/i.test(attr(h, 'role')!)) ?? headlines[0]
    const descriptions = nar(contentMeta, 'description')
    let caption: string | null = null
    let altText: string | null = null
    for (const description of descriptions) {
      const role = attr(description, 'role') ?? ''
      const value = cleanLine(textOf(description), 5000)
      if (!value) continue
      if (/note|internal|non-?public/i.test(role)) item.editorialNotes.push(value)
      else if (/caption/i.test(role)) caption ??= value
      else if (/alt/i.test(role)) altText ??= value
      else item.summary ??= value
    }
    item.editorialNotes.push(...contactNotes(contentMeta), ...contactNotes(itemMeta))

    for (const rights of nar(element, 'rightsInfo')) {
      item.copyrightNotice ??= text(first(rights, 'copyrightNotice'), 2000)
      item.usageTerms ??= text(first(rights, 'usageTerms'), 2000)
      item.agencyName ??= (() => {
        const holder = first(rights, 'copyrightHolder')
        return holder ? conceptName(holder, item.language) : null
      })()
    }

    readBody(item, contentSet, scope, itemBase)
    if (item.kind === 'picture' || item.kind === 'graphic') {
      const picture = pictureFromRemote(contentSet, scope, itemBase)
      if (picture) {
        if (caption ?? item.summary) picture.caption = (caption ?? item.summary)!.slice(0, 2000)
        if (altText) picture.altText = altText.slice(0, 500)
        const credit = item.creditLine ?? item.byline
        if (credit) picture.credit = credit.slice(0, 300)
        item.pictures.unshift(picture)
      }
    }
    if (element.local === 'packageItem') item.related = packageRefs(element)

    const headline =
      text(main, 1000) ??
      text(first(itemMeta, 'title'), 1000) ??
      scope.derivedHeadline(item.summary ?? caption, item.body) ??
      pictureHeadline(item, scope)
    if (!headline) {
      report.reject(where, WIRE_ITEM_EMPTY, 'The item has no headline, title, description or body text to show.')
      return
    }
    item.headline = headline
    item.editorialNotes = [...new Set(item.editorialNotes)].slice(0, 100)
    item.pictures = item.pictures.slice(0, 200)
    report.accept(where, item)
  } catch (error) {
    report.reject(where, WIRE_ITEM_INVALID, `The item could not be read: ${error instanceof Error ? error.message : String(error)}`)
  }
}

function packageRefs(element: XmlElement): WireRelated[] {
  const out: WireRelated[] = []
  const stack: XmlElement[] = nar(element, 'groupSet')
  while (stack.length > 0 && out.length < 500) {
    const el = stack.shift()!
    if (el.local === 'itemRef') {
      const id = cleanLine(attr(el, 'residref') ?? attr(el, 'href'), 1000)
      if (!id) continue
      const title = text(first(el, 'title'), 1000) ?? text(first(el, 'headline'), 1000)
      out.push(title ? { id, title } : { id })
      continue
    }
    for (const c of el.children) if (c.type === 'element') stack.push(c)
  }
  return out
}

function itemsOf(root: XmlElement): XmlElement[] {
  if (root.local === 'newsItem' || root.local === 'packageItem') return [root]
  const out: XmlElement[] = []
  for (const set of nar(root, 'itemSet')) {
    for (const c of set.children) {
      if (c.type === 'element' && (c.local === 'newsItem' || c.local === 'packageItem')) out.push(c)
    }
  }
  return out
}

/**
 * Reads NewsML-G2 bytes. In a newsMessage each item stands alone: a bad one is
 * rejected with its position and guid, and if the XML itself is broken the
 * items are read one by one so the sound ones still come through.
 */
export function parseNewsMlG2(bytes: Uint8Array, opts: ParseOptions = {}): ParseReport {
  const tooLarge = checkSize(bytes, opts, 'newsml-g2')
  if (tooLarge) return tooLarge
  const decoded = decodeBytes(bytes, { contentType: opts.contentType, xml: true })
  if ('error' in decoded) return failedReport('newsml-g2', decoded.error.code, decoded.error.message)
  if (decoded.text.trim() === '') return failedReport('newsml-g2', WIRE_EMPTY, 'The input holds only whitespace.')
  const report = new ReportBuilder('newsml-g2', opts.onItem)
  for (const warning of decoded.warnings) report.warn('document', warning.code, warning.message)
  const base = opts.baseUrl ?? null

  let root: XmlElement
  try {
    root = parseXml(decoded.text)
  } catch (thrown) {
    const error = thrown instanceof XmlReadError ? thrown : new XmlReadError(WIRE_MALFORMED, String(thrown), null)
    if (!isSalvageable(error)) return failedReport('newsml-g2', error.code, error.message)
    const salvaged = salvageItems(decoded.text, ITEM_ELEMENTS)
    if (!/^newsMessage$/.test(salvaged.head?.local ?? '') || salvaged.items.length === 0) {
      return failedReport('newsml-g2', error.code, error.message)
    }
    report.warn('document', WIRE_DOCUMENT_RECOVERED, `${error.message.replace(/\.$/, '')}. The items were read one by one.`)
    for (const entry of salvaged.items) {
      if ('element' in entry) readItem(entry.element, entry.index, report, base)
      else {
        const guid = /\bguid\s*=\s*["']([^"']{1,300})["']/.exec(entry.raw)?.[1] ?? null
        const local = /^<(?:[\w.-]+:)?(\w+)/.exec(entry.raw)?.[1] ?? 'newsItem'
        report.reject(describeItem(local, entry.index, { name: 'guid', value: guid }, entry.line), entry.error.code, entry.error.message)
      }
    }
    if (salvaged.skipped > 0) {
      report.reject('document', WIRE_LIMIT_EXCEEDED, `${salvaged.skipped} more items of the broken document were not read; only the first ${salvaged.items.length} are read one by one.`)
    }
    return report.build()
  }
  const items = itemsOf(root)
  const many = root.local === 'newsMessage'
  items.forEach((element, i) => readItem(element, many ? i : null, report, base))
  return report.build()
}

/** The NewsML-G2 adapter. */
export const newsMlG2Adapter: WireAdapter = { name: 'newsml-g2', formats: ['newsml-g2'], parse: parseNewsMlG2 }
