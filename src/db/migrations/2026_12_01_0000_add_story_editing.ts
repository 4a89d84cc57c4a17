import type { Kysely } from 'kysely'

/**
 * What the newsroom's editor needs beside the published story: more fields on
 * articles, an edit version for optimistic saves, the workflow's history,
 * pending changes to published stories, conflict copies, snapshots for the
 * history and diffs, who has a story open, and preview links.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const columns: [string, 'text' | 'integer', boolean][] = [
    ['dateline', 'text', false],
    ['seo_description', 'text', false],
    ['featured_media_id', 'text', false],
    ['created_by', 'text', false],
    ['modified_by', 'text', false],
    ['withdrawn_at', 'text', false],
    ['withdrawn_note', 'text', false],
  ]
  for (const [name, type] of columns) await db.schema.alterTable('articles').addColumn(name, type).execute()
  // Every saved change to a story's text or fields bumps it; saves name the version they started from.
  await db.schema.alterTable('articles').addColumn('edit_version', 'integer', (c) => c.notNull().defaultTo(1)).execute()
  await db.schema.createIndex('articles_modified_idx').on('articles').column('modified_at').execute()

  await db.schema
    .createTable('article_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('article_events_article_idx').on('article_events').columns(['article_id', 'created_at']).execute()

  await db.schema
    .createTable('article_working_copies')
    .addColumn('article_id', 'text', (c) => c.primaryKey().references('articles.id').onDelete('cascade'))
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('saved_by', 'text')
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('article_conflicts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('base_version', 'integer', (c) => c.notNull())
    .addColumn('saved_by', 'text')
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .execute()
  await db.schema.createIndex('article_conflicts_article_idx').on('article_conflicts').column('article_id').execute()

  await db.schema
    .createTable('article_snapshots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('edit_version', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('article_snapshots_article_idx').on('article_snapshots').columns(['article_id', 'created_at']).execute()

  await db.schema
    .createTable('article_presence')
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_presence_pk', ['article_id', 'user_id'])
    .execute()

  await db.schema
    .createTable('preview_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['preview_links', 'article_presence', 'article_snapshots', 'article_conflicts', 'article_working_copies', 'article_events']) {
    await db.schema.dropTable(table).execute()
  }
  await db.schema.dropIndex('articles_modified_idx').execute()
  for (const name of ['edit_version', 'withdrawn_note', 'withdrawn_at', 'modified_by', 'created_by', 'featured_media_id', 'seo_description', 'dateline']) {
    await db.schema.alterTable('articles').dropColumn(name).execute()
  }
}
