import { sql, type Kysely } from 'kysely'
import { bands } from '../../wire/fingerprint.ts'

/**
 * The duplicate finder's band index moves into each process's memory
 * (src/wire/band-index.ts), rebuilt from `wire_items.fingerprint`: 64 band
 * rows written per item cost more than the rest of ingest together (issue 13).
 *
 * `received_by` names the process that stored an item first, and the index on
 * `first_received_at` lets each process read, now and then, what the others
 * stored since it last looked, skipping its own.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('wire_items').addColumn('received_by', 'text').execute()
  await db.schema.createIndex('wire_items_first_received_idx').on('wire_items').column('first_received_at').execute()
  await db.schema.dropTable('wire_item_bands').execute()
  await db.schema.dropTable('wire_agency_days').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('wire_agency_days')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('agency_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('wire_agency_days_pk', ['day', 'agency_key'])
    .execute()
  await sql`insert into wire_agency_days (day, agency_key) select distinct substr(sort_at, 1, 10), agency_key from wire_items`.execute(db)
  await db.schema
    .createTable('wire_item_bands')
    .addColumn('band', 'text', (c) => c.notNull())
    .addColumn('sort_at', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull().references('wire_items.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('wire_item_bands_band_time_pk', ['band', 'sort_at', 'item_id'])
    .execute()
  await db.schema.createIndex('wire_item_bands_item_idx').on('wire_item_bands').column('item_id').execute()
  // The band rows are worked out again from each item's signature, a page of items at a time.
  let after = ''
  for (;;) {
    const items = await db.selectFrom('wire_items').select(['id', 'sort_at', 'fingerprint']).where('id', '>', after).orderBy('id').limit(500).execute()
    if (items.length === 0) break
    const rows = items.flatMap((item) => bands(item.fingerprint as string).map((band) => ({ band, sort_at: item.sort_at, item_id: item.id })))
    for (let i = 0; i < rows.length; i += 2000) await db.insertInto('wire_item_bands').values(rows.slice(i, i + 2000)).execute()
    after = items[items.length - 1]!.id as string
  }
  await db.schema.dropIndex('wire_items_first_received_idx').execute()
  await db.schema.alterTable('wire_items').dropColumn('received_by').execute()
}
