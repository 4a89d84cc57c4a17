import type { Kysely } from 'kysely'

/**
 * A tip's follow-up page: the passphrase's slow hash on the tip, and the
 * messages between the newsroom and the tipster, each sealed with age. Files a
 * tipster adds later belong to the message they came with.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('submissions').addColumn('passphrase_hash', 'text').execute()
  await db.schema
    .createTable('tip_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('submission_id', 'text', (c) => c.notNull().references('submissions.id').onDelete('cascade'))
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('tip_messages_submission_idx').on('tip_messages').columns(['submission_id', 'created_at']).execute()
  await db.schema.alterTable('submission_attachments').addColumn('message_id', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('submission_attachments').dropColumn('message_id').execute()
  await db.schema.dropTable('tip_messages').execute()
  await db.schema.alterTable('submissions').dropColumn('passphrase_hash').execute()
}
