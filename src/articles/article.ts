import { DomainError, type Issue } from '../shared/errors.ts'
import type { Body } from './body.ts'
import { ArticleErrors } from './errors.ts'
import type { ArticleStatus } from './tables.ts'

/** A story the paper publishes, in any state of its lifecycle. */
export interface Article {
  id: string
  slug: string
  title: string
  seoTitle: string | null
  dek: string | null
  body: Body
  status: ArticleStatus
  /** Sections in display order; the first is the primary section (URL, breadcrumb). */
  sectionIds: string[]
  /** Authors in byline order. */
  authorIds: string[]
  tagIds: string[]
  sourceId: string | null
  /** The place the story is reported from, e.g. "BRIDGETOWN"; null when none. */
  dateline: string | null
  seoDescription: string | null
  featuredMediaId: string | null
  publishedAt: string | null
  updatedAt: string | null
  scheduledAt: string | null
  createdAt: string
  modifiedAt: string
  revision: number
  /** Bumped by every saved change to the story's fields; saves carry the version they are based on. */
  editVersion: number
  /** The staff member who started it; null for the system (seed, import). */
  createdBy: string | null
  modifiedBy: string | null
  /** When the story was withdrawn because its source killed it; its URL then answers 410 with the note. */
  withdrawnAt: string | null
  withdrawnNote: string | null
}

/**
 * The part of a story a writer edits: what the editor saves, what a working
 * copy, a conflict copy or a snapshot holds. Everything else (status, dates,
 * revisions) belongs to the workflow.
 */
export interface StoryFields {
  title: string
  slug: string
  dek: string | null
  seoTitle: string | null
  seoDescription: string | null
  dateline: string | null
  body: Body
  sectionIds: string[]
  authorIds: string[]
  tagIds: string[]
  sourceId: string | null
  featuredMediaId: string | null
}

/** The editable fields of an article. */
export function fieldsOf(article: Article): StoryFields {
  return {
    title: article.title,
    slug: article.slug,
    dek: article.dek,
    seoTitle: article.seoTitle,
    seoDescription: article.seoDescription,
    dateline: article.dateline,
    body: article.body,
    sectionIds: article.sectionIds,
    authorIds: article.authorIds,
    tagIds: article.tagIds,
    sourceId: article.sourceId,
    featuredMediaId: article.featuredMediaId,
  }
}

/** What list pages (home, section, author, tag) show of a story. */
export interface ArticleSummary {
  id: string
  slug: string
  title: string
  dek: string | null
  primarySectionId: string | null
  sourceId: string | null
  publishedAt: string
  updatedAt: string | null
  authorIds: string[]
}

/** A public note that something published was wrong, and what is right. */
export interface Correction {
  id: string
  articleId: string
  text: string
  createdAt: string
}

export type { ArticleStatus }

/** Which lifecycle moves are allowed, from → to. */
const TRANSITIONS: Readonly<Record<ArticleStatus, readonly ArticleStatus[]>> = {
  draft: ['in_review', 'scheduled', 'published'],
  in_review: ['draft', 'scheduled', 'published'],
  scheduled: ['draft', 'published'],
  published: ['unpublished'],
  unpublished: ['draft', 'published'],
}

/** True when an article may move from one status to another. */
export function canTransition(from: ArticleStatus, to: ArticleStatus): boolean {
  return TRANSITIONS[from].includes(to)
}

/** Throws ARTICLE_BAD_TRANSITION unless the move is allowed. */
export function assertTransition(from: ArticleStatus, to: ArticleStatus): void {
  if (!canTransition(from, to)) {
    throw new DomainError('conflict', ArticleErrors.ARTICLE_BAD_TRANSITION, `An article that is ${from.replace('_', ' ')} cannot become ${to.replace('_', ' ')}.`)
  }
}

/**
 * What a story needs before readers may see it: a headline, a body, a section
 * to live in, someone to credit in the byline and a source for the credit line.
 */
export function publishProblems(article: Article): Issue[] {
  const issues: Issue[] = []
  const need = (path: string, message: string) => issues.push({ path, message, code: 'required' })
  if (article.title.trim() === '') need('title', 'A headline is required.')
  if (article.body.length === 0) need('body', 'The body is empty.')
  if (article.sectionIds.length === 0) need('sectionIds', 'Choose at least one section.')
  if (article.authorIds.length === 0) need('authorIds', 'Name at least one author or desk.')
  if (article.sourceId === null) need('sourceId', 'Choose a source for the credit line.')
  // Readers who cannot see a picture must still learn what it shows (WCAG 1.1.1).
  article.body.forEach((block, index) => {
    if (block.type === 'image' && block.alt.trim() === '') need(`body[${index}].alt`, 'Every picture needs alt text that says what it shows.')
  })
  return issues
}

/** Throws ARTICLE_NOT_PUBLISHABLE with every missing piece listed. */
export function assertPublishable(article: Article): void {
  const issues = publishProblems(article)
  if (issues.length > 0) {
    throw new DomainError('invalid', ArticleErrors.ARTICLE_NOT_PUBLISHABLE, 'The article is not ready to publish.', issues)
  }
}
