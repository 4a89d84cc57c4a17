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
  /** A place name that opens the story, e.g. "BRIDGETOWN". */
  dateline: string | null
  seo_description: string | null
  featured_media_id: string | null
  created_by: string | null
  /** Who made the last change of any kind. */
  modified_by: string | null
  /** Set when the story was taken down because its source withdrew it: the URL answers 410 with the note. */
  withdrawn_at: string | null
  withdrawn_note: string | null
  /** Bumped by every saved change to the text or fields; saves name the version they started from. */
  edit_version: number
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

/** A public story under one section or an ancestor of one of its sections, with its card's fields (listings.ts). */
export interface ArticleListingsTable {
  section_id: string
  published_at: string
  article_id: string
  slug: string
  title: string
  dek: string | null
  primary_section_id: string | null
  source_id: string | null
  updated_at: string | null
}

/** What every listing row carries besides its key: a story card's fields. */
type ListingCard = Omit<ArticleListingsTable, 'section_id'>

/** A public story under one of its tags, with its card's fields (listings.ts). */
export interface TagListingsTable extends ListingCard {
  tag_id: string
}

/** A public story under one of its authors, with its card's fields (listings.ts). */
export interface AuthorListingsTable extends ListingCard {
  author_id: string
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

/** What happened to a story in the newsroom, with who and when: the workflow's history. */
export type ArticleEventKind =
  | 'created'
  | 'submitted'
  | 'returned'
  | 'scheduled'
  | 'unscheduled'
  | 'published'
  | 'updated'
  | 'corrected'
  | 'unpublished'
  | 'withdrawn'
  | 'restored'
  | 'conflict'
  | 'agency_update_applied'
  /** The scheduler did not publish a scheduled story (its agency copy was killed); it went back to draft. */
  | 'schedule_skipped'

export interface ArticleEventsTable {
  id: string
  article_id: string
  kind: ArticleEventKind
  actor_id: string | null
  note: string | null
  created_at: string
}

/** Changes to a published story that are saved but not yet public. JSON of `StoryFields`. */
export interface ArticleWorkingCopiesTable {
  article_id: string
  data: string
  saved_by: string | null
  saved_at: string
}

/** A save that lost a race: kept whole, so nobody's text is lost. JSON of `StoryFields`. */
export interface ArticleConflictsTable {
  id: string
  article_id: string
  data: string
  base_version: number
  saved_by: string | null
  saved_at: string
  resolved_at: string | null
}

export type SnapshotReason = 'draft' | 'submitted' | 'returned' | 'published' | 'updated' | 'minor' | 'corrected' | 'restored' | 'conflict' | 'agency_update'

/** The story's fields at a point in its life, for the history, diffs and restoring. JSON of `StoryFields`. */
export interface ArticleSnapshotsTable {
  id: string
  article_id: string
  edit_version: number
  reason: SnapshotReason
  data: string
  actor_id: string | null
  created_at: string
}

/** Who has a story open in the editor; rows older than a minute are stale. */
export interface ArticlePresenceTable {
  article_id: string
  user_id: string
  /** The last heartbeat. */
  seen_at: string
  /** When this person opened the story (their first heartbeat after being away); null only on rows from before it was kept. */
  first_seen_at: string | null
}

/** A private link to a story's preview. Only the token's hash is stored. */
export interface PreviewLinksTable {
  token_hash: string
  article_id: string
  created_by: string | null
  created_at: string
  expires_at: string
}

export interface ArticlesTables {
  articles: ArticlesTable
  article_sections: ArticleSectionsTable
  article_authors: ArticleAuthorsTable
  article_tags: ArticleTagsTable
  article_listings: ArticleListingsTable
  tag_listings: TagListingsTable
  author_listings: AuthorListingsTable
  article_slug_history: ArticleSlugHistoryTable
  revisions: RevisionsTable
  corrections: CorrectionsTable
  article_events: ArticleEventsTable
  article_working_copies: ArticleWorkingCopiesTable
  article_conflicts: ArticleConflictsTable
  article_snapshots: ArticleSnapshotsTable
  article_presence: ArticlePresenceTable
  preview_links: PreviewLinksTable
}

export type ArticleRow = Selectable<ArticlesTable>
