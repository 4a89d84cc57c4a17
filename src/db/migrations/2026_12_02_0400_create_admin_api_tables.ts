import type { Kysely } from 'kysely'

/**
 * Admin API tokens (only a SHA-256 of each is kept) and the answers stored for
 * idempotent retries, one row per token and Idempotency-Key.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('admin_api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    .execute()
  await db.schema
    .createTable('admin_api_idempotency')
    .addColumn('token_id', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('body', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('admin_api_idempotency_pk', ['token_id', 'idempotency_key'])
    .execute()
  await db.schema.createIndex('admin_api_idempotency_created_at').on('admin_api_idempotency').column('created_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('admin_api_idempotency').execute()
  await db.schema.dropTable('admin_api_tokens').execute()
}
