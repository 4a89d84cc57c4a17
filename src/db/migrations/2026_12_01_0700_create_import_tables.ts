import type { Kysely } from 'kysely'

/**
 * What the importers remember. `import_map` ties each item of an old site
 * (a WordPress post id, a Ghost tag id …) to what it became here, so a second
 * run finds it and changes nothing. `legacy_redirects` holds the old site's
 * paths, each answered with a 301 to its new address.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_map')
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_map_pk', ['origin', 'kind', 'source_id'])
    .execute()
  await db.schema
    .createTable('legacy_redirects')
    .addColumn('path', 'text', (c) => c.primaryKey())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('legacy_redirects').execute()
  await db.schema.dropTable('import_map').execute()
}
