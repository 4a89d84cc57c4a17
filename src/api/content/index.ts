export { contentApiRoutes, CONTENT_API_PREFIX, type ContentApiOptions } from './routes.ts'
export { createContentKeys, ContentKeyErrors, type ContentKeys, type ContentKey } from './keys.ts'
export type { ApiStory } from './stories.ts'
