import { PostgresAdapter, sql, type Kysely } from 'kysely'

/**
 * Section listings (src/articles/listings.ts): one row per public story and
 * section it appears in, ancestors included, with what a story card shows, so
 * a section page is a range of one key instead of a walk over every story.
 * On SQLite the table is WITHOUT ROWID: its rows live in the
 * (section_id, published_at, article_id) b-tree itself, so a page reads
 * neighbouring rows and nothing else. Backfilled here from the stories as
 * they stand.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter
  let table = db.schema
    .createTable('article_listings')
    .addColumn('section_id', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('dek', 'text')
    .addColumn('primary_section_id', 'text')
    .addColumn('source_id', 'text')
    .addColumn('updated_at', 'text')
    .addPrimaryKeyConstraint('article_listings_pk', ['section_id', 'published_at', 'article_id'])
  if (!isPostgres) table = table.modifyEnd(sql`without rowid`)
  await table.execute()
  // Refreshing a story deletes its rows by id.
  await db.schema.createIndex('article_listings_article_idx').on('article_listings').column('article_id').execute()
  // The same statement as refreshListings(db, 'all'), spelled out: a migration must not change when the code does.
  await sql`
    with recursive tree (section_id, ancestor_id) as (
      select id, id from sections
      union all
      select tree.section_id, sections.parent_id from tree join sections on sections.id = tree.ancestor_id where sections.parent_id is not null
    )
    insert into article_listings (section_id, published_at, article_id, slug, title, dek, primary_section_id, source_id, updated_at)
    select distinct tree.ancestor_id, a.published_at, a.id, a.slug, a.title, a.dek, a.primary_section_id, a.source_id, a.updated_at
    from articles a
    join article_sections l on l.article_id = a.id
    join tree on tree.section_id = l.section_id
    where a.status = 'published' and a.published_at is not null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('article_listings').execute()
}
