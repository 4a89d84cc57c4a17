import { leadImageOf, type Article } from '../../articles/index.ts'
import { variantNear, type PictureSources } from '../../media/index.ts'
import type { PictureLookup } from './article-body.tsx'
import { attr, html, type Html } from '../html.ts'

/** The picture a link preview shows: an absolute JPEG or PNG address and its size. */
export interface ShareImage {
  url: string
  width: number
  height: number
  alt?: string
}

/** What a page offers link previews (Open Graph and Twitter cards). */
export interface SharePreview {
  type: 'website' | 'article' | 'profile'
  title: string
  description?: string | null
  image?: ShareImage | null
}

const absolute = (origin: string, url: string) => (/^https?:/i.test(url) ? url : origin + url)

/** A library picture's fallback (JPEG or PNG) variant of about 1200 pixels: what link previews want. */
function fromLibrary(origin: string, picture: PictureSources): ShareImage | null {
  const variant = variantNear(picture.fallback, 1280)
  return variant ? { url: absolute(origin, variant.url), width: variant.width, height: variant.height, ...(picture.alt ? { alt: picture.alt } : {}) } : null
}

/** Link previews take JPEG, PNG, WebP and GIF; an SVG (a chart, a logo) shows as a broken card. */
const isVector = (src: string) => /\.svgz?(?:[?#]|$)/i.test(src)

/**
 * A story's share picture: the featured picture, else the body's first
 * picture (the same choice as its JSON-LD image, `leadImageOf`), served from
 * the media library's variants when it came from there; none for an SVG.
 */
export function storyShareImage(origin: string, article: Pick<Article, 'body' | 'featuredMediaId'>, featured: PictureSources | null, pictures?: PictureLookup): ShareImage | null {
  if (featured) return fromLibrary(origin, featured)
  const lead = leadImageOf(article)
  if (!lead) return null
  const library = lead.mediaId ? pictures?.get(lead.mediaId) : undefined
  if (library) return fromLibrary(origin, library)
  if (isVector(lead.src)) return null
  return { url: absolute(origin, lead.src), width: lead.width, height: lead.height, ...(lead.alt ? { alt: lead.alt } : {}) }
}

/**
 * Open Graph and Twitter card tags for a page: a large-image card when there
 * is a picture, else a summary card. Twitter reads og:* too, but not every
 * client does, so the twitter:* tags are given in full.
 */
export function shareMeta({ share, url, siteName }: { share: SharePreview; url: string; siteName: string }): Html {
  const { title, description, image } = share
  return html`${og('og:type', share.type)}${og('og:title', title)}${description ? og('og:description', description) : null}${og('og:url', url)}${og('og:site_name', siteName)}${
    image ? [og('og:image', image.url), og('og:image:width', String(image.width)), og('og:image:height', String(image.height)), image.alt ? og('og:image:alt', image.alt) : null] : null
  }${twitter('twitter:card', image ? 'summary_large_image' : 'summary')}${twitter('twitter:title', title)}${description ? twitter('twitter:description', description) : null}${
    image ? twitter('twitter:image', image.url) : null
  }${image?.alt ? twitter('twitter:image:alt', image.alt) : null}`
}

const og = (property: string, content: string) => html`<meta property="${property}"${attr('content', content)}/>`
const twitter = (name: string, content: string) => html`<meta name="${name}"${attr('content', content)}/>`
