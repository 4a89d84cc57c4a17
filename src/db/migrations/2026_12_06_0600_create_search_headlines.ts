import { PostgresAdapter, sql, type Kysely } from 'kysely'

/**
 * SQLite only: `search_headlines`, an FTS5 table of headlines alone under the
 * same row ids as `search_fts`. Past the newest ranked matches the engine
 * looks for older stories with the words in the headline; a column filter on
 * `search_fts` must still read each word's postings for every column of every
 * story (a common word's whole list), while this table's lists hold headline
 * words only. Filled from `search_fts`; kept by the engine from now on.
 * PostgreSQL's weighted tsvector answers headline-only matches from its GIN
 * index already: nothing to do there.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return
  await sql`create virtual table search_headlines using fts5(headline, tokenize = 'unicode61 remove_diacritics 2')`.execute(db)
  await sql`insert into search_headlines (rowid, headline) select rowid, headline from search_fts`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return
  await sql`drop table search_headlines`.execute(db)
}
