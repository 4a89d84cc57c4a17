/** Tables owned by the sections feature: the section tree and tags. */

export type SectionKind = 'region' | 'country' | 'topic' | 'opinion'

export interface SectionsTable {
  id: string
  slug: string
  name: string
  description: string
  kind: SectionKind
  parent_id: string | null
  position: number
}

export interface TagsTable {
  id: string
  slug: string
  name: string
}

export interface SectionsTables {
  sections: SectionsTable
  tags: TagsTable
}

/** An old section or tag address that answers 301 to the record that took it over. */
export interface SlugRedirectsTable {
  kind: 'section' | 'tag'
  slug: string
  target_id: string
  created_at: string
}

export interface SlugRedirectTables {
  slug_redirects: SlugRedirectsTable
}
