import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paragraph, type Article, type Block, type CreateDraft } from '../../src/articles/index.ts'
import { RANKED_MATCHES, type SearchOutcome } from '../../src/search/index.ts'
import { DomainError } from '../../src/shared/errors.ts'
import { draftInput, EDITOR, makeWorld, type World } from '../support/factories.ts'
import type { TestContainer } from '../support/test-context.ts'

/**
 * The behaviour every search engine must show, whatever the database: run
 * once per engine (SQLite FTS5, PostgreSQL text search) by
 * test/integration/search.test.ts.
 */
export function runSearchContract(options: { name: string; make: () => Promise<TestContainer> }) {
  describe(`search contract: ${options.name}`, () => {
    let t: TestContainer
    let world: World
    let other: World

    beforeAll(async () => {
      t = await options.make()
      world = await makeWorld(t.container)
      other = await makeWorld(t.container)
    })
    afterAll(async () => t?.cleanup())

    const search = (input: Record<string, unknown>) => t.container.search.search(input)
    async function titles(input: Record<string, unknown>): Promise<string[]> {
      const outcome = await search(input)
      return outcome.kind === 'results' ? outcome.hits.map((h) => h.article.title) : []
    }
    async function publish(input: Partial<CreateDraft>, at?: string, w: World = world): Promise<Article> {
      const draft = await t.container.articles.createDraft(draftInput(w, input), EDITOR)
      return t.container.articles.publish(draft.id, at ? { at } : {}, EDITOR)
    }
    async function rejects(input: Record<string, unknown>, code: string) {
      const error = await search(input).then(
        () => null,
        (e: unknown) => e,
      )
      expect(error, JSON.stringify(input).slice(0, 80)).toBeInstanceOf(DomainError)
      expect((error as DomainError).code).toBe(code)
      expect((error as DomainError).kind).toBe('invalid')
      return error as DomainError
    }

    it('finds a story by its headline, dek, body, quotes, speaker, author, tag and credit', async () => {
      const quote: Block = {
        type: 'quote',
        content: [{ text: 'We will keep the lighthouse burning through winter.' }],
        attribution: { speaker: 'Oriana Quillfeather', role: 'Harbour master', givenTo: 'Zephyrwire' },
      }
      const story = await publish({
        title: 'Marmalade harbour reopens',
        dek: 'Fishermen cheer the aubergine decision.',
        body: [paragraph('The council voted for the xylophonic plan on Tuesday.'), quote],
      })
      for (const q of ['marmalade', 'aubergine', 'xylophonic', 'lighthouse', 'quillfeather', 'zephyrwire', world.desk.name, world.tag.name, 'Test Agency']) {
        expect(await titles({ q }), q).toContain(story.title)
      }
      expect(await titles({ q: 'marmalade nothingmatcheshere' })).toEqual([])
    })

    it('folds case and accents: "perez" and "PÉREZ" find Pérez', async () => {
      const story = await publish({ title: 'Ministra Pérez visits Ñuñoa', body: [paragraph('Árbol é ü.')] })
      for (const q of ['perez', 'PÉREZ', 'Pérez', 'nunoa', 'arbol']) expect(await titles({ q }), q).toContain(story.title)
    })

    it('matches a quoted phrase only where its words stand together', async () => {
      const together = await publish({ title: 'Phrase test one', body: [paragraph('The quokka deportation flights resumed.')] })
      const apart = await publish({ title: 'Phrase test two', body: [paragraph('Quokka flights and the deportation of nobody.')] })
      const found = await titles({ q: '"quokka deportation flights"' })
      expect(found).toContain(together.title)
      expect(found).not.toContain(apart.title)
      expect((await titles({ q: 'quokka flights' })).sort()).toEqual([together.title, apart.title].sort())
      // Typographic quotes work like straight ones.
      expect(await titles({ q: '“quokka deportation flights”' })).toEqual([together.title])
    })

    it('ranks a headline match above a body match, and the newer of two equal matches first', async () => {
      const at = '2026-01-10T10:00:00.000Z'
      const inBody = await publish({ title: 'Harbour notes', body: [paragraph('Talk of the gryphonite mine went on.')] }, at)
      const inHeadline = await publish({ title: 'Gryphonite mine to close', body: [paragraph('Nothing else here.')] }, at)
      expect(await titles({ q: 'gryphonite' })).toEqual([inHeadline.title, inBody.title])
      const older = await publish({ title: 'Basilisk report, first', body: [paragraph('Plain.')] }, '2025-06-01T10:00:00.000Z')
      const newer = await publish({ title: 'Basilisk report, second', body: [paragraph('Plain.')] }, '2026-01-20T10:00:00.000Z')
      expect(await titles({ q: 'basilisk report' })).toEqual([newer.title, older.title])
    })

    it('marks matched words in the snippet and returns markup in the text as text', async () => {
      await publish({ title: 'Snippet test', body: [paragraph('Before <script>alert(1)</script> the wombatine council met & decided.')] })
      const outcome = await search({ q: 'wombatine' })
      if (outcome.kind !== 'results') throw new Error('expected results')
      const parts = outcome.hits[0]!.snippet
      expect(parts.filter((p) => p.isMatch).map((p) => p.text.toLowerCase())).toContain('wombatine')
      const text = parts.map((p) => p.text).join('')
      expect(text).toContain('<script>alert(1)</script>')
      expect(text.includes('\u0002') || text.includes('\u0003')).toBe(false)
    })

    it('filters by section (sub-sections included), author, credit and dates', async () => {
      const inCountry = await publish({ title: 'Filter story A', body: [paragraph('Ocelotry matters.')], sectionIds: [world.country.id], authorIds: [world.reporter.id] }, '2026-01-05T12:00:00.000Z')
      const inTopic = await publish({ title: 'Filter story B', body: [paragraph('Ocelotry matters.')], sectionIds: [world.topic.id], sourceId: world.staff.id }, '2026-01-15T12:00:00.000Z')
      const elsewhere = await publish({ title: 'Filter story C', body: [paragraph('Ocelotry matters.')] }, '2026-01-25T12:00:00.000Z', other)
      const q = 'ocelotry'
      expect((await titles({ q })).sort()).toEqual([inCountry.title, inTopic.title, elsewhere.title].sort())
      expect(await titles({ q, section: world.region.slug })).toEqual([inCountry.title])
      expect(await titles({ q, author: world.reporter.slug })).toEqual([inCountry.title])
      expect(await titles({ q, credit: world.staff.slug })).toEqual([inTopic.title])
      expect(await titles({ q, from: '2026-01-10', to: '2026-01-15' })).toEqual([inTopic.title])
      expect(await titles({ q, from: '2026-01-16' })).toEqual([elsewhere.title])
      // Blank filters from a form count as absent.
      expect((await titles({ q, section: '', author: '', credit: '', from: '', to: '' })).length).toBe(3)
    })

    it('answers unknown filters and bad dates with a clear invalid error naming the field', async () => {
      const error = await rejects({ q: 'x', section: 'atlantis' }, 'SEARCH_FILTER_UNKNOWN')
      expect(error.issues[0]).toMatchObject({ path: 'section' })
      await rejects({ q: 'x', author: 'nobody-at-all' }, 'SEARCH_FILTER_UNKNOWN')
      await rejects({ q: 'x', credit: 'no-such-source' }, 'SEARCH_FILTER_UNKNOWN')
      await rejects({ q: 'x', from: '2026-02-10', to: '2026-02-01' }, 'SEARCH_FILTER_UNKNOWN')
      await rejects({ q: 'x', from: 'yesterday' }, 'SEARCH_INVALID')
      await rejects({ q: 'x', section: 'Robert"); drop table articles;--' }, 'SEARCH_INVALID')
      await rejects({ q: 'x', page: '0' }, 'SEARCH_INVALID')
      await rejects({ q: ['a', 'b'] }, 'SEARCH_INVALID')
    })

    it('pages through results', async () => {
      for (let i = 0; i < 12; i++) await publish({ title: `Pangolin item ${i}`, body: [paragraph('Pangolinesque.')] }, new Date(Date.UTC(2026, 0, 1, 8, i)).toISOString())
      const first = (await search({ q: 'pangolinesque' })) as Extract<SearchOutcome, { kind: 'results' }>
      expect(first.hits).toHaveLength(10)
      expect(first.hasNext).toBe(true)
      const second = (await search({ q: 'pangolinesque', page: '2' })) as Extract<SearchOutcome, { kind: 'results' }>
      expect(second.hits).toHaveLength(2)
      expect(second.hasNext).toBe(false)
      expect(new Set([...first.hits, ...second.hits].map((h) => h.article.id)).size).toBe(12)
    })

    // More matches than are ranked (the newest RANKED_MATCHES by publication time), published once for the tests below.
    let windowStories: Promise<{ old: Article; oldHeadline: Article; edge: Article }> | undefined
    const okapineWindow = () =>
      (windowStories ??= (async () => {
        const start = Date.UTC(2026, 1, 1, 6)
        const at = (minute: number) => new Date(start + minute * 60_000).toISOString()
        const old = await publish({ title: 'Archive piece', body: [paragraph('An okapine note from long ago.')] }, '2021-03-04T10:00:00.000Z')
        const oldHeadline = await publish({ title: 'Okapine census of 2019', body: [paragraph('Counted.')] }, '2019-05-06T10:00:00.000Z')
        // The oldest story of the window, and the best match in it (the word in its dek, not its headline).
        const edge = await publish({ title: 'Window edge', dek: 'Okapine herds return.', body: [paragraph('Plain words.')] }, at(0))
        for (let i = 1; i < RANKED_MATCHES; i++) await publish({ title: `Window filler ${i}`, body: [paragraph('An okapine mention.')] }, at(i))
        return { old, oldHeadline, edge }
      })())
    const resultsFor = async (input: Record<string, unknown>) => (await search(input)) as Extract<SearchOutcome, { kind: 'results' }>

    it('ranks the newest matches by publication time: an old story re-indexed later does not push a newer one out', { timeout: 120_000 }, async () => {
      const { old, edge } = await okapineWindow()
      const first = async () => (await resultsFor({ q: 'okapine' })).hits.map((h) => h.article.title)
      expect((await first())[0]).toBe(edge.title)
      // A correction (any re-index) of the old story keeps it where its publication time puts it.
      await t.container.articles.edit(old.id, { body: [paragraph('An okapine note from long ago, corrected.')] }, EDITOR)
      const after = await first()
      expect(after[0]).toBe(edge.title)
      expect(after).not.toContain(old.title)
    })

    it('past the newest matches, still reaches older headline matches and says that the rest were cut, with a date to search up to', { timeout: 120_000 }, async () => {
      const { old, oldHeadline } = await okapineWindow()
      const seen: string[] = []
      let outcome = await resultsFor({ q: 'okapine' })
      expect(outcome.cut).toEqual({ newest: RANKED_MATCHES, oldestDay: '2026-02-01' })
      for (let page = 2; outcome.hasNext; page++) {
        seen.push(...outcome.hits.map((h) => h.article.title))
        outcome = await resultsFor({ q: 'okapine', page: String(page) })
        expect(outcome.cut).not.toBeNull()
      }
      seen.push(...outcome.hits.map((h) => h.article.title))
      expect(seen).toHaveLength(RANKED_MATCHES + 1)
      expect(seen).toContain(oldHeadline.title)
      // A body match older than the window is left out; a date filter reaches it.
      expect(seen).not.toContain(old.title)
      const before = await resultsFor({ q: 'okapine', to: '2026-01-31' })
      expect(before.hits.map((h) => h.article.title).sort()).toEqual([old.title, oldHeadline.title].sort())
      expect(before.cut).toBeNull()
      // Phrases and several words work the same way in the headline window.
      expect((await resultsFor({ q: '"okapine census"' })).hits.map((h) => h.article.title)).toEqual([oldHeadline.title])
      expect((await resultsFor({ q: 'okapine', page: '26' })).hits.map((h) => h.article.title)).toContain(oldHeadline.title)
    })

    it('follows the story through its life: drafts and scheduled stories never, updates and corrections at once, gone when unpublished or withdrawn', async () => {
      const draft = await t.container.articles.createDraft(draftInput(world, { title: 'Capybarian draft' }), EDITOR)
      expect(await titles({ q: 'capybarian' })).toEqual([])
      const scheduled = await t.container.articles.createDraft(draftInput(world, { title: 'Capybarian scheduled' }), EDITOR)
      await t.container.articles.publish(scheduled.id, { at: new Date(Date.now() + 3600_000).toISOString() }, EDITOR)
      expect(await titles({ q: 'capybarian' })).toEqual([])

      const story = await t.container.articles.publish(draft.id, {}, EDITOR)
      expect(await titles({ q: 'capybarian' })).toEqual([story.title])

      await t.container.articles.edit(story.id, { body: [paragraph('Now about tapirology instead.')] }, EDITOR)
      expect(await titles({ q: 'tapirology' })).toEqual([story.title])
      await t.container.articles.correct(story.id, { text: 'The headline misnamed the story.', changes: { title: 'Capybarian story, corrected' } }, EDITOR)
      expect(await titles({ q: 'corrected capybarian' })).toEqual(['Capybarian story, corrected'])

      await t.container.articles.unpublish(story.id, { note: 'Gone.' }, EDITOR)
      expect(await titles({ q: 'capybarian' })).toEqual([])
      expect(await titles({ q: 'tapirology' })).toEqual([])

      await t.container.articles.publish(story.id, {}, EDITOR)
      expect(await titles({ q: 'tapirology' })).toEqual(['Capybarian story, corrected'])
      await t.container.articles.withdraw(story.id, { note: 'The agency killed it.' }, EDITOR)
      expect(await titles({ q: 'tapirology' })).toEqual([])
    })

    it('answers hostile queries clearly: engine syntax is plain text, nothing to search is "none", too long is invalid', async () => {
      const story = await publish({ title: 'Armadillo fair', body: [paragraph('The armadillo fair opened; NEAR the river.')] })
      const hostile = [
        'armadillo*',
        'armadillo OR',
        'NEAR(armadillo fair)',
        'armadillo:fair',
        '^armadillo',
        'armadillo -fair',
        '(armadillo',
        '"armadillo',
        'armadillo"',
        "armadillo';--",
        'armadillo \\ { } [ ] ~ ! @ # $ % & | < > ?',
      ]
      for (const q of hostile) expect(await titles({ q }), q).toContain(story.title)
      // Only operators, quotes or punctuation: nothing to search for, said plainly.
      for (const q of ['AND', 'OR NOT', 'NEAR', 'AND OR NOT NEAR', '*', '"', '""""', '()', '^-:*~', '   ', '']) {
        expect((await search({ q })).kind, q).toBe('none')
      }
      // In lower case, or inside quotes, they are words like any other.
      expect((await search({ q: 'near' })).kind).toBe('results')
      expect(await titles({ q: '"near the river"' })).toContain(story.title)
      await rejects({ q: 'a'.repeat(10_000) }, 'SEARCH_QUERY_TOO_LONG')
      await rejects({ q: 'word '.repeat(41) }, 'SEARCH_QUERY_TOO_LONG')
      await rejects({ q: Array.from({ length: 13 }, (_, i) => `w${i}`).join(' ') }, 'SEARCH_QUERY_TOO_LONG')
      // Broken UTF-16 (lone surrogates), replacement characters, controls and any script come back as an answer.
      for (const q of ['\uD800armadillo', 'armadillo\uDC00', '\uFFFDarmadillo\u0000', 'armadillo\u0002fair\u0003']) {
        expect(await titles({ q }), JSON.stringify(q)).toContain(story.title)
      }
      for (const q of ['北京 天气', '🙂', 'Ελλάδα', 'مرحبا', 'ǅ ﬁ ²']) {
        const outcome = await search({ q })
        expect(['results', 'none']).toContain(outcome.kind)
      }
    })
  })
}
