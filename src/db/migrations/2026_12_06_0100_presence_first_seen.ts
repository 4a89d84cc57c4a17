import { sql, type Kysely } from 'kysely'

/**
 * When each person opened the story (`first_seen_at`), kept apart from the
 * heartbeat (`seen_at`): the editor shows "since" the opening, which must not
 * move every 20 seconds (screen readers would announce it each time). Rows
 * already there start from their last heartbeat.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('article_presence').addColumn('first_seen_at', 'text').execute()
  await sql`update article_presence set first_seen_at = seen_at`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('article_presence').dropColumn('first_seen_at').execute()
}
