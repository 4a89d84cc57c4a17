import { Migrator, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { createArticleService, type ArticleEvents } from '../../src/articles/index.ts'
import { createAuthorService } from '../../src/authors/index.ts'
import { MIGRATIONS } from '../../src/db/migrator.ts'
import { openDatabase } from '../../src/db/open.ts'
import { createPostgresSearchEngine } from '../../src/search/engines/postgres-tsvector.ts'
import { createSqliteSearchEngine } from '../../src/search/engines/sqlite-fts5.ts'
import { createSearchService } from '../../src/search/index.ts'
import { createSectionService } from '../../src/sections/index.ts'
import { createSourceService } from '../../src/sources/index.ts'
import { systemClock } from '../../src/shared/clock.ts'
import { createEventChannel } from '../../src/shared/events.ts'
import { DIALECTS } from '../support/dialects.ts'
import { createTestDatabase } from '../support/test-db.ts'

const SEARCH_MIGRATION = '2026_12_01_0400_create_search_index'

for (const dialect of DIALECTS) {
  describe(`${dialect}: the search index migration`, () => {
    it('indexes the stories published before it, and only those', async () => {
      const target = await createTestDatabase(dialect)
      const database = await openDatabase(target.target)
      try {
        const db = database.db
        const schema = dialect === 'postgres' ? (target.target as { schema?: string }).schema : undefined
        const upTo = (names: string[]) =>
          new Migrator({
            db,
            provider: { getMigrations: async () => Object.fromEntries(names.map((n) => [n, MIGRATIONS[n]!])) },
            ...(schema ? { migrationTableSchema: schema } : {}),
          }).migrateToLatest()
        expect((await upTo(Object.keys(MIGRATIONS))).error).toBeUndefined()

        // Stories written by a service with no follower: the index knows nothing of them, as before search existed.
        const sections = createSectionService({ db })
        const authors = createAuthorService({ db })
        const sources = createSourceService({ db })
        const articles = createArticleService({ db, clock: systemClock, events: createEventChannel<ArticleEvents>() })
        // Records written as the schema of the time had them: today's services use columns and tables added later.
        const section = { id: 'sec_news' }
        const desk = { id: 'aut_desk' }
        const source = { id: 'src_staff' }
        await db.insertInto('sections').values({ id: section.id, slug: 'news', name: 'News', description: '', kind: 'topic', parent_id: null, position: 0 }).execute()
        await sql`insert into authors (id, slug, name, kind, job_title, bio) values (${desk.id}, 'desk', 'Desk', 'desk', null, null)`.execute(db)
        await db.insertInto('sources').values({ id: source.id, slug: 'staff', name: 'Staff', credit: 'Staff', kind: 'staff', url: null }).execute()
        const base = { sectionIds: [section.id], authorIds: [desk.id], tagIds: [], sourceId: source.id }
        const out = await articles.createDraft({ ...base, title: 'Okapi census published', body: [{ type: 'paragraph', content: [{ text: 'Okapi.' }] }] }, { userId: null })
        await articles.publish(out.id, {}, { userId: null })
        await articles.createDraft({ ...base, title: 'Okapi draft', body: [{ type: 'paragraph', content: [{ text: 'Okapi.' }] }] }, { userId: null })

        // The migration again, from its down step: what it does to a database full of stories.
        const migration = MIGRATIONS[SEARCH_MIGRATION]!
        await migration.down!(db)
        await migration.up(db)
        const engine = dialect === 'postgres' ? createPostgresSearchEngine() : createSqliteSearchEngine()
        const search = createSearchService({ db, engine, articles, sections, authors, sources, clock: systemClock })
        const outcome = await search.search({ q: 'okapi' })
        expect(outcome.kind === 'results' ? outcome.hits.map((h) => h.article.title) : []).toEqual(['Okapi census published'])
      } finally {
        await database.close()
        await target.drop()
      }
    })
  })
}
