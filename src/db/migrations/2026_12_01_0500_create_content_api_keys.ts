import type { Kysely } from 'kysely'

/** Keys for the public content API: only a hash of each is kept; revoking sets `revoked_at`. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('content_api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('content_api_keys').execute()
}
