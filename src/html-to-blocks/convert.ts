import { parseFragment, type DefaultTreeAdapterTypes } from 'parse5'
import type { Block, Body, Inline, Mark } from '../articles/index.ts'
import { parseSimpleHtml } from './simple-html.ts'
import { collapseHtmlSpaces, collapseSpaces } from '../shared/spaces.ts'

/**
 * Outside HTML (agency copy, an imported archive) and XHTML become our block
 * document here, and only here. We read the markup with a real parser (parse5
 * for HTML; the wire desk's XML reader hands XHTML over as `HNode`s), then keep what a story is made of: paragraphs, headings, lists, quotes with
 * a speaker, images with known size, bold, italic and safe links. Everything
 * else is dropped by construction: no attribute is copied except href, src,
 * alt and sizes, so event handlers and styles never make it through, and
 * scripts, styles, frames, forms and embeds are skipped with their content.
 */

/** A neutral element tree, so HTML and XHTML share one converter. */
export type HNode = { kind: 'el'; tag: string; attrs: Record<string, string>; children: HNode[] } | { kind: 'text'; text: string }
type HElement = Extract<HNode, { kind: 'el' }>

/** What a conversion yields besides the body. */
export interface Converted {
  body: Body
  /** Text from parts marked as notes to editors (`class="ednote"`, NITF `ed-msg`): for the desk only. */
  notes: string[]
  /** Images we could not place in the body (no known size) or that sat outside paragraphs. */
  pictures: FoundPicture[]
  /** Human-readable notes about what was dropped, e.g. a link with no base to resolve it. */
  warnings: string[]
}

/** A picture the markup points to, as far as the markup tells. */
export interface FoundPicture {
  href?: string
  caption?: string
  credit?: string
  altText?: string
  width?: number
  height?: number
}

/** Where relative links and image sources point from. */
export interface ConvertOptions {
  baseUrl?: string | null | undefined
}

export const MAX_DEPTH = 200
const MAX_RUN = 20_000
const MAX_RUNS = 500
const MAX_LIST_ITEMS = 200
const MAX_BLOCKS = 2000

/** Elements dropped together with everything inside them. */
const DROPPED = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'param', 'noscript',
  'template', 'form', 'input', 'button', 'select', 'option', 'optgroup', 'textarea', 'svg', 'math',
  'head', 'title', 'meta', 'link', 'base', 'canvas', 'audio', 'video', 'source', 'track', 'map', 'area',
  'dialog', 'nav', 'slot', 'portal',
  // NITF, which some agencies put inside NewsML-G2: the head repeats the headline and byline.
  'body.head',
])

/** Elements that end a paragraph and start a new one. */
const BLOCKS = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'address', 'center', 'details',
  'summary', 'dl', 'dt', 'dd', 'fieldset', 'legend', 'caption', 'figcaption', 'body', 'html',
  'body.content', 'body.end', 'block', 'nitf', 'hgroup', 'li', 'td', 'th', 'tr',
])

const HEADINGS: Record<string, 2 | 3> = { h1: 2, h2: 2, h3: 3, h4: 3, h5: 3, h6: 3, hl2: 3 }

const NOTE_CLASS =
  /^(ed-?note|editorial-?note|editors?-?note|note-?to-?editors?|non-?public|internal|not-for-publication|do-not-publish)$/i

/** HTML that was escaped twice shows tags as text; these are the tags worth a second reading. */
const ESCAPED_TAG = /<\/?(p|br|div|a|img|b|i|em|strong|ul|ol|li|h[1-6]|blockquote|span|figure|table)\b[^<>]{0,500}>/i

/** Converts an HTML fragment (RSS description, content:encoded, ninjs body_html) to blocks. */
export function htmlToBlocks(html: string, opts: ConvertOptions = {}): Converted {
  return convert(htmlNodes(html), opts)
}

/** Converts XHTML already parsed as XML (NewsML-G2 inlineXML, Atom xhtml content) to blocks. */
/** Blocks from an element tree someone else parsed (the wire desk's XHTML). */
export function nodesToBlocks(nodes: HNode[], opts: ConvertOptions = {}): Converted {
  return convert(nodes, opts)
}

/** The readable text of an HTML fragment on one line: for headlines, summaries and captions. */
export function htmlToText(html: string): string {
  // Most titles hold no markup at all: no need to start a parser for them.
  if (!/[<&]/.test(html)) return collapse(html)
  return collapse(plainText(htmlNodes(html)))
}

/** The readable text of parsed XHTML on one line. */
/** The plain text of an element tree, whitespace collapsed. */
export function nodesToText(nodes: readonly HNode[]): string {
  return collapse(plainText(nodes))
}

/**
 * Turns plain wire text into paragraphs. Blank lines separate paragraphs; in
 * copy without blank lines, an indented line starts one, and failing that each
 * line is a paragraph.
 */
export function textToBlocks(text: string): Body {
  const clean = stripControls(text.replace(/\r\n?/g, '\n'))
  let paragraphs: string[]
  if (/\n[ \t]*\n/.test(clean)) {
    paragraphs = clean.split(/\n[ \t]*\n+/)
  } else {
    const lines = clean.split('\n')
    const indented = lines.filter((line) => /^(\t| {2,})\S/.test(line)).length
    if (indented >= 2) {
      paragraphs = []
      for (const line of lines) {
        if (/^(\t| {2,})\S/.test(line) || paragraphs.length === 0) paragraphs.push(line)
        else paragraphs[paragraphs.length - 1] += ` ${line}`
      }
    } else paragraphs = lines
  }
  const body: Block[] = []
  for (const paragraph of paragraphs) {
    const content = finishRuns([{ text: collapse(paragraph) }])
    if (content.length > 0) body.push({ type: 'paragraph', content })
    if (body.length >= MAX_BLOCKS) break
  }
  return body
}

function htmlNodes(html: string): HNode[] {
  let nodes = parseHtml(html)
  // Some feeds escape their HTML twice; if the parse found only text that is
  // itself markup, read it once more (and only once, so this cannot loop).
  if (!nodes.some((node) => node.kind === 'el')) {
    const text = nodes.map((node) => (node.kind === 'text' ? node.text : '')).join('')
    if (ESCAPED_TAG.test(text)) nodes = parseHtml(text)
  }
  return nodes
}

function parseHtml(html: string): HNode[] {
  // Plain, well-nested markup (nearly all agency copy) is read without parse5, to the same tree.
  return parseSimpleHtml(html) ?? parse5Html(html)
}

/** The nodes of an HTML fragment as parse5 reads it: any markup at all. Exported for simple-html.test.ts. */
export function parse5Html(html: string): HNode[] {
  const fragment = parseFragment(html, { scriptingEnabled: false })
  return fragment.childNodes.map((node) => fromParse5(node, 0)).filter((node): node is HNode => node !== null)
}

function fromParse5(node: DefaultTreeAdapterTypes.ChildNode, depth: number): HNode | null {
  if (node.nodeName === '#text') return { kind: 'text', text: (node as DefaultTreeAdapterTypes.TextNode).value }
  if (!('tagName' in node)) return null
  const element = node as DefaultTreeAdapterTypes.Element
  const tag = element.tagName.toLowerCase()
  if (depth > MAX_DEPTH) return { kind: 'text', text: parse5Text(element) }
  const attrs: Record<string, string> = {}
  for (const a of element.attrs) attrs[a.name.toLowerCase()] = a.value
  const children: HNode[] = []
  for (const c of element.childNodes) {
    const converted = fromParse5(c, depth + 1)
    if (converted) children.push(converted)
  }
  return { kind: 'el', tag, attrs, children }
}

function parse5Text(root: DefaultTreeAdapterTypes.Element): string {
  let out = ''
  const stack: DefaultTreeAdapterTypes.ChildNode[] = [...root.childNodes].reverse()
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node.nodeName === '#text') out += (node as DefaultTreeAdapterTypes.TextNode).value
    else if ('childNodes' in node && !DROPPED.has(node.nodeName)) {
      for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i]!)
    }
  }
  return out
}


function plainText(nodes: readonly HNode[]): string {
  let out = ''
  const stack: HNode[] = [...nodes].reverse()
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node.kind === 'text') out += node.text
    else if (!DROPPED.has(node.tag) && !isNote(node)) {
      if (node.tag === 'br' || BLOCKS.has(node.tag) || node.tag in HEADINGS) out += ' '
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!)
    }
  }
  return out
}

function isNote(node: HElement): boolean {
  if (node.tag === 'ed-msg') return true
  const tokens = `${node.attrs.class ?? ''} ${node.attrs.role ?? ''}`.split(/\s+/)
  return tokens.some((token) => NOTE_CLASS.test(token))
}

function convert(nodes: HNode[], opts: ConvertOptions): Converted {
  const builder = new BlockBuilder(opts.baseUrl ?? null)
  builder.walk(nodes, [], false)
  builder.flush()
  return {
    body: builder.blocks.slice(0, MAX_BLOCKS),
    notes: builder.notes,
    pictures: builder.pictures,
    warnings: [...new Set(builder.warnings)],
  }
}

type Run = { text: string; marks: Mark[] }

class BlockBuilder {
  readonly blocks: Block[] = []
  readonly notes: string[] = []
  readonly pictures: FoundPicture[] = []
  readonly warnings: string[] = []
  private runs: Run[] = []

  constructor(private readonly base: string | null) {}

  /** Walks nodes; in inline mode block elements only separate words, so headings and list items stay one line. */
  walk(nodes: readonly HNode[], marks: Mark[], inline: boolean): void {
    for (const node of nodes) {
      if (node.kind === 'text') this.text(collapseHtmlSpaces(node.text), marks)
      else this.element(node, marks, inline)
    }
  }

  flush(): void {
    const content = finishRuns(this.runs)
    this.runs = []
    if (content.length > 0) this.blocks.push({ type: 'paragraph', content })
  }

  private text(text: string, marks: Mark[]): void {
    if (text !== '') this.runs.push({ text, marks })
  }

  private element(node: HElement, marks: Mark[], inline: boolean): void {
    const tag = node.tag
    if (DROPPED.has(tag)) return
    if (isNote(node)) {
      // NITF's ed-msg carries its message in an attribute.
      const note = collapse(plainText(node.children)) || collapse(node.attrs.info ?? '')
      if (note) this.notes.push(note)
      return
    }
    if (tag === 'br') {
      const last = this.runs[this.runs.length - 1]
      // Two line breaks in a row are how much wire HTML separates paragraphs.
      if (!inline && last && /\n\s*$/.test(last.text)) {
        last.text = last.text.replace(/\n\s*$/, '')
        this.flush()
      } else this.text('\n', marks)
      return
    }
    if (tag === 'img') return this.image(node, null, null, inline)
    if (tag === 'a') {
      const href = node.attrs.href === undefined ? null : this.href(node.attrs.href)
      const next = href ? withMark(marks, { type: 'link', href }) : marks
      return this.walk(node.children, next, inline)
    }
    if (tag === 'b' || tag === 'strong') return this.walk(node.children, withMark(marks, { type: 'bold' }), inline)
    if (tag === 'i' || tag === 'em') return this.walk(node.children, withMark(marks, { type: 'italic' }), inline)
    if (inline) {
      const separates = BLOCKS.has(tag) || tag in HEADINGS || tag === 'ul' || tag === 'ol' || tag === 'blockquote'
      if (separates) this.text(' ', marks)
      this.walk(node.children, marks, true)
      if (separates) this.text(' ', marks)
      return
    }
    const level = HEADINGS[tag]
    if (level) {
      this.flush()
      const content = this.inlineOf(node.children)
      if (content.length > 0) this.blocks.push({ type: 'heading', level, content })
      return
    }
    switch (tag) {
      case 'ul':
      case 'ol':
        return this.list(node)
      case 'blockquote':
        return this.quote(node)
      case 'figure':
        return this.figure(node)
      case 'table':
        return this.table(node)
      case 'pre': {
        this.flush()
        const text = plainTextPreserving(node.children)
        for (const part of text.split(/\n[ \t]*\n+/)) {
          const lines = part.split('\n').map((line) => line.trimEnd())
          const content = finishRuns([{ text: lines.join('\n'), marks: [] }], true)
          if (content.length > 0) this.blocks.push({ type: 'paragraph', content })
        }
        return
      }
      case 'hr':
        return this.flush()
    }
    if (BLOCKS.has(tag)) {
      this.flush()
      this.walk(node.children, marks, false)
      this.flush()
      return
    }
    this.walk(node.children, marks, false)
  }

  private inlineOf(nodes: readonly HNode[]): Inline[] {
    const saved = this.runs
    this.runs = []
    this.walk(nodes, [], true)
    const content = finishRuns(this.runs.map((run) => ({ ...run, text: run.text.replace(/\n/g, ' ') })))
    this.runs = saved
    return content
  }

  private list(node: HElement): void {
    this.flush()
    const items: Inline[][] = []
    for (const item of node.children) {
      if (item.kind === 'text') {
        if (item.text.trim() !== '') items.push(finishRuns([{ text: collapse(item.text), marks: [] }]))
        continue
      }
      const content = this.inlineOf(item.tag === 'li' ? item.children : [item])
      if (content.length > 0) items.push(content)
    }
    for (let i = 0; i < items.length; i += MAX_LIST_ITEMS) {
      this.blocks.push({ type: 'list', ordered: node.tag === 'ol', items: items.slice(i, i + MAX_LIST_ITEMS) })
    }
  }

  /**
   * A block quote is only a quote for us when it names its speaker (a footer
   * or cite, or a closing "— Name" line): an unattributed one stays plain
   * paragraphs rather than a quote with an invented speaker.
   */
  private quote(node: HElement): void {
    this.flush()
    const elements = node.children.filter((c): c is HElement => c.kind === 'el')
    let speaker: string | null = null
    let rest: HNode[] = node.children
    const credit = elements.find((c) => c.tag === 'footer' || c.tag === 'cite')
    if (credit) {
      speaker = collapse(plainText(credit.children)).replace(/^[—–-]+\s*/, '')
      rest = node.children.filter((c) => c !== credit)
    } else {
      const last = elements[elements.length - 1]
      const lastText = last ? collapse(plainText(last.children)) : ''
      const dash = /^[—–]\s*(.{1,200})$/.exec(lastText) ?? /^-{1,2}\s+(.{1,200})$/.exec(lastText)
      if (last && dash) {
        speaker = dash[1]!.trim()
        rest = node.children.filter((c) => c !== last)
      }
    }
    const content = speaker ? this.inlineOf(rest) : []
    if (speaker && content.length > 0) {
      this.blocks.push({ type: 'quote', content, attribution: { speaker: speaker.slice(0, 200) } })
      return
    }
    this.walk(node.children, [], false)
    this.flush()
  }

  private figure(node: HElement): void {
    this.flush()
    const captionNode = findFirst(node, (n) => n.tag === 'figcaption')
    const quoteNode = findFirst(node, (n) => n.tag === 'blockquote')
    if (quoteNode && !findFirst(node, (n) => n.tag === 'img')) return this.figureQuote(quoteNode, captionNode)
    let credit: string | null = null
    let caption: string | null = null
    if (captionNode) {
      const creditNode = findFirst(captionNode, (n) => /\b(credit|byline|copyright)\b/i.test(n.attrs.class ?? ''))
      if (creditNode) credit = collapse(plainText(creditNode.children)) || null
      const withoutCredit = captionNode.children.filter((c) => c !== creditNode)
      caption = collapse(plainText(withoutCredit)) || null
    }
    const images = findAll(node, (n) => n.tag === 'img')
    for (const img of images) this.image(img, caption, credit, false)
    if (images.length === 0 && caption) this.blocks.push({ type: 'paragraph', content: finishRuns([{ text: caption, marks: [] }]) })
  }

  /**
   * `<figure><blockquote>…</blockquote><figcaption>— <cite>Name</cite>, how</figcaption></figure>`,
   * the HTML pattern for a quote with its attribution (and what our own site
   * renders, so a partner's ninjs of one of our stories comes back whole). The
   * speaker is the `<cite>`, else the caption after its dash; what follows the
   * speaker is kept as the quote's context so the credit line reads the same.
   */
  private figureQuote(quoteNode: HElement, captionNode: HElement | null): void {
    const captionText = captionNode ? collapse(plainText(captionNode.children)).replace(/^[—–-]+\s*/, '') : ''
    const cite = captionNode ? findFirst(captionNode, (n) => n.tag === 'cite') : null
    const speaker = (cite ? collapse(plainText(cite.children)) : captionText).slice(0, 200)
    const content = speaker ? this.inlineOf(quoteNode.children) : []
    if (!speaker || content.length === 0) {
      this.quote(quoteNode)
      if (captionText) this.blocks.push({ type: 'paragraph', content: finishRuns([{ text: captionText, marks: [] }]) })
      return
    }
    const rest = cite && captionText.startsWith(speaker) ? captionText.slice(speaker.length).replace(/^\s*,\s*/, '').trim() : ''
    const attribution: { speaker: string; context?: string } = { speaker }
    if (rest) attribution.context = rest.slice(0, 200)
    this.blocks.push({ type: 'quote', content, attribution })
  }

  private image(node: HElement, caption: string | null, credit: string | null, inline: boolean): void {
    const raw = node.attrs.src ?? ''
    const src = raw.trim().toLowerCase().startsWith('data:') ? null : resolveUrl(raw, this.base)
    if (!src || !/^https?:\/\//i.test(src) || src.length > 2048) {
      if (raw.trim() !== '') this.warnings.push(`An image source was dropped: "${raw.trim().slice(0, 80)}" is not an absolute http(s) URL.`)
      return
    }
    const alt = collapse(node.attrs.alt ?? '').slice(0, 500)
    const width = dimension(node.attrs.width)
    const height = dimension(node.attrs.height)
    // A 1×1 image is a tracking pixel, not a picture.
    if (width !== null && height !== null && width <= 2 && height <= 2) return
    if (width && height && !inline) {
      this.flush()
      const block: Extract<Block, { type: 'image' }> = { type: 'image', src, alt, width, height }
      if (caption) block.caption = caption.slice(0, 2000)
      if (credit) block.credit = credit.slice(0, 300)
      this.blocks.push(block)
      return
    }
    const picture: FoundPicture = { href: src }
    if (caption) picture.caption = caption.slice(0, 2000)
    if (credit) picture.credit = credit.slice(0, 300)
    if (alt) picture.altText = alt
    if (width) picture.width = width
    if (height) picture.height = height
    this.pictures.push(picture)
  }

  private table(node: HElement): void {
    this.flush()
    for (const row of findAll(node, (n) => n.tag === 'tr')) {
      const cells = row.children
        .filter((c): c is HElement => c.kind === 'el' && (c.tag === 'td' || c.tag === 'th'))
        .map((cell) => collapse(plainText(cell.children)))
        .filter((text) => text !== '')
      if (cells.length > 0) this.blocks.push({ type: 'paragraph', content: finishRuns([{ text: cells.join(' | '), marks: [] }]) })
    }
    const caption = findFirst(node, (n) => n.tag === 'caption')
    if (caption) {
      const text = collapse(plainText(caption.children))
      if (text) this.blocks.push({ type: 'paragraph', content: finishRuns([{ text, marks: [] }]) })
    }
  }

  private href(raw: string): string | null {
    const trimmed = raw.trim()
    if (trimmed === '') return null
    if (trimmed.startsWith('#')) return trimmed.length <= 2048 ? trimmed : null
    if (/^mailto:[^\s<>"]+$/i.test(trimmed)) return trimmed.length <= 2048 ? trimmed : null
    const resolved = resolveUrl(trimmed, this.base)
    if (resolved && /^https?:\/\//i.test(resolved) && resolved.length <= 2048) return resolved
    this.warnings.push(
      resolved
        ? `A link with a refused scheme was dropped: "${trimmed.slice(0, 80)}".`
        : `A relative link could not be resolved (no base URL) and was dropped: "${trimmed.slice(0, 80)}".`,
    )
    return null
  }
}

function findFirst(node: HElement, test: (n: HElement) => boolean): HElement | null {
  return findAll(node, test)[0] ?? null
}

function findAll(node: HElement, test: (n: HElement) => boolean): HElement[] {
  const out: HElement[] = []
  const stack: HNode[] = [...node.children].reverse()
  while (stack.length > 0) {
    const n = stack.pop()!
    if (n.kind !== 'el' || DROPPED.has(n.tag)) continue
    if (test(n)) out.push(n)
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!)
  }
  return out
}

function plainTextPreserving(nodes: readonly HNode[]): string {
  let out = ''
  const stack: HNode[] = [...nodes].reverse()
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node.kind === 'text') out += node.text
    else if (node.tag === 'br') out += '\n'
    else if (!DROPPED.has(node.tag)) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!)
  }
  return stripControls(out)
}

function withMark(marks: Mark[], mark: Mark): Mark[] {
  if (mark.type === 'link') return [...marks.filter((m) => m.type !== 'link'), mark]
  return marks.some((m) => m.type === mark.type) ? marks : [...marks, mark]
}

function sameMarks(a: Mark[], b: Mark[]): boolean {
  return a.length === b.length && a.every((mark, i) => JSON.stringify(mark) === JSON.stringify(b[i]))
}

function dimension(value: string | undefined): number | null {
  if (!value || !/^\s*\d{1,5}\s*(px)?\s*$/i.test(value)) return null
  const n = Number.parseInt(value, 10)
  return n > 0 && n <= 20_000 ? n : null
}

/** Collapses whitespace to single spaces and trims. */
function collapse(text: string): string {
  return collapseSpaces(stripControls(text)).trim()
}

function stripControls(text: string): string {
  // Control characters are never content, and some break XML and terminals downstream.
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
}

/**
 * Tidies a paragraph's runs into valid inline content: merges neighbours with
 * the same marks, collapses spaces across run edges, trims the ends, and cuts
 * runs to the schema's limits.
 */
function finishRuns(runs: readonly { text: string; marks?: Mark[] }[], preformatted = false): Inline[] {
  const merged: Run[] = []
  for (const run of runs) {
    const text = stripControls(run.text)
    if (text === '') continue
    const marks = run.marks ?? []
    const last = merged[merged.length - 1]
    if (last && sameMarks(last.marks, marks)) last.text += text
    else merged.push({ text, marks })
  }
  for (let i = 0; i < merged.length; i++) {
    const run = merged[i]!
    // Most runs have neither; looking first is far cheaper than a regex scan that tries at every space.
    if (!preformatted && run.text.includes('\n')) run.text = run.text.replace(/ *\n */g, '\n')
    if (!preformatted && run.text.includes('  ')) run.text = run.text.replace(/ {2,}/g, ' ')
    const prev = merged[i - 1]
    if (prev && /[ \n]$/.test(prev.text)) run.text = run.text.replace(/^ +/, '')
  }
  // trimStart/trimEnd rather than /\s+$/: the regex is quadratic on long runs of line breaks.
  if (merged[0]) merged[0].text = merged[0].text.trimStart()
  const lastRun = merged[merged.length - 1]
  if (lastRun) lastRun.text = lastRun.text.trimEnd()

  let out: Inline[] = []
  for (const run of merged) {
    if (run.text === '') continue
    for (let at = 0; at < run.text.length; at += MAX_RUN) {
      const text = run.text.slice(at, at + MAX_RUN)
      out.push(run.marks.length > 0 ? { text, marks: run.marks.slice(0, 4) } : { text })
    }
  }
  if (out.length > MAX_RUNS) {
    // Pathologically fragmented markup: keep every word, drop the formatting.
    const text = out.map((run) => run.text).join('')
    out = []
    for (let at = 0; at < text.length && out.length < MAX_RUNS; at += MAX_RUN) out.push({ text: text.slice(at, at + MAX_RUN) })
  }
  return out
}

/** An absolute address for `href`, read against `base` when it is relative; null when it is not an address. */
export function resolveUrl(href: string, base: string | null | undefined): string | null {
  const trimmed = href.trim()
  if (trimmed === '') return null
  try {
    return base ? new URL(trimmed, base).href : new URL(trimmed).href
  } catch {
    return null
  }
}
