import { sql, type Kysely } from 'kysely'

/**
 * When a submission was declined, for the retention job: `updated_at` moves
 * with every assignment, so it cannot say how long something has been declined.
 * Submissions declined before this migration count from their last change.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('submissions').addColumn('declined_at', 'text').execute()
  await db.updateTable('submissions').set({ declined_at: sql`updated_at` }).where('state', '=', 'declined').execute()
  await db.schema.createIndex('submissions_declined_idx').on('submissions').columns(['state', 'declined_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('submissions_declined_idx').execute()
  await db.schema.alterTable('submissions').dropColumn('declined_at').execute()
}
