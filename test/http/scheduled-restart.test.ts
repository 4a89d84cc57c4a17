import { afterAll, describe, expect, it } from 'vitest'
import { defineConfig } from '../../src/server/config.ts'
import { startServer } from '../../src/server/main.ts'
import { DIALECTS } from '../support/dialects.ts'
import { draftInput, makeWorld } from '../support/factories.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts'

for (const dialect of DIALECTS) {
  describe(`${dialect}: scheduled publishing across a restart`, () => {
    let database: TestDatabase
    afterAll(async () => database?.drop())

    it('publishes a story whose time came while the server was down, once, when it starts again', async () => {
      database = await createTestDatabase(dialect)
      const config = defineConfig({ dataDir: database.dataDir, database: database.target, port: 0, loadDemo: false, logLevel: 'silent', wirePollSeconds: 0 })
      const first = await startServer(config, { logger: false })
      const { articles } = first.container
      const world = await makeWorld(first.container)
      const story = await articles.createDraft(draftInput(world, { title: 'Polls close across the region' }), { userId: null })
      await articles.schedule(story.id, { at: new Date(Date.now() + 1500).toISOString() }, { userId: null })
      await first.close()

      // The time passes while nothing runs.
      await new Promise((r) => setTimeout(r, 2000))

      // Two processes start at once, as after a deploy; the story goes out once.
      const [second, third] = await Promise.all([startServer(config, { logger: false }), startServer(config, { logger: false })])
      try {
        let status = ''
        for (let i = 0; i < 200 && status !== 'published'; i++) {
          status = (await second.container.articles.findById(story.id))!.status
          if (status !== 'published') await new Promise((r) => setTimeout(r, 50))
        }
        expect(status).toBe('published')
        const revisions = await second.container.articles.listRevisions(story.id)
        expect(revisions.map((r) => r.reason)).toEqual(['publish'])
        const page = await fetch(`${second.url}/articles/${story.slug}`)
        expect(page.status).toBe(200)
      } finally {
        await second.close()
        await third.close()
      }
    })
  })
}
