export { createAuthorService, AuthorErrors, type AuthorService, type CreateAuthor } from './service.ts'
export type { Author } from './author.ts'
