/** Authors are people or desks ("Staff") that bylines name. */
export type AuthorKind = 'person' | 'desk'

export interface AuthorsTable {
  id: string
  slug: string
  name: string
  kind: AuthorKind
  job_title: string | null
  bio: string | null
  /** The staff account this byline belongs to, if any (no foreign key: accounts are deactivated, never deleted). */
  user_id: string | null
  /** JSON list of `{ label, url }`. */
  links: string
  picture_media_id: string | null
}

export interface AuthorsTables {
  authors: AuthorsTable
}
