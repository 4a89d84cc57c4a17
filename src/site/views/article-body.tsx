import type { ComponentChildren } from 'preact'
import type { Attribution, Block, Body, Inline } from '../../articles/index.ts'
import { srcsetOf, variantNear, type PictureSources } from '../../media/index.ts'
import { formatDate } from '../format.ts'

/** How wide a picture is shown: the article's measure (42rem) on wide screens, the screen less its margins below. */
export const ARTICLE_PICTURE_SIZES = '(min-width: 44rem) 42rem, calc(100vw - 2rem)'

/** Library pictures a body places, by media id; missing ones fall back to the block's own address. */
export type PictureLookup = ReadonlyMap<string, PictureSources>

/**
 * A library picture as `<picture>`: AVIF and WebP sources, then the JPEG or
 * PNG fallback, each with every width in `srcset` and the layout's `sizes`.
 * Width and height give the browser the shape before the file arrives (no
 * layout shift). Below the fold it loads lazily; the first picture of a page
 * loads at once, and early.
 */
export function LibraryPicture(props: { sources: PictureSources; alt: string; isEager: boolean; sizes?: string }) {
  const { sources, alt, isEager } = props
  const sizes = props.sizes ?? ARTICLE_PICTURE_SIZES
  const fallback = variantNear(sources.fallback, 1280)
  if (!fallback) return null
  return (
    <picture>
      {sources.avif.length > 0 ? <source type="image/avif" srcset={srcsetOf(sources.avif)} sizes={sizes} /> : null}
      {sources.webp.length > 0 ? <source type="image/webp" srcset={srcsetOf(sources.webp)} sizes={sizes} /> : null}
      <img
        src={fallback.url}
        srcset={srcsetOf(sources.fallback)}
        sizes={sizes}
        width={sources.width}
        height={sources.height}
        alt={alt}
        decoding="async"
        {...(isEager ? { fetchpriority: 'high' } : { loading: 'lazy' })}
      />
    </picture>
  )
}

/**
 * Renders the structured body. Every string goes through Preact's escaping;
 * nothing here emits raw HTML, so stored content can never inject markup.
 * `isFirstPictureEager` is false when something above the body (the featured
 * picture) is already the page's first picture.
 */
export function ArticleBody({
  body,
  timeZone,
  pictures,
  isFirstPictureEager = false,
  speakerHref,
}: {
  body: Body
  timeZone: string
  pictures?: PictureLookup
  isFirstPictureEager?: boolean
  /** The quotes ledger page of a speaker, to link each quote's speaker to. */
  speakerHref?: (speaker: string) => string | undefined
}) {
  const firstImage = isFirstPictureEager ? body.findIndex((b) => b.type === 'image') : -1
  return <div class="article-body">{body.map((block, i) => renderBlock(block, timeZone, { pictures, isEager: i === firstImage, speakerHref }))}</div>
}

function renderInlines(content: readonly Inline[]): ComponentChildren {
  return content.map((run) => {
    let node: ComponentChildren = run.text
    for (const mark of run.marks ?? []) {
      if (mark.type === 'bold') node = <strong>{node}</strong>
      else if (mark.type === 'italic') node = <em>{node}</em>
      else node = <a href={mark.href}>{node}</a>
    }
    return node
  })
}

/** "— Ana Pérez, Foreign Minister, in an interview with ACP, February 2, 2026" */
function attributionLine(a: Attribution, timeZone: string, speakerHref?: (speaker: string) => string | undefined): ComponentChildren {
  // The speaker links to everything the paper has quoted them as saying (the quotes ledger).
  const href = speakerHref?.(a.speaker)
  const parts: ComponentChildren[] = [<cite>{href ? <a href={href}>{a.speaker}</a> : a.speaker}</cite>]
  if (a.role) parts.push(`, ${a.role}`)
  // One talks "with" an interviewer but "to" reporters or a committee.
  const preposition = a.context && /interview|conversation|talk/i.test(a.context) ? 'with' : 'to'
  const how = [a.context, a.givenTo ? `${preposition} ${a.givenTo}` : null].filter(Boolean).join(' ')
  if (how) parts.push(`, ${how}`)
  if (a.via) parts.push(`, via ${a.via}`)
  if (a.date) {
    parts.push(', ')
    parts.push(<time datetime={a.date}>{formatDate(`${a.date}T12:00:00Z`, timeZone)}</time>)
  }
  return parts
}

function renderBlock(
  block: Block,
  timeZone: string,
  options: { pictures: PictureLookup | undefined; isEager: boolean; speakerHref?: ((speaker: string) => string | undefined) | undefined },
): ComponentChildren {
  switch (block.type) {
    case 'paragraph':
      return <p>{renderInlines(block.content)}</p>
    case 'heading':
      return block.level === 2 ? <h2>{renderInlines(block.content)}</h2> : <h3>{renderInlines(block.content)}</h3>
    case 'quote':
      return (
        <figure class="quote">
          <blockquote>
            <p>{renderInlines(block.content)}</p>
          </blockquote>
          <figcaption>— {attributionLine(block.attribution, timeZone, options.speakerHref)}</figcaption>
        </figure>
      )
    case 'pullquote':
      return (
        <aside class="pullquote" aria-label="Pull quote">
          <p>{block.text}</p>
          {block.speaker ? <p class="pullquote-speaker">— {block.speaker}</p> : null}
        </aside>
      )
    case 'image': {
      const sources = block.mediaId ? options.pictures?.get(block.mediaId) : undefined
      return (
        <figure class="image">
          {sources ? (
            <LibraryPicture sources={sources} alt={block.alt} isEager={options.isEager} />
          ) : (
            <img src={block.src} alt={block.alt} width={block.width} height={block.height} decoding="async" {...(options.isEager ? { fetchpriority: 'high' } : { loading: 'lazy' })} />
          )}
          {block.caption || block.credit ? (
            <figcaption>
              {block.caption}
              {block.credit ? <span class="image-credit"> {block.credit}</span> : null}
            </figcaption>
          ) : null}
        </figure>
      )
    }
    case 'list': {
      const items = block.items.map((item) => <li>{renderInlines(item)}</li>)
      return block.ordered ? <ol>{items}</ol> : <ul>{items}</ul>
    }
    case 'divider':
      return <hr />
    case 'embed':
      // No third-party scripts on public pages: an embed is a plain link until a reader follows it.
      return (
        <p class="embed">
          <a href={block.url}>{block.title}</a>
          {block.provider ? ` (${block.provider})` : null}
        </p>
      )
  }
}
