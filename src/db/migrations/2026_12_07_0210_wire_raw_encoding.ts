import type { Kysely } from 'kysely'

/**
 * Raw wire inputs may be stored gzipped (src/wire/raw-bytes.ts): `encoding`
 * says how, and null keeps the inputs stored before as they were.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('wire_raw').addColumn('encoding', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('wire_raw').dropColumn('encoding').execute()
}
