import { Fragment, type Mark as PMMark, type Node as PMNode } from 'prosemirror-model'
// Types only: a value import would pull zod into the browser bundle (build.test.ts checks it does not).
import type { Attribution, Block, Body, Inline, Mark } from '../../articles/body.ts'
import { isSafeHref } from '../../articles/links.ts'
import { editorSchema, QUOTE_FIELDS, type EditorSchema } from './schema.ts'

/**
 * Conversion between the article body and the editor's ProseMirror document.
 * It uses prosemirror-model only, so it runs in Node (tests, the server) and in
 * the browser bundle alike.
 *
 * Both directions produce the canonical form of a body (see `canonicalBody`):
 * `docToBody(bodyToDoc(b))` equals `canonicalBody(b)` for every valid body.
 */

/** The longest text run the body schema allows; longer merged runs are split. */
export const MAX_RUN_LENGTH = 20_000

const MARK_ORDER: Record<Mark['type'], number> = { bold: 0, italic: 1, link: 2 }

/** Thrown by `bodyToDoc` for a body the editor cannot represent, so nothing is silently dropped. */
export class UnsupportedBodyError extends Error {
  override name = 'UnsupportedBodyError'
}

/**
 * The canonical form of a body, the one the editor produces:
 * - inline runs: empty runs dropped; marks deduplicated by type (the first of
 *   a type wins, as only one link can cover a letter) and sorted bold, italic,
 *   link; `marks` left out when there are none; adjacent runs with equal marks
 *   merged, then split again where longer than 20,000 characters;
 * - blocks whose running text is empty (paragraph, heading, quote, pull quote)
 *   are dropped, as are empty list items and lists without items;
 * - optional text fields that are empty strings (attribution role, givenTo,
 *   context, via, date; image mediaId, caption, credit; embed provider;
 *   pull-quote speaker) are left out.
 * Text is never trimmed or otherwise changed. The function is idempotent.
 */
export function canonicalBody(body: readonly Block[]): Body {
  const out: Body = []
  for (const block of body) {
    const canonical = canonicalBlock(block)
    if (canonical) out.push(canonical)
  }
  return out
}

function canonicalBlock(block: Block): Block | null {
  switch (block.type) {
    case 'paragraph': {
      const content = canonicalInlines(block.content)
      return content.length ? { type: 'paragraph', content } : null
    }
    case 'heading': {
      const content = canonicalInlines(block.content)
      return content.length ? { type: 'heading', level: block.level, content } : null
    }
    case 'quote': {
      const content = canonicalInlines(block.content)
      return content.length ? { type: 'quote', content, attribution: canonicalAttribution(block.attribution) } : null
    }
    case 'pullquote':
      return block.text ? { type: 'pullquote', text: block.text, ...optional('speaker', block.speaker) } : null
    case 'image':
      return {
        type: 'image',
        ...optional('mediaId', block.mediaId),
        src: block.src,
        alt: block.alt,
        width: block.width,
        height: block.height,
        ...optional('caption', block.caption),
        ...optional('credit', block.credit),
      }
    case 'list': {
      const items = block.items.map(canonicalInlines).filter((item) => item.length > 0)
      return items.length ? { type: 'list', ordered: block.ordered, items } : null
    }
    case 'embed':
      return { type: 'embed', url: block.url, title: block.title, ...optional('provider', block.provider) }
    case 'divider':
      return { type: 'divider' }
    default:
      throw new UnsupportedBodyError(`Unknown block type ${JSON.stringify((block as { type?: unknown }).type)}`)
  }
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value ? { [key]: value } : {}) as { [P in K]?: string }
}

function canonicalAttribution(a: Attribution): Attribution {
  const out: Attribution = { speaker: a.speaker }
  for (const field of QUOTE_FIELDS) {
    if (field !== 'speaker' && a[field]) out[field] = a[field]
  }
  return out
}

function canonicalMarks(marks: readonly Mark[] | undefined): Mark[] {
  const byType = new Map<Mark['type'], Mark>()
  for (const mark of marks ?? []) {
    if (!byType.has(mark.type)) byType.set(mark.type, mark.type === 'link' ? { type: 'link', href: mark.href } : { type: mark.type })
  }
  return [...byType.values()].sort((a, b) => MARK_ORDER[a.type] - MARK_ORDER[b.type])
}

function sameMarks(a: readonly Mark[], b: readonly Mark[]): boolean {
  return a.length === b.length && a.every((mark, i) => mark.type === b[i]!.type && (mark.type !== 'link' || mark.href === (b[i] as typeof mark).href))
}

function canonicalInlines(content: readonly Inline[]): Inline[] {
  const merged: { text: string; marks: Mark[] }[] = []
  for (const run of content) {
    if (!run.text) continue
    const marks = canonicalMarks(run.marks)
    const last = merged[merged.length - 1]
    if (last && sameMarks(last.marks, marks)) last.text += run.text
    else merged.push({ text: run.text, marks })
  }
  const out: Inline[] = []
  for (const run of merged) {
    for (const piece of splitText(run.text)) out.push(run.marks.length ? { text: piece, marks: run.marks } : { text: piece })
  }
  return out
}

/** Pieces of at most MAX_RUN_LENGTH UTF-16 units, never cutting a surrogate pair in two. */
function splitText(text: string): string[] {
  if (text.length <= MAX_RUN_LENGTH) return [text]
  const pieces: string[] = []
  let start = 0
  while (start < text.length) {
    let end = Math.min(start + MAX_RUN_LENGTH, text.length)
    const code = text.charCodeAt(end - 1)
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end -= 1
    pieces.push(text.slice(start, end))
    start = end
  }
  return pieces
}

/**
 * The editor document for a body. Throws UnsupportedBodyError for a block type
 * the editor does not know, rather than dropping it. An empty body becomes a
 * document with one empty paragraph, where the writer can start typing.
 */
export function bodyToDoc(body: readonly Block[], schema: EditorSchema = editorSchema): PMNode {
  const { nodes } = schema
  const inlines = (content: readonly Inline[]) =>
    canonicalInlines(content).map((run) => schema.text(run.text, (run.marks ?? []).map((mark) => toPMMark(schema, mark))))
  const blocks: PMNode[] = []
  for (const block of canonicalBody(body)) {
    switch (block.type) {
      case 'paragraph':
        blocks.push(nodes.paragraph.create(null, inlines(block.content)))
        break
      case 'heading':
        blocks.push(nodes.heading.create({ level: block.level }, inlines(block.content)))
        break
      case 'quote': {
        const a = block.attribution
        blocks.push(
          nodes.quote.create(
            { speaker: a.speaker, role: a.role ?? '', givenTo: a.givenTo ?? '', context: a.context ?? '', via: a.via ?? '', date: a.date ?? '' },
            inlines(block.content),
          ),
        )
        break
      }
      case 'pullquote':
        blocks.push(nodes.pullquote.create({ speaker: block.speaker ?? '' }, schema.text(block.text)))
        break
      case 'image':
        blocks.push(
          nodes.image.create({
            mediaId: block.mediaId ?? '',
            src: block.src,
            alt: block.alt,
            width: block.width,
            height: block.height,
            caption: block.caption ?? '',
            credit: block.credit ?? '',
          }),
        )
        break
      case 'list':
        blocks.push(
          nodes.list.create(
            { ordered: block.ordered },
            block.items.map((item) => nodes.list_item.create(null, nodes.paragraph.create(null, inlines(item)))),
          ),
        )
        break
      case 'embed':
        blocks.push(nodes.embed.create({ url: block.url, title: block.title, provider: block.provider ?? '' }))
        break
      case 'divider':
        blocks.push(nodes.divider.create())
        break
    }
  }
  if (blocks.length === 0) blocks.push(nodes.paragraph.create())
  return nodes.doc.create(null, Fragment.fromArray(blocks))
}

function toPMMark(schema: EditorSchema, mark: Mark): PMMark {
  return mark.type === 'link' ? schema.marks.link.create({ href: mark.href }) : schema.marks[mark.type].create()
}

function fromPMMarks(marks: readonly PMMark[]): Mark[] {
  const out: Mark[] = []
  for (const mark of marks) {
    const name = mark.type.name
    if (name === 'bold' || name === 'italic') out.push({ type: name })
    // A link that breaks the rule never leaves the editor, wherever it came from.
    else if (name === 'link' && isSafeHref(String(mark.attrs.href))) out.push({ type: 'link', href: String(mark.attrs.href) })
  }
  return out
}

function runsOf(textblock: PMNode): Inline[] {
  const runs: Inline[] = []
  textblock.forEach((child) => {
    if (child.isText && child.text) {
      const marks = fromPMMarks(child.marks)
      runs.push(marks.length ? { text: child.text, marks } : { text: child.text })
    }
  })
  return canonicalInlines(runs)
}

/** The body of an editor document, in canonical form. Empty text blocks are left out. */
export function docToBody(doc: PMNode): Body {
  const body: Block[] = []
  doc.forEach((node) => {
    const attrs = node.attrs as Record<string, unknown>
    const str = (name: string) => String(attrs[name] ?? '')
    switch (node.type.name) {
      case 'paragraph':
        body.push({ type: 'paragraph', content: runsOf(node) })
        break
      case 'heading':
        body.push({ type: 'heading', level: attrs.level === 3 ? 3 : 2, content: runsOf(node) })
        break
      case 'quote': {
        const attribution: Attribution = { speaker: str('speaker') }
        for (const field of QUOTE_FIELDS) if (field !== 'speaker' && str(field)) attribution[field] = str(field)
        body.push({ type: 'quote', content: runsOf(node), attribution })
        break
      }
      case 'pullquote':
        body.push({ type: 'pullquote', text: node.textContent, ...optional('speaker', str('speaker')) })
        break
      case 'image':
        body.push({
          type: 'image',
          ...optional('mediaId', str('mediaId')),
          src: str('src'),
          alt: str('alt'),
          width: Number(attrs.width),
          height: Number(attrs.height),
          ...optional('caption', str('caption')),
          ...optional('credit', str('credit')),
        })
        break
      case 'list': {
        const items: Inline[][] = []
        node.forEach((item) => items.push(item.firstChild ? runsOf(item.firstChild) : []))
        body.push({ type: 'list', ordered: attrs.ordered === true, items })
        break
      }
      case 'embed':
        body.push({ type: 'embed', url: str('url'), title: str('title'), ...optional('provider', str('provider')) })
        break
      case 'divider':
        body.push({ type: 'divider' })
        break
    }
  })
  return canonicalBody(body)
}
