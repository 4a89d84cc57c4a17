export { createAuthorService, AuthorErrors, type AuthorService, type CreateAuthor, type UpdateAuthor, type AuthorActor } from './service.ts'
export type { Author, AuthorLink } from './author.ts'
