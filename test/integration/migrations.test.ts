import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../src/db/migrator.ts'
import { openDatabase, type OpenDatabase } from '../../src/db/open.ts'
import { DIALECTS } from '../support/dialects.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts'

for (const dialect of DIALECTS) {
  describe(`${dialect}: migrations`, () => {
    let database: TestDatabase
    let open: OpenDatabase
    afterEach(async () => {
      await open?.close()
      await database?.drop()
    })

    it('migrate from empty, then again as a no-op', async () => {
      database = await createTestDatabase(dialect)
      open = await openDatabase(database.target)

      const first = await open.migrate()
      expect(first.error).toBeUndefined()
      expect(first.results?.map((r) => [r.migrationName, r.status])).toEqual(
        Object.keys(MIGRATIONS).map((name) => [name, 'Success']),
      )

      const second = await open.migrate()
      expect(second.error).toBeUndefined()
      expect(second.results).toEqual([])

      const tables = (await open.db.introspection.getTables()).map((t) => t.name).sort()
      expect(tables).toEqual(
        expect.arrayContaining([
          'article_authors',
          'article_sections',
          'article_slug_history',
          'article_tags',
          'articles',
          'authors',
          'corrections',
          'revisions',
          'sections',
          'settings',
          'sources',
          'tags',
          'users',
        ]),
      )
      // The schema works, not just exists: a row goes in and comes out.
      await open.db.insertInto('settings').values({ key: 'probe', value: '"x"' }).execute()
      const row = await sql<{ value: string }>`select value from settings where key = 'probe'`.execute(open.db)
      expect(row.rows[0]?.value).toBe('"x"')
    })
  })
}
