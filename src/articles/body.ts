import { z } from 'zod'
import { isEmbedUrl, isSafeHref, MAX_HREF_LENGTH } from './links.ts'

/**
 * The article body: a structured document of blocks holding inline runs with
 * marks. It is never stored as HTML; the site renders it with its own renderer,
 * escaping every string.
 */

/** A link or picture address; the rule itself lives in links.ts so the story editor shares it. */
const SafeHref = z
  .string()
  .max(MAX_HREF_LENGTH)
  .refine((href) => href.length > MAX_HREF_LENGTH || isSafeHref(href), {
    message: 'Links must be http(s), mailto, a site path or a fragment.',
  })

/** A formatting mark on a run of text. */
export const Mark = z.discriminatedUnion('type', [
  z.object({ type: z.literal('bold') }),
  z.object({ type: z.literal('italic') }),
  z.object({ type: z.literal('link'), href: SafeHref }),
])
export type Mark = z.infer<typeof Mark>

/** A run of text with the same marks. */
export const Inline = z.object({
  text: z.string().min(1).max(20_000),
  marks: z.array(Mark).max(4).optional(),
})
export type Inline = z.infer<typeof Inline>

const Inlines = z.array(Inline).min(1).max(500)

/**
 * Who said a quote, to whom and when: quotes are first-class so a story can say
 * "told AFP in an interview" without burying it in prose.
 */
export const Attribution = z.object({
  speaker: z.string().min(1).max(200),
  /** The speaker's role, e.g. "Foreign Minister". */
  role: z.string().max(200).optional(),
  /** The outlet or audience the words were given to, e.g. "ACP" or "reporters". */
  givenTo: z.string().max(200).optional(),
  /** How it was said, e.g. "in an interview", "at a news conference". */
  context: z.string().max(200).optional(),
  /** The agency the quote reached us through, when the words were given to another outlet, e.g. "ACP". */
  via: z.string().max(200).optional(),
  /** ISO date (YYYY-MM-DD) when it was said, if known. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
})
export type Attribution = z.infer<typeof Attribution>

export const ParagraphBlock = z.object({ type: z.literal('paragraph'), content: Inlines })
export const HeadingBlock = z.object({
  type: z.literal('heading'),
  level: z.union([z.literal(2), z.literal(3)]),
  content: Inlines,
})
export const QuoteBlock = z.object({
  type: z.literal('quote'),
  content: Inlines,
  attribution: Attribution,
})
export const PullQuoteBlock = z.object({
  type: z.literal('pullquote'),
  text: z.string().min(1).max(1000),
  speaker: z.string().max(200).optional(),
})
export const ImageBlock = z.object({
  type: z.literal('image'),
  /** The picture's id in the media library, when it came from there; the site then serves its variants. */
  mediaId: z.string().min(1).max(64).optional(),
  src: SafeHref,
  alt: z.string().max(500),
  width: z.number().int().positive().max(20_000),
  height: z.number().int().positive().max(20_000),
  caption: z.string().max(2000).optional(),
  credit: z.string().max(300).optional(),
})
export const ListBlock = z.object({
  type: z.literal('list'),
  ordered: z.boolean(),
  items: z.array(Inlines).min(1).max(200),
})
export const EmbedBlock = z.object({
  type: z.literal('embed'),
  url: z.string().url().max(MAX_HREF_LENGTH).refine((u) => u.length > MAX_HREF_LENGTH || isEmbedUrl(u), 'Embeds must be http(s) URLs.'),
  title: z.string().min(1).max(300),
  provider: z.string().max(100).optional(),
})

/** A thematic break between parts of a story. */
export const DividerBlock = z.object({ type: z.literal('divider') })

/** One block of an article body. */
export const Block = z.discriminatedUnion('type', [
  ParagraphBlock,
  HeadingBlock,
  QuoteBlock,
  PullQuoteBlock,
  ImageBlock,
  ListBlock,
  EmbedBlock,
  DividerBlock,
])
export type Block = z.infer<typeof Block>

/** A whole article body. An empty body is allowed for drafts only (see `assertPublishable`). */
export const Body = z.array(Block).max(2000)
export type Body = z.infer<typeof Body>

/** The plain text of some inline runs. */
export function inlineText(content: readonly Inline[]): string {
  return content.map((run) => run.text).join('')
}

/** The plain text of a body, blocks separated by blank lines: for excerpts, search and word counts. */
export function bodyText(body: Body): string {
  const parts: string[] = []
  for (const block of body) {
    switch (block.type) {
      case 'paragraph':
      case 'heading':
      case 'quote':
        parts.push(inlineText(block.content))
        break
      case 'pullquote':
        parts.push(block.text)
        break
      case 'list':
        parts.push(block.items.map(inlineText).join('\n'))
        break
      case 'image':
        if (block.caption) parts.push(block.caption)
        break
      case 'embed':
        parts.push(block.title)
        break
      case 'divider':
        break
    }
  }
  return parts.join('\n\n')
}

/** Shorthand for a plain paragraph, used by the seed and tests. */
export function paragraph(text: string): Block {
  return { type: 'paragraph', content: [{ text }] }
}

/** A picture block of a body. */
export type ImageBlock = z.infer<typeof ImageBlock>

/**
 * The story's lead picture: the body image that is its featured media, else
 * the first picture in the body; null when it has none. Feeds, structured
 * data and syndication use it.
 */
export function leadImageOf(story: { body: Body; featuredMediaId: string | null }): ImageBlock | null {
  const images = story.body.filter((b): b is ImageBlock => b.type === 'image')
  return (story.featuredMediaId ? images.find((b) => b.mediaId === story.featuredMediaId) : undefined) ?? images[0] ?? null
}
