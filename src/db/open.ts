import { sql, type Kysely, type MigrationResultSet } from 'kysely'
import { migrateToLatest } from './migrator.ts'
import type { Database, DialectName } from './database.ts'

export type DatabaseTarget =
  | { dialect: 'sqlite'; file: string }
  | { dialect: 'postgres'; url: string; schema?: string }

export interface OpenDatabase {
  db: Kysely<Database>
  dialect: DialectName
  /** Brings this database's schema up to date; see `migrateToLatest`. */
  migrate(): Promise<MigrationResultSet>
  /** The connection pool's counts on PostgreSQL; null on SQLite, which has one connection. */
  poolStats(): { total: number; idle: number; waiting: number } | null
  close(): Promise<void>
}

/**
 * Opens the configured database and checks it answers, so an unreachable
 * server fails at start with its own message instead of on the first request.
 */
export async function openDatabase(target: DatabaseTarget): Promise<OpenDatabase> {
  // Each driver is loaded only when it is the one configured (pg alone takes a tenth of a second to load).
  const opened =
    target.dialect === 'sqlite'
      ? { db: (await import('./dialects/sqlite.ts')).openSqlite(target.file), pool: null }
      : (await import('./dialects/postgres.ts')).openPostgres({ connectionString: target.url, ...(target.schema ? { schema: target.schema } : {}) })
  const { db, pool } = opened
  let schema: string | undefined
  try {
    if (target.dialect === 'postgres') {
      // The schema this connection writes to, whether set by us, by `options=-c search_path=…`
      // in DATABASE_URL, or by the role's defaults; migrations must be recorded there.
      const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db)
      schema = rows[0]?.schema ?? 'public'
    } else {
      await sql`select 1`.execute(db)
    }
  } catch (error) {
    await db.destroy().catch(() => {})
    throw error
  }
  return {
    db,
    dialect: target.dialect,
    migrate: () => migrateToLatest(db, schema),
    poolStats: () => (pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : null),
    close: () => db.destroy(),
  }
}
