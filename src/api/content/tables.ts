/** A key a program presents to the content API. */
export interface ContentApiKeysTable {
  id: string
  name: string
  /** SHA-256 of the key, hex. The key itself is shown once and never stored. */
  key_hash: string
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
}

export interface ContentApiTables {
  content_api_keys: ContentApiKeysTable
}
