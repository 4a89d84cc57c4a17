import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { seedDemo } from '../db/seed/seed.ts'
import type { Config } from './config.ts'
import { buildContainer, type Container } from './container.ts'
import type { WorkerLink } from '../cluster/index.ts'
import { StartupError } from './startup-error.ts'

/** Makes sure DATA_DIR exists (creating it when its parent does) and is a writable directory. */
export function prepareDataDir(dir: string): void {
  if (!existsSync(dir)) {
    const parent = path.dirname(dir)
    if (!existsSync(parent)) {
      throw new StartupError(`DATA_DIR ${dir} does not exist, and neither does its parent ${parent}. Create it, or set DATA_DIR to a folder that exists.`)
    }
    try {
      mkdirSync(dir)
    } catch (error) {
      throw new StartupError(`DATA_DIR ${dir} could not be created (${(error as NodeJS.ErrnoException).code ?? 'error'}). Create it by hand, or set DATA_DIR elsewhere.`)
    }
  }
  if (!statSync(dir).isDirectory()) {
    throw new StartupError(`DATA_DIR ${dir} is not a directory. Set DATA_DIR to a folder.`)
  }
  try {
    accessSync(dir, constants.W_OK)
  } catch {
    throw new StartupError(`DATA_DIR ${dir} is not writable by this user. Fix its permissions, or set DATA_DIR to a writable folder.`)
  }
}

/** The database URL with any password hidden, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(unparseable URL)'
  }
}

/** Opens the database with a message that says what to do when it cannot be reached. */
export async function openContainer(config: Config, options: { workerLink?: WorkerLink } = {}): Promise<Container> {
  if (config.database.dialect === 'sqlite') prepareDataDir(config.dataDir)
  try {
    return await buildContainer(config, options)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    if (config.database.dialect === 'postgres') {
      throw new StartupError(
        `Cannot connect to PostgreSQL at ${redactUrl(config.database.url)} (${code}). Check DATABASE_URL and that the server is running and accepts connections.`,
      )
    }
    throw new StartupError(`Cannot open the SQLite database ${config.database.file} (${code}).`)
  }
}

/** What the first start did, for the caller to report. */
export interface FirstStartReport {
  migrated: string[]
  seeded: boolean
  admin: { email: string; generatedPassword: string | null } | null
}

export const DEFAULT_ADMIN_EMAIL = 'admin@masthead.localhost'

/**
 * Brings a database to a usable state: migrations, then (on an empty site)
 * demo content, then an admin account when none exists. Safe to run on every
 * start; later starts change nothing.
 */
export async function prepareSite(container: Container): Promise<FirstStartReport> {
  const { config } = container
  const migration = await container.database.migrate()
  if (migration.error) {
    const failed = migration.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new StartupError(`Migration ${failed} failed: ${(migration.error as Error).message}`)
  }
  const migrated = (migration.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)

  let seeded = false
  if (config.loadDemo) {
    const sections = await container.sections.listSections()
    if (sections.length === 0) {
      await seedDemo(container)
      seeded = true
    }
  }

  let admin: FirstStartReport['admin'] = null
  if ((await container.auth.countAdmins()) === 0) {
    const email = config.admin?.email ?? DEFAULT_ADMIN_EMAIL
    const existing = await container.auth.findByEmail(email)
    if (!existing) {
      const created = await container.auth.createUser({
        email,
        name: 'Administrator',
        role: 'admin',
        ...(config.admin?.password ? { password: config.admin.password } : {}),
      })
      admin = { email: created.user.email, generatedPassword: created.generatedPassword }
    }
  }
  return { migrated, seeded, admin }
}
