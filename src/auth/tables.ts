/** Staff roles, most to least powerful. */
export type Role = 'admin' | 'editor' | 'author' | 'contributor'

export interface UsersTable {
  id: string
  email: string
  name: string
  role: Role
  /** `scrypt$N$r$p$salt$hash`, see passwords.ts. */
  password_hash: string
  /** True for a generated one-time password that must be changed at first sign-in. */
  must_change_password: number
  created_at: string
}

/** A signed-in browser. `token_hash` is the SHA-256 of the cookie's token. */
export interface SessionsTable {
  token_hash: string
  user_id: string
  created_at: string
  expires_at: string
  last_seen_at: string
}

/** Failed sign-ins for one email address (hashed), whether or not it has an account. */
export interface SignInThrottleTable {
  key_hash: string
  failures: number
  window_started_at: string
  blocked_until: string | null
}

export interface AuthTables {
  users: UsersTable
  sessions: SessionsTable
  sign_in_throttle: SignInThrottleTable
}
