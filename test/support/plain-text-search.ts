import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { Writable } from 'node:stream'
import type { DialectName } from '../../src/db/database.ts'
import { defineConfig, type Config } from '../../src/server/config.ts'
import { startServer, type RunningServer } from '../../src/server/main.ts'
import { TEST_PG_URL } from './dialects.ts'
import { createTestDatabase, type TestDatabase } from './test-db.ts'

/**
 * For the reader desk's promise that tips leave nothing readable behind: a
 * real server whose every log line (at trace level) is kept, and a search of
 * the database file, DATA_DIR, a PostgreSQL dump and the logs for words that
 * must only ever be stored sealed.
 */
export interface LoggedServer {
  database: TestDatabase
  server: RunningServer
  url: string
  logs: string[]
  close(): Promise<void>
}

export async function startLoggedServer(dialect: DialectName, readerForms: Config['readerForms'], overrides: Partial<Pick<Config, 'smtpUrl'>> = {}): Promise<LoggedServer> {
  const database = await createTestDatabase(dialect)
  const config = defineConfig({ dataDir: database.dataDir, database: database.target, port: 0, wirePollSeconds: 0, pageCache: false, readerForms, ...overrides })
  const logs: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk))
      done()
    },
  })
  const server = await startServer(config, { logger: { level: 'trace', stream } as unknown as { level: string } })
  return {
    database,
    server,
    url: server.url,
    logs,
    async close() {
      await server.close()
      await database.drop()
    },
  }
}

/** Every file under a folder, except the tip key file's folder. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return e.name === 'keys' ? [] : filesUnder(full)
    return [full]
  })
}

/**
 * Where any of `secrets` can be read in clear: file paths under DATA_DIR (the
 * SQLite file included), `pg_dump` and `logs`. Also what was searched, so a
 * test can tell an empty answer from a search that read nothing.
 */
export function findInClear(target: LoggedServer, secrets: readonly string[]): { found: string[]; filesRead: number; dump: string | null } {
  const found: string[] = []
  const files = filesUnder(target.database.dataDir)
  for (const file of files) {
    const text = readFileSync(file).toString('latin1')
    for (const secret of secrets) if (text.includes(secret)) found.push(file)
  }
  let dump: string | null = null
  if (target.database.target.dialect === 'postgres') {
    dump = execFileSync('pg_dump', ['--dbname', TEST_PG_URL, '--schema', target.database.target.schema!, '--data-only'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    for (const secret of secrets) if (dump.includes(secret)) found.push('pg_dump')
  }
  const logs = target.logs.join('')
  for (const secret of secrets) if (logs.includes(secret)) found.push('logs')
  return { found, filesRead: files.length, dump }
}
