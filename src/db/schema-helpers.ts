import { PostgresAdapter, type Kysely } from 'kysely'

/**
 * The column type for raw bytes on the database behind `db`: `bytea` on
 * PostgreSQL, `blob` on SQLite. Both hand back a Node Buffer.
 * @example .addColumn('bytes', binaryType(db), (c) => c.notNull())
 */
export function binaryType(db: Kysely<any>): 'bytea' | 'blob' {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob'
}
