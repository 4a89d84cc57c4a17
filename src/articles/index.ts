export * from './body.ts'
export { isSafeHref, isEmbedUrl, MAX_HREF_LENGTH } from './links.ts'
export { createArticleService, type ArticleService, type ArticleEvents, type Actor, type PublicChangeFollower, type ChangeOptions, type SourceKills } from './service.ts'
export { canTransition, publishProblems, fieldsOf, type Article, type ArticleSummary, type Correction, type ArticleStatus, type StoryFields } from './article.ts'
export { wordDiff, diffStories, type DiffPart, type FieldDiff, type NameOf } from './diff.ts'
export { canEdit, canRead, actsForThePaper } from './policies.ts'
export type { EditableStory, SaveOutcome, CurrentVersion, ConflictCopy, Snapshot, StoryEvent } from './editing.ts'
export type { StoryFilter, StoryRow } from './desk-queries.ts'
export type { Presence } from './presence.ts'
export { PREVIEW_TTL_MS } from './previews.ts'
export { ArticleErrors } from './errors.ts'
/** Loads a story inside a caller's transaction (for followers such as the search index when records it names change). */
export { loadArticle } from './repository.ts'
/** The commands' zod schemas (and their input types), for surfaces that check a body before calling the service, like the admin API. */
export { CreateDraft, EditArticle, Publish, Correct, StoryChanges, SaveStory, Schedule, Note, ImportStory } from './commands.ts'
export type { ListFilter, SlugLookup } from './queries.ts'
export type { PublishedKey, PublishedRef, PublishedFilter } from './keyset.ts'
/** Rewrites the section listings of some stories inside a caller's transaction (sections moved or deleted). */
export { refreshListings, type ListingScope } from './listings.ts'
