/** One item of an old site and what it became here. */
export interface ImportMapTable {
  /** Which importer and which site: `wordpress:https://old.example`, `ghost:<site id or file name>`. */
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
