import SqliteDatabase from 'better-sqlite3'
import { Kysely, SqliteDialect, type SqliteDatabase as KyselySqliteDatabase } from 'kysely'
import type { Database } from '../database.ts'

/** How many prepared statements to keep; the app issues far fewer distinct queries than this. */
const STATEMENT_CACHE_SIZE = 500

/**
 * better-sqlite3 behind Kysely's structural port, keeping prepared statements
 * by SQL text. Kysely prepares every query afresh, and compiling SQL was the
 * largest cost left in an uncached page render. Sharing a statement is safe
 * because Kysely runs one query at a time on the single connection, streams
 * included (it holds the connection until the stream ends).
 */
function withStatementCache(sqlite: SqliteDatabase.Database): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = statements.get(sql)
      if (!statement) {
        statement = sqlite.prepare(sql)
        // The oldest goes first. Not reordering on every hit keeps a hit to one lookup; the bound is rarely reached.
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!)
        statements.set(sql, statement)
      }
      return statement
    },
  }
}

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
  // 8 MB of page cache (the default is 2 MB): a busy desk or site reads the same index pages over and over.
  // Pages beyond it come from the operating system's file cache, a copy away; 16 MB, with the rest, took the
  // server past its 150 MB memory budget under load on a 100,000-story site (npm run bench).
  sqlite.pragma('cache_size = -8192')
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) })
}
