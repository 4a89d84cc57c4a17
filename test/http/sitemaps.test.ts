import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CONTENT } from '../../src/db/seed/demo-content.ts'
import { DIALECTS } from '../support/dialects.ts'
import { EDITOR } from '../support/factories.ts'
import { parseXml } from '../support/html.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'
import { SITEMAP_SCHEMAS, validateXml } from '../support/xmllint.ts'

for (const dialect of DIALECTS) {
  describe(`${dialect}: robots.txt and sitemaps`, () => {
    let t: TestServer

    beforeAll(async () => {
      t = await startTestServer(dialect)
    })
    afterAll(async () => t?.cleanup())

    async function get(path: string, init?: RequestInit) {
      const response = await t.fetch(path, init)
      return { response, body: await response.text() }
    }

    function locs(xml: string): string[] {
      const $ = parseXml(xml)
      return $('loc').map((_, e) => $(e).text()).get()
    }

    it('robots.txt keeps crawlers out of the admin, previews and search, and names the sitemap index', async () => {
      const { response, body } = await get('/robots.txt')
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
      const lines = body.split('\n')
      expect(lines[0]).toBe('User-agent: *')
      for (const path of ['/admin', '/preview/', '/search']) expect(lines).toContain(`Disallow: ${path}`)
      expect(lines).toContain(`Sitemap: ${t.url}/sitemap.xml`)
    })

    it('the index and every sitemap it lists validate against the sitemaps.org schemas', async () => {
      const index = await get('/sitemap.xml')
      expect(index.response.status).toBe(200)
      expect(index.response.headers.get('content-type')).toBe('application/xml; charset=utf-8')
      const checked = validateXml(index.body, SITEMAP_SCHEMAS.index)
      expect(checked.output).toContain('validates')
      expect(checked.ok).toBe(true)
      const listed = locs(index.body)
      expect(listed).toEqual([
        `${t.url}/sitemaps/articles-1.xml`,
        `${t.url}/sitemaps/sections.xml`,
        `${t.url}/sitemaps/authors.xml`,
        `${t.url}/sitemaps/tags.xml`,
        `${t.url}/sitemaps/news.xml`,
      ])
      for (const loc of listed) {
        const { response, body } = await get(loc.slice(t.url.length))
        expect(response.status, loc).toBe(200)
        const result = validateXml(body, loc.endsWith('news.xml') ? SITEMAP_SCHEMAS.news : SITEMAP_SCHEMAS.urlset)
        expect(result.ok, `${loc}: ${result.output}`).toBe(true)
      }
    })

    it('the article sitemap lists every published story once, with its last change', async () => {
      const { response, body } = await get('/sitemaps/articles-1.xml')
      const $ = parseXml(body)
      const urls = $('url')
        .map((_, u) => ({ loc: $(u).find('loc').text(), lastmod: $(u).find('lastmod').text() }))
        .get()
      expect(urls.map((u) => u.loc).sort()).toEqual(DEMO_CONTENT.articles.map((a) => `${t.url}/articles/${a.slug}`).sort())
      const corrected = DEMO_CONTENT.articles.find((a) => a.correction)!
      const entry = urls.find((u) => u.loc.endsWith(`/articles/${corrected.slug}`))!
      expect(entry.lastmod >= new Date(corrected.publishedAt).toISOString()).toBe(true)
      // Article sitemaps are streamed, with Last-Modified for conditional requests.
      const lastModified = response.headers.get('last-modified')!
      expect((await get('/sitemaps/articles-1.xml', { headers: { 'if-modified-since': lastModified } })).response.status).toBe(304)
    })

    it('section, author and tag sitemaps list the pages that have stories', async () => {
      const sections = locs((await get('/sitemaps/sections.xml')).body)
      expect(sections[0]).toBe(`${t.url}/`)
      for (const s of DEMO_CONTENT.sections) expect(sections).toContain(`${t.url}/sections/${s.slug}`)
      const authors = locs((await get('/sitemaps/authors.xml')).body)
      const bylined = new Set(DEMO_CONTENT.articles.flatMap((a) => a.authors))
      expect(authors.sort()).toEqual([...bylined].map((slug) => `${t.url}/authors/${slug}`).sort())
      const tags = locs((await get('/sitemaps/tags.xml')).body)
      const used = new Set(DEMO_CONTENT.articles.flatMap((a) => a.tags))
      expect(tags.sort()).toEqual([...used].map((slug) => `${t.url}/tags/${slug}`).sort())
    })

    it('the news sitemap holds the last 48 hours: a story published now is in it, with name, language, date and title', async () => {
      const { container } = t.server
      const staff = (await container.authors.findBySlug('staff'))!
      const politics = (await container.sections.listSections()).find((s) => s.slug === 'politics')!
      const source = (await container.sources.findBySlug('staff'))!
      const draft = await container.articles.createDraft(
        { title: 'Fresh & news', body: [{ type: 'paragraph', content: [{ text: 'Now.' }] }], sectionIds: [politics.id], authorIds: [staff.id], tagIds: [], sourceId: source.id },
        EDITOR,
      )
      const story = await container.articles.publish(draft.id, {}, EDITOR)
      const { body } = await get('/sitemaps/news.xml')
      const result = validateXml(body, SITEMAP_SCHEMAS.news)
      expect(result.ok, result.output).toBe(true)
      const $ = parseXml(body)
      const urls = $('url')
      // The demo paper's stories are older than two days (the clock is real), so only the new one is news.
      expect(urls).toHaveLength(1)
      expect(urls.find('loc').text()).toBe(`${t.url}/articles/${story.slug}`)
      expect(urls.find('news\\:name').text()).toBe('The Hemisphere Ledger')
      expect(urls.find('news\\:language').text()).toBe('en')
      expect(urls.find('news\\:publication_date').text()).toBe(story.publishedAt)
      expect(urls.find('news\\:title').text()).toBe('Fresh & news')

      // Unpublished, it leaves every sitemap.
      await container.articles.unpublish(story.id, { note: 'Test.' }, EDITOR)
      expect(locs((await get('/sitemaps/news.xml')).body)).not.toContain(`${t.url}/articles/${story.slug}`)
      expect(locs((await get('/sitemaps/articles-1.xml')).body)).not.toContain(`${t.url}/articles/${story.slug}`)
    })

    it('a story taken down moves the sitemaps’ Last-Modified and the chunk’s lastmod: an If-Modified-Since client is not told 304', async () => {
      const { container } = t.server
      const staff = (await container.authors.findBySlug('staff'))!
      const politics = (await container.sections.listSections()).find((s) => s.slug === 'politics')!
      const source = (await container.sources.findBySlug('staff'))!
      const draft = await container.articles.createDraft(
        { title: 'Soon gone', body: [{ type: 'paragraph', content: [{ text: 'Gone.' }] }], sectionIds: [politics.id], authorIds: [staff.id], tagIds: [], sourceId: source.id },
        EDITOR,
      )
      const story = await container.articles.publish(draft.id, {}, EDITOR)
      const paths = ['/sitemap.xml', '/sitemaps/articles-1.xml']
      const seen = new Map<string, string>()
      for (const path of paths) seen.set(path, (await get(path)).response.headers.get('last-modified')!)
      const lastmodBefore = parseXml((await get('/sitemap.xml')).body)('sitemap lastmod').first().text()
      // HTTP dates count whole seconds.
      await new Promise((resolve) => setTimeout(resolve, 1100))
      await container.articles.unpublish(story.id, { note: 'Test.' }, EDITOR)
      for (const path of paths) {
        const again = await get(path, { headers: { 'if-modified-since': seen.get(path)! } })
        expect(again.response.status, path).toBe(200)
        expect(again.body).not.toContain(story.slug)
        expect(Date.parse(again.response.headers.get('last-modified')!), path).toBeGreaterThan(Date.parse(seen.get(path)!))
      }
      // The index tells crawlers the chunk changed.
      const lastmodAfter = parseXml((await get('/sitemap.xml')).body)('sitemap lastmod').first().text()
      expect(Date.parse(lastmodAfter)).toBeGreaterThan(Date.parse(lastmodBefore))
    })

    it('a sitemap past the last, or a name that is not ours, is a 404', async () => {
      for (const path of ['/sitemaps/articles-2.xml', '/sitemaps/articles-0.xml', '/sitemaps/articles-x.xml', '/sitemaps/other.xml']) {
        expect((await get(path)).response.status, path).toBe(404)
      }
    })
  })
}
