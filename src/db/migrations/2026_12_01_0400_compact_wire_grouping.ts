import { sql, type Kysely } from 'kysely'

/**
 * Duplicate grouping with a cost per item that does not grow with the desk
 * (issue 13).
 *
 * `wire_agency_days` records which agencies filed copy on which day (of an
 * item's time). Grouping only ever joins items of different agencies, so the
 * ingest first asks this small table whether any other agency filed within the
 * window and skips the band lookup when none did. Rows grow with agencies ×
 * days, not with items.
 *
 * `wire_item_bands` is rebuilt with (band, sort_at, item_id) as its primary
 * key: the lookup reads that key alone, and each band row now costs two
 * indexes (key and item) instead of three.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('wire_agency_days')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('agency_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('wire_agency_days_pk', ['day', 'agency_key'])
    .execute()
  await sql`insert into wire_agency_days (day, agency_key) select distinct substr(sort_at, 1, 10), agency_key from wire_items`.execute(db)

  await db.schema
    .createTable('wire_item_bands_compact')
    .addColumn('band', 'text', (c) => c.notNull())
    .addColumn('sort_at', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull().references('wire_items.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('wire_item_bands_band_time_pk', ['band', 'sort_at', 'item_id'])
    .execute()
  await sql`insert into wire_item_bands_compact (band, sort_at, item_id) select band, sort_at, item_id from wire_item_bands`.execute(db)
  await db.schema.dropTable('wire_item_bands').execute()
  await db.schema.alterTable('wire_item_bands_compact').renameTo('wire_item_bands').execute()
  await db.schema.createIndex('wire_item_bands_item_idx').on('wire_item_bands').column('item_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('wire_item_bands_old')
    .addColumn('band', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull().references('wire_items.id').onDelete('cascade'))
    .addColumn('sort_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('wire_item_bands_pk', ['band', 'item_id'])
    .execute()
  await sql`insert into wire_item_bands_old (band, item_id, sort_at) select band, item_id, sort_at from wire_item_bands`.execute(db)
  await db.schema.dropTable('wire_item_bands').execute()
  await db.schema.alterTable('wire_item_bands_old').renameTo('wire_item_bands').execute()
  await db.schema.createIndex('wire_item_bands_band_time_idx').on('wire_item_bands').columns(['band', 'sort_at']).execute()
  await db.schema.createIndex('wire_item_bands_item_idx').on('wire_item_bands').column('item_id').execute()
  await db.schema.dropTable('wire_agency_days').execute()
}
