import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paragraph } from '../../src/articles/index.ts'
import { DEMO_CONTENT } from '../../src/db/seed/demo-content.ts'
import { RANKED_MATCHES } from '../../src/search/index.ts'
import { DIALECTS } from '../support/dialects.ts'
import { EDITOR } from '../support/factories.ts'
import { parseHtml, textOf } from '../support/html.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const MODEL_SLUG = 'us-and-venezuelan-envoys-meet-in-barbados-for-talks-on-migration-and-oil'
const model = DEMO_CONTENT.articles.find((a) => a.slug === MODEL_SLUG)!

for (const dialect of DIALECTS) {
  describe(`${dialect}: search over HTTP`, () => {
    let t: TestServer

    beforeAll(async () => {
      t = await startTestServer(dialect)
    })
    afterAll(async () => t?.cleanup())

    async function page(path: string) {
      const response = await t.fetch(path)
      const html = await response.text()
      return { response, html, $: parseHtml(html) }
    }

    it('finds the demo paper’s stories (indexed as they were seeded) and keeps the query in the box', async () => {
      const { response, $ } = await page('/search?q=Whitcombe%20licences')
      expect(response.status).toBe(200)
      expect(response.headers.get('x-robots-tag')).toBe('noindex')
      expect($('input[name="q"]').attr('value')).toBe('Whitcombe licences')
      expect($('.search-results h3 a').first().attr('href')).toBe(`/articles/${MODEL_SLUG}`)
      expect($('.search-results h3 a').first().text()).toBe(model.title)
      expect($('.snippet mark').length).toBeGreaterThan(0)
    })

    it('finds a story by a quoted speaker and a phrase, with filters from the form', async () => {
      const { $ } = await page('/search?q=%22Elena+Ruiz+Tavares%22&section=latin-america&author=&credit=acp&from=&to=')
      expect($('.search-results h3 a').map((_, a) => $(a).attr('href')).get()).toContain(`/articles/${MODEL_SLUG}`)
      expect($('#search-section option[selected]').attr('value')).toBe('latin-america')
      expect($('#search-credit option[selected]').attr('value')).toBe('acp')
    })

    it('escapes everything: the query in the box and the page, markup in a story’s text in snippets', async () => {
      const { container } = t.server
      const staff = (await container.authors.findBySlug('staff'))!
      const politics = (await container.sections.listSections()).find((s) => s.slug === 'politics')!
      const source = (await container.sources.findBySlug('staff'))!
      const draft = await container.articles.createDraft(
        { title: 'Escaping test', body: [paragraph('A <img src=x onerror=alert(1)> zanzibarian tale.')], sectionIds: [politics.id], authorIds: [staff.id], tagIds: [], sourceId: source.id },
        EDITOR,
      )
      await container.articles.publish(draft.id, {}, EDITOR)
      const { html, $ } = await page('/search?q=zanzibarian%20%3Cscript%3Ealert(1)%3C%2Fscript%3E')
      expect(html).not.toContain('<script>alert(1)')
      expect(html).not.toContain('<img src=x')
      expect($('input[name="q"]').attr('value')).toBe('zanzibarian <script>alert(1)</script>')
      const found = await page('/search?q=zanzibarian')
      expect(found.$('.snippet').text()).toContain('<img src=x onerror=alert(1)>')
      expect(found.$('.snippet img')).toHaveLength(0)
      expect(found.$('.snippet mark').text().toLowerCase()).toBe('zanzibarian')
    })

    it('tells the reader, on the page and in the JSON, when results were cut to the newest matches, with a link to search before them', { timeout: 120_000 }, async () => {
      const { container } = t.server
      const staff = (await container.authors.findBySlug('staff'))!
      const politics = (await container.sections.listSections()).find((s) => s.slug === 'politics')!
      const source = (await container.sources.findBySlug('staff'))!
      const start = Date.UTC(2026, 2, 10, 8)
      for (let i = 0; i <= RANKED_MATCHES; i++) {
        const draft = await container.articles.createDraft(
          { title: `Cut test ${i}`, body: [paragraph('A tamarindine story.')], sectionIds: [politics.id], authorIds: [staff.id], tagIds: [], sourceId: source.id },
          EDITOR,
        )
        await container.articles.publish(draft.id, { at: new Date(start + i * 60_000).toISOString() }, EDITOR)
      }
      const { $ } = await page('/search?q=tamarindine&section=politics')
      expect(textOf($, '.search-results .search-cut')).toContain(`only the newest ${RANKED_MATCHES}`)
      // The oldest ranked story is the second one published (the first fell out), on 10 March.
      expect($('.search-results .search-cut a').attr('href')).toBe('/search?q=tamarindine&section=politics&to=2026-03-10')
      const json = await (await t.fetch('/api/search?q=tamarindine')).json()
      expect(json.cut).toEqual({ newest: RANKED_MATCHES, oldestDay: '2026-03-10' })
      // A rare word is ranked in full: no note.
      expect((await page('/search?q=tamarindine&to=2026-03-09')).$('.search-cut')).toHaveLength(0)
      expect((await (await t.fetch('/api/search?q=zanzibarian')).json()).cut).toBeNull()
    })

    it('says so plainly when nothing matches, when there is nothing to search for, and when the query is too long', async () => {
      const none = await page('/search?q=qwxzyplonk')
      expect(none.response.status).toBe(200)
      expect(textOf(none.$, '.search-results h2')).toBe('No stories match “qwxzyplonk”')
      const empty = await page('/search?q=%22%22%20AND%20*')
      expect(empty.response.status).toBe(200)
      expect(textOf(empty.$, '[role="status"]')).toContain('nothing to search for')
      const blank = await page('/search')
      expect(blank.response.status).toBe(200)
      expect(blank.$('.search-results')).toHaveLength(0)
      const long = await page(`/search?q=${'a'.repeat(10_000)}`)
      expect(long.response.status).toBe(422)
      expect(textOf(long.$, '.form-problem')).toContain('at most 200 characters')
      expect(long.$('input[name="q"]').attr('value')).toHaveLength(200)
      expect(long.$('#search-q').attr('aria-invalid')).toBe('true')
    })

    it('answers hostile input with a page, never a 500', async () => {
      const cases = [
        '/search?q=%FF%FE',
        '/search?q=%ED%A0%80abc',
        '/search?q=%C0%AF',
        '/search?q=NEAR(a%20b)%20OR%20title%3A*',
        '/search?q=%E5%8C%97%E4%BA%AC',
        '/search?q=a&q=b',
        '/search?q=x&section=atlantis',
        '/search?q=x&from=tomorrow',
        '/search?q=x&page=0',
        '/search?q=x&page=99999999',
        '/search?q=x&utm_source=feed',
      ]
      for (const path of cases) {
        const { response, $ } = await page(path)
        expect(response.status, path).toBeLessThan(500)
        expect([200, 400, 422], path).toContain(response.status)
        expect($('h1').text(), path).toBe('Search')
      }
      const unknown = await page('/search?q=x&section=atlantis')
      expect(unknown.response.status).toBe(422)
      expect(textOf(unknown.$, '#section-error')).toBe('There is no section “atlantis”.')
    })

    it('answers JSON at /api/search, with problem+json for refused input', async () => {
      const ok = await t.fetch('/api/search?q=Whitcombe')
      expect(ok.status).toBe(200)
      expect(ok.headers.get('content-type')).toBe('application/json; charset=utf-8')
      const body = await ok.json()
      expect(body.results[0]).toMatchObject({ title: model.title, url: `${t.url}/articles/${MODEL_SLUG}` })
      expect(body.results[0].snippet.some((p: { match: boolean; text: string }) => p.match && p.text === 'Whitcombe')).toBe(true)
      const bad = await t.fetch(`/api/search?q=${'b'.repeat(10_000)}`)
      expect(bad.status).toBe(422)
      expect(bad.headers.get('content-type')).toBe('application/problem+json; charset=utf-8')
      expect(await bad.json()).toMatchObject({ code: 'SEARCH_QUERY_TOO_LONG', status: 422, issues: [{ path: 'q' }] })
      const unknown = await t.fetch('/api/search?q=x&author=nobody-here')
      expect(await unknown.json()).toMatchObject({ code: 'SEARCH_FILTER_UNKNOWN', issues: [{ path: 'author' }] })
    })
  })
}
