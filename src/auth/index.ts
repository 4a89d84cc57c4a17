export { createAuthService, AuthErrors, SESSION_IDLE_MS, type AuthService, type StaffUser, type CreateUser } from './service.ts'
export { hashPassword, verifyPassword, generatePassword } from './passwords.ts'
export type { Role } from './tables.ts'
