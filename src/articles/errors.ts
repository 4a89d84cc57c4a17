/** Stable error codes of the articles feature (catalogued in docs/errors.md). */
export const ArticleErrors = {
  ARTICLE_NOT_FOUND: 'ARTICLE_NOT_FOUND',
  ARTICLE_INVALID: 'ARTICLE_INVALID',
  ARTICLE_SLUG_TAKEN: 'ARTICLE_SLUG_TAKEN',
  ARTICLE_NOT_PUBLISHABLE: 'ARTICLE_NOT_PUBLISHABLE',
  ARTICLE_BAD_TRANSITION: 'ARTICLE_BAD_TRANSITION',
  ARTICLE_REFERENCE_UNKNOWN: 'ARTICLE_REFERENCE_UNKNOWN',
  ARTICLE_FORBIDDEN: 'ARTICLE_FORBIDDEN',
  /** A writer's save after an editor scheduled or published their story: refused, and kept on the story as a conflict copy. */
  ARTICLE_HANDED_OVER: 'ARTICLE_HANDED_OVER',
  ARTICLE_SCHEDULE_PAST: 'ARTICLE_SCHEDULE_PAST',
  ARTICLE_NO_CHANGES: 'ARTICLE_NO_CHANGES',
  /** The story was made from agency copy that the agency has since killed (or withdrawn). */
  ARTICLE_SOURCE_KILLED: 'ARTICLE_SOURCE_KILLED',
  /** A change based on an edit version that is no longer the story's (the admin API's corrections; the editor's saves keep a conflict copy instead). */
  ARTICLE_VERSION_CONFLICT: 'ARTICLE_VERSION_CONFLICT',
  ARTICLE_SNAPSHOT_NOT_FOUND: 'ARTICLE_SNAPSHOT_NOT_FOUND',
  ARTICLE_CONFLICT_NOT_FOUND: 'ARTICLE_CONFLICT_NOT_FOUND',
  PREVIEW_NOT_FOUND: 'PREVIEW_NOT_FOUND',
} as const
