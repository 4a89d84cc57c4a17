/** The JSON APIs, for the admin's own pages that manage them (admin API tokens). The server mounts each API from its folder. */
export { createAdminTokens, SCOPES, SCOPE_LABELS, EXPIRY_DAYS, type AdminTokens, type AdminToken, type Scope } from './admin/index.ts'
