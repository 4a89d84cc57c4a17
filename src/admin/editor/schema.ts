import { Schema, type DOMOutputSpec, type Node as PMNode } from 'prosemirror-model'

/**
 * The story editor's ProseMirror schema: one node or mark per thing the
 * article body (src/articles/body.ts) can hold, and nothing else, so every
 * editor document converts to a body and back without loss (convert.ts).
 *
 * Only rendering (`toDOM`) is defined here; this module runs in Node as well
 * (vitest), so it touches no DOM. How pasted HTML is read into these nodes is
 * the browser's business: see browser/paste.ts.
 *
 * Block details that are not running text (quote attribution, picture alt,
 * caption and credit, embed fields, pull-quote speaker) are node attributes,
 * edited in the details panel (browser/details.ts). The document shows them
 * read-only, with a visible warning where something required is missing.
 */

const text = { default: '', validate: 'string' } as const

/** The attribution fields of a quote, in the order the details panel shows them. */
export const QUOTE_FIELDS = ['speaker', 'role', 'givenTo', 'context', 'via', 'date'] as const
export type QuoteField = (typeof QUOTE_FIELDS)[number]

/** "— Ana Pérez, Foreign Minister, in an interview with ACP, via AFP, 2026-02-02", as the editor shows it. */
export function attributionSummary(attrs: Record<QuoteField, string>): string {
  const parts = [attrs.speaker]
  if (attrs.role) parts.push(attrs.role)
  const preposition = attrs.context && /interview|conversation|talk/i.test(attrs.context) ? 'with' : 'to'
  const how = [attrs.context, attrs.givenTo ? `${preposition} ${attrs.givenTo}` : ''].filter(Boolean).join(' ')
  if (how) parts.push(how)
  if (attrs.via) parts.push(`via ${attrs.via}`)
  if (attrs.date) parts.push(attrs.date)
  return `— ${parts.join(', ')}`
}

/** Data attributes carrying a node's attributes, so copying and pasting inside the editor keeps them. */
function dataAttrs(node: PMNode, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of names) {
    const value = node.attrs[name]
    if (value !== '' && value !== null && value !== undefined) out[`data-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`] = String(value)
  }
  return out
}

function quoteDOM(node: PMNode): DOMOutputSpec {
  const attrs = node.attrs as Record<QuoteField, string>
  const missing = attrs.speaker.trim() === ''
  return [
    'blockquote',
    { class: missing ? 'mh-quote mh-needs-attention' : 'mh-quote', 'data-mh': 'quote', ...dataAttrs(node, QUOTE_FIELDS) },
    ['p', { 'data-mh-content': '' }, 0],
    [
      'p',
      { class: missing ? 'mh-block-note mh-missing' : 'mh-block-note', contenteditable: 'false' },
      missing ? 'Speaker missing: say who said this in Block details.' : attributionSummary(attrs),
    ],
  ]
}

function imageDOM(node: PMNode): DOMOutputSpec {
  const a = node.attrs as { src: string; alt: string; width: number; height: number; caption: string; credit: string }
  const missingAlt = a.alt.trim() === ''
  const notes: DOMOutputSpec[] = []
  if (a.caption) notes.push(['span', { class: 'mh-image-caption' }, a.caption])
  if (a.credit) notes.push(['span', { class: 'mh-image-credit' }, a.credit])
  if (missingAlt) notes.push(['span', { class: 'mh-missing' }, 'Alt text missing: describe this picture in Block details.'])
  return [
    'figure',
    {
      class: missingAlt ? 'mh-image mh-needs-attention' : 'mh-image',
      'data-mh': 'image',
      ...dataAttrs(node, ['mediaId', 'src', 'alt', 'width', 'height', 'caption', 'credit']),
    },
    ['img', { src: a.src, alt: a.alt, width: String(a.width), height: String(a.height) }],
    ['figcaption', {}, ...notes],
  ]
}

/** The schema of the story editor. Mark order (bold, italic, link) is the canonical order of marks in a body. */
export const editorSchema = new Schema({
  nodes: {
    doc: { content: 'block+' },
    paragraph: {
      group: 'block',
      content: 'inline*',
      toDOM: () => ['p', 0],
    },
    heading: {
      group: 'block',
      content: 'inline*',
      defining: true,
      attrs: { level: { default: 2, validate: (value) => { if (value !== 2 && value !== 3) throw new RangeError('Heading level is 2 or 3') } } },
      toDOM: (node) => [`h${node.attrs.level as number}`, 0],
    },
    quote: {
      group: 'block',
      content: 'inline*',
      defining: true,
      attrs: { speaker: text, role: text, givenTo: text, context: text, via: text, date: text },
      toDOM: quoteDOM,
    },
    pullquote: {
      group: 'block',
      content: 'text*',
      marks: '',
      defining: true,
      attrs: { speaker: text },
      toDOM: (node) => [
        'div',
        { class: 'mh-pullquote', 'data-mh': 'pullquote', ...dataAttrs(node, ['speaker']) },
        ['p', { 'data-mh-content': '' }, 0],
        ['p', { class: 'mh-block-note', contenteditable: 'false' }, node.attrs.speaker ? `Pull quote — ${node.attrs.speaker as string}` : 'Pull quote'],
      ],
    },
    image: {
      group: 'block',
      atom: true,
      draggable: true,
      attrs: {
        mediaId: text,
        src: { validate: 'string' },
        alt: text,
        width: { validate: 'number' },
        height: { validate: 'number' },
        caption: text,
        credit: text,
      },
      toDOM: imageDOM,
    },
    list: {
      group: 'block',
      content: 'list_item+',
      attrs: { ordered: { default: false, validate: 'boolean' } },
      toDOM: (node) => [node.attrs.ordered ? 'ol' : 'ul', 0],
    },
    list_item: {
      content: 'paragraph',
      defining: true,
      toDOM: () => ['li', 0],
    },
    embed: {
      group: 'block',
      atom: true,
      draggable: true,
      attrs: { url: { validate: 'string' }, title: text, provider: text },
      toDOM: (node) => [
        'div',
        { class: 'mh-embed', 'data-mh': 'embed', ...dataAttrs(node, ['url', 'title', 'provider']) },
        ['p', { class: 'mh-embed-title' }, `Embed: ${(node.attrs.title as string) || 'untitled'}`],
        ['p', { class: 'mh-embed-url' }, [node.attrs.url as string, node.attrs.provider ? ` (${node.attrs.provider as string})` : ''].join('')],
      ],
    },
    divider: {
      group: 'block',
      toDOM: () => ['hr', { 'data-mh': 'divider' }],
    },
    text: { group: 'inline' },
  },
  marks: {
    bold: { toDOM: () => ['strong', 0] },
    italic: { toDOM: () => ['em', 0] },
    link: {
      attrs: { href: { validate: 'string' } },
      inclusive: false,
      toDOM: (mark) => ['a', { href: mark.attrs.href as string, rel: 'noopener noreferrer nofollow' }, 0],
    },
  },
})

export type EditorSchema = typeof editorSchema
