import { decodeHTML, decodeHTMLAttribute } from 'entities'
import type { HNode } from './convert.ts'

/**
 * A fast reader for the plain, well-nested HTML that makes up nearly all
 * agency copy (`<p>` after `<p>`, some bold, italic, links, lists, headings),
 * giving exactly the tree parse5 gives, or null so the caller asks parse5.
 *
 * parse5 implements the whole HTML standard, and its tokenizer, which looks at
 * one character at a time, was most of what reading a ninjs item cost. Here a
 * text run costs one `indexOf`, and a tag one regular expression. The tree is
 * the same as parse5's by construction: we accept only markup on which the
 * standard's tree builder does nothing but push and pop (every element named
 * below, closed in order or left open at the end, no element that would
 * close an open one implicitly, no raw-text element, no table), decode
 * character references with the same decoder and modes parse5 uses (the
 * `entities` package), and give up on anything else: the first such tag,
 * character or construct hands the whole input to parse5.
 * simple-html.test.ts compares the two on fixtures and generated markup.
 */

/** Elements with no content and no end tag. */
const VOID = new Set(['br', 'img', 'wbr', 'hr'])
/** Start tags that close an open `<p>` (HTML's "in body" rules); we give up instead of closing it. */
const CLOSES_P = new Set([
  'p', 'div', 'ul', 'ol', 'li', 'blockquote', 'figure', 'figcaption', 'footer', 'header', 'section', 'article',
  'aside', 'center', 'address', 'main', 'hgroup', 'details', 'summary', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
])
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'])
/** Formatting elements: on the list HTML reopens after misnesting, which well-nested markup never needs. */
const FORMATTING = new Set(['a', 'b', 'code', 'em', 'i', 's', 'small', 'strong', 'u'])
/** Elements the tree builder only pushes and pops. */
const PLAIN = new Set(['span', 'cite', 'sub', 'sup', 'abbr', 'q', 'mark', 'time', 'dfn', 'kbd', 'samp', 'var', 'bdi', 'bdo', 'data'])
const ACCEPTED = new Set([...VOID, ...CLOSES_P, ...FORMATTING, ...PLAIN])

/** Deeper markup goes to parse5 (and the converter's own depth limit). */
const MAX_SIMPLE_DEPTH = 100

const TAG_NAME = /[a-zA-Z][^\t\n\f />]*/y
const SPACE = /[\t\n\f ]*/y
// A name that could not be read differently by the standard's tokenizer, then an optional value.
const ATTRIBUTE = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:[\t\n\f ]*=[\t\n\f ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f "'<=>`]+)))?/y
const END_TAG = /<\/([a-zA-Z][^\t\n\f />]*)[\t\n\f ]*>/y

type Element = Extract<HNode, { kind: 'el' }>

const decodeText = (text: string) => (text.includes('&') ? decodeHTML(text) : text)

/** The nodes of an HTML fragment as parse5 would build them (parseFragment, template context), or null when the markup is not simple. */
export function parseSimpleHtml(input: string): HNode[] | null {
  // The standard's input stream: CR LF and CR become LF; NUL has rules of its own.
  const html = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input
  if (html.includes('\0') || html.includes('\uFEFF')) return null
  const root: HNode[] = []
  const open: Element[] = []
  let children = root
  let text = ''
  let openP = 0
  let openA = 0
  let openHeadings = 0
  const flushText = () => {
    if (text !== '') children.push({ kind: 'text', text })
    text = ''
  }
  let pos = 0
  while (pos < html.length) {
    const lt = html.indexOf('<', pos)
    const end = lt < 0 ? html.length : lt
    if (end > pos) text += decodeText(html.slice(pos, end))
    if (lt < 0) break
    const next = html.charCodeAt(lt + 1)
    const isLetter = (next >= 65 && next <= 90) || (next >= 97 && next <= 122)
    if (isLetter) {
      TAG_NAME.lastIndex = lt + 1
      const tag = TAG_NAME.exec(html)![0].toLowerCase()
      if (!ACCEPTED.has(tag)) return null
      const attrs: Record<string, string> = {}
      const seen = new Set<string>()
      let at = TAG_NAME.lastIndex
      let selfClosing = false
      for (;;) {
        SPACE.lastIndex = at
        SPACE.exec(html)
        const spaced = SPACE.lastIndex > at
        at = SPACE.lastIndex
        const c = html[at]
        if (c === '>') {
          at++
          break
        }
        if (c === '/' && html[at + 1] === '>') {
          selfClosing = true
          at += 2
          break
        }
        // Attributes are separated by white space (after a quoted value the standard tolerates none).
        if (!spaced && seen.size > 0 && !/["']/.test(html[at - 1]!)) return null
        ATTRIBUTE.lastIndex = at
        const match = ATTRIBUTE.exec(html)
        if (!match) return null
        at = ATTRIBUTE.lastIndex
        const following = html[at]
        if (following !== undefined && !/[\t\n\f />]/.test(following) && match[2] === undefined && match[3] === undefined) return null
        const name = match[1]!.toLowerCase()
        if (seen.has(name)) continue // the standard keeps the first
        seen.add(name)
        const raw = match[2] ?? match[3] ?? match[4] ?? ''
        attrs[name] = raw.includes('&') ? decodeHTMLAttribute(raw) : raw
      }
      if (selfClosing && !VOID.has(tag)) return null
      if (CLOSES_P.has(tag) && openP > 0) return null
      if (HEADINGS.has(tag) && openHeadings > 0) return null
      if (tag === 'li' && open[open.length - 1]?.tag !== 'ul' && open[open.length - 1]?.tag !== 'ol') return null
      if (tag === 'a' && openA > 0) return null
      if (open.length >= MAX_SIMPLE_DEPTH) return null
      flushText()
      const element: Element = { kind: 'el', tag, attrs, children: [] }
      children.push(element)
      if (!VOID.has(tag)) {
        open.push(element)
        children = element.children
        if (tag === 'p') openP++
        else if (tag === 'a') openA++
        else if (HEADINGS.has(tag)) openHeadings++
      }
      pos = at
    } else if (next === 47 /* / */) {
      END_TAG.lastIndex = lt
      const match = END_TAG.exec(html)
      const current = open[open.length - 1]
      if (!match || !current || match[1]!.toLowerCase() !== current.tag) return null
      flushText()
      open.pop()
      children = open.length > 0 ? open[open.length - 1]!.children : root
      if (current.tag === 'p') openP--
      else if (current.tag === 'a') openA--
      else if (HEADINGS.has(current.tag)) openHeadings--
      pos = END_TAG.lastIndex
    } else if (next === 33 /* ! */) {
      if (!html.startsWith('<!--', lt) || html.startsWith('<!-->', lt) || html.startsWith('<!--->', lt)) return null
      const close = html.indexOf('-->', lt + 4)
      if (close < 0) return null
      const early = html.indexOf('--!>', lt + 4)
      if (early >= 0 && early < close) return null
      // A comment is a node of its own in parse5's tree: the text on either side stays two text nodes.
      flushText()
      pos = close + 3
    } else if (Number.isNaN(next) || next === 63 /* ? */) {
      return null
    } else {
      // "a < b": a less-than sign that starts no tag is text.
      text += '<'
      pos = lt + 1
    }
  }
  flushText()
  return root
}
