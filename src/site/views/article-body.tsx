import type { Attribution, Block, Body, Inline } from '../../articles/index.ts'
import { srcsetOf, variantNear, type PictureSources } from '../../media/index.ts'
import { formatDate } from '../format.ts'
import { attr, EMPTY, html, htmlNode, type Html } from '../html.ts'

/** How wide a picture is shown: the article's measure (42rem) on wide screens, the screen less its margins below. */
export const ARTICLE_PICTURE_SIZES = '(min-width: 44rem) 42rem, calc(100vw - 2rem)'

/** Library pictures a body places, by media id; missing ones fall back to the block's own address. */
export type PictureLookup = ReadonlyMap<string, PictureSources>

/** How a picture loads: the first of a page at once and early, the others lazily. */
const loading = (isEager: boolean) => (isEager ? html` fetchpriority="high"` : html` loading="lazy"`)

/**
 * A library picture as `<picture>`: AVIF and WebP sources, then the JPEG or
 * PNG fallback, each with every width in `srcset` and the layout's `sizes`.
 * Width and height give the browser the shape before the file arrives (no
 * layout shift). Below the fold it loads lazily; the first picture of a page
 * loads at once, and early.
 */
export function libraryPicture(props: { sources: PictureSources; alt: string; isEager: boolean; sizes?: string }): Html {
  const { sources, alt, isEager } = props
  const sizes = props.sizes ?? ARTICLE_PICTURE_SIZES
  const fallback = variantNear(sources.fallback, 1280)
  if (!fallback) return EMPTY
  return html`<picture>${sources.avif.length > 0 ? html`<source type="image/avif" srcset="${srcsetOf(sources.avif)}" sizes="${sizes}"/>` : null}${
    sources.webp.length > 0 ? html`<source type="image/webp" srcset="${srcsetOf(sources.webp)}" sizes="${sizes}"/>` : null
  }<img src="${fallback.url}" srcset="${srcsetOf(sources.fallback)}" sizes="${sizes}" width="${sources.width}" height="${sources.height}"${attr('alt', alt)} decoding="async"${loading(isEager)}/></picture>`
}

/** The structured body's options; see `articleBody`. */
export interface ArticleBodyProps {
  body: Body
  timeZone: string
  pictures?: PictureLookup | undefined
  isFirstPictureEager?: boolean
  /** The quotes ledger page of a speaker, to link each quote's speaker to. */
  speakerHref?: ((speaker: string) => string | undefined) | undefined
}

/**
 * Renders the structured body. Every string is escaped by `html`; nothing
 * here emits raw HTML, so stored content can never inject markup.
 * `isFirstPictureEager` is false when something above the body (the featured
 * picture) is already the page's first picture.
 */
export function articleBody({ body, timeZone, pictures, isFirstPictureEager = false, speakerHref }: ArticleBodyProps): Html {
  const firstImage = isFirstPictureEager ? body.findIndex((b) => b.type === 'image') : -1
  return html`<div class="article-body">${body.map((block, i) => renderBlock(block, timeZone, { pictures, isEager: i === firstImage, speakerHref }))}</div>`
}

/** The body in a Preact view (the wire desk's item page). */
export function ArticleBody(props: ArticleBodyProps) {
  return htmlNode(articleBody(props))
}

function renderInlines(content: readonly Inline[]): Html[] {
  return content.map((run) => {
    let node: Html | string = run.text
    for (const mark of run.marks ?? []) {
      if (mark.type === 'bold') node = html`<strong>${node}</strong>`
      else if (mark.type === 'italic') node = html`<em>${node}</em>`
      else node = html`<a${attr('href', mark.href)}>${node}</a>`
    }
    return typeof node === 'string' ? html`${node}` : node
  })
}

/** "— Ana Pérez, Foreign Minister, in an interview with ACP, February 2, 2026" */
function attributionLine(a: Attribution, timeZone: string, speakerHref?: (speaker: string) => string | undefined): Html {
  // The speaker links to everything the paper has quoted them as saying (the quotes ledger).
  const href = speakerHref?.(a.speaker)
  const parts: (Html | string)[] = [html`<cite>${href ? html`<a href="${href}">${a.speaker}</a>` : a.speaker}</cite>`]
  if (a.role) parts.push(`, ${a.role}`)
  // One talks "with" an interviewer but "to" reporters or a committee.
  const preposition = a.context && /interview|conversation|talk/i.test(a.context) ? 'with' : 'to'
  const how = [a.context, a.givenTo ? `${preposition} ${a.givenTo}` : null].filter(Boolean).join(' ')
  if (how) parts.push(`, ${how}`)
  if (a.via) parts.push(`, via ${a.via}`)
  if (a.date) parts.push(', ', html`<time datetime="${a.date}">${formatDate(`${a.date}T12:00:00Z`, timeZone)}</time>`)
  return html`${parts}`
}

function caption(text: string | undefined, credit: string | undefined): Html | null {
  return text || credit ? html`<figcaption>${text}${credit ? html`<span class="image-credit"> ${credit}</span>` : null}</figcaption>` : null
}

function renderBlock(block: Block, timeZone: string, options: { pictures: PictureLookup | undefined; isEager: boolean; speakerHref?: ((speaker: string) => string | undefined) | undefined }): Html {
  switch (block.type) {
    case 'paragraph':
      return html`<p>${renderInlines(block.content)}</p>`
    case 'heading':
      return block.level === 2 ? html`<h2>${renderInlines(block.content)}</h2>` : html`<h3>${renderInlines(block.content)}</h3>`
    case 'quote':
      return html`<figure class="quote"><blockquote><p>${renderInlines(block.content)}</p></blockquote><figcaption>— ${attributionLine(block.attribution, timeZone, options.speakerHref)}</figcaption></figure>`
    case 'pullquote':
      return html`<aside class="pullquote" aria-label="Pull quote"><p>${block.text}</p>${block.speaker ? html`<p class="pullquote-speaker">— ${block.speaker}</p>` : null}</aside>`
    case 'image': {
      const sources = block.mediaId ? options.pictures?.get(block.mediaId) : undefined
      const picture = sources
        ? libraryPicture({ sources, alt: block.alt, isEager: options.isEager })
        : html`<img${attr('src', block.src)}${attr('alt', block.alt)} width="${block.width}" height="${block.height}" decoding="async"${loading(options.isEager)}/>`
      return html`<figure class="image">${picture}${caption(block.caption, block.credit)}</figure>`
    }
    case 'list': {
      const items = block.items.map((item) => html`<li>${renderInlines(item)}</li>`)
      return block.ordered ? html`<ol>${items}</ol>` : html`<ul>${items}</ul>`
    }
    case 'divider':
      return html`<hr/>`
    case 'embed':
      // No third-party scripts on public pages: an embed is a plain link until a reader follows it.
      return html`<p class="embed"><a${attr('href', block.url)}>${block.title}</a>${block.provider ? ` (${block.provider})` : null}</p>`
  }
}
