import type { Kysely } from 'kysely'
import { binaryType } from '../schema-helpers.ts'

/**
 * The wire desk: configured agency sources, every input kept byte for byte,
 * normalized items with all their versions, and routing rules.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('wire_sources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('folder', 'text')
    .addColumn('interval_seconds', 'integer', (c) => c.notNull().defaultTo(300))
    .addColumn('credit_source_id', 'text', (c) => c.references('sources.id').onDelete('set null'))
    .addColumn('allow_private_network', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('last_polled_at', 'text')
    .addColumn('last_success_at', 'text')
    .addColumn('last_error_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_poll_at', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('wire_raw')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('wire_source_id', 'text', (c) => c.references('wire_sources.id').onDelete('set null'))
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('byte_length', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('bytes', binaryType(db), (c) => c.notNull())
    .addColumn('format', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('issues', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute()
  await db.schema.createIndex('wire_raw_received_idx').on('wire_raw').column('received_at').execute()
  await db.schema.createIndex('wire_raw_outcome_idx').on('wire_raw').columns(['outcome', 'received_at']).execute()

  await db.schema
    .createTable('wire_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agency_key', 'text', (c) => c.notNull())
    .addColumn('agency_item_id', 'text', (c) => c.notNull())
    .addColumn('wire_source_id', 'text', (c) => c.references('wire_sources.id').onDelete('set null'))
    .addColumn('agency_name', 'text')
    .addColumn('headline', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('urgency', 'integer')
    .addColumn('pub_status', 'text', (c) => c.notNull())
    .addColumn('embargo_until', 'text')
    .addColumn('version_count', 'integer', (c) => c.notNull())
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('first_received_at', 'text', (c) => c.notNull())
    .addColumn('last_received_at', 'text', (c) => c.notNull())
    .addColumn('sort_at', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('section_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('tag_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('rule_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('article_id', 'text', (c) => c.references('articles.id').onDelete('set null'))
    .addColumn('article_version', 'integer')
    .addUniqueConstraint('wire_items_agency_item_uq', ['agency_key', 'agency_item_id'])
    .execute()
  await db.schema.createIndex('wire_items_sort_idx').on('wire_items').column('sort_at').execute()
  await db.schema.createIndex('wire_items_group_idx').on('wire_items').column('group_id').execute()
  await db.schema.createIndex('wire_items_article_idx').on('wire_items').column('article_id').execute()

  await db.schema
    .createTable('wire_item_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('wire_items.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('agency_version', 'integer')
    .addColumn('raw_id', 'text', (c) => c.notNull().references('wire_raw.id'))
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('pub_status', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('wire_item_versions_number_uq', ['item_id', 'number'])
    .execute()

  await db.schema
    .createTable('wire_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(100))
    .addColumn('agency', 'text')
    .addColumn('subject_code', 'text')
    .addColumn('keyword', 'text')
    .addColumn('language', 'text')
    .addColumn('section_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('tag_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['wire_rules', 'wire_item_versions', 'wire_items', 'wire_raw', 'wire_sources']) {
    await db.schema.dropTable(table).execute()
  }
}
