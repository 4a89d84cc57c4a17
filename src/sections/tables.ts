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
