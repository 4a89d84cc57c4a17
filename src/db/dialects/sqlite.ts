import SqliteDatabase from 'better-sqlite3'
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type SqliteDatabase as KyselySqliteDatabase,
  type SqliteDialectConfig,
  type SqliteStatement,
} from 'kysely'
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
  const statements = new Map<string, SqliteStatement>()
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = statements.get(sql)
      if (!statement) {
        statement = withFastRows(sqlite.prepare(sql))
        // The oldest goes first. Not reordering on every hit keeps a hit to one lookup; the bound is rarely reached.
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!)
        statements.set(sql, statement)
      }
      return statement
    },
  }
}

/**
 * A reading statement that returns its rows as arrays, made into objects by
 * a function compiled for its columns. better-sqlite3 builds each row object
 * property by property, about 5 µs a row of a story card; objects from one
 * literal share a shape and cost a fraction of that. Same names, same values,
 * a later column of the same name winning as before.
 */
function withFastRows(statement: SqliteDatabase.Statement): SqliteStatement {
  if (!statement.reader) return statement
  const names = statement.columns().map((c) => c.name)
  // A name that would not be an own property of a literal keeps the library's objects.
  if (names.includes('__proto__')) return statement
  // The body holds only column names, each quoted by JSON.stringify.
  const toRow = new Function('r', `return { ${names.map((name, i) => `${JSON.stringify(name)}: r[${i}]`).join(', ')} }`) as (raw: unknown[]) => unknown
  const raw = statement.raw(true)
  return {
    reader: true,
    all: (parameters) => (raw.all(parameters) as unknown[][]).map(toRow),
    iterate: function* (parameters) {
      for (const row of raw.iterate(parameters) as IterableIterator<unknown[]>) yield toRow(row)
    },
    run: (parameters) => raw.run(parameters),
  }
}

/**
 * Transactions that take the database's write lock when they begin
 * (`BEGIN IMMEDIATE`), waiting for it up to the busy timeout. With plain
 * `BEGIN` a transaction that reads and then writes fails at once, whatever
 * the timeout, if another process wrote in between (its snapshot is stale):
 * and several processes share one SQLite file under `serve --workers`, or
 * the CLI beside the server. One process changes nothing, since its one
 * connection runs one transaction at a time anyway.
 */
class ImmediateTransactionsDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

class MastheadSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig
  constructor(config: SqliteDialectConfig) {
    super(config)
    this.#config = config
  }
  override createDriver(): SqliteDriver {
    return new ImmediateTransactionsDriver(this.#config)
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
  return new Kysely<Database>({ dialect: new MastheadSqliteDialect({ database: withStatementCache(sqlite) }) })
}
