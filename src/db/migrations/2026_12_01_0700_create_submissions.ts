import type { Kysely } from 'kysely'

/** The reader desk: letters, opinion pieces and tips, their files and the desk's notes; the forms' signing key. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('submissions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('decline_reason', 'text')
    .addColumn('name', 'text')
    .addColumn('town', 'text')
    .addColumn('email', 'text')
    .addColumn('contact', 'text')
    .addColumn('bio', 'text')
    .addColumn('headline', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('about_article_id', 'text')
    .addColumn('about_title', 'text')
    .addColumn('assignee_id', 'text')
    .addColumn('article_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('submissions_inbox_idx').on('submissions').columns(['kind', 'state', 'created_at']).execute()
  await db.schema
    .createTable('submission_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('submission_id', 'text', (c) => c.notNull().references('submissions.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('submission_attachments_submission_idx').on('submission_attachments').column('submission_id').execute()
  await db.schema
    .createTable('submission_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('submission_id', 'text', (c) => c.notNull().references('submissions.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('submission_notes_submission_idx').on('submission_notes').columns(['submission_id', 'created_at']).execute()
  await db.schema
    .createTable('app_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('app_secrets').execute()
  await db.schema.dropTable('submission_notes').execute()
  await db.schema.dropTable('submission_attachments').execute()
  await db.schema.dropTable('submissions').execute()
}
