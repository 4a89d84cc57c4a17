import SqliteDatabase from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { Database } from '../database.ts'

/**
 * Opens the embedded SQLite database at `file` (created when absent).
 * WAL lets readers run while a writer commits; foreign keys are off by
 * default in SQLite and must be switched on per connection.
 */
export function openSqlite(file: string): Kysely<Database> {
  const sqlite = new SqliteDatabase(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
}
