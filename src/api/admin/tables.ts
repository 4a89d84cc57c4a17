/** A token a program presents to the admin API, made by an admin. */
export interface AdminApiTokensTable {
  id: string
  name: string
  /** SHA-256 of the token, hex. The token itself is shown once and never stored. */
  token_hash: string
  /** JSON array of scope names, e.g. `["stories:read"]`. */
  scopes: string
  /** The admin who made it; the API acts as this person. */
  created_by: string
  created_at: string
  /** Null: it does not expire. */
  expires_at: string | null
  last_used_at: string | null
  revoked_at: string | null
  revoked_by: string | null
}

/** The answer given to a write with an Idempotency-Key, replayed for a retry with the same body. */
export interface AdminApiIdempotencyTable {
  token_id: string
  idempotency_key: string
  /** SHA-256 of the method, route and body (multipart: fields and each file's digest). */
  request_hash: string
  /** Null while the first request is still being handled. */
  status: number | null
  body: string | null
  created_at: string
  /** Set in the change's own transaction: what it made or touched (a story id). Set with `status` null, the change committed but its answer was never stored (a crash). */
  committed_ref: string | null
}

export interface AdminApiTables {
  admin_api_tokens: AdminApiTokensTable
  admin_api_idempotency: AdminApiIdempotencyTable
}
