import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { refreshListings } from '../../src/articles/index.ts'
import type { Container } from '../../src/server/container.ts'
import type { Clock } from '../../src/shared/clock.ts'
import { DIALECTS } from '../support/dialects.ts'
import { draftInput, EDITOR, makeWorld, type World } from '../support/factories.ts'
import { buildTestContainer, type TestContainer } from '../support/test-context.ts'

/** A clock the test moves by hand. */
function manualClock(start: string) {
  let now = new Date(start)
  const clock: Clock = { now: () => new Date(now) }
  return { clock, set: (iso: string) => (now = new Date(iso)) }
}

/**
 * The section, tag and author listings (src/articles/listings.ts): what a
 * section, tag or author page and a story's related stories read.
 * Each test checks the rows themselves and the list a reader gets through them.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: section listings`, () => {
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

    /** Section ids the story is listed under, sorted. */
    async function listedUnder(articleId: string): Promise<string[]> {
      const rows = await c.database.db.selectFrom('article_listings').select('section_id').where('article_id', '=', articleId).execute()
      return rows.map((r) => r.section_id).sort()
    }

    /** Slugs on the first page of a section (sub-sections included), newest first. */
    async function pageOf(sectionId: string): Promise<string[]> {
      return (await c.articles.listPublished({ sectionId }, { page: 1, perPage: 20 })).items.map((s) => s.slug)
    }

    it('lists a published story under its sections and their ancestors, once each; drafts are not listed', async () => {
      const draft = await c.articles.createDraft(draftInput(world), EDITOR)
      expect(await listedUnder(draft.id)).toEqual([])
      const story = await c.articles.publish(draft.id, {}, EDITOR)
      // Country and topic, plus the country's region: the sub-section's story is in the parent's listing.
      expect(await listedUnder(story.id)).toEqual([world.country.id, world.region.id, world.topic.id].sort())
      const rows = await c.database.db.selectFrom('article_listings').select('published_at').where('article_id', '=', story.id).execute()
      expect(new Set(rows.map((r) => r.published_at))).toEqual(new Set(['2026-02-03T12:00:00.000Z']))
      expect(await pageOf(world.region.id)).toEqual([story.slug])
      expect(await pageOf(world.country.id)).toEqual([story.slug])
    })

    it('a story in a section and its parent is listed once under the parent', async () => {
      const story = await c.articles.publish((await c.articles.createDraft(draftInput(world, { sectionIds: [world.country.id, world.region.id] }), EDITOR)).id, {}, EDITOR)
      expect(await listedUnder(story.id)).toEqual([world.country.id, world.region.id].sort())
      expect(await pageOf(world.region.id)).toEqual([story.slug])
    })

    it('follows a published story moved to another section', async () => {
      const story = await c.articles.publish((await c.articles.createDraft(draftInput(world), EDITOR)).id, {}, EDITOR)
      await c.articles.edit(story.id, { sectionIds: [world.topic.id] }, EDITOR)
      expect(await listedUnder(story.id)).toEqual([world.topic.id])
      expect(await pageOf(world.region.id)).toEqual([])
      expect(await pageOf(world.topic.id)).toEqual([story.slug])
    })

    it('shows a public update of the title, dek or slug on the section page at once', async () => {
      const story = await c.articles.publish((await c.articles.createDraft(draftInput(world), EDITOR)).id, {}, EDITOR)
      time.set('2026-02-03T13:00:00.000Z')
      await c.articles.edit(story.id, { title: 'A new headline', dek: 'A new dek.', slug: 'a-new-headline' }, EDITOR)
      const [card] = (await c.articles.listPublished({ sectionId: world.region.id }, { page: 1, perPage: 20 })).items
      expect(card).toMatchObject({ id: story.id, title: 'A new headline', dek: 'A new dek.', slug: 'a-new-headline', updatedAt: '2026-02-03T13:00:00.000Z' })
      const front = await c.articles.listFrontPage([world.topic.id, world.region.id], 4)
      expect(front.lead?.title).toBe('A new headline')
      expect(front.blocks).toEqual([[], []])
    })

    it('leads the front page with the newest public story, the highest id among those of one instant, never one dated later', async () => {
      const publishAt = async (at: string) => {
        time.set(at)
        return c.articles.publish((await c.articles.createDraft(draftInput(world), EDITOR)).id, {}, EDITOR)
      }
      await publishAt('2026-02-03T12:00:00.000Z')
      const same = [await publishAt('2026-02-03T13:00:00.000Z'), await publishAt('2026-02-03T13:00:00.000Z')]
      const [newest, other] = same.sort((a, b) => (a.id < b.id ? 1 : -1))
      const front = await c.articles.listFrontPage([world.region.id], 4)
      expect(front.lead?.id).toBe(newest!.id)
      expect(front.blocks[0]!.map((s) => s.id)).toEqual([other!.id, expect.any(String)])
      // A story whose public time is still to come (a back-dated clock) is not the lead yet.
      time.set('2026-02-03T14:00:00.000Z')
      const later = await c.articles.publish((await c.articles.createDraft(draftInput(world), EDITOR)).id, {}, EDITOR)
      time.set('2026-02-03T13:30:00.000Z')
      expect((await c.articles.listFrontPage([world.region.id], 4)).lead?.id).toBe(newest!.id)
      time.set('2026-02-03T14:00:00.000Z')
      expect((await c.articles.listFrontPage([world.region.id], 4)).lead?.id).toBe(later.id)
    })

    it('drops an unpublished story and lists it again when it is republished, with its first date', async () => {
      const story = await c.articles.publish((await c.articles.createDraft(draftInput(world), EDITOR)).id, {}, EDITOR)
      time.set('2026-02-03T13:00:00.000Z')
      await c.articles.unpublish(story.id, { note: 'Taken down for checks.' }, EDITOR)
      expect(await listedUnder(story.id)).toEqual([])
      expect(await pageOf(world.topic.id)).toEqual([])
      time.set('2026-02-03T14:00:00.000Z')
      await c.articles.publish(story.id, {}, EDITOR)
      const republished = await c.articles.findById(story.id)
      expect(await listedUnder(story.id)).toEqual([world.country.id, world.region.id, world.topic.id].sort())
      const rows = await c.database.db.selectFrom('article_listings').select('published_at').where('article_id', '=', story.id).execute()
      expect(rows.every((r) => r.published_at === republished?.publishedAt)).toBe(true)
    })

    it('lists a scheduled story only once the scheduler has published it', async () => {
      const draft = await c.articles.createDraft(draftInput(world), EDITOR)
      await c.articles.schedule(draft.id, { at: '2026-02-03T18:00:00.000Z' }, EDITOR)
      expect(await listedUnder(draft.id)).toEqual([])
      time.set('2026-02-03T18:00:01.000Z')
      expect(await pageOf(world.topic.id)).toEqual([])
      await c.articles.publishDue(EDITOR)
      expect(await listedUnder(draft.id)).toEqual([world.country.id, world.region.id, world.topic.id].sort())
      expect(await pageOf(world.topic.id)).toEqual([draft.slug])
    })

    it('moves the rows of a deleted section’s stories to the section they went to', async () => {
      const other = await c.sections.createSection({ slug: `other-${world.region.slug}`, name: 'Other', kind: 'region' })
      const story = await c.articles.publish((await c.articles.createDraft(draftInput(world), EDITOR)).id, {}, EDITOR)
      await c.sections.deleteSection({ userId: null }, world.country.id, { moveTo: other.id })
      expect(await listedUnder(story.id)).toEqual([other.id, world.topic.id].sort())
      expect(await pageOf(world.region.id)).toEqual([])
      expect(await pageOf(other.id)).toEqual([story.slug])
    })

    it('follows a sub-section moved under another parent', async () => {
      const other = await c.sections.createSection({ slug: `other-${world.region.slug}`, name: 'Other', kind: 'region' })
      const story = await c.articles.publish((await c.articles.createDraft(draftInput(world), EDITOR)).id, {}, EDITOR)
      const { slug, name, description, kind } = world.country
      await c.sections.updateSection({ userId: null }, world.country.id, { slug, name, description, kind, parentId: other.id })
      expect(await listedUnder(story.id)).toEqual([other.id, world.country.id, world.topic.id].sort())
      expect(await pageOf(world.region.id)).toEqual([])
      expect(await pageOf(other.id)).toEqual([story.slug])
    })

    it('pages a section newest first, by page number and by keyset, and hides stories dated in the future', async () => {
      const slugs: string[] = []
      for (let i = 0; i < 5; i++) {
        time.set(`2026-02-03T1${i}:00:00.000Z`)
        const story = await c.articles.publish((await c.articles.createDraft(draftInput(world), EDITOR)).id, {}, EDITOR)
        slugs.unshift(story.slug)
      }
      const page2 = await c.articles.listPublished({ sectionId: world.region.id }, { page: 2, perPage: 2 })
      expect(page2.items.map((s) => s.slug)).toEqual(slugs.slice(2, 4))
      expect(page2.hasNext).toBe(true)

      const first = await c.articles.listPublishedKeys({ sectionId: world.region.id }, { before: null, limit: 2 })
      expect(first.hasMore).toBe(true)
      const rest = await c.articles.listPublishedKeys({ sectionId: world.region.id }, { before: first.keys.at(-1)!, limit: 10 })
      expect(rest.hasMore).toBe(false)
      const newestFirst = (await c.articles.listPublished({ sectionId: world.region.id }, { page: 1, perPage: 10 })).items
      expect(newestFirst.map((s) => s.slug)).toEqual(slugs)
      expect([...first.keys, ...rest.keys].map((k) => k.id)).toEqual(newestFirst.map((s) => s.id))

      // A clock behind the stories' dates (a row from a server whose clock runs ahead) keeps them off the list.
      time.set('2026-02-03T11:30:00.000Z')
      expect(await pageOf(world.region.id)).toEqual(slugs.slice(3))
    })

    describe('tag and author listings', () => {
      /** Tag ids (or author ids) the story is listed under, sorted. */
      async function listedBy(table: 'tag_listings' | 'author_listings', articleId: string): Promise<string[]> {
        const rows =
          table === 'tag_listings'
            ? (await c.database.db.selectFrom('tag_listings').select('tag_id as id').where('article_id', '=', articleId).execute())
            : (await c.database.db.selectFrom('author_listings').select('author_id as id').where('article_id', '=', articleId).execute())
        return rows.map((r) => r.id).sort()
      }

      it('lists a published story under each tag and author, follows byline and tag edits, and drops it when unpublished', async () => {
        const draft = await c.articles.createDraft(draftInput(world, { authorIds: [world.desk.id, world.reporter.id] }), EDITOR)
        expect(await listedBy('tag_listings', draft.id)).toEqual([])
        const story = await c.articles.publish(draft.id, {}, EDITOR)
        expect(await listedBy('tag_listings', story.id)).toEqual([world.tag.id])
        expect(await listedBy('author_listings', story.id)).toEqual([world.desk.id, world.reporter.id].sort())
        expect((await c.articles.listPublished({ tagId: world.tag.id }, { page: 1, perPage: 20 })).items.map((s) => s.id)).toEqual([story.id])
        const [card] = (await c.articles.listPublished({ authorId: world.reporter.id }, { page: 1, perPage: 20 })).items
        // A card from the listing carries the whole byline, in order.
        expect(card).toMatchObject({ id: story.id, slug: story.slug, authorIds: [world.desk.id, world.reporter.id] })

        const other = await c.sections.createTag({ slug: 'other-tag', name: 'Other tag' })
        await c.articles.edit(story.id, { tagIds: [other.id], authorIds: [world.desk.id] }, EDITOR)
        expect(await listedBy('tag_listings', story.id)).toEqual([other.id])
        expect(await listedBy('author_listings', story.id)).toEqual([world.desk.id])
        expect((await c.articles.listPublished({ tagId: world.tag.id }, { page: 1, perPage: 20 })).items).toEqual([])
        expect((await c.articles.listPublished({ authorId: world.reporter.id }, { page: 1, perPage: 20 })).items).toEqual([])

        await c.articles.unpublish(story.id, { note: 'Taken down for checks.' }, EDITOR)
        expect(await listedBy('tag_listings', story.id)).toEqual([])
        expect(await listedBy('author_listings', story.id)).toEqual([])
      })

      it('moves the rows of a merged tag to the tag kept', async () => {
        const kept = await c.sections.createTag({ slug: 'kept', name: 'Kept' })
        const story = await c.articles.publish((await c.articles.createDraft(draftInput(world), EDITOR)).id, {}, EDITOR)
        await c.sections.mergeTags({ userId: null }, { fromId: world.tag.id, intoId: kept.id })
        expect(await listedBy('tag_listings', story.id)).toEqual([kept.id])
        expect((await c.articles.listPublished({ tagId: kept.id }, { page: 1, perPage: 20 })).items.map((s) => s.id)).toEqual([story.id])
      })

      it('pages a tag newest first, hides stories dated in the future, and gives the same stories as the date walk with another filter', async () => {
        const ids: string[] = []
        for (let i = 0; i < 5; i++) {
          time.set(`2026-02-03T12:0${i}:00.000Z`)
          ids.unshift((await c.articles.publish((await c.articles.createDraft(draftInput(world), EDITOR)).id, {}, EDITOR)).id)
        }
        const page = async (n: number) => (await c.articles.listPublished({ tagId: world.tag.id }, { page: n, perPage: 2 }))
        expect(await page(1)).toMatchObject({ items: [{ id: ids[0] }, { id: ids[1] }], hasNext: true })
        expect(await page(3)).toMatchObject({ items: [{ id: ids[4] }], hasNext: false })
        // By keyset too (the content API), from the tag's listing, with a further filter applied to the stories.
        const first = await c.articles.listPublishedKeys({ tagId: world.tag.id }, { before: null, limit: 3 })
        expect(first).toMatchObject({ hasMore: true })
        const rest = await c.articles.listPublishedKeys({ tagId: world.tag.id }, { before: first.keys.at(-1)!, limit: 3 })
        expect([...first.keys, ...rest.keys].map((k) => k.id)).toEqual(ids)
        expect(rest.hasMore).toBe(false)
        expect((await c.articles.listPublishedKeys({ authorId: world.desk.id, tagId: world.tag.id }, { before: null, limit: 10 })).keys.map((k) => k.id)).toEqual(ids)
        expect((await c.articles.listPublishedKeys({ tagId: world.tag.id, authorId: world.reporter.id }, { before: null, limit: 10 })).keys).toEqual([])
        // Tag and author together still walk the dates; both ways agree.
        const both = await c.articles.listPublished({ tagId: world.tag.id, authorId: world.desk.id }, { page: 1, perPage: 20 })
        expect(both.items.map((s) => s.id)).toEqual(ids)
        time.set('2026-02-03T12:02:30.000Z')
        expect((await c.articles.listPublished({ tagId: world.tag.id }, { page: 1, perPage: 20 })).items.map((s) => s.id)).toEqual(ids.slice(2))
      })

      it('relates a story to the newest others sharing its primary section or a tag, never itself', async () => {
        const elsewhere = await c.articles.publish((await c.articles.createDraft(draftInput(world, { sectionIds: [world.topic.id], tagIds: [] }), EDITOR)).id, {}, EDITOR)
        time.set('2026-02-03T12:10:00.000Z')
        const sameTag = await c.articles.publish((await c.articles.createDraft(draftInput(world, { sectionIds: [world.topic.id] }), EDITOR)).id, {}, EDITOR)
        time.set('2026-02-03T12:20:00.000Z')
        const sameSection = await c.articles.publish((await c.articles.createDraft(draftInput(world, { tagIds: [] }), EDITOR)).id, {}, EDITOR)
        time.set('2026-02-03T12:30:00.000Z')
        const story = await c.articles.publish((await c.articles.createDraft(draftInput(world), EDITOR)).id, {}, EDITOR)
        const related = await c.articles.listRelated(story, 4)
        expect(related.map((s) => s.id)).toEqual([sameSection.id, sameTag.id])
        expect(related.map((s) => s.id)).not.toContain(elsewhere.id)
        expect((await c.articles.listRelated(story, 1)).map((s) => s.id)).toEqual([sameSection.id])
      })
    })

    it('a full refresh rebuilds the same rows', async () => {
      const a = await c.articles.publish((await c.articles.createDraft(draftInput(world), EDITOR)).id, {}, EDITOR)
      const b = await c.articles.publish((await c.articles.createDraft(draftInput(world, { sectionIds: [world.topic.id] }), EDITOR)).id, {}, EDITOR)
      const all = async () =>
        (await c.database.db.selectFrom('article_listings').select(['article_id', 'section_id', 'published_at']).orderBy('article_id').orderBy('section_id').execute())
      const links = async () => ({
        tags: await c.database.db.selectFrom('tag_listings').select(['article_id', 'tag_id', 'published_at']).orderBy('article_id').orderBy('tag_id').execute(),
        authors: await c.database.db.selectFrom('author_listings').select(['article_id', 'author_id', 'published_at']).orderBy('article_id').orderBy('author_id').execute(),
      })
      const before = await all()
      const linksBefore = await links()
      expect(linksBefore.tags.map((r) => r.article_id)).toEqual([a.id, b.id].sort())
      await c.database.db.transaction().execute((trx) => refreshListings(trx, 'all'))
      expect(await all()).toEqual(before)
      expect(await links()).toEqual(linksBefore)
      expect(before.map((r) => r.article_id)).toEqual(expect.arrayContaining([a.id, b.id]))
    })
  })
}

describe('sqlite: the links a story page and its cards read', () => {
  let ctx: TestContainer
  beforeEach(async () => {
    ctx = await buildTestContainer('sqlite')
  })
  afterEach(async () => ctx.cleanup())

  it('come from covering indexes in their set order, without visiting the table or sorting', async () => {
    const plan = async (query: string) => {
      const { rows } = await sql.raw<{ detail: string }>(`explain query plan ${query}`).execute(ctx.container.database.db)
      return rows.map((r) => r.detail).join('; ')
    }
    const bylines = await plan(`select article_id, author_id from article_authors where article_id in ('a', 'b') order by article_id, position`)
    expect(bylines).toContain('COVERING INDEX article_authors_order_idx')
    expect(bylines).not.toContain('TEMP B-TREE')
    const sections = await plan(`select section_id, position from article_sections where article_id = 'a' order by position`)
    expect(sections).toContain('COVERING INDEX article_sections_order_idx')
    expect(sections).not.toContain('TEMP B-TREE')
  })
})
