/**
 * The one shape every feed format renders: a list of stories as readers of
 * a feed see them. Built once per scope from the same list query as the
 * matching HTML page, then written as RSS 2.0, Atom 1.0 or JSON Feed 1.1.
 */

/** The three formats, by the file extension of their URLs. */
export const FEED_FORMATS = ['rss', 'atom', 'json'] as const
export type FeedFormat = (typeof FEED_FORMATS)[number]

/** Media types sent with each format. */
export const FEED_MEDIA_TYPES: Readonly<Record<FeedFormat, string>> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
}

/** A picture that goes with an item: an RSS enclosure, an Atom enclosure link, a JSON Feed image. */
export interface FeedImage {
  url: string
  type: string
  width: number
  height: number
  alt: string
}

/** One story in a feed. All URLs are absolute. */
export interface FeedItem {
  /** Stable for the story's life, whatever happens to its slug: `urn:masthead:article:art_…`. */
  id: string
  url: string
  title: string
  /** The dek, when the story has one. */
  summary: string | null
  /** HTML rendered from the body blocks (or only the summary, per the site setting), with corrections at the end. */
  contentHtml: string
  publishedAt: string
  /** The last public update, or the publication date. */
  updatedAt: string
  authors: { name: string; url: string }[]
  /** The credit line's agency or partner ("ACP"); null for staff copy. */
  credit: string | null
  /** Sections first (primary first), then tags. `scheme` is the base URL of the kind. */
  categories: { term: string; label: string; scheme: string }[]
  image: FeedImage | null
  corrections: { text: string; at: string }[]
}

/** A feed of one scope: the whole site, a section, an author or a tag. */
export interface Feed {
  /** Stable id of the feed itself (Atom `id`). */
  id: string
  title: string
  description: string
  language: string
  siteName: string
  /** The HTML page this feed mirrors. */
  pageUrl: string
  /** This feed's own URL in each format, for self links. */
  urls: Readonly<Record<FeedFormat, string>>
  /** The newest publication or update among the items; null for an empty feed. */
  updatedAt: string | null
  items: FeedItem[]
  /** The surrogate keys of the feed's documents: its scope's and every listed story's. */
  keys?: readonly string[]
}
