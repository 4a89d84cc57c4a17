import { DOMParser as PMDOMParser, type Schema, type TagParseRule } from 'prosemirror-model'
import { isEmbedUrl, isSafeHref } from '../../../articles/links.ts'
import { QUOTE_FIELDS } from '../schema.ts'

/**
 * Pasting and dropping HTML. Two steps:
 *
 * 1. `cleanPastedHTML` rewrites HTML from outside the editor (LibreOffice,
 *    Word, Google Docs, web pages) into a small vocabulary that matches the
 *    body: p, h2, h3, blockquote (inline text only), ul/ol with li (inline text
 *    only), hr, strong, em and a[href]. Everything else is unwrapped (its text
 *    kept) or, for things that are not text (scripts, frames, forms, media,
 *    hidden parts and advertising slots), dropped. Pictures are dropped too:
 *    they enter a story from the media library, with their size and credit.
 * 2. `createClipboardParser` reads that vocabulary, and the editor's own
 *    copied HTML, into the schema. Its rules check every link and picture
 *    address with the body's rule, whatever cleaning did or did not happen.
 */

/** Elements whose content is never text a writer meant to paste. */
const DROP = new Set([
  'script', 'style', 'link', 'meta', 'title', 'head', 'noscript', 'template', 'iframe', 'frame', 'frameset', 'object',
  'embed', 'applet', 'svg', 'math', 'canvas', 'video', 'audio', 'picture', 'img', 'map', 'area', 'source', 'track',
  'button', 'input', 'select', 'textarea', 'option', 'optgroup', 'datalist', 'output', 'progress', 'meter', 'dialog',
  'nav',
])

/** Block-level elements: text on either side of them belongs to different paragraphs. */
const BLOCKS = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'figure', 'figcaption', 'address', 'center',
  'dd', 'dt', 'dl', 'pre', 'td', 'th', 'caption', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'form', 'fieldset',
  'legend', 'details', 'summary', 'hgroup', 'body', 'html', 'li',
])

/** Advertising and promotion slots on news pages, by the names sites give them. */
const AD_NAME = /(^|[\s_-])(ad|ads|adslot|ad-slot|advert|advertisement|advertising|sponsor|sponsored|promo|dfp|gpt)([\s_-]|$)/i

function styles(el: Element): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of (el.getAttribute('style') ?? '').split(';')) {
    const colon = part.indexOf(':')
    if (colon > 0) out.set(part.slice(0, colon).trim().toLowerCase(), part.slice(colon + 1).trim().toLowerCase())
  }
  return out
}

function isHidden(el: Element): boolean {
  if (el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true') return true
  const style = styles(el)
  if (style.get('display') === 'none' || style.get('visibility') === 'hidden' || style.get('mso-hide') === 'all') return true
  return AD_NAME.test(el.getAttribute('class') ?? '') || AD_NAME.test(el.id) || el.hasAttribute('data-ad-unit') || el.hasAttribute('data-ad-slot')
}

/** Whether an element sets or clears bold or italic, from its tag and inline style. */
function markChanges(el: Element): { bold?: boolean; italic?: boolean } {
  const tag = el.localName
  const style = styles(el)
  const out: { bold?: boolean; italic?: boolean } = {}
  if (tag === 'b' || tag === 'strong') out.bold = true
  if (tag === 'i' || tag === 'em') out.italic = true
  const weight = style.get('font-weight')
  if (weight) {
    // Google Docs wraps a whole paste in <b style="font-weight:normal">; that is not bold.
    if (/^(bold|bolder|[6-9]00)$/.test(weight)) out.bold = true
    else if (/^(normal|lighter|[1-5]00)$/.test(weight)) out.bold = false
  }
  const fontStyle = style.get('font-style')
  if (fontStyle === 'italic' || fontStyle === 'oblique') out.italic = true
  else if (fontStyle === 'normal') out.italic = false
  return out
}

/** The href of a link worth keeping: safe by the body's rule, and not a fragment of the document it came from. */
function keptHref(el: Element): string | null {
  const href = (el.getAttribute('href') ?? '').trim()
  return href && !href.startsWith('#') && isSafeHref(href) ? href : null
}

interface Marks {
  bold: boolean
  italic: boolean
  href: string | null
  /** Inside a heading, which is bold by itself: pasted weight is not a mark there. */
  inHeading?: boolean
}

/** Builds the clean document: one open text container at a time, blocks appended in order. */
class CleanWriter {
  readonly root: HTMLElement
  private current: HTMLElement | null = null
  /** Inside a quote or list item, blocks flow into one run of text, as the body holds them. */
  private flatten: HTMLElement | null = null

  constructor(private readonly doc: Document) {
    this.root = doc.createElement('div')
  }

  get isFlat(): boolean {
    return this.flatten !== null
  }

  /** Ends the current paragraph or heading; inside a quote or list item, a block boundary is a space. */
  boundary(): void {
    if (this.flatten) {
      if (this.flatten.lastChild && !/\s$/.test(this.flatten.textContent ?? '')) this.flatten.append(' ')
      return
    }
    this.close()
  }

  private close(): void {
    if (this.current && (this.current.textContent ?? '').trim() === '') this.current.remove()
    this.current = null
  }

  /** Starts a heading (h2 or h3) or paragraph that following text goes into. */
  open(tag: 'p' | 'h2' | 'h3'): void {
    if (this.flatten) return this.boundary()
    this.close()
    this.current = this.doc.createElement(tag)
    this.root.append(this.current)
  }

  /** Runs `fill` with text going into one quote or list item. */
  flat(container: HTMLElement, parent: HTMLElement, fill: () => void): void {
    if (this.flatten) return fill()
    this.close()
    parent.append(container)
    this.flatten = container
    fill()
    this.flatten = null
    if ((container.textContent ?? '').trim() === '') container.remove()
  }

  text(value: string, marks: Marks): void {
    if (value === '') return
    let target = this.flatten ?? this.current
    if (!target) {
      if (value.trim() === '') return
      this.open('p')
      target = this.current!
    }
    let node: Node = this.doc.createTextNode(value)
    if (marks.href) node = wrap(this.doc.createElement('a'), node, { href: marks.href })
    if (marks.italic) node = wrap(this.doc.createElement('em'), node)
    if (marks.bold) node = wrap(this.doc.createElement('strong'), node)
    target.append(node)
  }

  rule(): void {
    if (this.flatten) return this.boundary()
    this.close()
    this.root.append(this.doc.createElement('hr'))
  }

  /** Appends a block-level element (a list) at the top level. */
  block(el: HTMLElement): void {
    this.close()
    this.root.append(el)
  }

  finish(): string {
    this.close()
    return this.root.innerHTML
  }
}

function wrap(el: HTMLElement, child: Node, attrs: Record<string, string> = {}): HTMLElement {
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value)
  el.append(child)
  return el
}

/**
 * Word writes list items as paragraphs (`style="mso-list:l0 level1 lfo1"`)
 * with the bullet or number as text inside `<![if !supportLists]>` or a span
 * styled `mso-list:Ignore`. This turns runs of them into real lists, before
 * the general walk, and drops the typed markers.
 */
function rebuildWordLists(doc: Document): void {
  const paragraphs = [...doc.querySelectorAll('p')].filter((p) => styles(p).has('mso-list') || /\bMsoListParagraph/.test(p.className))
  for (const p of paragraphs) {
    let marker = ''
    for (const ignore of [...p.querySelectorAll('span')].filter((s) => styles(s).get('mso-list') === 'ignore')) {
      marker += ignore.textContent ?? ''
      ignore.remove()
    }
    // Older Word: the marker sits between the comments <!--[if !supportLists]--> and <!--[endif]-->.
    const walker = doc.createTreeWalker(p, NodeFilter.SHOW_COMMENT)
    const starts: Comment[] = []
    while (walker.nextNode()) if (/^\[if !supportLists\]$/.test((walker.currentNode as Comment).data.trim())) starts.push(walker.currentNode as Comment)
    for (const start of starts) {
      let node = start.nextSibling
      while (node && !(node.nodeType === Node.COMMENT_NODE && /^\[endif\]$/.test((node as Comment).data.trim()))) {
        const next = node.nextSibling
        marker += node.textContent ?? ''
        node.remove()
        node = next
      }
    }
    const ordered = /^\s*\(?([0-9]+|[a-z]|[ivxlc]+)[.)]/i.test(marker.replace(/\u00a0/g, ' '))
    const listTag = ordered ? 'ol' : 'ul'
    let previous = p.previousSibling
    while (previous && previous.nodeType !== Node.ELEMENT_NODE && (previous.textContent ?? '').trim() === '') previous = previous.previousSibling
    let list: Element
    if (previous instanceof Element && previous.localName === listTag && previous.hasAttribute('data-word-list')) list = previous
    else {
      list = doc.createElement(listTag)
      list.setAttribute('data-word-list', '')
      p.before(list)
    }
    const item = doc.createElement('li')
    item.append(...p.childNodes)
    list.append(item)
    p.remove()
  }
}

/** Walks the pasted DOM into the writer, carrying bold, italic and link down the tree. */
function walk(node: Node, out: CleanWriter, marks: Marks, doc: Document): void {
  if (node.nodeType === Node.TEXT_NODE) {
    out.text((node as Text).data, marks)
    return
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return
  const el = node as HTMLElement
  const tag = el.localName
  if (DROP.has(tag) || isHidden(el)) return
  const changes = markChanges(el)
  const inHeading = marks.inHeading || /^h[1-6]$/.test(tag)
  const inner: Marks = {
    bold: !inHeading && (changes.bold ?? marks.bold),
    italic: changes.italic ?? marks.italic,
    href: tag === 'a' ? (keptHref(el) ?? marks.href) : marks.href,
    inHeading,
  }
  const children = () => el.childNodes.forEach((child) => walk(child, out, inner, doc))

  if (/^h[1-6]$/.test(tag)) {
    // The body has two heading levels: h1 and h2 become level 2, the rest level 3.
    out.open(tag === 'h1' || tag === 'h2' ? 'h2' : 'h3')
    children()
    out.boundary()
  } else if (tag === 'blockquote' || /\bMso(Intense)?Quote\b/.test(el.className)) {
    const quote = doc.createElement('blockquote')
    out.flat(quote, out.root, children)
  } else if ((tag === 'ul' || tag === 'ol') && out.isFlat) {
    out.boundary()
    children()
    out.boundary()
  } else if (tag === 'ul' || tag === 'ol') {
    const list = doc.createElement(tag)
    out.block(list)
    walkList(el, list, out, inner, doc)
    if (!list.firstChild) list.remove()
  } else if (tag === 'hr') {
    out.rule()
  } else if (tag === 'br') {
    // No line breaks inside a body paragraph: a break starts a new paragraph.
    out.boundary()
  } else if (tag === 'p' || BLOCKS.has(tag)) {
    out.boundary()
    children()
    out.boundary()
  } else {
    children()
  }
}

/** List items, flattened: nested lists become items of the outer list, as the body has one level. */
function walkList(listEl: Element, list: HTMLElement, out: CleanWriter, marks: Marks, doc: Document): void {
  for (const child of listEl.childNodes) {
    if (!(child instanceof Element) || DROP.has(child.localName) || isHidden(child)) continue
    if (child.localName === 'ul' || child.localName === 'ol') {
      walkList(child, list, out, marks, doc)
      continue
    }
    const nested: Element[] = []
    const item = doc.createElement('li')
    out.flat(item, list, () => {
      for (const part of child.childNodes) {
        if (part instanceof Element && (part.localName === 'ul' || part.localName === 'ol')) nested.push(part)
        else walk(part, out, marks, doc)
      }
    })
    for (const sub of nested) walkList(sub, list, out, marks, doc)
  }
}

/**
 * Rewrites HTML pasted from outside the editor into the editor's small
 * vocabulary (see the module comment). The editor's own copied HTML (marked
 * `data-pm-slice` by ProseMirror) passes unchanged: the parser rules are
 * strict on their own.
 */
export function cleanPastedHTML(html: string): string {
  if (/\sdata-pm-slice=/.test(html)) return html
  const doc = new DOMParser().parseFromString(html, 'text/html')
  rebuildWordLists(doc)
  const out = new CleanWriter(doc)
  walk(doc.body, out, { bold: false, italic: false, href: null }, doc)
  return out.finish()
}

function text(el: HTMLElement, name: string): string {
  return el.getAttribute(`data-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`) ?? ''
}

/** A positive whole number from a data attribute, or null. */
function size(el: HTMLElement, name: string): number | null {
  const value = Number(text(el, name))
  return Number.isInteger(value) && value > 0 ? value : null
}

/**
 * The parser for pasted and dropped HTML: the cleaned vocabulary above, plus
 * the editor's own markup (data-mh attributes) so copying inside the editor
 * keeps quotes with their attribution, pictures and embeds.
 */
export function createClipboardParser(schema: Schema): PMDOMParser {
  const contentOf = (el: HTMLElement) => el.querySelector<HTMLElement>(':scope > [data-mh-content]') ?? el
  const rules: TagParseRule[] = [
    { tag: '[contenteditable=false].mh-block-note', ignore: true },
    { tag: 'p', node: 'paragraph' },
    { tag: 'h1', node: 'heading', attrs: { level: 2 } },
    { tag: 'h2', node: 'heading', attrs: { level: 2 } },
    { tag: 'h3', node: 'heading', attrs: { level: 3 } },
    { tag: 'h4', node: 'heading', attrs: { level: 3 } },
    { tag: 'h5', node: 'heading', attrs: { level: 3 } },
    { tag: 'h6', node: 'heading', attrs: { level: 3 } },
    {
      tag: 'blockquote',
      node: 'quote',
      getAttrs: (el) => Object.fromEntries(QUOTE_FIELDS.map((field) => [field, field === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(text(el, field)) ? '' : text(el, field)])),
      contentElement: contentOf,
    },
    { tag: 'div[data-mh=pullquote]', node: 'pullquote', getAttrs: (el) => ({ speaker: text(el, 'speaker') }), contentElement: contentOf },
    {
      tag: 'figure[data-mh=image]',
      node: 'image',
      getAttrs: (el) => {
        const src = text(el, 'src')
        const width = size(el, 'width')
        const height = size(el, 'height')
        if (!isSafeHref(src) || width === null || height === null) return false
        return { mediaId: text(el, 'mediaId'), src, alt: text(el, 'alt'), width, height, caption: text(el, 'caption'), credit: text(el, 'credit') }
      },
    },
    {
      tag: 'div[data-mh=embed]',
      node: 'embed',
      getAttrs: (el) => (isEmbedUrl(text(el, 'url')) ? { url: text(el, 'url'), title: text(el, 'title'), provider: text(el, 'provider') } : false),
    },
    { tag: 'hr', node: 'divider' },
    { tag: 'ul', node: 'list', attrs: { ordered: false } },
    { tag: 'ol', node: 'list', attrs: { ordered: true } },
    { tag: 'li', node: 'list_item' },
    { tag: 'strong', mark: 'bold' },
    { tag: 'b', mark: 'bold', getAttrs: (el) => (/^(normal|[1-5]00)$/.test(styles(el).get('font-weight') ?? '') ? false : null) },
    { tag: 'em', mark: 'italic' },
    { tag: 'i', mark: 'italic' },
    {
      tag: 'a[href]',
      mark: 'link',
      getAttrs: (el) => {
        const href = (el.getAttribute('href') ?? '').trim()
        return isSafeHref(href) ? { href } : false
      },
    },
  ]
  return new PMDOMParser(schema, rules)
}
