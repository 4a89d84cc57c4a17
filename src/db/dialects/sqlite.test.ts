import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqlite } from './sqlite.ts'

describe('SQLite rows', () => {
  let dir: string
  let db: ReturnType<typeof openSqlite>

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'masthead-sqlite-'))
    db = openSqlite(path.join(dir, 'rows.db'))
    await sql`create table t (id integer primary key, name text, note text)`.execute(db)
    await sql`insert into t (id, name, note) values (1, 'one', null), (2, 'two', 'a "quoted" note')`.execute(db)
  })
  afterEach(async () => {
    await db.destroy()
    rmSync(dir, { recursive: true, force: true })
  })

  it('reads rows as plain objects with every column, nulls and odd names included, through all and streams alike', async () => {
    const rows = await sql<Record<string, unknown>>`select id, name, note, name || '!' as "shout ""it""", count(*) over () as "count(*)" from t order by id`.execute(db)
    expect(rows.rows).toEqual([
      { id: 1, name: 'one', note: null, 'shout "it"': 'one!', 'count(*)': 2 },
      { id: 2, name: 'two', note: 'a "quoted" note', 'shout "it"': 'two!', 'count(*)': 2 },
    ])
    expect(Object.getPrototypeOf(rows.rows[0])).toBe(Object.prototype)
    const streamed: unknown[] = []
    for await (const row of db.selectFrom('t' as never).selectAll().orderBy('id' as never).stream()) streamed.push(row)
    expect(streamed).toEqual([
      { id: 1, name: 'one', note: null },
      { id: 2, name: 'two', note: 'a "quoted" note' },
    ])
  })

  it('keeps the last of two columns with one name, as SQLite drivers do', async () => {
    const rows = await sql`select 1 as x, 2 as x`.execute(db)
    expect(rows.rows).toEqual([{ x: 2 }])
  })

  it('still runs writes and reports what they changed', async () => {
    const result = await sql`update t set note = ${'n'} where id > ${0}`.execute(db)
    expect(Number(result.numAffectedRows)).toBe(2)
  })
})
