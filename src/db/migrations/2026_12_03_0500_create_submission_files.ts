import type { Kysely } from 'kysely'
import { binaryType } from '../schema-helpers.ts'

/**
 * Files readers attach to opinion pieces and tips, in the database instead of
 * on one node's disk (MASTHEAD_SUBMISSION_FILES=database), so several nodes
 * share them without a shared volume. Tips' files arrive here already sealed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('submission_files')
    .addColumn('storage_key', 'text', (c) => c.primaryKey())
    .addColumn('bytes', binaryType(db), (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('submission_files').execute()
}
