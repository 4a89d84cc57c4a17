import type { DialectName } from '../../src/db/database.ts'
import { defineConfig, type Config } from '../../src/server/config.ts'
import { buildContainer, type Container } from '../../src/server/container.ts'
import { startServer, type RunningServer } from '../../src/server/main.ts'
import type { Clock } from '../../src/shared/clock.ts'
import { createTestDatabase, type TestDatabase } from './test-db.ts'

/** A migrated, empty database with every service built on it. */
export interface TestContainer {
  container: Container
  database: TestDatabase
  cleanup(): Promise<void>
}

export async function buildTestContainer(
  dialect: DialectName,
  options: { clock?: Clock; config?: Partial<Omit<Config, 'dataDir' | 'database'>> } = {},
): Promise<TestContainer> {
  const database = await createTestDatabase(dialect)
  const config = defineConfig({ dataDir: database.dataDir, database: database.target, loadDemo: false, logLevel: 'silent', ...options.config })
  const container = await buildContainer(config, options.clock ? { clock: options.clock } : {})
  const { error } = await container.database.migrate()
  if (error) throw error
  return {
    container,
    database,
    async cleanup() {
      await container.close()
      await database.drop()
    },
  }
}

/** The real server on a random loopback port, with the demo paper loaded unless told otherwise. */
export interface TestServer {
  server: RunningServer
  url: string
  config: Config
  fetch(path: string, init?: RequestInit): Promise<Response>
  cleanup(): Promise<void>
}

export async function startTestServer(
  dialect: DialectName,
  overrides: Partial<Omit<Config, 'dataDir' | 'database'>> = {},
): Promise<TestServer> {
  const database = await createTestDatabase(dialect)
  const config = defineConfig({
    dataDir: database.dataDir,
    database: database.target,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    ...overrides,
  })
  const server = await startServer(config, { logger: false })
  return {
    server,
    url: server.url,
    config,
    fetch: (path, init) => fetch(server.url + path, { redirect: 'manual', ...init }),
    async cleanup() {
      try {
        await server.close()
      } finally {
        await database.drop()
      }
    },
  }
}
