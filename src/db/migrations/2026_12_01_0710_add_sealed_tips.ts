import type { Kysely } from 'kysely'

/** Tips are sealed with age to the newsroom's key: their content goes in one ciphertext column. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('submissions').addColumn('sealed', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('submissions').dropColumn('sealed').execute()
}
