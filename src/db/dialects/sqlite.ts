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
  const snapshot = new TurnSnapshot(sqlite)
  return {
    close: () => {
      snapshot.end()
      sqlite.close()
    },
    prepare(sql: string) {
      let statement = statements.get(sql)
      if (!statement) {
        // Prepared outside the turn's transaction: SQLite settles some pragmas as it prepares them, and a
        // transaction open then would make `foreign_keys = off` a no-op for as long as the statement is kept.
        snapshot.end()
        statement = inTurnSnapshot(sqlite.prepare(sql), sql, snapshot)
        // The oldest goes first. Not reordering on every hit keeps a hit to one lookup; the bound is rarely reached.
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!)
        statements.set(sql, statement)
      }
      return statement
    },
  }
}

/**
 * One read transaction for the reads of one turn of the event loop. Outside
 * a transaction every statement takes WAL's read lock and drops it again
 * (two fcntl calls and a stat of the file: ~5 µs, a third of a small
 * query), and a story page runs seven. So the first plain read of a turn
 * opens a transaction (`BEGIN`, deferred: a read lock only) that ends at the
 * turn's end (setImmediate) or before any other statement runs: a write, a
 * `BEGIN IMMEDIATE`, a pragma. The reads of a turn then see one snapshot of
 * the database, which is never older than the turn; a write of this process
 * ends it first, so its next read sees the write, and other processes' writes
 * are seen from the next turn, as a statement started a moment later would.
 */
class TurnSnapshot {
  #open = false
  readonly #sqlite: SqliteDatabase.Database
  constructor(sqlite: SqliteDatabase.Database) {
    this.#sqlite = sqlite
  }
  /** Before a plain read: opens the turn's transaction unless one (this or Kysely's) is open. */
  read(): void {
    if (this.#open || this.#sqlite.inTransaction) return
    this.#sqlite.exec('begin')
    this.#open = true
    setImmediate(this.#endOfTurn)
  }
  /** Before anything else: the statement runs outside the turn's transaction, as it would without it. */
  end(): void {
    if (!this.#open) return
    this.#open = false
    if (this.#sqlite.inTransaction) this.#sqlite.exec('commit')
  }
  readonly #endOfTurn = () => {
    try {
      this.end()
    } catch (error) {
      // A stream still reading keeps the connection busy: end the transaction a turn later. (A closed
      // connection never gets here: it is not in a transaction, so there is nothing to commit.)
      if (!(error instanceof TypeError)) throw error
      this.#open = true
      setImmediate(this.#endOfTurn)
    }
  }
}

/** A statement that joins the turn's read transaction when it only reads (a SELECT or WITH … SELECT), and ends it otherwise. */
function inTurnSnapshot(prepared: SqliteDatabase.Statement, sql: string, snapshot: TurnSnapshot): SqliteStatement {
  const statement = withFastRows(prepared)
  // `readonly` alone is not enough: SQLite counts BEGIN, COMMIT and some pragmas as read-only too.
  const plainRead = prepared.reader && prepared.readonly && /^\s*(select|with)\b/i.test(sql)
  const before = plainRead ? () => snapshot.read() : () => snapshot.end()
  return {
    reader: statement.reader,
    all: (parameters) => {
      before()
      return statement.all(parameters)
    },
    iterate: (parameters) => {
      before()
      return statement.iterate(parameters)
    },
    run: (parameters) => {
      before()
      return statement.run(parameters)
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
