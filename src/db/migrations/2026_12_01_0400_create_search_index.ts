import { PostgresAdapter, sql, type Kysely } from 'kysely'
import { createPostgresSearchEngine } from '../../search/engines/postgres-tsvector.ts'
import { createSqliteSearchEngine } from '../../search/engines/sqlite-fts5.ts'
import { backfillSearchIndex } from '../../search/index.ts'

/**
 * The full-text index of published stories, one shape per dialect (see
 * src/search/engines), then every story already published indexed into it.
 *
 * SQLite: `search_entries` (a stable integer id per story, used as the FTS
 * row id, plus the filter columns) and the FTS5 table `search_fts`.
 * PostgreSQL: `search_documents` with a weighted tsvector under a GIN index.
 *
 * The backfill uses today's document builder; a later change to what is
 * indexed ships its own reindexing migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter
  if (isPostgres) {
    await db.schema
      .createTable('search_documents')
      .addColumn('article_id', 'text', (c) => c.primaryKey())
      .addColumn('source_id', 'text')
      .addColumn('published_ts', 'double precision', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('document', sql`tsvector`, (c) => c.notNull())
      .execute()
    await sql`create index search_documents_document_idx on search_documents using gin (document)`.execute(db)
    await db.schema.createIndex('search_documents_published_idx').on('search_documents').column('published_ts').execute()
  } else {
    await db.schema
      .createTable('search_entries')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('article_id', 'text', (c) => c.notNull().unique())
      .addColumn('source_id', 'text')
      .addColumn('published_ts', 'real', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('search_entries_published_idx').on('search_entries').column('published_ts').execute()
    await sql`create virtual table search_fts using fts5(headline, dek, body, quotes, authors, tags, credit, tokenize = 'unicode61 remove_diacritics 2')`.execute(db)
  }
  await backfillSearchIndex(db, isPostgres ? createPostgresSearchEngine() : createSqliteSearchEngine())
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.schema.dropTable('search_documents').execute()
  } else {
    await sql`drop table search_fts`.execute(db)
    await db.schema.dropTable('search_entries').execute()
  }
}
