import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { paragraph } from '../../src/articles/index.ts'
import type { Container } from '../../src/server/container.ts'
import type { Clock } from '../../src/shared/clock.ts'
import { DomainError } from '../../src/shared/errors.ts'
import { DIALECTS } from '../support/dialects.ts'
import { draftInput, EDITOR, makeWorld, type World } from '../support/factories.ts'
import { buildTestContainer, type TestContainer } from '../support/test-context.ts'

/** A clock the test moves by hand. */
function manualClock(start: string) {
  let now = new Date(start)
  const clock: Clock = { now: () => new Date(now) }
  return { clock, set: (iso: string) => (now = new Date(iso)) }
}

async function expectDomainError(promise: Promise<unknown>, code: string): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(DomainError)
  expect((error as DomainError).code).toBe(code)
  return error as DomainError
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: articles lifecycle`, () => {
    let ctx: TestContainer
    let c: Container
    let world: World
    let time: ReturnType<typeof manualClock>

    beforeEach(async () => {
      time = manualClock('2026-02-03T12:00:00.000Z')
      ctx = await buildTestContainer(dialect, { clock: time.clock })
      c = ctx.container
      world = await makeWorld(c)
    })
    afterEach(async () => ctx.cleanup())

    it('creates a draft that readers cannot see', async () => {
      const draft = await c.articles.createDraft(draftInput(world, { title: 'Talks resume in Bogotá' }), EDITOR)
      expect(draft.status).toBe('draft')
      expect(draft.slug).toBe('talks-resume-in-bogota')
      expect(draft.id).toMatch(/^art_[0-9a-z]{19}$/)
      expect(await c.articles.findPublishedBySlug(draft.slug)).toEqual({ kind: 'missing' })
      const stored = await c.articles.findById(draft.id)
      expect(stored?.sectionIds).toEqual([world.country.id, world.topic.id])
    })

    it('publishes with a first revision, keeps the date through an update, and records both', async () => {
      const draft = await c.articles.createDraft(draftInput(world), EDITOR)
      const published = await c.articles.publish(draft.id, {}, EDITOR)
      expect(published.status).toBe('published')
      expect(published.publishedAt).toBe('2026-02-03T12:00:00.000Z')
      expect(published.updatedAt).toBeNull()
      expect(published.revision).toBe(1)

      time.set('2026-02-03T15:30:00.000Z')
      const updated = await c.articles.edit(draft.id, { body: [paragraph('New lead.'), paragraph('More.')] }, EDITOR)
      expect(updated.publishedAt).toBe('2026-02-03T12:00:00.000Z')
      expect(updated.updatedAt).toBe('2026-02-03T15:30:00.000Z')
      expect(updated.revision).toBe(2)

      const lookup = await c.articles.findPublishedBySlug(draft.slug)
      expect(lookup.kind).toBe('article')
      if (lookup.kind === 'article') expect(lookup.article.body[0]).toEqual(paragraph('New lead.'))

      const revisions = await c.articles.listRevisions(draft.id)
      expect(revisions.map((r) => [r.number, r.reason])).toEqual([
        [2, 'update'],
        [1, 'publish'],
      ])
    })

    it('a minor edit is a revision without an "Updated" date', async () => {
      const draft = await c.articles.createDraft(draftInput(world), EDITOR)
      await c.articles.publish(draft.id, {}, EDITOR)
      time.set('2026-02-03T13:00:00.000Z')
      const fixed = await c.articles.edit(draft.id, { title: 'Story with the typo fixed', isMinor: true }, EDITOR)
      expect(fixed.updatedAt).toBeNull()
      expect(fixed.revision).toBe(2)
    })

    it('renaming a published slug keeps the old one answering with the new', async () => {
      const draft = await c.articles.createDraft(draftInput(world, { slug: 'old-name' }), EDITOR)
      await c.articles.publish(draft.id, {}, EDITOR)
      await c.articles.edit(draft.id, { slug: 'new-name', isMinor: true }, EDITOR)
      expect(await c.articles.findPublishedBySlug('old-name')).toEqual({ kind: 'moved', slug: 'new-name' })
      expect((await c.articles.findPublishedBySlug('new-name')).kind).toBe('article')

      // The retired slug stays reserved for its article.
      await expectDomainError(c.articles.createDraft(draftInput(world, { slug: 'old-name' }), EDITOR), 'ARTICLE_SLUG_TAKEN')
      // Renaming back is allowed and ends the redirect.
      await c.articles.edit(draft.id, { slug: 'old-name', isMinor: true }, EDITOR)
      expect((await c.articles.findPublishedBySlug('old-name')).kind).toBe('article')
      expect(await c.articles.findPublishedBySlug('new-name')).toEqual({ kind: 'moved', slug: 'old-name' })
    })

    it('a correction is a dated public note and a revision', async () => {
      const draft = await c.articles.createDraft(draftInput(world), EDITOR)
      await c.articles.publish(draft.id, {}, EDITOR)
      time.set('2026-02-04T09:00:00.000Z')
      const corrected = await c.articles.correct(
        draft.id,
        { text: 'An earlier version gave the wrong date for the vote.', changes: { body: [paragraph('Fixed text.')] } },
        EDITOR,
      )
      expect(corrected.updatedAt).toBe('2026-02-04T09:00:00.000Z')
      expect(corrected.body).toEqual([paragraph('Fixed text.')])
      const corrections = await c.articles.listCorrections(draft.id)
      expect(corrections).toHaveLength(1)
      expect(corrections[0]).toMatchObject({ text: 'An earlier version gave the wrong date for the vote.', createdAt: '2026-02-04T09:00:00.000Z' })
      expect((await c.articles.listRevisions(draft.id))[0]?.reason).toBe('correct')
    })

    it('cannot correct a draft', async () => {
      const draft = await c.articles.createDraft(draftInput(world), EDITOR)
      await expectDomainError(c.articles.correct(draft.id, { text: 'Something was wrong here.' }, EDITOR), 'ARTICLE_BAD_TRANSITION')
    })

    it('unpublishing hides the story; republishing keeps the first date and marks it updated', async () => {
      const draft = await c.articles.createDraft(draftInput(world), EDITOR)
      await c.articles.publish(draft.id, {}, EDITOR)
      time.set('2026-02-05T10:00:00.000Z')
      const gone = await c.articles.unpublish(draft.id, { note: 'Taken down for a test.' }, EDITOR)
      expect(gone.status).toBe('unpublished')
      expect(await c.articles.findPublishedBySlug(draft.slug)).toEqual({ kind: 'missing' })
      await expectDomainError(c.articles.unpublish(draft.id, { note: 'Taken down for a test.' }, EDITOR), 'ARTICLE_BAD_TRANSITION')

      time.set('2026-02-06T10:00:00.000Z')
      const back = await c.articles.publish(draft.id, {}, EDITOR)
      expect(back.publishedAt).toBe('2026-02-03T12:00:00.000Z')
      expect(back.updatedAt).toBe('2026-02-06T10:00:00.000Z')
      expect((await c.articles.listRevisions(draft.id)).map((r) => r.reason)).toEqual(['publish', 'unpublish', 'publish'])
    })

    it('schedules a future publication and publishes it when due', async () => {
      const draft = await c.articles.createDraft(draftInput(world), EDITOR)
      const scheduled = await c.articles.publish(draft.id, { at: '2026-02-03T18:00:00Z' }, EDITOR)
      expect(scheduled.status).toBe('scheduled')
      expect(scheduled.scheduledAt).toBe('2026-02-03T18:00:00.000Z')
      expect(await c.articles.publishDue(EDITOR)).toEqual([])
      expect(await c.articles.findPublishedBySlug(draft.slug)).toEqual({ kind: 'missing' })

      time.set('2026-02-03T18:00:05.000Z')
      expect(await c.articles.publishDue(EDITOR)).toEqual([draft.id])
      const lookup = await c.articles.findPublishedBySlug(draft.slug)
      expect(lookup.kind).toBe('article')
      if (lookup.kind === 'article') expect(lookup.article.publishedAt).toBe('2026-02-03T18:00:00.000Z')
    })

    it('refuses to publish an incomplete story and lists every missing piece', async () => {
      const draft = await c.articles.createDraft({ title: 'Only a headline' }, EDITOR)
      const error = await expectDomainError(c.articles.publish(draft.id, {}, EDITOR), 'ARTICLE_NOT_PUBLISHABLE')
      expect(error.kind).toBe('invalid')
      expect(error.issues.map((i) => i.path).sort()).toEqual(['authorIds', 'body', 'sectionIds', 'sourceId'])
      expect((await c.articles.findById(draft.id))?.status).toBe('draft')
    })

    it('rejects unknown references with the path of each and writes nothing', async () => {
      const error = await expectDomainError(
        c.articles.createDraft(draftInput(world, { sectionIds: [world.topic.id, 'sec_nope'], authorIds: ['aut_nope'] }), EDITOR),
        'ARTICLE_REFERENCE_UNKNOWN',
      )
      expect(error.issues.map((i) => i.path)).toEqual(['sectionIds[1]', 'authorIds[0]'])
      const page = await c.articles.listPublished({}, { page: 1, perPage: 10 })
      expect(page.items).toEqual([])
      expect(await c.database.db.selectFrom('articles').select('id').execute()).toEqual([])
    })

    it('rejects a malformed body with field paths', async () => {
      const error = await expectDomainError(
        c.articles.createDraft(
          draftInput(world, {
            body: [paragraph('ok'), { type: 'image', src: 'javascript:alert(1)', alt: 'x', width: 10, height: 10 } as never],
          }),
          EDITOR,
        ),
        'ARTICLE_INVALID',
      )
      expect(error.issues.some((i) => i.path === 'body[1].src')).toBe(true)
    })

    it('a failed edit inside the transaction leaves the story as it was', async () => {
      const draft = await c.articles.createDraft(draftInput(world), EDITOR)
      await c.articles.publish(draft.id, {}, EDITOR)
      await expectDomainError(c.articles.edit(draft.id, { title: 'Changed', sectionIds: [] }, EDITOR), 'ARTICLE_NOT_PUBLISHABLE')
      const stored = await c.articles.findById(draft.id)
      expect(stored?.title).toBe(draft.title)
      expect(stored?.revision).toBe(1)
    })

    it('lists published stories newest first, by section subtree, author and tag, with pagination', async () => {
      const ids: string[] = []
      for (let i = 0; i < 5; i++) {
        time.set(`2026-02-0${i + 1}T10:00:00.000Z`)
        const inCountry = i % 2 === 0
        const draft = await c.articles.createDraft(
          draftInput(world, {
            sectionIds: inCountry ? [world.country.id] : [world.topic.id],
            authorIds: inCountry ? [world.reporter.id, world.desk.id] : [world.desk.id],
            tagIds: i === 4 ? [world.tag.id] : [],
          }),
          EDITOR,
        )
        await c.articles.publish(draft.id, {}, EDITOR)
        ids.push(draft.id)
      }
      time.set('2026-02-10T00:00:00.000Z')
      const unpublished = await c.articles.createDraft(draftInput(world), EDITOR)
      expect(unpublished.status).toBe('draft')

      const all = await c.articles.listPublished({}, { page: 1, perPage: 2 })
      expect(all.items.map((s) => s.id)).toEqual([ids[4], ids[3]])
      expect(all.hasNext).toBe(true)
      const last = await c.articles.listPublished({}, { page: 3, perPage: 2 })
      expect(last.items.map((s) => s.id)).toEqual([ids[0]])
      expect(last.hasNext).toBe(false)

      // The region's page includes its country's stories.
      const region = await c.articles.listPublished({ sectionIds: [world.region.id, world.country.id] }, { page: 1, perPage: 10 })
      expect(region.items.map((s) => s.id)).toEqual([ids[4], ids[2], ids[0]])
      const byReporter = await c.articles.listPublished({ authorId: world.reporter.id }, { page: 1, perPage: 10 })
      expect(byReporter.items.map((s) => s.id)).toEqual([ids[4], ids[2], ids[0]])
      expect(byReporter.items[0]?.authorIds).toEqual([world.reporter.id, world.desk.id])
      const byTag = await c.articles.listPublished({ tagId: world.tag.id }, { page: 1, perPage: 10 })
      expect(byTag.items.map((s) => s.id)).toEqual([ids[4]])
    })
  })
}
