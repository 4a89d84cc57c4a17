import type { Selectable } from 'kysely'

/** Tables owned by the articles feature. Timestamps are ISO 8601 UTC text on every dialect. */

export type ArticleStatus = 'draft' | 'in_review' | 'scheduled' | 'published' | 'unpublished'

export interface ArticlesTable {
  id: string
  slug: string
  title: string
  seo_title: string | null
  dek: string | null
  /** JSON of `Body`. */
  body: string
  status: ArticleStatus
  primary_section_id: string | null
  source_id: string | null
  /** First publication; set once, kept through updates and unpublishing. */
  published_at: string | null
  /** Last public update after first publication; null when never updated. */
  updated_at: string | null
  scheduled_at: string | null
  created_at: string
  /** Last change of any kind, public or not: the revision clock for caches. */
  modified_at: string
  /** Number of the latest revision; 0 before the first publication. */
  revision: number
}

export interface ArticleSectionsTable {
  article_id: string
  section_id: string
  position: number
}

export interface ArticleAuthorsTable {
  article_id: string
  author_id: string
  position: number
}

export interface ArticleTagsTable {
  article_id: string
  tag_id: string
}

/** Slugs an article had before it was renamed, kept so old URLs answer with a 301. */
export interface ArticleSlugHistoryTable {
  slug: string
  article_id: string
  retired_at: string
}

export type RevisionReason = 'publish' | 'update' | 'correct' | 'unpublish'

export interface RevisionsTable {
  id: string
  article_id: string
  number: number
  reason: RevisionReason
  /** JSON snapshot of the article as published at this revision. */
  snapshot: string
  created_at: string
  actor_id: string | null
}

export interface CorrectionsTable {
  id: string
  article_id: string
  text: string
  created_at: string
}

export interface ArticlesTables {
  articles: ArticlesTable
  article_sections: ArticleSectionsTable
  article_authors: ArticleAuthorsTable
  article_tags: ArticleTagsTable
  article_slug_history: ArticleSlugHistoryTable
  revisions: RevisionsTable
  corrections: CorrectionsTable
}

export type ArticleRow = Selectable<ArticlesTable>
