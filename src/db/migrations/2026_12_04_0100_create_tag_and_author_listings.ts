import { PostgresAdapter, sql, type Kysely } from 'kysely'

/**
 * Tag and author listings (src/articles/listings.ts), the counterparts of the
 * section listings: one row per public story and tag (or author), keyed
 * (tag_id | author_id, published_at, article_id) and carrying a card's
 * fields, so a tag or author page, and a story's related stories, read one
 * key range instead of walking the date index of every story. Deleting a tag,
 * an author or a story drops its rows. Backfilled from the stories as they stand.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter
  for (const [table, key, refs] of [
    ['tag_listings', 'tag_id', 'tags.id'],
    ['author_listings', 'author_id', 'authors.id'],
  ] as const) {
    let create = db.schema
      .createTable(table)
      .addColumn(key, 'text', (c) => c.notNull().references(refs).onDelete('cascade'))
      .addColumn('published_at', 'text', (c) => c.notNull())
      .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('slug', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('dek', 'text')
      .addColumn('primary_section_id', 'text')
      .addColumn('source_id', 'text')
      .addColumn('updated_at', 'text')
      .addPrimaryKeyConstraint(`${table}_pk`, [key, 'published_at', 'article_id'])
    if (!isPostgres) create = create.modifyEnd(sql`without rowid`)
    await create.execute()
    await db.schema.createIndex(`${table}_article_idx`).on(table).column('article_id').execute()
  }
  // The statements of refreshListings(db, 'all'), spelled out: a migration must not change when the code does.
  await sql`
    insert into tag_listings (tag_id, published_at, article_id, slug, title, dek, primary_section_id, source_id, updated_at)
    select l.tag_id, a.published_at, a.id, a.slug, a.title, a.dek, a.primary_section_id, a.source_id, a.updated_at
    from articles a join article_tags l on l.article_id = a.id
    where a.status = 'published' and a.published_at is not null`.execute(db)
  await sql`
    insert into author_listings (author_id, published_at, article_id, slug, title, dek, primary_section_id, source_id, updated_at)
    select l.author_id, a.published_at, a.id, a.slug, a.title, a.dek, a.primary_section_id, a.source_id, a.updated_at
    from articles a join article_authors l on l.article_id = a.id
    where a.status = 'published' and a.published_at is not null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('author_listings').execute()
  await db.schema.dropTable('tag_listings').execute()
}
