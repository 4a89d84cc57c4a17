import type { Kysely } from 'kysely'
import { backfillQuotes } from '../../quotes/index.ts'

/**
 * The quotes ledger: one row per quote block of a published story, and the
 * editors' merges of speaker spellings. Filled from the stories already
 * published (with today's extraction rules).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('quote_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('speaker_key', 'text', (c) => c.notNull())
    .addColumn('speaker_name', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('given_to', 'text')
    .addColumn('context', 'text')
    .addColumn('via', 'text')
    .addColumn('said_on', 'text')
    .addColumn('published_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('quote_entries_speaker_idx').on('quote_entries').columns(['speaker_key', 'published_at']).execute()
  await db.schema.createIndex('quote_entries_article_idx').on('quote_entries').column('article_id').execute()
  await db.schema
    .createTable('quote_speaker_aliases')
    .addColumn('alias_key', 'text', (c) => c.primaryKey())
    .addColumn('speaker_key', 'text', (c) => c.notNull())
    .addColumn('merged_by', 'text')
    .addColumn('merged_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('quote_speaker_aliases_speaker_idx').on('quote_speaker_aliases').column('speaker_key').execute()
  await backfillQuotes(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('quote_speaker_aliases').execute()
  await db.schema.dropTable('quote_entries').execute()
}
