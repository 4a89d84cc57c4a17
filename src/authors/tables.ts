/** Authors are people or desks ("Staff") that bylines name. */
export type AuthorKind = 'person' | 'desk'

export interface AuthorsTable {
  id: string
  slug: string
  name: string
  kind: AuthorKind
  job_title: string | null
  bio: string | null
}

export interface AuthorsTables {
  authors: AuthorsTable
}
