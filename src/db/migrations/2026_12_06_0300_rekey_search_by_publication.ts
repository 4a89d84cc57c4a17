import { PostgresAdapter, sql, type Kysely } from 'kysely'

/**
 * SQLite only: gives every indexed story the row id the FTS5 engine now
 * derives from its publication time (see ROW_KEYS_PER_SECOND in
 * src/search/engines/sqlite-fts5.ts). Row ids used to follow indexing order,
 * so a correction, re-index or archive import moved an old story into the
 * "newest matches" window search ranks. The tables are copied under the new
 * ids (FTS5 re-tokenises either way; a copy avoids clashes between old and
 * new ids) and renamed into place. PostgreSQL orders by publication time
 * already: nothing to do there.
 */
const PER_SECOND = 2 ** 20
const TEXT_COLUMNS = sql.raw('headline, dek, body, quotes, authors, tags, credit')

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return
  // floor() needs SQLite's optional math functions; this is the same for any sign.
  const second = sql.raw('(cast(published_ts as integer) - (published_ts < cast(published_ts as integer)))')
  await sql`
    create temp table search_rekey as
    select id as old_id, second * ${sql.raw(String(PER_SECOND))} + row_number() over (partition by second order by published_ts, id) - 1 as new_id
    from (select id, published_ts, ${second} as second from search_entries)`.execute(db)
  await sql`create table search_entries_rekeyed (id integer primary key, article_id text not null unique, source_id text, published_ts real not null)`.execute(db)
  await sql`
    insert into search_entries_rekeyed (id, article_id, source_id, published_ts)
    select k.new_id, e.article_id, e.source_id, e.published_ts from search_entries e join search_rekey k on k.old_id = e.id`.execute(db)
  await sql`create virtual table search_fts_rekeyed using fts5(${TEXT_COLUMNS}, tokenize = 'unicode61 remove_diacritics 2')`.execute(db)
  await sql`
    insert into search_fts_rekeyed (rowid, ${TEXT_COLUMNS})
    select k.new_id, ${sql.raw('f.headline, f.dek, f.body, f.quotes, f.authors, f.tags, f.credit')} from search_fts f join search_rekey k on k.old_id = f.rowid`.execute(db)
  await sql`drop table search_fts`.execute(db)
  await sql`drop table search_entries`.execute(db)
  await sql`drop table search_rekey`.execute(db)
  await sql`alter table search_entries_rekeyed rename to search_entries`.execute(db)
  await sql`alter table search_fts_rekeyed rename to search_fts`.execute(db)
  await db.schema.createIndex('search_entries_published_idx').on('search_entries').column('published_ts').execute()
}

/** Nothing to undo: any row ids work with the earlier engine, which numbered new rows after the largest. */
export async function down(): Promise<void> {}
