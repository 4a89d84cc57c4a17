import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { startScheduledPublisher } from '../../src/server/scheduled-publisher.ts'
import type { Clock } from '../../src/shared/clock.ts'
import { DIALECTS } from '../support/dialects.ts'
import { draftInput, EDITOR, makeWorld } from '../support/factories.ts'
import { buildTestContainer, type TestContainer } from '../support/test-context.ts'

for (const dialect of DIALECTS) {
  describe(`${dialect}: the scheduled-publishing timer`, () => {
    let ctx: TestContainer
    afterEach(async () => ctx?.cleanup())

    it('publishes a scheduled story once its time has come, and only then', async () => {
      let now = new Date('2026-02-03T12:00:00Z')
      const clock: Clock = { now: () => new Date(now) }
      ctx = await buildTestContainer(dialect, { clock })
      const c = ctx.container
      const world = await makeWorld(c)
      const draft = await c.articles.createDraft(draftInput(world), EDITOR)
      await c.articles.publish(draft.id, { at: '2026-02-03T18:00:00Z' }, EDITOR)

      const timer = startScheduledPublisher({ articles: c.articles, log: pino({ level: 'silent' }), everyMs: 10 })
      try {
        await new Promise((r) => setTimeout(r, 60))
        expect((await c.articles.findById(draft.id))?.status).toBe('scheduled')
        now = new Date('2026-02-03T18:00:01Z')
        await expect.poll(async () => (await c.articles.findById(draft.id))?.status, { timeout: 2000 }).toBe('published')
        expect((await c.articles.findPublishedBySlug(draft.slug)).kind).toBe('article')
      } finally {
        await timer.stop()
      }
    })
  })
}
