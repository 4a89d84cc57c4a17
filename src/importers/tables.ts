/** One item of an old site and what it became here. */
export interface ImportMapTable {
  /**
   * Which importer: `wordpress` or `ghost`. Not the site: keys are chosen to
   * survive a move or a rename (a post's WordPress guid or Ghost uuid, a term's
   * slug, a picture's SHA-256).
   */
  origin: string
  /** post, section, tag, author, media */
  kind: string
  source_id: string
  target_id: string
  created_at: string
}

/** An old site's path (no query) and the path it now answers with a 301. */
export interface LegacyRedirectsTable {
  path: string
  target: string
  created_at: string
}

export interface ImportTables {
  import_map: ImportMapTable
  legacy_redirects: LegacyRedirectsTable
}
