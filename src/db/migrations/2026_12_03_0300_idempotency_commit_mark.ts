import type { Kysely } from 'kysely'

/**
 * The admin API's idempotent writes mark their claim in the change's own
 * transaction (`committed_ref`: what the change made or touched), so a retry
 * after a crash between the commit and the stored answer knows the change
 * happened and answers for it instead of running it again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('admin_api_idempotency').addColumn('committed_ref', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('admin_api_idempotency').dropColumn('committed_ref').execute()
}
