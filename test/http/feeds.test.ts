import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { paragraph } from '../../src/articles/index.ts'
import { DEMO_CONTENT } from '../../src/db/seed/demo-content.ts'
import { FEED_SIZE } from '../../src/feeds/index.ts'
import { DIALECTS } from '../support/dialects.ts'
import { EDITOR } from '../support/factories.ts'
import { feedparse } from '../support/feedparser.ts'
import { parseHtml } from '../support/html.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const MODEL_SLUG = 'us-and-venezuelan-envoys-meet-in-barbados-for-talks-on-migration-and-oil'
const model = DEMO_CONTENT.articles.find((a) => a.slug === MODEL_SLUG)!
const corrected = DEMO_CONTENT.articles.find((a) => a.correction)!
const withImage = DEMO_CONTENT.articles.find((a) => a.body.some((b) => b.type === 'image'))!

/** JSON Feed 1.1 (jsonfeed.org/version/1.1): the required members and the types of the ones we send. */
const JsonFeedAuthor = z.object({ name: z.string().optional(), url: z.string().url().optional(), avatar: z.string().url().optional() }).refine((a) => a.name || a.url || a.avatar, 'an author needs a name, url or avatar')
const JsonFeedItem = z
  .object({
    id: z.string().min(1),
    url: z.string().url().optional(),
    title: z.string().optional(),
    content_html: z.string().optional(),
    content_text: z.string().optional(),
    summary: z.string().optional(),
    image: z.string().url().optional(),
    date_published: z.string().datetime({ offset: true }).optional(),
    date_modified: z.string().datetime({ offset: true }).optional(),
    authors: z.array(JsonFeedAuthor).optional(),
    tags: z.array(z.string()).optional(),
    attachments: z.array(z.object({ url: z.string().url(), mime_type: z.string().min(1), title: z.string().optional() })).optional(),
  })
  .catchall(z.unknown())
  .refine((i) => i.content_html !== undefined || i.content_text !== undefined, 'an item needs content_html or content_text')
  .refine((i) => Object.keys(i).every((k) => k in ({} as Record<string, never>) || /^[a-z_]+$/.test(k)), 'member names are lower case')
const JsonFeed = z.object({
  version: z.literal('https://jsonfeed.org/version/1.1'),
  title: z.string().min(1),
  home_page_url: z.string().url().optional(),
  feed_url: z.string().url().optional(),
  description: z.string().optional(),
  language: z.string().optional(),
  items: z.array(JsonFeedItem),
})

function subtree(slug: string): Set<string> {
  const out = new Set([slug])
  for (let grew = true; grew; ) {
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

for (const dialect of DIALECTS) {
  describe(`${dialect}: feeds`, () => {
    let t: TestServer

    beforeAll(async () => {
      t = await startTestServer(dialect)
    })
    afterAll(async () => t?.cleanup())

    async function get(path: string, init?: RequestInit) {
      const response = await t.fetch(path, init)
      return { response, body: await response.text() }
    }

    const pagesWithFeeds = ['/', '/sections/latin-america', '/sections/venezuela', '/authors/staff', '/tags/diplomacy']

    it('every feed of the site, a section, an author and a tag parses cleanly in feedparser, in RSS and Atom', async () => {
      for (const page of pagesWithFeeds) {
        for (const [format, version, type] of [
          ['rss', 'rss20', 'application/rss+xml; charset=utf-8'],
          ['atom', 'atom10', 'application/atom+xml; charset=utf-8'],
        ] as const) {
          const path = `${page === '/' ? '' : page}/feed.${format}`
          const { response, body } = await get(path)
          expect(response.status, path).toBe(200)
          expect(response.headers.get('content-type')).toBe(type)
          const parsed = feedparse(body)
          expect(parsed.bozoException, path).toBeNull()
          expect(parsed.bozo, path).toBe(0)
          expect(parsed.version).toBe(version)
          expect(parsed.entries.length, path).toBeGreaterThan(0)
          for (const entry of parsed.entries) {
            expect(entry.id).toMatch(/^urn:masthead:article:art_/)
            expect(entry.title).toBeTruthy()
            expect(entry.link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/articles\//)
            expect(entry.published).toBeTruthy()
            expect(entry.updated).toBeTruthy()
            expect(entry.authors.length).toBeGreaterThan(0)
            expect(entry.tags.length).toBeGreaterThan(0)
          }
        }
      }
    })

    it('the site feed lists the newest stories first, FEED_SIZE at most, each once', async () => {
      const parsed = feedparse((await get('/feed.atom')).body)
      const expected = [...DEMO_CONTENT.articles].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt)).slice(0, FEED_SIZE)
      expect(parsed.entries.map((e) => e.title)).toEqual(expected.map((a) => a.title))
    })

    it('sends the addresses people guess (/rss, /feed, /atom.xml …) on to the feeds', async () => {
      for (const [path, target] of [
        ['/rss', '/feed.rss'],
        ['/rss.xml', '/feed.rss'],
        ['/feed', '/feed.rss'],
        ['/feed.xml', '/feed.rss'],
        ['/atom.xml', '/feed.atom'],
      ]) {
        const response = await t.fetch(path!)
        expect(response.status, path).toBe(301)
        expect(response.headers.get('location'), path).toBe(target)
      }
    })

    it('a section feed includes the stories of its sub-sections, and only those', async () => {
      // A top-level section holding a story filed only under one of its sub-sections.
      const parent = DEMO_CONTENT.sections.find(
        (s) => !s.parent && DEMO_CONTENT.articles.some((a) => !a.sections.includes(s.slug) && a.sections.some((x) => x !== s.slug && subtree(s.slug).has(x))),
      )!
      expect(parent).toBeDefined()
      const inTree = subtree(parent.slug)
      const parsed = feedparse((await get(`/sections/${parent.slug}/feed.rss`)).body)
      const expected = DEMO_CONTENT.articles.filter((a) => a.sections.some((s) => inTree.has(s)))
      expect(expected.length).toBeLessThanOrEqual(FEED_SIZE)
      expect(parsed.entries.map((e) => e.title).sort()).toEqual(expected.map((a) => a.title).sort())
    })

    it('an item carries every author, the credit, sections and tags as categories, the dek and the full text from the body blocks', async () => {
      for (const format of ['rss', 'atom'] as const) {
        const parsed = feedparse((await get(`/feed.${format}`)).body)
        const entry = parsed.entries.find((e) => e.title === model.title)!
        expect(entry, format).toBeDefined()
        const names = model.authors.map((slug) => DEMO_CONTENT.authors.find((a) => a.slug === slug)!.name)
        expect(entry.authors).toEqual(names)
        expect(entry.tags.slice(0, 3)).toEqual(['Latin America', 'Politics', 'USA'])
        expect(entry.source).toBe('ACP')
        expect(entry.summary).toContain(model.dek.slice(0, 40))
        const content = entry.content.join('')
        expect(content).toContain('Source: ACP')
        const firstQuote = model.body.find((b) => b.type === 'quote')!
        if (firstQuote.type !== 'quote') throw new Error('no quote')
        expect(content).toContain(firstQuote.attribution.speaker)
        expect(content).toContain('<blockquote>')
      }
    })

    it('corrections appear in the item; a story with a picture has an enclosure with an absolute URL', async () => {
      // Feeds narrow enough to hold each story whatever else has been published: its author's, its last section's.
      const byAuthor = JSON.parse((await get(`/authors/${corrected.authors[0]}/feed.json`)).body)
      const fix = byAuthor.items.find((i: { title: string }) => i.title === corrected.title)
      expect(fix).toBeDefined()
      expect(fix.content_html).toContain(corrected.correction!.text.slice(0, 30).replace(/&/g, '&amp;'))
      expect(fix._masthead.corrections[0].text).toBe(corrected.correction!.text)
      const sectionFeed = `/sections/${withImage.sections.at(-1)}/feed`
      const json = JSON.parse((await get(`${sectionFeed}.json`)).body)
      const picture = json.items.find((i: { title: string }) => i.title === withImage.title)
      expect(picture).toBeDefined()
      expect(picture.attachments[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/demo\/.+\.svg$/)
      expect(picture.attachments[0].mime_type).toBe('image/svg+xml')
      const rss = feedparse((await get(`${sectionFeed}.rss`)).body)
      const entry = rss.entries.find((e) => e.title === withImage.title)
      expect(entry).toBeDefined()
      expect(entry!.enclosures[0]).toEqual({ href: picture.attachments[0].url, type: 'image/svg+xml' })
      // Links inside the content are absolute: a feed reader has no page to resolve /articles/… against.
      expect(JSON.stringify(JSON.parse((await get('/feed.json')).body))).not.toMatch(/(href|src)=\\"\/[^/]/)
    })

    it('the JSON Feeds follow JSON Feed 1.1', async () => {
      for (const page of pagesWithFeeds) {
        const path = `${page === '/' ? '' : page}/feed.json`
        const { response, body } = await get(path)
        expect(response.headers.get('content-type')).toBe('application/feed+json; charset=utf-8')
        const feed = JsonFeed.parse(JSON.parse(body))
        expect(feed.feed_url).toBe(t.url + path)
        expect(feed.items.length).toBeGreaterThan(0)
        expect(new Set(feed.items.map((i) => i.id)).size).toBe(feed.items.length)
      }
    })

    it('unknown sections, authors and tags have no feed (404)', async () => {
      for (const path of ['/sections/atlantis/feed.rss', '/authors/nobody/feed.atom', '/tags/nothing/feed.json', '/sections/BAD%20SLUG/feed.rss']) {
        expect((await get(path)).response.status, path).toBe(404)
      }
    })

    it('answers 304 to a matching ETag or an If-Modified-Since no older than the newest story', async () => {
      const first = await get('/feed.atom')
      const etag = first.response.headers.get('etag')!
      const lastModified = first.response.headers.get('last-modified')!
      expect(etag).toMatch(/^W\//)
      expect(new Date(lastModified).toUTCString()).toBe(lastModified)
      expect((await get('/feed.atom', { headers: { 'if-none-match': etag } })).response.status).toBe(304)
      expect((await get('/feed.atom', { headers: { 'if-modified-since': lastModified } })).response.status).toBe(304)
      const older = new Date(Date.parse(lastModified) - 60_000).toUTCString()
      expect((await get('/feed.atom', { headers: { 'if-modified-since': older } })).response.status).toBe(200)
    })

    it('a story published, corrected or unpublished shows in the feeds at once (the cache is cleared); bodies are escaped', async () => {
      const { container } = t.server
      const before = feedparse((await get('/feed.rss')).body)
      const staff = (await container.authors.findBySlug('staff'))!
      const politics = (await container.sections.listSections()).find((s) => s.slug === 'politics')!
      const source = (await container.sources.findBySlug('staff'))!
      const draft = await container.articles.createDraft(
        {
          title: 'Feed test: <b>bold</b> & brave',
          dek: 'A dek with <script>alert(1)</script>.',
          body: [paragraph('Text with <img src=x onerror=alert(1)> in it.')],
          sectionIds: [politics.id],
          authorIds: [staff.id],
          tagIds: [],
          sourceId: source.id,
        },
        EDITOR,
      )
      await container.articles.publish(draft.id, {}, EDITOR)
      const { body } = await get('/feed.rss')
      const after = feedparse(body)
      expect(after.bozo).toBe(0)
      expect(after.entries[0]!.title).toBe('Feed test: <b>bold</b> & brave')
      expect(after.entries.length).toBe(Math.min(before.entries.length + 1, FEED_SIZE))
      // Inside content:encoded the body is HTML rendered from blocks: the text's markup is escaped, never live.
      expect(body).not.toContain('<img src=x')
      expect(body).toContain('&amp;lt;img src=x')

      await container.articles.correct(draft.id, { text: 'An earlier version misspelt the headline.' }, EDITOR)
      const corrected = JSON.parse((await get('/sections/politics/feed.json')).body)
      expect(corrected.items[0]._masthead.corrections).toHaveLength(1)
      expect(corrected.items[0].content_html).toContain('An earlier version misspelt the headline.')

      await container.articles.unpublish(draft.id, { note: 'Test over.' }, EDITOR)
      const gone = feedparse((await get('/feed.rss')).body)
      expect(gone.entries.map((e) => e.title)).not.toContain('Feed test: <b>bold</b> & brave')
    })

    it('a story taken down moves Last-Modified: a client asking If-Modified-Since gets the feed without it, not a 304', async () => {
      const { container } = t.server
      const staff = (await container.authors.findBySlug('staff'))!
      const politics = (await container.sections.listSections()).find((s) => s.slug === 'politics')!
      const source = (await container.sources.findBySlug('staff'))!
      const feeds = ['/feed.atom', '/sections/politics/feed.json', '/authors/staff/feed.rss', '/ninjs/stories.json']
      for (const takeDown of ['unpublish', 'withdraw'] as const) {
        const draft = await container.articles.createDraft(
          { title: `Takedown test: ${takeDown}`, body: [paragraph('Soon gone.')], sectionIds: [politics.id], authorIds: [staff.id], tagIds: [], sourceId: source.id },
          EDITOR,
        )
        await container.articles.publish(draft.id, {}, EDITOR)
        const seen = new Map<string, string>()
        for (const path of feeds) {
          const first = await get(path)
          expect(first.body, path).toContain(`Takedown test: ${takeDown}`)
          seen.set(path, first.response.headers.get('last-modified')!)
        }
        // HTTP dates count whole seconds.
        await new Promise((resolve) => setTimeout(resolve, 1100))
        await container.articles[takeDown](draft.id, { note: 'Taken down.' }, EDITOR)
        for (const path of feeds) {
          const again = await get(path, { headers: { 'if-modified-since': seen.get(path)! } })
          expect(again.response.status, `${takeDown} ${path}`).toBe(200)
          expect(again.body, path).not.toContain(`Takedown test: ${takeDown}`)
          expect(Date.parse(again.response.headers.get('last-modified')!), path).toBeGreaterThan(Date.parse(seen.get(path)!))
          // And the new date is honoured as usual.
          const since = again.response.headers.get('last-modified')!
          expect((await get(path, { headers: { 'if-modified-since': since } })).response.status, path).toBe(304)
        }
      }
    })

    it('carries only the summary and a link when the site asks for summaries', async () => {
      const { container } = t.server
      await container.settings.update({ feedFullText: false })
      try {
        // A settings change reaches cached feeds within the cache's lifetime; a feed not asked for yet shows it at once.
        const json = JSON.parse((await get(`/tags/${model.tags.at(-1)}/feed.json`)).body)
        const item = json.items.find((i: { title: string }) => i.title === model.title) ?? json.items[0]
        expect(item.content_html).toContain('Read the story on')
        expect(item.content_html).not.toContain('<blockquote>')
      } finally {
        await container.settings.update({ feedFullText: true })
      }
    })

    it('pages announce their feeds, and /feeds lists every one', async () => {
      for (const page of pagesWithFeeds) {
        const $ = parseHtml((await get(page)).body)
        const alternates = $('link[rel="alternate"]').map((_, l) => $(l).attr('href')).get()
        const base = t.url + (page === '/' ? '' : page)
        expect(alternates, page).toEqual([`${base}/feed.rss`, `${base}/feed.atom`, `${base}/feed.json`])
      }
      const { response, body } = await get('/feeds')
      expect(response.status).toBe(200)
      const $ = parseHtml(body)
      const links = new Set($('main a').map((_, a) => $(a).attr('href')).get())
      for (const s of DEMO_CONTENT.sections) expect(links.has(`/sections/${s.slug}/feed.atom`), s.slug).toBe(true)
      for (const a of DEMO_CONTENT.authors) expect(links.has(`/authors/${a.slug}/feed.rss`), a.slug).toBe(true)
      for (const tag of DEMO_CONTENT.tags) expect(links.has(`/tags/${tag.slug}/feed.json`), tag.slug).toBe(true)
      expect(links.has('/feed.rss')).toBe(true)
    })
  })
}
