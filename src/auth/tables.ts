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
  /** Set while the account is deactivated: it cannot sign in, its bylines and history stay. */
  deactivated_at: string | null
  last_sign_in_at: string | null
  /** Base32 TOTP secret; set during setup, in force once `totp_enabled_at` is set. */
  totp_secret: string | null
  totp_enabled_at: string | null
  totp_last_step: number | null
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

/** What a single-use link does. `second_factor` is the short step between password and code at sign-in. */
export type AuthLinkKind = 'invite' | 'reset' | 'email' | 'second_factor'

/** A single-use link sent by mail (or a sign-in step). Only the token's hash is stored. */
export interface AuthLinksTable {
  token_hash: string
  kind: AuthLinkKind
  user_id: string | null
  /** The invitee's or the new address; the account's address for resets. */
  email: string
  /** The role an invitation grants. */
  role: Role | null
  created_by: string | null
  created_at: string
  expires_at: string
  used_at: string | null
}

/** Ten single-use codes for signing in without the authenticator; only hashes are stored. */
export interface RecoveryCodesTable {
  user_id: string
  code_hash: string
  used_at: string | null
}

export interface AuthTables {
  users: UsersTable
  sessions: SessionsTable
  sign_in_throttle: SignInThrottleTable
  auth_links: AuthLinksTable
  recovery_codes: RecoveryCodesTable
}
