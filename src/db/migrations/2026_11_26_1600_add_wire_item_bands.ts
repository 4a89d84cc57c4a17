import type { Kysely } from 'kysely'

/**
 * Locality-sensitive hashing bands of each wire item's MinHash signature, so
 * finding near-duplicates looks up a few indexed keys instead of comparing
 * the new item with every recent item (see wire/fingerprint.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('wire_item_bands')
    .addColumn('band', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull().references('wire_items.id').onDelete('cascade'))
    .addColumn('sort_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('wire_item_bands_pk', ['band', 'item_id'])
    .execute()
  // Lookups read one band within a time window, so the cost follows the desk's
  // daily volume, not the size of the whole archive.
  await db.schema.createIndex('wire_item_bands_band_time_idx').on('wire_item_bands').columns(['band', 'sort_at']).execute()
  await db.schema.createIndex('wire_item_bands_item_idx').on('wire_item_bands').column('item_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('wire_item_bands').execute()
}
