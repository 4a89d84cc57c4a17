import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import SqliteDatabase from 'better-sqlite3'
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

describe('SQLite transactions beside another process', () => {
  it('a transaction that reads and then writes holds the write lock from its start, so another writer waits instead of failing it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'masthead-sqlite-'))
    const file = path.join(dir, 'shared.db')
    const db = openSqlite(file)
    // The other process: its own connection to the same file, giving up on the lock after 50 ms.
    const other = new SqliteDatabase(file)
    other.pragma('busy_timeout = 50')
    try {
      await sql`create table counters (name text primary key, value integer not null)`.execute(db)
      await sql`insert into counters values ('stories', 1)`.execute(db)
      let otherWrite: unknown = null
      await db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ value: number }>`select value from counters where name = 'stories'`.execute(trx)
        try {
          other.prepare(`update counters set value = 100 where name = 'stories'`).run()
        } catch (error) {
          otherWrite = error
        }
        // With a plain BEGIN the other write would have gone through, and this one would fail (SQLITE_BUSY_SNAPSHOT).
        await sql`update counters set value = ${rows[0]!.value + 1} where name = 'stories'`.execute(trx)
      })
      expect((otherWrite as { code?: string } | null)?.code).toBe('SQLITE_BUSY')
      expect(other.prepare(`select value from counters`).get()).toEqual({ value: 2 })
    } finally {
      other.close()
      await db.destroy()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('SQLite reads of one turn of the event loop', () => {
  let dir: string
  let file: string
  let db: ReturnType<typeof openSqlite>
  let other: SqliteDatabase.Database
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve))
  const count = async () => (await sql<{ n: number }>`select count(*) as n from notes`.execute(db)).rows[0]!.n

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'masthead-sqlite-'))
    file = path.join(dir, 'turns.db')
    db = openSqlite(file)
    await sql`create table notes (id integer primary key, text text not null)`.execute(db)
    // Another process's connection to the same file, as the CLI or a second worker has.
    other = new SqliteDatabase(file)
    other.pragma('busy_timeout = 50')
  })
  afterEach(async () => {
    other.close()
    await db.destroy()
    rmSync(dir, { recursive: true, force: true })
  })

  it('see one snapshot within the turn, and another process’s write from the next turn on', async () => {
    expect(await count()).toBe(0)
    other.prepare(`insert into notes (text) values ('from the other process')`).run()
    // Same turn: the read transaction opened by the first read still holds its snapshot.
    expect(await count()).toBe(0)
    await nextTurn()
    expect(await count()).toBe(1)
  })

  it('end before this connection writes, so the write goes through and the next read sees it and everything before it', async () => {
    expect(await count()).toBe(0)
    other.prepare(`insert into notes (text) values ('from the other process')`).run()
    // A plain BEGIN's stale snapshot would make this write fail with SQLITE_BUSY_SNAPSHOT.
    await sql`insert into notes (text) values ('from this one')`.execute(db)
    expect(await count()).toBe(2)
    await db.transaction().execute(async (trx) => {
      await sql`insert into notes (text) values ('in a transaction')`.execute(trx)
    })
    expect(await count()).toBe(3)
  })

  it('run pragmas outside the read transaction, where they take effect', async () => {
    expect(await count()).toBe(0)
    // Inside a transaction SQLite ignores this pragma without a word.
    await sql`pragma foreign_keys = off`.execute(db)
    const { rows } = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)
    expect(rows[0]!.foreign_keys).toBe(0)
  })

  it('keep a stream read across turns whole, and end its transaction once it is done', async () => {
    await sql`insert into notes (text) values ('one'), ('two'), ('three')`.execute(db)
    const read: string[] = []
    for await (const row of db.selectFrom('notes' as never).select('text' as never).orderBy('id' as never).stream()) {
      read.push((row as { text: string }).text)
      // The turn ends while the stream holds the connection: its commit has to wait for the stream.
      await nextTurn()
    }
    expect(read).toEqual(['one', 'two', 'three'])
    await nextTurn()
    await nextTurn()
    const after = other.pragma('wal_checkpoint(TRUNCATE)', { simple: false }) as { busy: number }[]
    expect(after[0]!.busy).toBe(0)
  })

  it('let go of the read lock when the turn ends, so another process can checkpoint the whole log', async () => {
    await sql`insert into notes (text) values ('one')`.execute(db)
    expect(await count()).toBe(1)
    const during = other.pragma('wal_checkpoint(TRUNCATE)', { simple: false }) as { busy: number }[]
    expect(during[0]!.busy).toBe(1)
    await nextTurn()
    const after = other.pragma('wal_checkpoint(TRUNCATE)', { simple: false }) as { busy: number }[]
    expect(after[0]!.busy).toBe(0)
  })
})

