import type { Kysely } from 'kysely'

/**
 * The audit log, and what running the newsroom's staff needs: deactivation,
 * last sign-in, two-factor sign-in with recovery codes, and single-use links
 * (invitations, password resets, email changes) stored only as hashes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute()
  await db.schema.createIndex('audit_log_actor_idx').on('audit_log').columns(['actor_id', 'at']).execute()

  for (const name of ['deactivated_at', 'last_sign_in_at', 'totp_secret', 'totp_enabled_at']) {
    await db.schema.alterTable('users').addColumn(name, 'text').execute()
  }
  // The last accepted code's time step, so a code cannot be used twice.
  await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute()

  await db.schema
    .createTable('auth_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute()
  await db.schema.createIndex('auth_links_user_idx').on('auth_links').column('user_id').execute()

  await db.schema
    .createTable('recovery_codes')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addPrimaryKeyConstraint('recovery_codes_pk', ['user_id', 'code_hash'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('recovery_codes').execute()
  await db.schema.dropTable('auth_links').execute()
  for (const name of ['totp_last_step', 'totp_enabled_at', 'totp_secret', 'last_sign_in_at', 'deactivated_at']) await db.schema.alterTable('users').dropColumn(name).execute()
  await db.schema.dropTable('audit_log').execute()
}
