import type { AuthorKind } from './tables.ts'

/** Someone a byline names: a person, or a desk such as "Hemisphere Ledger Staff". */
export interface Author {
  id: string
  slug: string
  name: string
  kind: AuthorKind
  jobTitle: string | null
  bio: string | null
}
