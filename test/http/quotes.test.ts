import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Block } from '../../src/articles/index.ts'
import { DEMO_CONTENT } from '../../src/db/seed/demo-content.ts'
import { speakerKey } from '../../src/quotes/index.ts'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { EDITOR as SYSTEM } from '../support/factories.ts'
import { parseHtml } from '../support/html.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const MODEL_SLUG = 'us-and-venezuelan-envoys-meet-in-barbados-for-talks-on-migration-and-oil'
const model = DEMO_CONTENT.articles.find((a) => a.slug === MODEL_SLUG)!
const modelQuotes = model.body.filter((b): b is Extract<Block, { type: 'quote' }> => b.type === 'quote')
const AUTHOR = { email: 'rita@ledger.example', password: 'rita the reporter' }
const EDITOR = { email: 'ed@ledger.example', password: 'ed the night editor' }

const quote = (speaker: string, text: string, givenTo?: string): Block => ({ type: 'quote', content: [{ text }], attribution: { speaker, ...(givenTo ? { givenTo } : {}) } })

for (const dialect of DIALECTS) {
  describe(`${dialect}: the quotes ledger`, () => {
    let t: TestServer
    let editor: AdminClient
    let author: AdminClient
    let editorId: string
    const merges = () => t.server.container.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'quote.speakers_merged').execute()

    beforeAll(async () => {
      t = await startTestServer(dialect, { wirePollSeconds: 0 })
      editorId = (await t.server.container.auth.createUser({ ...EDITOR, name: 'Ed Editor', role: 'editor' })).user.id
      await t.server.container.auth.createUser({ ...AUTHOR, name: 'Rita Reporter', role: 'author' })
      editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      author = new AdminClient(t.url)
      await author.signIn(AUTHOR.email, AUTHOR.password)
    })
    afterAll(async () => t?.cleanup())

    async function page(path: string) {
      const response = await t.fetch(path)
      const html = await response.text()
      return { response, html, $: parseHtml(html) }
    }

    async function publish(title: string, body: Block[], at?: string) {
      const { container } = t.server
      const staff = (await container.authors.findBySlug('staff'))!
      const politics = (await container.sections.listSections()).find((s) => s.slug === 'politics')!
      const source = (await container.sources.findBySlug('staff'))!
      const draft = await container.articles.createDraft({ title, body, sectionIds: [politics.id], authorIds: [staff.id], tagIds: [], sourceId: source.id }, SYSTEM)
      return container.articles.publish(draft.id, at ? { at } : {}, SYSTEM)
    }

    it('quotes on an article link to the speaker’s page, which lists what they said, to whom, and in which story', async () => {
      const article = await page(`/articles/${MODEL_SLUG}`)
      const links = article.$('.article-body figure.quote cite a').map((_, a) => article.$(a).attr('href')).get()
      expect(links).toEqual(modelQuotes.map((q) => `/quotes/${speakerKey(q.attribution.speaker)}`))

      const first = modelQuotes[0]!
      const speaker = await page(links[0]!)
      expect(speaker.response.status).toBe(200)
      expect(speaker.$('h1').text()).toBe(first.attribution.speaker)
      const entry = speaker.$('.quote-ledger li').first()
      expect(entry.find('blockquote').text()).toBe(first.content.map((c) => c.text).join(''))
      expect(entry.find('figcaption').text()).toContain(first.attribution.givenTo!)
      expect(entry.find('.meta a').attr('href')).toBe(`/articles/${MODEL_SLUG}`)

      const index = await page('/quotes')
      expect(index.$('.speaker-list a').map((_, a) => index.$(a).text()).get()).toContain(first.attribution.speaker)
    })

    it('puts Quotation items in the article’s JSON-LD', async () => {
      const { $ } = await page(`/articles/${MODEL_SLUG}`)
      const ld = JSON.parse($('script[type="application/ld+json"]').first().html()!)
      expect(ld.hasPart).toHaveLength(modelQuotes.length)
      expect(ld.hasPart[0]).toMatchObject({
        '@type': 'Quotation',
        text: modelQuotes[0]!.content.map((c) => c.text).join(''),
        spokenByCharacter: { '@type': 'Person', name: modelQuotes[0]!.attribution.speaker, url: `${t.url}/quotes/${speakerKey(modelQuotes[0]!.attribution.speaker)}` },
      })
    })

    it('gives a speaker’s page JSON-LD: a ProfilePage about the Person, with each quote as a Quotation of the story it is part of', async () => {
      const first = modelQuotes[0]!
      const key = speakerKey(first.attribution.speaker)
      const ldOf = async (path: string) => {
        const { $ } = await page(path)
        return $('script[type="application/ld+json"]')
          .map((_, s) => JSON.parse($(s).html()!))
          .get()
          .find((b) => b['@type'] === 'ProfilePage')
      }
      const ld = await ldOf(`/quotes/${key}`)
      const person = { '@type': 'Person', '@id': `${t.url}/quotes/${key}#person`, name: first.attribution.speaker, url: `${t.url}/quotes/${key}` }
      expect(ld['@context']).toBe('https://schema.org')
      expect(ld.url).toBe(`${t.url}/quotes/${key}`)
      expect(ld.mainEntity).toEqual(person)
      expect(ld.hasPart).toEqual([
        {
          '@type': 'Quotation',
          text: first.content.map((c) => c.text).join(''),
          spokenByCharacter: person,
          dateCreated: first.attribution.date,
          isPartOf: { '@type': 'NewsArticle', headline: model.title, url: `${t.url}/articles/${MODEL_SLUG}`, datePublished: new Date(model.publishedAt).toISOString() },
        },
      ])
      // An undated quote has no dateCreated (never guessed); a story taken down leaves no Quotation behind.
      const kept = await publish('Ledger LD one', [quote('Bertil Okonjo', 'Undated words.')], '2026-04-01T10:00:00.000Z')
      const gone = await publish('Ledger LD two', [quote('Bertil Okonjo', 'Words to be pulled.')], '2026-04-02T10:00:00.000Z')
      await t.server.container.articles.unpublish(gone.id, { note: 'Pulled.' }, SYSTEM)
      const undated = await ldOf('/quotes/bertil-okonjo')
      expect(undated.hasPart).toHaveLength(1)
      expect(undated.hasPart[0].text).toBe('Undated words.')
      expect(undated.hasPart[0]).not.toHaveProperty('dateCreated')
      expect(undated.hasPart[0].isPartOf.url).toBe(`${t.url}/articles/${kept.slug}`)
    })

    it('lists newest first, follows stories taken down, and lets editors merge two spellings', async () => {
      const older = await publish('Ledger story one', [quote('Dr. Amara Quist', 'First words on the matter.', 'reporters')], '2026-03-01T10:00:00.000Z')
      await publish('Ledger story two', [quote('Amara Quist', 'Second words, later.', 'ACP')], '2026-03-05T10:00:00.000Z')
      const gone = await publish('Ledger story three', [quote('Amara Quist', 'Words that will be withdrawn.')], '2026-03-06T10:00:00.000Z')
      await t.server.container.articles.unpublish(gone.id, { note: 'Pulled.' }, SYSTEM)

      const before = await page('/quotes/amara-quist')
      expect(before.$('.quote-ledger blockquote').map((_, b) => before.$(b).text()).get()).toEqual(['Second words, later.'])

      // Authors may not merge; editors may.
      expect((await author.get('/admin/quotes')).response.status).toBe(403)
      const form = await editor.get('/admin/quotes')
      expect(form.response.status).toBe(200)
      const csrf = form.$('input[name="_csrf"]').attr('value')!
      const same = await editor.post('/admin/quotes/merge', { _csrf: csrf, from: 'amara-quist', into: 'amara-quist' })
      expect(same.response.status).toBe(422)
      expect(same.$('#field-into-error').text()).toContain('different speaker')
      const unknown = await editor.post('/admin/quotes/merge', { _csrf: csrf, from: 'nobody-ever', into: 'amara-quist' })
      expect(unknown.response.status).toBe(422)
      // Refused merges leave nothing in the audit log.
      expect(await merges()).toEqual([])
      const merged = await editor.post('/admin/quotes/merge', { _csrf: csrf, from: 'dr-amara-quist', into: 'amara-quist' })
      expect(merged.response.status).toBe(200)
      expect(merged.$('[role="status"]').text()).toBe('Speakers merged.')
      const entries = await merges()
      expect(entries).toHaveLength(1)
      expect(entries[0]).toMatchObject({ actor_id: editorId, target_type: 'speaker', target_id: 'amara-quist' })
      expect(entries[0]!.summary).toBe('Merged Dr. Amara Quist (/quotes/dr-amara-quist) into Amara Quist (/quotes/amara-quist)')

      const after = await page('/quotes/amara-quist')
      expect(after.$('.quote-ledger blockquote').map((_, b) => after.$(b).text()).get()).toEqual(['Second words, later.', 'First words on the matter.'])
      // The merged spelling's page and its links on articles lead to the speaker kept.
      const moved = await t.fetch('/quotes/dr-amara-quist')
      expect(moved.status).toBe(301)
      expect(moved.headers.get('location')).toBe('/quotes/amara-quist')
      const article = await page(`/articles/${older.slug}`)
      expect(article.$('figure.quote cite a').attr('href')).toBe('/quotes/amara-quist')
      expect((await page('/quotes')).$('.speaker-list a').map((_, a) => parseHtml('')(a).text()).get().filter((n) => n.includes('Quist'))).toHaveLength(1)
      expect((await t.fetch('/quotes/no-such-speaker')).status).toBe(404)
    })
  })
}
