import type { AuthorKind } from './tables.ts'

/** A link on an author's page: their accounts elsewhere, their own site. */
export interface AuthorLink {
  label: string
  url: string
}

/** Someone a byline names: a person, or a desk such as "Hemisphere Ledger Staff". */
export interface Author {
  id: string
  slug: string
  name: string
  kind: AuthorKind
  jobTitle: string | null
  bio: string | null
  /** The staff account behind the byline; null for contributors, wire bylines and desks without one. */
  userId: string | null
  links: AuthorLink[]
  /** Their picture in the media library, by id. */
  pictureMediaId: string | null
}
