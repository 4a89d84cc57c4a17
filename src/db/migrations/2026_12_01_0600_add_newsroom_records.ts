import type { Kysely } from 'kysely'

/**
 * What running the newsroom's records needs: old section and tag addresses
 * that answer 301 after a rename, merge or deletion, and the rest of an
 * author's profile (links, picture, the staff account behind a byline).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('slug_redirects')
    // 'section' or 'tag': the two kinds of public list page that can be renamed.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    // The record the old address now belongs to; its current slug is looked up, so chains of renames need no rewriting.
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('slug_redirects_pk', ['kind', 'slug'])
    .execute()
  await db.schema.createIndex('slug_redirects_target_idx').on('slug_redirects').column('target_id').execute()

  await db.schema.alterTable('authors').addColumn('user_id', 'text').execute()
  await db.schema.alterTable('authors').addColumn('links', 'text', (c) => c.notNull().defaultTo('[]')).execute()
  await db.schema.alterTable('authors').addColumn('picture_media_id', 'text').execute()
  await db.schema.createIndex('authors_user_idx').on('authors').column('user_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('authors_user_idx').execute()
  for (const name of ['picture_media_id', 'links', 'user_id']) await db.schema.alterTable('authors').dropColumn(name).execute()
  await db.schema.dropTable('slug_redirects').execute()
}
