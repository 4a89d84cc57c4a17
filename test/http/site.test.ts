import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paragraph } from '../../src/articles/index.ts'
import { DEMO_CONTENT } from '../../src/db/seed/demo-content.ts'
import { PER_PAGE } from '../../src/site/pages.tsx'
import { DIALECTS } from '../support/dialects.ts'
import { EDITOR } from '../support/factories.ts'
import { parseHtml, textOf } from '../support/html.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const MODEL_SLUG = 'us-and-venezuelan-envoys-meet-in-barbados-for-talks-on-migration-and-oil'
const model = DEMO_CONTENT.articles.find((a) => a.slug === MODEL_SLUG)!
const corrected = DEMO_CONTENT.articles.find((a) => a.correction)!
const updated = DEMO_CONTENT.articles.find((a) => a.update)!
const renamed = DEMO_CONTENT.articles.find((a) => a.previousSlug)!
const withImage = DEMO_CONTENT.articles.find((a) => a.body.some((b) => b.type === 'image'))!

/** Timestamps are stored and shown in one canonical ISO form. */
const iso = (value: string) => new Date(value).toISOString()

/** Slugs of a section and all sections below it, from the demo tree. */
function subtree(slug: string): Set<string> {
  const out = new Set([slug])
  let grew = true
  while (grew) {
    grew = false
    for (const s of DEMO_CONTENT.sections) {
      if (s.parent && out.has(s.parent) && !out.has(s.slug)) {
        out.add(s.slug)
        grew = true
      }
    }
  }
  return out
}

function articleLinks($: ReturnType<typeof parseHtml>, scope: string): string[] {
  return $(`${scope} a[href^="/articles/"]`)
    .map((_, a) => $(a).attr('href')!.replace('/articles/', ''))
    .get()
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: public site over HTTP`, () => {
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

    it('the article page has every element of the model page', async () => {
      const { response, $ } = await page(`/articles/${MODEL_SLUG}`)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')

      // Section labels above the headline, in the article's order, each a link.
      const labels = $('.article-header nav[aria-label="Article sections"] a')
      expect(labels.map((_, a) => $(a).text()).get()).toEqual(['Latin America', 'Politics', 'USA'])
      expect(labels.map((_, a) => $(a).attr('href')).get()).toEqual(['/sections/latin-america', '/sections/politics', '/sections/usa'])

      // Headline as document title and page heading; exactly one h1.
      expect($('title').text()).toBe(`${model.title} | The Hemisphere Ledger`)
      expect($('h1')).toHaveLength(1)
      expect(textOf($, 'h1')).toBe(model.title)
      expect(textOf($, '.article-header .dek')).toBe(model.dek)

      // Credit line and the publication date, human and machine readable, in the site's zone.
      expect(textOf($, '.credit')).toBe('Source: ACP')
      const published = $('.dates time').first()
      expect(published.attr('datetime')).toBe(iso(model.publishedAt))
      expect(textOf($, '.dates')).toMatch(/^Published February 3, 2026 at 11:20\sAM EST$/)

      // The body: paragraphs, and three quotes each naming the speaker and the outlet.
      const bodyParagraphs = model.body.filter((b) => b.type === 'paragraph').length
      expect($('.article-body > p')).toHaveLength(bodyParagraphs)
      const quotes = $('.article-body figure.quote')
      expect(quotes).toHaveLength(3)
      const modelQuotes = model.body.filter((b) => b.type === 'quote')
      quotes.each((i, figure) => {
        const q = modelQuotes[i]!
        expect($(figure).find('blockquote').text()).toBe(q.content.map((r) => r.text).join(''))
        expect($(figure).find('cite').text()).toBe(q.attribution.speaker)
        if (q.attribution.givenTo) expect($(figure).find('figcaption').text()).toContain(q.attribution.givenTo)
      })

      // Byline at the end: the staff desk, linking to its page.
      const byline = $('.article-footer .byline a')
      expect(byline.text()).toBe('Hemisphere Ledger Staff')
      expect(byline.attr('href')).toBe('/authors/staff')

      // The disclaimer and the way to Contact Us.
      expect(textOf($, '.disclaimer')).toContain('do not necessarily reflect the views of the paper or its staff')
      expect($('.disclaimer a').attr('href')).toBe('/contact')

      // A few related stories, none of them this one.
      const related = articleLinks($, '.related')
      expect(related.length).toBeGreaterThan(0)
      expect(related.length).toBeLessThanOrEqual(4)
      expect(related).not.toContain(MODEL_SLUG)

      // One canonical URL, and structured data naming the headline.
      expect($('link[rel="canonical"]').attr('href')).toBe(`${t.url}/articles/${MODEL_SLUG}`)
      const jsonLd = JSON.parse($('script[type="application/ld+json"]').first().text())
      expect(jsonLd).toMatchObject({ '@type': 'NewsArticle', headline: model.title, datePublished: iso(model.publishedAt) })
    })

    it('shows "Updated" on an updated story and the corrections on a corrected one', async () => {
      const u = await page(`/articles/${updated.slug}`)
      const times = u.$('.dates time')
      expect(times).toHaveLength(2)
      expect(times.eq(1).attr('datetime')).toBe(iso(updated.update!.at))
      expect(textOf(u.$, '.dates')).toContain('Updated')
      expect(u.$('.corrections')).toHaveLength(0)

      const c = await page(`/articles/${corrected.slug}`)
      expect(textOf(c.$, '.corrections h2')).toBe('Corrections')
      expect(textOf(c.$, '.corrections li')).toContain(corrected.correction!.text)
      expect(c.$('.corrections time').attr('datetime')).toBe(iso(corrected.correction!.at))
    })

    it('renders images with caption and credit', async () => {
      const { $ } = await page(`/articles/${withImage.slug}`)
      const image = withImage.body.find((b) => b.type === 'image')!
      const figure = $('.article-body figure.image').first()
      expect(figure.find('img').attr('src')).toBe(image.src)
      expect(figure.find('img').attr('alt')).toBe(image.alt)
      if (image.caption) expect(figure.find('figcaption').text()).toContain(image.caption)
      if (image.credit) expect(figure.find('.image-credit').text().trim()).toBe(image.credit)
      const media = await t.fetch(image.src)
      expect(media.status).toBe(200)
      expect(media.headers.get('content-type')).toContain('image/svg+xml')
    })

    it('a renamed slug answers 301 to the canonical URL', async () => {
      const response = await t.fetch(`/articles/${renamed.previousSlug}`)
      expect(response.status).toBe(301)
      expect(response.headers.get('location')).toBe(`/articles/${renamed.slug}`)
    })

    it('the home page leads with the newest story, then each top-level section', async () => {
      const { response, $ } = await page('/')
      expect(response.status).toBe(200)
      const newest = [...DEMO_CONTENT.articles].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))[0]!
      expect(articleLinks($, '.lead')).toEqual([newest.slug])
      const blocks = $('.front-section h2').map((_, h) => $(h).text()).get()
      const topLevel = DEMO_CONTENT.sections.filter((s) => !s.parent).map((s) => s.name)
      expect(blocks.length).toBeGreaterThan(3)
      expect(topLevel).toEqual(expect.arrayContaining(blocks))
      // Each block holds only stories of that section's subtree.
      $('.front-section').each((_, section) => {
        const name = $(section).find('h2').text()
        const slug = DEMO_CONTENT.sections.find((s) => s.name === name)!.slug
        const allowed = subtree(slug)
        for (const storySlug of articleLinks($, `#${$(section).attr('aria-labelledby')} ~ ol`)) {
          const story = DEMO_CONTENT.articles.find((a) => a.slug === storySlug)!
          expect(story.sections.some((s) => allowed.has(s))).toBe(true)
        }
      })
    })

    it('a section page lists its own and its sub-sections’ stories, newest first', async () => {
      const { $ } = await page('/sections/latin-america')
      expect(textOf($, 'h1')).toBe('Latin America')
      expect(textOf($, '.page-header .description')).toBe(DEMO_CONTENT.sections.find((s) => s.slug === 'latin-america')!.description)
      const allowed = subtree('latin-america')
      const expected = DEMO_CONTENT.articles
        .filter((a) => a.sections.some((s) => allowed.has(s)))
        .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))
        .map((a) => a.slug)
      expect(articleLinks($, '.story-list')).toEqual(expected.slice(0, PER_PAGE))
      // A sub-section links back up through a breadcrumb.
      const usa = await page('/sections/venezuela')
      expect(usa.$('nav[aria-label="Breadcrumb"] a').map((_, a) => usa.$(a).text()).get()).toEqual(['Latin America', 'Venezuela'])
    })

    it('paginates with limit+1 and rejects bad page numbers without a 500', async () => {
      const container = t.server.container
      const section = (await container.sections.listSections()).find((s) => s.slug === 'science')!
      const staff = await container.authors.findBySlug('staff')
      const source = await container.sources.findBySlug('staff')
      const before = await container.articles.listPublished({ sectionIds: [section.id] }, { page: 1, perPage: 100 })
      for (let i = 0; i < PER_PAGE + 5 - before.items.length; i++) {
        const draft = await container.articles.createDraft(
          { title: `Pagination filler ${i}`, body: [paragraph('Filler.')], sectionIds: [section.id], authorIds: [staff!.id], sourceId: source!.id },
          EDITOR,
        )
        await container.articles.publish(draft.id, { at: `2025-06-${String(i + 1).padStart(2, '0')}T12:00:00Z` }, EDITOR)
      }
      const first = await page('/sections/science')
      expect(articleLinks(first.$, '.story-list')).toHaveLength(PER_PAGE)
      expect(first.$('a[rel="next"]').attr('href')).toBe('/sections/science?page=2')
      expect(first.$('a[rel="prev"]')).toHaveLength(0)
      const second = await page('/sections/science?page=2')
      expect(second.response.status).toBe(200)
      expect(articleLinks(second.$, '.story-list')).toHaveLength(5)
      expect(second.$('a[rel="next"]')).toHaveLength(0)
      expect(second.$('a[rel="prev"]').attr('href')).toBe('/sections/science')
      const firstPage = new Set(articleLinks(first.$, '.story-list'))
      expect(articleLinks(second.$, '.story-list').some((s) => firstPage.has(s))).toBe(false)

      expect((await t.fetch('/sections/science?page=3')).status).toBe(404)
      for (const bad of ['abc', '0', '-1', '1.5', '99999999', '%00']) {
        const response = await t.fetch(`/sections/science?page=${bad}`)
        expect(response.status, `page=${bad}`).toBe(400)
        expect(response.headers.get('content-type')).toContain('text/html')
      }
      expect((await t.fetch('/sections/science?page=1&page=2')).status).toBe(400)
    })

    it('author and tag pages list their stories', async () => {
      const author = DEMO_CONTENT.authors.find((a) => a.kind === 'person' && DEMO_CONTENT.articles.some((s) => s.authors.includes(a.slug)))!
      const a = await page(`/authors/${author.slug}`)
      expect(textOf(a.$, 'h1')).toBe(author.name)
      const theirs = DEMO_CONTENT.articles.filter((s) => s.authors.includes(author.slug)).map((s) => s.slug)
      expect(new Set(articleLinks(a.$, '.story-list'))).toEqual(new Set(theirs))

      const tag = DEMO_CONTENT.tags.find((tg) => DEMO_CONTENT.articles.some((s) => s.tags.includes(tg.slug)))!
      const tg = await page(`/tags/${tag.slug}`)
      expect(textOf(tg.$, 'h1')).toBe(tag.name)
      const tagged = DEMO_CONTENT.articles.filter((s) => s.tags.includes(tag.slug)).map((s) => s.slug)
      expect(new Set(articleLinks(tg.$, '.story-list'))).toEqual(new Set(tagged))
    })

    it('the contact page shows the contact text from settings', async () => {
      const { response, $ } = await page('/contact')
      expect(response.status).toBe(200)
      expect(textOf($, 'h1')).toBe('Contact us')
      const settings = await t.server.container.settings.get()
      expect($('main').text()).toContain(settings.contactText.split('\n')[0]!)
    })

    it('unknown pages answer a friendly 404 page', async () => {
      for (const path of ['/articles/no-such-story', '/sections/atlantis', '/authors/nobody', '/tags/nothing', '/no/such/path', '/articles/BAD%20SLUG']) {
        const { response, $ } = await page(path)
        expect(response.status, path).toBe(404)
        expect(textOf($, 'h1')).toBe('Page not found')
        expect($('a[href="/"]').length).toBeGreaterThan(0)
      }
    })

    it('a draft or unpublished story is not public', async () => {
      const c = t.server.container
      const staff = await c.authors.findBySlug('staff')
      const source = await c.sources.findBySlug('staff')
      const section = (await c.sections.listSections())[0]!
      const draft = await c.articles.createDraft(
        { title: 'Embargoed draft', body: [paragraph('Secret.')], sectionIds: [section.id], authorIds: [staff!.id], sourceId: source!.id },
        EDITOR,
      )
      expect((await t.fetch(`/articles/${draft.slug}`)).status).toBe(404)
      await c.articles.publish(draft.id, {}, EDITOR)
      expect((await t.fetch(`/articles/${draft.slug}`)).status).toBe(200)
      await c.articles.unpublish(draft.id, { note: 'Taken down for a test.' }, EDITOR)
      // The page cache must not keep serving it.
      expect((await t.fetch(`/articles/${draft.slug}`)).status).toBe(404)
    })

    it('serves cached pages whatever the tracking parameters, keeps them through draft work, and drops them on publish', async () => {
      const c = t.server.container
      const first = await t.fetch('/')
      const etag = first.headers.get('etag')
      const tagline = textOf(parseHtml(await first.text()), '.tagline')
      // A settings change reaches pages only when they are rendered again.
      await c.settings.update({ tagline: 'A tagline nobody has seen yet' })
      const tracked = await t.fetch('/?utm_source=newsletter&utm_medium=email')
      expect(tracked.headers.get('etag')).toBe(etag)
      expect(textOf(parseHtml(await tracked.text()), '.tagline')).toBe(tagline)

      const staff = await c.authors.findBySlug('staff')
      const source = await c.sources.findBySlug('staff')
      const section = (await c.sections.listSections())[0]!
      const draft = await c.articles.createDraft(
        { title: 'Breaking: a story for the lead', body: [paragraph('News.')], sectionIds: [section.id], authorIds: [staff!.id], sourceId: source!.id },
        EDITOR,
      )
      expect((await t.fetch('/')).headers.get('etag')).toBe(etag)

      await c.articles.publish(draft.id, {}, EDITOR)
      const after = await t.fetch('/')
      expect(after.headers.get('etag')).not.toBe(etag)
      expect(articleLinks(parseHtml(await after.text()), '.lead')).toEqual([draft.slug])
      await c.settings.update({ tagline })
    })

    it('escapes everything it renders', async () => {
      const c = t.server.container
      const staff = await c.authors.findBySlug('staff')
      const source = await c.sources.findBySlug('staff')
      const section = (await c.sections.listSections())[0]!
      const draft = await c.articles.createDraft(
        {
          title: '<script>alert("x")</script> & more',
          slug: 'escaping-probe',
          dek: '"quoted" <b>bold</b>',
          body: [{ type: 'paragraph', content: [{ text: '<img src=x onerror=alert(1)>' }] }],
          sectionIds: [section.id],
          authorIds: [staff!.id],
          sourceId: source!.id,
        },
        EDITOR,
      )
      await c.articles.publish(draft.id, {}, EDITOR)
      const { html, $ } = await page('/articles/escaping-probe')
      expect(html).not.toContain('<script>alert')
      expect(html).not.toContain('<img src=x')
      expect(textOf($, 'h1')).toBe('<script>alert("x")</script> & more')
      expect($('.article-body img')).toHaveLength(0)
      expect($('script:not([type="application/ld+json"])')).toHaveLength(0)
      expect($('script[type="application/ld+json"]').html()).not.toContain('</script')
    })

    it('every page carries ETag and Cache-Control, answers 304 when unchanged, and compresses', async () => {
      const first = await t.fetch(`/articles/${MODEL_SLUG}`)
      const etag = first.headers.get('etag')
      expect(etag).toMatch(/^W\/".+"$/)
      expect(first.headers.get('cache-control')).toBe('public, max-age=60, s-maxage=60, stale-while-revalidate=300')
      // A CDN can purge the page by what it shows: the story itself, and the stories it links to as related.
      const surrogate = first.headers.get('surrogate-key')!.split(' ')
      expect(surrogate).toContain(`slug:${MODEL_SLUG}`)
      expect(surrogate.filter((key) => key.startsWith('story:art_')).length).toBeGreaterThan(1)
      const again = await t.fetch(`/articles/${MODEL_SLUG}`, { headers: { 'if-none-match': etag! } })
      expect(again.status).toBe(304)
      expect(await again.text()).toBe('')

      // /contact is left out: its forms carry a fresh token, so it is never cached (test/http/reader-forms.test.ts).
      for (const path of ['/', '/sections/politics', '/feeds', '/authors/staff']) {
        const response = await t.fetch(path)
        expect(response.headers.get('etag'), path).toBeTruthy()
        expect(response.headers.get('cache-control'), path).toContain('max-age=')
      }

      // fetch() would decode transparently; ask with node:http semantics through a raw header check.
      const { request } = await import('node:http')
      const body = await new Promise<{ encoding: string | undefined; bytes: Buffer }>((resolve, reject) => {
        const req = request(`${t.url}/`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], bytes: Buffer.concat(chunks) }))
        })
        req.on('error', reject)
        req.end()
      })
      expect(body.encoding).toBe('gzip')
      expect(gunzipSync(body.bytes).toString('utf8')).toContain('<!doctype html>')

      // One stylesheet, cached for a year under a content hash.
      const { $ } = await page('/')
      const css = $('link[rel="stylesheet"]')
      expect(css).toHaveLength(1)
      const cssResponse = await t.fetch(css.attr('href')!)
      expect(cssResponse.status).toBe(200)
      expect(cssResponse.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
      expect(await cssResponse.text()).toContain('@media print')
      // No client framework on public pages.
      expect($('script:not([type="application/ld+json"])')).toHaveLength(0)
    })

    it('health and readiness answer', async () => {
      expect((await t.fetch('/healthz')).status).toBe(200)
      const ready = await t.fetch('/readyz')
      expect(ready.status).toBe(200)
      expect(await ready.json()).toEqual({ status: 'ready' })
    })
  })
}
