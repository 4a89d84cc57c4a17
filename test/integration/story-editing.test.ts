import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paragraph, type Actor } from '../../src/articles/index.ts'
import type { Clock } from '../../src/shared/clock.ts'
import { DomainError } from '../../src/shared/errors.ts'
import { DIALECTS } from '../support/dialects.ts'
import { draftInput, makeWorld, type World } from '../support/factories.ts'
import { buildTestContainer, type TestContainer } from '../support/test-context.ts'

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'OK'
  } catch (error) {
    if (error instanceof DomainError) return error.code
    throw error
  }
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: writing and editing stories`, () => {
    let now = Date.parse('2026-02-03T09:00:00.000Z')
    const clock: Clock = { now: () => new Date(now) }
    const tick = (ms = 1000) => (now += ms)
    let t: TestContainer
    let world: World
    const people: Record<'editor' | 'author' | 'otherAuthor' | 'contributor', Actor> = {} as never

    beforeAll(async () => {
      t = await buildTestContainer(dialect, { clock })
      world = await makeWorld(t.container)
      for (const [key, role] of [
        ['editor', 'editor'],
        ['author', 'author'],
        ['otherAuthor', 'author'],
        ['contributor', 'contributor'],
      ] as const) {
        const { user } = await t.container.auth.createUser({ email: `${key}@example.org`, name: key, role, password: 'a long password here' })
        people[key] = { userId: user.id, role }
      }
    })
    afterAll(async () => t?.cleanup())

    it('saves from the editor with a version, and keeps a stale save whole as a conflict copy', async () => {
      const { articles } = t.container
      const draft = await articles.createDraft({}, people.author)
      expect(draft).toMatchObject({ title: '', slug: expect.stringMatching(/^untitled(-\d+)?$/), editVersion: 1, createdBy: people.author.userId })

      tick()
      const first = await articles.save(draft.id, { baseVersion: 1, changes: { title: 'Harbour talks resume', slug: '', body: [paragraph('First words.')] } }, people.author)
      expect(first).toMatchObject({ kind: 'saved', version: 2 })
      const opened = await articles.open(draft.id, people.author)
      // The address follows the headline until someone sets it.
      expect(opened.fields).toMatchObject({ title: 'Harbour talks resume', slug: 'harbour-talks-resume' })

      // An editor saves on top; the author's next save still names version 2.
      tick()
      await articles.save(draft.id, { baseVersion: 2, changes: { dek: 'Edited by the desk.' } }, people.editor)
      tick()
      const stale = await articles.save(draft.id, { baseVersion: 2, changes: { body: [paragraph('The author kept typing.')] } }, people.author)
      expect(stale.kind).toBe('conflict')
      if (stale.kind !== 'conflict') return
      expect(stale.current).toMatchObject({ version: 3, savedBy: people.editor.userId, fields: { dek: 'Edited by the desk.', body: [paragraph('First words.')] } })

      // Both texts survive: the story has the editor's, the copy has the author's.
      const copies = await articles.listConflicts(draft.id)
      expect(copies).toHaveLength(1)
      expect(copies[0]!.fields.body).toEqual([paragraph('The author kept typing.')])
      expect((await articles.open(draft.id, people.author)).fields.body).toEqual([paragraph('First words.')])

      // The author takes their copy: it becomes the story; the editor's version is kept as a snapshot.
      tick()
      await articles.resolveConflict(draft.id, stale.conflictId, { take: true }, people.author)
      const after = await articles.open(draft.id, people.author)
      expect(after.fields.body).toEqual([paragraph('The author kept typing.')])
      expect(after.editVersion).toBe(4)
      expect(await articles.listConflicts(draft.id)).toEqual([])
      const snapshots = await articles.listSnapshots(draft.id)
      expect(snapshots.find((s) => s.reason === 'conflict')?.fields.dek).toBe('Edited by the desk.')
      expect(await codeOf(articles.resolveConflict(draft.id, stale.conflictId, { take: false }, people.author))).toBe('ARTICLE_CONFLICT_NOT_FOUND')
    })

    it('refuses a taken slug at the field and names the problem, saving nothing', async () => {
      const { articles } = t.container
      const one = await articles.createDraft({ title: 'Ferry strike ends', slug: 'ferry-strike-ends' }, people.author)
      const two = await articles.createDraft({ title: 'Ferry strike ends' }, people.author)
      expect(two.slug).toBe('ferry-strike-ends-2')
      try {
        await articles.save(two.id, { baseVersion: two.editVersion, changes: { slug: one.slug, title: 'Changed' } }, people.author)
        expect.unreachable()
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError)
        expect((error as DomainError).issues[0]).toMatchObject({ path: 'slug' })
      }
      expect((await articles.open(two.id, people.author)).fields.title).toBe('Ferry strike ends')
    })

    it('lets writers change only their own stories, and only editors publish', async () => {
      const { articles } = t.container
      const story = await articles.createDraft(draftInput(world), people.author)
      expect(await codeOf(articles.open(story.id, people.contributor))).toBe('ARTICLE_FORBIDDEN')
      expect(await codeOf(articles.open(story.id, people.otherAuthor))).toBe('OK')
      expect(await codeOf(articles.save(story.id, { baseVersion: story.editVersion, changes: { title: 'Mine now' } }, people.otherAuthor))).toBe('ARTICLE_FORBIDDEN')
      expect(await codeOf(articles.publish(story.id, {}, people.author))).toBe('ARTICLE_FORBIDDEN')
      expect(await codeOf(articles.submitForReview(story.id, people.otherAuthor))).toBe('ARTICLE_FORBIDDEN')
      expect(await codeOf(articles.submitForReview(story.id, people.author))).toBe('OK')
      // In review the writer may still polish it.
      expect(await codeOf(articles.save(story.id, { baseVersion: story.editVersion, changes: { dek: 'Polished.' } }, people.author))).toBe('OK')
      expect(await codeOf(articles.sendBack(story.id, { note: 'x' }, people.editor))).toBe('ARTICLE_INVALID')
      expect(await codeOf(articles.sendBack(story.id, { note: 'Needs a second source.' }, people.author))).toBe('ARTICLE_FORBIDDEN')
      expect(await codeOf(articles.sendBack(story.id, { note: 'Needs a second source.' }, people.editor))).toBe('OK')
      await articles.publish(story.id, {}, people.editor)
      // Public now: the writer can no longer change it; editors can. What the writer had typed (the editor
      // published while they wrote) is refused, and kept on the story as a copy for the desk.
      const opened = await articles.open(story.id, people.author)
      expect(await codeOf(articles.save(story.id, { baseVersion: opened.editVersion, changes: { dek: 'Late.' } }, people.author))).toBe('ARTICLE_HANDED_OVER')
      await expect(articles.save(story.id, { baseVersion: opened.editVersion, changes: { dek: 'Late.' } }, people.author)).rejects.toThrow(/kept on the story as a copy/)
      const published = await articles.open(story.id, people.editor)
      expect(published.fields.dek).not.toBe('Late.')
      const copies = await articles.listConflicts(story.id)
      // The same text sent twice is kept once.
      expect(copies.map((c) => [c.fields.dek, c.savedBy])).toEqual([['Late.', people.author.userId]])
      // Sending what the story already says keeps nothing.
      expect(await codeOf(articles.save(story.id, { baseVersion: opened.editVersion, changes: { dek: published.fields.dek } }, people.author))).toBe('ARTICLE_HANDED_OVER')
      expect(await articles.listConflicts(story.id)).toHaveLength(1)
      // Someone else's story is refused without a copy.
      expect(await codeOf(articles.save(story.id, { baseVersion: opened.editVersion, changes: { dek: 'Not mine.' } }, people.otherAuthor))).toBe('ARTICLE_FORBIDDEN')
      expect(await articles.listConflicts(story.id)).toHaveLength(1)
      const events = (await articles.listEvents(story.id)).map((e) => e.kind).reverse()
      expect(events).toEqual(['created', 'submitted', 'returned', 'published', 'conflict'])
      expect((await articles.listEvents(story.id)).find((e) => e.kind === 'returned')?.note).toBe('Needs a second source.')

      // Contributors list only their own stories, whatever they ask for.
      await articles.createDraft({ title: 'A contribution' }, people.contributor)
      const theirs = await articles.listStories({}, { page: 1, perPage: 100 }, people.contributor)
      expect(theirs.items.map((s) => s.title)).toEqual(['A contribution'])
      const asked = await articles.listStories({ createdBy: people.author.userId! }, { page: 1, perPage: 100 }, people.contributor)
      expect(asked.items.map((s) => s.title)).toEqual(['A contribution'])
    })

    it('keeps edits to a published story private until an editor publishes them as an update or a minor fix', async () => {
      const { articles } = t.container
      const story = await articles.createDraft(draftInput(world, { title: 'Port budget approved' }), people.editor)
      tick()
      const published = await articles.publish(story.id, {}, people.editor)
      tick(60_000)
      const save = await articles.save(story.id, { baseVersion: published.editVersion, changes: { title: 'Port budget approved after a long night' } }, people.editor)
      expect(save.kind).toBe('saved')
      // Readers still see the published text.
      const publicNow = await articles.findPublishedBySlug(story.slug)
      expect(publicNow.kind === 'article' && publicNow.article.title).toBe('Port budget approved')
      const opened = await articles.open(story.id, people.editor)
      expect(opened).toMatchObject({ hasPendingChanges: true, fields: { title: 'Port budget approved after a long night' } })
      const listed = await articles.listStories({ q: 'port budget' }, { page: 1, perPage: 10 }, people.editor)
      expect(listed.items[0]).toMatchObject({ id: story.id, hasPendingChanges: true })

      tick(60_000)
      const minor = await articles.publishChanges(story.id, { isMinor: true }, people.editor)
      expect(minor).toMatchObject({ title: 'Port budget approved after a long night', updatedAt: null, revision: 2 })
      expect(await codeOf(articles.publishChanges(story.id, { isMinor: false }, people.editor))).toBe('ARTICLE_NO_CHANGES')

      tick(60_000)
      await articles.save(story.id, { baseVersion: minor.editVersion, changes: { dek: 'A new standfirst.' } }, people.editor)
      const update = await articles.publishChanges(story.id, { isMinor: false }, people.editor)
      expect(update.updatedAt).toBe(new Date(now).toISOString())
      expect(update.dek).toBe('A new standfirst.')

      // A correction takes pending changes with it, in one revision.
      tick(60_000)
      await articles.save(story.id, { baseVersion: update.editVersion, changes: { body: [paragraph('The budget is 12 million, not 21.')] } }, people.editor)
      const corrected = await articles.correct(story.id, { text: 'An earlier version gave the budget as 21 million.' }, people.editor)
      expect(corrected.body).toEqual([paragraph('The budget is 12 million, not 21.')])
      expect(corrected.revision).toBe(4)
      expect((await articles.open(story.id, people.editor)).hasPendingChanges).toBe(false)
      expect(await articles.listCorrections(story.id)).toHaveLength(1)

      // Discarding pending changes restores what readers see into the editor.
      tick(60_000)
      await articles.save(story.id, { baseVersion: corrected.editVersion, changes: { title: 'A bad idea' } }, people.editor)
      await articles.discardChanges(story.id, people.editor)
      expect((await articles.open(story.id, people.editor)).fields.title).toBe('Port budget approved after a long night')
    })

    it('schedules only into the future, publishes due stories once even when two processes try, and withdraws with a note', async () => {
      const { articles } = t.container
      const story = await articles.createDraft(draftInput(world), people.editor)
      expect(await codeOf(articles.schedule(story.id, { at: new Date(now - 60_000).toISOString() }, people.editor))).toBe('ARTICLE_SCHEDULE_PAST')
      const scheduled = await articles.schedule(story.id, { at: new Date(now + 3_600_000).toISOString() }, people.editor)
      expect(scheduled.status).toBe('scheduled')
      expect(await articles.publishDue({ userId: null })).toEqual([])
      tick(3_600_000 + 1000)
      const [a, b] = await Promise.all([articles.publishDue({ userId: null }), articles.publishDue({ userId: null })])
      expect([...a, ...b]).toEqual([story.id])
      expect((await articles.listRevisions(story.id)).map((r) => r.reason)).toEqual(['publish'])

      const gone = await articles.withdraw(story.id, { note: 'The agency withdrew this report.' }, people.editor)
      expect(gone).toMatchObject({ status: 'unpublished', withdrawnNote: 'The agency withdrew this report.' })
      expect(await articles.findPublishedBySlug(story.slug)).toMatchObject({ kind: 'withdrawn', note: 'The agency withdrew this report.' })
      // Publishing again clears the withdrawal.
      await articles.publish(story.id, {}, people.editor)
      expect((await articles.findPublishedBySlug(story.slug)).kind).toBe('article')
    })

    it('restores an earlier version as the working draft, keeping what it replaces', async () => {
      const { articles } = t.container
      const story = await articles.createDraft(draftInput(world, { title: 'First headline' }), people.author)
      await articles.submitForReview(story.id, people.author)
      tick()
      const opened = await articles.open(story.id, people.author)
      await articles.save(story.id, { baseVersion: opened.editVersion, changes: { title: 'Second headline' } }, people.author)
      const submitted = (await articles.listSnapshots(story.id)).find((s) => s.reason === 'submitted')!
      expect(submitted.fields.title).toBe('First headline')
      tick()
      await articles.restore(story.id, submitted.id, people.author)
      expect((await articles.open(story.id, people.author)).fields.title).toBe('First headline')
      expect((await articles.listSnapshots(story.id)).find((s) => s.reason === 'restored')?.fields.title).toBe('Second headline')
      expect(await codeOf(articles.restore(story.id, 'snp_missing', people.author))).toBe('ARTICLE_SNAPSHOT_NOT_FOUND')
    })

    it('credits each kept version to the person who wrote it, when two people save in turn (also on a published story)', async () => {
      const { articles } = t.container
      const story = await articles.createDraft(draftInput(world, { title: 'Written by the author' }), people.author)
      const save = async (who: Actor, title: string) => {
        tick()
        const { editVersion } = await articles.open(story.id, who)
        expect(await articles.save(story.id, { baseVersion: editVersion, changes: { title } }, who)).toMatchObject({ kind: 'saved' })
      }
      await save(people.editor, 'Rewritten by the editor')
      await save(people.author, 'Taken back by the author')
      await save(people.editor, 'The editor again')
      const drafts = (await articles.listSnapshots(story.id)).filter((s) => s.reason === 'draft').reverse()
      expect(drafts.map((s) => [s.fields.title, s.actorId])).toEqual([
        ['Written by the author', people.author.userId],
        ['Rewritten by the editor', people.editor.userId],
        ['Taken back by the author', people.author.userId],
      ])

      // A published story's pending changes are credited to who saved them. The published text is kept once, as
      // published by whoever published it, not again as a draft of the next person to save.
      const { user } = await t.container.auth.createUser({ email: 'second-editor@example.org', name: 'second editor', role: 'editor', password: 'a long password here' })
      const secondEditor: Actor = { userId: user.id, role: 'editor' }
      tick()
      await articles.publish(story.id, {}, people.editor)
      await save(secondEditor, 'Pending change by the second editor')
      await save(people.editor, 'Pending change by the editor')
      const since = (await articles.listSnapshots(story.id)).slice(0, 2).reverse()
      expect(since.map((s) => [s.reason, s.fields.title, s.actorId])).toEqual([
        ['published', 'The editor again', people.editor.userId],
        ['draft', 'Pending change by the second editor', secondEditor.userId],
      ])
      // Sent back by an editor: the author's next save does not credit the editor with the author's text a second time.
      const returned = await articles.createDraft(draftInput(world, { title: 'The author’s draft' }), people.author)
      await articles.submitForReview(returned.id, people.author)
      tick()
      await articles.sendBack(returned.id, { note: 'Check the names.' }, people.editor)
      tick()
      const { editVersion } = await articles.open(returned.id, people.author)
      await articles.save(returned.id, { baseVersion: editVersion, changes: { title: 'The author’s draft, checked' } }, people.author)
      expect((await articles.listSnapshots(returned.id)).map((s) => [s.reason, s.actorId])).toEqual([
        ['returned', people.editor.userId],
        ['submitted', people.author.userId],
      ])
      // Restoring keeps the replaced text under its writer's name too.
      tick()
      await articles.restore(story.id, drafts[0]!.id, secondEditor)
      const restored = (await articles.listSnapshots(story.id)).find((s) => s.reason === 'restored')!
      expect([restored.fields.title, restored.actorId]).toEqual(['Pending change by the editor', people.editor.userId])
    })

    it('knows who else has a story open, across processes, until they go quiet', async () => {
      const { articles } = t.container
      const story = await articles.createDraft({ title: 'Shared' }, people.editor)
      expect(await articles.touchPresence(story.id, people.editor.userId!)).toEqual([])
      const openedAt = new Date(now).toISOString()
      const seen = await articles.touchPresence(story.id, people.author.userId!)
      expect(seen).toEqual([{ userId: people.editor.userId, since: openedAt }])
      // Heartbeats keep the editor present but do not move "since": it is when they opened the story.
      for (let i = 0; i < 3; i++) {
        tick(20_000)
        await articles.touchPresence(story.id, people.editor.userId!)
      }
      expect(await articles.touchPresence(story.id, people.author.userId!)).toEqual([{ userId: people.editor.userId, since: openedAt }])
      tick(61_000)
      expect(await articles.touchPresence(story.id, people.author.userId!)).toEqual([])
      // Back after going quiet: opened again, so "since" starts over.
      await articles.touchPresence(story.id, people.editor.userId!)
      expect(await articles.touchPresence(story.id, people.author.userId!)).toEqual([{ userId: people.editor.userId, since: new Date(now).toISOString() }])
    })

    it('makes private preview links that open the working version and expire', async () => {
      const { articles } = t.container
      const story = await articles.createDraft({ title: 'Embargoed budget' }, people.author)
      const link = await articles.createPreviewLink(story.id, people.author)
      expect(await articles.findByPreviewToken(link.token)).toBe(story.id)
      expect(await articles.findByPreviewToken(`${link.token.slice(0, -1)}x`)).toBeNull()
      expect(await codeOf(articles.createPreviewLink(story.id, people.contributor))).toBe('ARTICLE_FORBIDDEN')
      tick(48 * 3600_000 + 1000)
      expect(await articles.findByPreviewToken(link.token)).toBeNull()
    })
  })
}
