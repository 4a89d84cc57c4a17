import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { paragraph } from '../../src/articles/index.ts'
import * as rekey from '../../src/db/migrations/2026_12_06_0300_rekey_search_by_publication.ts'
import { createSqliteSearchEngine, ROW_KEYS_PER_MINUTE, rowKeyBase } from '../../src/search/engines/sqlite-fts5.ts'
import { runSearchContract } from '../contract/search.case.ts'
import { DIALECTS } from '../support/dialects.ts'
import { draftInput, EDITOR, makeWorld } from '../support/factories.ts'
import { buildTestContainer, type TestContainer } from '../support/test-context.ts'

// One contract, every engine: SQLite FTS5 and PostgreSQL text search.
for (const dialect of DIALECTS) runSearchContract({ name: dialect, make: () => buildTestContainer(dialect) })

describe('sqlite: migration 2026_12_06_0300 re-keys the index by publication time', () => {
  let t: TestContainer
  afterAll(async () => t?.cleanup())

  it('gives rows numbered in indexing order the row ids of their publication time, and search still finds them', async () => {
    t = await buildTestContainer('sqlite')
    const world = await makeWorld(t.container)
    const publish = async (title: string, at: string) =>
      t.container.articles.publish((await t.container.articles.createDraft(draftInput(world, { title, body: [paragraph('A numbat story.')] }), EDITOR)).id, { at }, EDITOR)
    const stories = [
      await publish('Numbat late', '2026-03-01T10:00:00.000Z'),
      await publish('Numbat early, second', '2024-01-01T10:00:30.000Z'),
      await publish('Numbat early', '2024-01-01T10:00:00.500Z'),
      await publish('Numbat middle', '2025-06-01T10:00:00.000Z'),
    ]
    const db = t.container.database.db
    // As the earlier engine numbered them: 1, 2, 3 in the order they were indexed.
    await sql`update search_entries set id = id - 9000000000000000`.execute(db)
    await sql`update search_fts set rowid = rowid - 9000000000000000`.execute(db)
    const rows = (await sql<{ id: number; article_id: string }>`select id, article_id from search_entries order by id`.execute(db)).rows
    for (const [i, row] of rows.entries()) {
      await sql`update search_entries set id = cast(${i + 1} as integer) where id = ${row.id}`.execute(db)
      await sql`update search_fts set rowid = cast(${i + 1} as integer) where rowid = ${row.id}`.execute(db)
    }

    await rekey.up(db)

    const after = (await sql<{ id: number; article_id: string; published_ts: number }>`select id, article_id, published_ts from search_entries order by id`.execute(db)).rows
    expect(after.map((r) => r.article_id)).toEqual([stories[2]!.id, stories[1]!.id, stories[3]!.id, stories[0]!.id])
    const base = (row: { published_ts: number }) => Math.floor(row.published_ts / 60) * ROW_KEYS_PER_MINUTE
    // Two stories of one minute: its first id and the next.
    expect(after.map((row) => row.id - base(row))).toEqual([0, 1, 0, 0])
    const fts = (await sql<{ id: number }>`select rowid as id from search_fts order by rowid`.execute(db)).rows.map((r) => r.id)
    expect(fts).toEqual(after.map((r) => r.id))
    const outcome = await t.container.search.search({ q: 'numbat' })
    expect(outcome.kind === 'results' ? outcome.hits.map((h) => h.article.title).sort() : []).toEqual(['Numbat early', 'Numbat early, second', 'Numbat late', 'Numbat middle'])
    // A story of the same minute as another takes the next id.
    const twin = await publish('Numbat twin', '2024-01-01T10:00:40.000Z')
    const twinRow = (await sql<{ id: number }>`select id from search_entries where article_id = ${twin.id}`.execute(db)).rows[0]!
    expect(twinRow.id).toBe(after[0]!.id + 2)
  })

  it('a full minute spills into the first free id after it: never a clash, and the next minute still sorts after', async () => {
    const engine = createSqliteSearchEngine()
    const db = t.container.database.db
    const doc = (articleId: string, publishedAt: string) => ({ articleId, headline: 'Quoll', dek: '', body: '', quotes: '', authors: '', tags: '', credit: '', sourceId: null, publishedAt })
    const minute = '2023-05-05T00:00:00.000Z'
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < ROW_KEYS_PER_MINUTE + 2; i++) await engine.upsert(trx, doc(`art_quoll_${i}`, minute))
      await engine.upsert(trx, doc('art_quoll_next', '2023-05-05T00:01:00.000Z'))
    })
    const ids = (await sql<{ id: number; article_id: string }>`select id, article_id from search_entries where article_id like 'art_quoll_%' order by id`.execute(db)).rows
    const first = rowKeyBase(minute)
    expect(ids.map((r) => r.id)).toEqual(Array.from({ length: ROW_KEYS_PER_MINUTE + 3 }, (_, i) => first + i))
    expect(ids.at(-1)!.article_id).toBe('art_quoll_next')
  })
})
