import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { DialectName } from '../../src/db/database.ts'
import type { DatabaseTarget } from '../../src/db/open.ts'
import { TEST_PG_URL } from './dialects.ts'

/** A fresh, empty database of the given dialect, and how to throw it away. */
export interface TestDatabase {
  target: DatabaseTarget
  /** A private temporary folder, usable as DATA_DIR. */
  dataDir: string
  /** Environment that points a spawned `masthead` process at this database. */
  env: Record<string, string>
  drop(): Promise<void>
}

/**
 * SQLite gets a new file in its own temp folder; PostgreSQL a new schema in
 * the `test` database, dropped with everything in it afterwards.
 */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'masthead-test-'))
  if (dialect === 'sqlite') {
    return {
      target: { dialect: 'sqlite', file: path.join(dataDir, 'masthead.db') },
      dataDir,
      env: { DATA_DIR: dataDir },
      async drop() {
        rmSync(dataDir, { recursive: true, force: true })
      },
    }
  }
  const schema = `mh_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const client = new pg.Client({ connectionString: TEST_PG_URL })
  await client.connect()
  await client.query(`create schema ${schema}`)
  await client.end()
  const url = new URL(TEST_PG_URL)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return {
    target: { dialect: 'postgres', url: TEST_PG_URL, schema },
    dataDir,
    env: { DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    async drop() {
      const c = new pg.Client({ connectionString: TEST_PG_URL })
      await c.connect()
      await c.query(`drop schema if exists ${schema} cascade`)
      await c.end()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
