import { z } from 'zod'
import type { Db } from '../db/database.ts'
import type { Clock } from '../shared/clock.ts'
import { DomainError } from '../shared/errors.ts'
import { newId } from '../shared/ids.ts'
import { parseInput } from '../shared/parse.ts'
import { generatePassword, hashPassword } from './passwords.ts'
import type { Role } from './tables.ts'

export const AuthErrors = {
  USER_INVALID: 'USER_INVALID',
  USER_EMAIL_TAKEN: 'USER_EMAIL_TAKEN',
} as const

export const CreateUser = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  name: z.string().trim().min(1).max(160),
  role: z.enum(['admin', 'editor', 'author', 'contributor']),
  /** When absent a one-time password is generated and must be changed at first sign-in. */
  password: z.string().min(12, 'Use at least 12 characters.').max(200).optional(),
})
export type CreateUser = z.input<typeof CreateUser>

export interface StaffUser {
  id: string
  email: string
  name: string
  role: Role
}

/** Staff accounts. Sign-in and sessions come with the newsroom admin. */
export function createAuthService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps

  /**
   * Creates a staff account. Returns the generated one-time password when none
   * was given, so the caller can show it once; it is never stored in clear.
   */
  async function createUser(input: CreateUser): Promise<{ user: StaffUser; generatedPassword: string | null }> {
    const cmd = parseInput(CreateUser, input, AuthErrors.USER_INVALID)
    const taken = await db.selectFrom('users').select('id').where('email', '=', cmd.email).executeTakeFirst()
    if (taken) throw new DomainError('conflict', AuthErrors.USER_EMAIL_TAKEN, `A user with email ${cmd.email} exists.`)
    const generatedPassword = cmd.password ? null : generatePassword()
    const user: StaffUser = { id: newId('usr'), email: cmd.email, name: cmd.name, role: cmd.role }
    await db
      .insertInto('users')
      .values({
        ...user,
        password_hash: await hashPassword(cmd.password ?? generatedPassword!),
        must_change_password: generatedPassword ? 1 : 0,
        created_at: clock.now().toISOString(),
      })
      .execute()
    return { user, generatedPassword }
  }

  async function countAdmins(): Promise<number> {
    const row = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('role', '=', 'admin')
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async function findByEmail(email: string): Promise<(StaffUser & { passwordHash: string; mustChangePassword: boolean }) | null> {
    const row = await db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst()
    if (!row) return null
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      passwordHash: row.password_hash,
      mustChangePassword: row.must_change_password === 1,
    }
  }

  return { createUser, countAdmins, findByEmail }
}

export type AuthService = ReturnType<typeof createAuthService>
