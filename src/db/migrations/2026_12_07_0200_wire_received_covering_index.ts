import type { Kysely } from 'kysely'

/**
 * The band index's look at other processes' new copy (band-index.ts) reads
 * every item stored in the last few minutes and keeps those another process
 * stored. With `received_by` only in the table, each of those rows was read
 * from the table to be skipped, once a second: during a backfill, every item
 * stored so far. With it in the index, the skipping reads the index alone.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('wire_items_first_received_by_idx').on('wire_items').columns(['first_received_at', 'received_by']).execute()
  await db.schema.dropIndex('wire_items_first_received_idx').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('wire_items_first_received_idx').on('wire_items').column('first_received_at').execute()
  await db.schema.dropIndex('wire_items_first_received_by_idx').execute()
}
