/**
 * What every importer's reader produces: an old site's content in neutral
 * terms, before anything is written. Readers (formats/) are pure: bytes in,
 * a bundle out, with what they could not read listed rather than thrown.
 */

/** The placeholder origin of an old site whose address the export does not give (`.invalid` never resolves). */
export const UNKNOWN_SITE = 'https://old-site.invalid'

/** Why something was left out, and where in the export. */
export interface ImportIssue {
  where: string
  code: string
  message: string
}

/** A category (WordPress) or primary tag (Ghost) that becomes a section. */
export interface ImportSection {
  sourceId: string
  slug: string
  name: string
  description: string
  parentSourceId: string | null
  /** The old site's archive addresses for it (`/category/news/harbour/`), each to answer with a 301. */
  oldPaths: string[]
}

export interface ImportTag {
  sourceId: string
  slug: string
  name: string
  /** The old tag archive (`/tag/shipping/`). */
  oldPaths: string[]
}

export interface ImportAuthor {
  sourceId: string
  slug: string
  name: string
  bio: string | null
  /** The old author archive (`/author/mira/`). */
  oldPaths: string[]
}

/** A picture the old site referred to: its address there, and its path under the uploads folder when known. */
export interface ImportImage {
  url: string
  alt: string
  caption: string
}

export interface ImportPost {
  sourceId: string
  /** Where in the export, for the report: `item[12] "Harbour talks"`. */
  where: string
  title: string
  /** An ASCII slug made from the old one (or the title); null when nothing usable. */
  slug: string | null
  /** The body as HTML, shortcodes and editor comments already reduced to their text. */
  html: string
  excerpt: string | null
  status: 'published' | 'draft'
  /** ISO timestamps, already in UTC. */
  createdAt: string
  publishedAt: string | null
  updatedAt: string | null
  /** The first is the primary section. */
  sectionSourceIds: string[]
  tagSourceIds: string[]
  /** In byline order. */
  authorSourceIds: string[]
  featuredImage: ImportImage | null
  /** The old site's paths for this post (no origin), each to answer with a 301. */
  oldPaths: string[]
}

/** A whole export, read. */
export interface ImportBundle {
  /** Names the importer in the import map (`wordpress`, `ghost`); sourceIds are chosen to be stable across moves and renames. */
  origin: string
  siteTitle: string
  /**
   * The old site's address, for resolving relative links and images. UNKNOWN_SITE
   * when the export does not say (Ghost): its addresses then serve only to find
   * pictures in the folder and to make links into site paths, never to link to.
   */
  baseUrl: string | null
  sections: ImportSection[]
  tags: ImportTag[]
  authors: ImportAuthor[]
  posts: ImportPost[]
  /** Items not imported on purpose (pages, comments) or because they could not be read; pages name their old addresses, which are not redirected. */
  skipped: ImportIssue[]
}
