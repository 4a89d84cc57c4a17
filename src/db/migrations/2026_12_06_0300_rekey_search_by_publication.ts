import { PostgresAdapter, sql, type Kysely } from 'kysely'

/**
 * SQLite only: gives every indexed story the row id the FTS5 engine now
 * derives from its publication time (see ROW_KEYS_PER_MINUTE in
 * src/search/engines/sqlite-fts5.ts). Row ids used to follow indexing order,
 * so a correction, re-index or archive import moved an old story into the
 * "newest matches" window search ranks. The tables are copied under the new
 * ids (FTS5 re-tokenises either way; a copy avoids clashes between old and
 * new ids) and renamed into place. PostgreSQL orders by publication time
 * already: nothing to do there.
 *
 * The rule is written out here rather than imported, so this migration keeps
 * doing what it did if the engine's rule changes later.
 */
const PER_MINUTE = 256
const TEXT_COLUMNS = sql.raw('headline, dek, body, quotes, authors, tags, credit')
const BATCH = 500

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return
  // Oldest first; each story takes its minute's first id, or the next free one after the story before.
  const rows = (await sql<{ id: number; published_ts: number }>`select id, published_ts from search_entries order by published_ts, id`.execute(db)).rows
  let last = -Infinity
  const mapping = rows.map((row) => {
    last = Math.max(Math.floor(row.published_ts / 60) * PER_MINUTE, last + 1)
    return { oldId: row.id, newId: last }
  })
  await sql`create temp table search_rekey (old_id integer primary key, new_id integer not null)`.execute(db)
  for (let i = 0; i < mapping.length; i += BATCH) {
    const values = mapping.slice(i, i + BATCH).map((m) => sql`(cast(${m.oldId} as integer), cast(${m.newId} as integer))`)
    await sql`insert into search_rekey (old_id, new_id) values ${sql.join(values)}`.execute(db)
  }
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
