import type { Body } from '../../articles/index.ts'

/** Shapes of the demo content for the fictional paper; `seed.ts` loads them through the domain services. */

export type SectionKind = 'region' | 'country' | 'topic' | 'opinion'

export interface DemoSection {
  slug: string
  name: string
  description: string
  kind: SectionKind
  /** Slug of the parent section; absent for a top-level section. */
  parent?: string
}

export interface DemoAuthor {
  slug: string
  name: string
  kind: 'person' | 'desk'
  jobTitle?: string
  bio?: string
}

export interface DemoSource {
  slug: string
  /** Full name, e.g. "Agence Continentale de Presse". */
  name: string
  /** What the credit line shows, e.g. "ACP" in "Source: ACP". */
  credit: string
  kind: 'staff' | 'agency' | 'partner' | 'reader'
  url?: string
}

export interface DemoImage {
  /** File name under src/db/seed/media/, copied into the media store on seeding. */
  file: string
}

export interface DemoArticle {
  slug: string
  title: string
  seoTitle?: string
  dek: string
  /** Section slugs; the first is the primary section (URL, breadcrumb). */
  sections: string[]
  tags: string[]
  /** Author slugs in byline order. */
  authors: string[]
  /** Source slug; wire copy names its agency, staff copy the staff source. */
  source: string
  /** ISO 8601 UTC. */
  publishedAt: string
  body: Body
  /** A public correction appended after publication. */
  correction?: { at: string; text: string }
  /** A later update of a published story: new body and optional new dek. */
  update?: { at: string; body: Body; dek?: string }
  /** A slug the story had before it was renamed; the old URL must 301 to the new one. */
  previousSlug?: string
}

export interface DemoContent {
  siteName: string
  tagline: string
  sections: DemoSection[]
  authors: DemoAuthor[]
  sources: DemoSource[]
  tags: { slug: string; name: string }[]
  articles: DemoArticle[]
}
