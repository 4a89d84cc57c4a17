/** Where copy comes from: the paper's staff, a wire agency, a syndication partner or readers. */
export type SourceKind = 'staff' | 'agency' | 'partner' | 'reader'

export interface SourcesTable {
  id: string
  slug: string
  name: string
  /** The short name the credit line shows: "Source: ACP". */
  credit: string
  kind: SourceKind
  url: string | null
}

export interface SourcesTables {
  sources: SourcesTable
}
