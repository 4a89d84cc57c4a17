import { sql, type Kysely } from 'kysely'

/**
 * Section listings (src/articles/listings.ts): one row per public story and
 * section it appears in, ancestors included, so a section page is a range of
 * one index instead of a walk over every story. Backfilled here from the
 * stories as they stand.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('article_listings')
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('section_id', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_listings_pk', ['article_id', 'section_id'])
    .execute()
  await db.schema.createIndex('article_listings_page_idx').on('article_listings').columns(['section_id', 'published_at', 'article_id']).execute()
  // The same statement as refreshListings(db, 'all'), spelled out: a migration must not change when the code does.
  await sql`
    with recursive tree (section_id, ancestor_id) as (
      select id, id from sections
      union all
      select tree.section_id, sections.parent_id from tree join sections on sections.id = tree.ancestor_id where sections.parent_id is not null
    )
    insert into article_listings (article_id, section_id, published_at)
    select distinct a.id, tree.ancestor_id, a.published_at
    from articles a
    join article_sections l on l.article_id = a.id
    join tree on tree.section_id = l.section_id
    where a.status = 'published' and a.published_at is not null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('article_listings').execute()
}
