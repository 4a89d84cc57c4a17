export {
  createAuthService,
  AuthErrors,
  SESSION_IDLE_MS,
  type AuthService,
  type StaffUser,
  type StaffMember,
  type SessionUser,
  type StaffActor,
  type SignInResult,
  type CreateUser,
} from './service.ts'
export { hashPassword, verifyPassword, generatePassword } from './passwords.ts'
export { LINK_LIFETIME_MS, type PendingInvitation } from './links.ts'
export type { Role } from './tables.ts'
