import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bodyText, paragraph, type Block } from '../../src/articles/index.ts'
import { DEMO_CONTENT } from '../../src/db/seed/demo-content.ts'
import { NINJS_PAGE_SIZE } from '../../src/feeds/index.ts'
import { parseWire } from '../../src/wire/formats/index.ts'
import { DIALECTS } from '../support/dialects.ts'
import { EDITOR } from '../support/factories.ts'
import { parseHtml } from '../support/html.ts'
import { makePicture } from '../support/pictures.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures')

/**
 * The official IPTC ninjs 2.1 schema (test/fixtures/ninjs/README.md), in Ajv's
 * draft 2020-12 mode with the `uri` and `date-time` formats checked. Its
 * GeoJSON reference (places[].geojson, which we never send) points at an
 * empty schema so nothing is fetched.
 */
const validateNinjs = (() => {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats.default(ajv)
  ajv.addSchema({}, 'https://geojson.org/schema/GeoJSON.json')
  return ajv.compile(JSON.parse(readFileSync(path.join(FIXTURES, 'ninjs', 'ninjs-schema_2.1.json'), 'utf8')))
})()

function expectValidNinjs(doc: unknown, where: string) {
  const ok = validateNinjs(doc)
  expect(ok ? [] : validateNinjs.errors, where).toEqual([])
}

type Ninjs = {
  uri: string
  version: string
  versioncreated: string
  firstcreated: string
  headlines: { role: string; value: string }[]
  bodies: { contenttype: string; value: string }[]
  by?: string
  people?: { name: string; rel: string }[]
  infosources: { name: string; role: string; literal: string }[]
  subjects?: { name: string; rel: string; uri: string }[]
  associations?: { name: string; type: string; renditions: { name: string; href: string; width: number; height: number; contenttype: string }[] }[]
  altids: { role: string; value: string }[]
}
type Feed = { items: Ninjs[]; next: string | null; previous: string | null; page: number; self: string; first: string }

for (const dialect of DIALECTS) {
  describe(`${dialect}: ninjs for partners`, () => {
    let t: TestServer

    beforeAll(async () => {
      t = await startTestServer(dialect)
    }, 180_000)
    afterAll(async () => t?.cleanup())

    async function get(urlOrPath: string, init?: RequestInit) {
      const response = await t.fetch(urlOrPath.startsWith('http') ? urlOrPath.slice(t.url.length) : urlOrPath, init)
      return { response, body: await response.text() }
    }

    async function json<T>(urlOrPath: string): Promise<T> {
      const { response, body } = await get(urlOrPath)
      expect(response.status, urlOrPath).toBe(200)
      return JSON.parse(body) as T
    }

    const idOf = (item: Ninjs) => item.altids.find((a) => a.role === 'masthead-id')!.value

    async function publishStory(title: string, extra: { body?: Block[]; sourceSlug?: string } = {}) {
      const { container } = t.server
      const staff = (await container.authors.findBySlug('staff'))!
      const politics = (await container.sections.listSections()).find((s) => s.slug === 'politics')!
      const source = (await container.sources.findBySlug(extra.sourceSlug ?? 'staff'))!
      const draft = await container.articles.createDraft(
        { title, body: extra.body ?? [paragraph(`${title}: the words.`)], sectionIds: [politics.id], authorIds: [staff.id], tagIds: [], sourceId: source.id },
        EDITOR,
      )
      return container.articles.publish(draft.id, {}, EDITOR)
    }

    it('every story of the site feed and of each section feed, and each story alone, is valid ninjs 2.1; the story alone is the feed item', async () => {
      const site = await json<Feed>('/ninjs/stories.json')
      expect(site.items.length).toBeGreaterThan(0)
      site.items.forEach((item, i) => expectValidNinjs(item, `site item ${i}`))
      for (const section of DEMO_CONTENT.sections) {
        const feed = await json<Feed>(`/ninjs/sections/${section.slug}.json`)
        feed.items.forEach((item, i) => expectValidNinjs(item, `${section.slug} item ${i}`))
        for (const item of feed.items) expect(item.subjects?.some((s) => s.rel === 'section'), item.uri).toBe(true)
      }
      for (const item of site.items.slice(0, 8)) {
        const alone = await json<Ninjs>(`/ninjs/stories/${idOf(item)}.json`)
        expectValidNinjs(alone, idOf(item))
        expect(alone).toEqual(item)
        expect(alone.uri).toBe(`urn:masthead:article:${idOf(item)}`)
      }
    })

    it('feeds are newest first and paged: following next walks every public story once, and page 2 exists once there are more than a page', async () => {
      let first = await json<Feed>('/ninjs/stories.json')
      if (first.next === null) {
        // The demo paper fills exactly one page or less: one more story makes a second.
        for (let i = first.items.length; i <= NINJS_PAGE_SIZE; i++) await publishStory(`Paging filler ${i}`)
        first = await json<Feed>('/ninjs/stories.json')
      }
      expect(first.items).toHaveLength(NINJS_PAGE_SIZE)
      expect(first.next).toBe(`${t.url}/ninjs/stories.json?page=2`)
      expect(first.previous).toBeNull()
      const links = (await get('/ninjs/stories.json')).response.headers.get('link')
      expect(links).toContain(`<${t.url}/ninjs/stories.json?page=2>; rel="next"`)
      expect(links).toContain('rel="describedby"')
      const seen: Ninjs[] = []
      let page: Feed | null = first
      for (let n = 1; page; n++) {
        expect(page.page).toBe(n)
        expect(page.first).toBe(`${t.url}/ninjs/stories.json`)
        seen.push(...page.items)
        page = page.next ? await json<Feed>(page.next) : null
      }
      expect(new Set(seen.map((i) => i.uri)).size).toBe(seen.length)
      const dates = seen.map((i) => i.firstcreated)
      expect(dates).toEqual([...dates].sort().reverse())
      // The same stories as the content API lists (the site's published-stories query).
      const api = await json<{ stories: { id: string }[] }>('/api/content/v1/stories?limit=100')
      expect(seen.map(idOf).sort()).toEqual(api.stories.map((s) => s.id).sort())
      const { response: past } = await get(`/ninjs/stories.json?page=${Math.ceil(seen.length / NINJS_PAGE_SIZE) + 1}`)
      expect(past.status).toBe(404)
    })

    it('the feeds page lists the site’s and every section’s ninjs feed, and each answers', async () => {
      const $ = parseHtml((await get('/feeds')).body)
      const links = $('main a[href^="/ninjs/"]').map((_, a) => $(a).attr('href')).get()
      expect(links).toEqual(['/ninjs/stories.json', ...(await t.server.container.sections.listSections()).map((s) => `/ninjs/sections/${s.slug}.json`)])
      for (const link of links) expect((await get(link)).response.status, link).toBe(200)
    })

    it('a section feed holds the stories of its sub-sections too, and only stories filed in that branch', async () => {
      const parent = DEMO_CONTENT.sections.find((s) => DEMO_CONTENT.sections.some((c) => c.parent === s.slug))!
      const branch = new Set([parent.slug, ...DEMO_CONTENT.sections.filter((c) => c.parent === parent.slug).map((c) => c.slug)])
      const feed = await json<Feed>(`/ninjs/sections/${parent.slug}.json`)
      expect(feed.items.length).toBeGreaterThan(0)
      for (const item of feed.items) {
        const sections = item.subjects!.filter((s) => s.rel === 'section').map((s) => s.uri.split('/sections/')[1]!)
        expect(sections.some((slug) => branch.has(slug) || DEMO_CONTENT.sections.find((x) => x.slug === slug)?.parent === parent.slug), item.uri).toBe(true)
      }
    })

    it('answers with JSON, the schema as describedby, caching like the feeds, and 304 for a matching ETag or If-Modified-Since', async () => {
      const site = await json<Feed>('/ninjs/stories.json')
      for (const path of ['/ninjs/stories.json', `/ninjs/stories/${idOf(site.items[0]!)}.json`, '/ninjs/sections/politics.json']) {
        const { response } = await get(path)
        expect(response.headers.get('content-type'), path).toBe('application/json; charset=utf-8')
        expect(response.headers.get('cache-control'), path).toBe('public, max-age=300, stale-while-revalidate=600')
        expect(response.headers.get('link'), path).toContain('<http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json#>; rel="describedby"')
        const etag = response.headers.get('etag')!
        const lastModified = response.headers.get('last-modified')!
        expect(etag, path).toMatch(/^W\//)
        expect((await get(path, { headers: { 'if-none-match': etag } })).response.status, path).toBe(304)
        expect((await get(path, { headers: { 'if-modified-since': lastModified } })).response.status, path).toBe(304)
        const older = new Date(Date.parse(lastModified) - 60_000).toUTCString()
        expect((await get(path, { headers: { 'if-modified-since': older } })).response.status, path).toBe(200)
      }
    })

    it('404 for unknown stories, drafts, sections and pages, 400 for a bad page number, all as problem details', async () => {
      const { container } = t.server
      const staff = (await container.authors.findBySlug('staff'))!
      const draft = await container.articles.createDraft({ title: 'Not yet public', body: [paragraph('Draft words.')], sectionIds: [], authorIds: [staff.id], tagIds: [] }, EDITOR)
      for (const [path, status, code] of [
        ['/ninjs/stories/art_doesnotexist0.json', 404, 'NINJS_NOT_FOUND'],
        [`/ninjs/stories/${draft.id}.json`, 404, 'NINJS_NOT_FOUND'],
        ['/ninjs/stories/not-an-id.json', 404, 'NINJS_NOT_FOUND'],
        ['/ninjs/stories/art_abc', 404, 'NINJS_NOT_FOUND'],
        ['/ninjs/sections/atlantis.json', 404, 'FEED_NOT_FOUND'],
        ['/ninjs/sections/BAD%20SLUG.json', 404, 'FEED_NOT_FOUND'],
        ['/ninjs/stories.json?page=10000', 404, 'NINJS_NOT_FOUND'],
        ['/ninjs/stories.json?page=0', 400, 'PAGE_INVALID'],
        ['/ninjs/sections/politics.json?page=two', 400, 'PAGE_INVALID'],
        ['/ninjs/nothing-here', 404, 'NINJS_NOT_FOUND'],
      ] as const) {
        const { response, body } = await get(path)
        expect(response.status, path).toBe(status)
        expect(response.headers.get('content-type'), path).toBe('application/problem+json; charset=utf-8')
        expect(JSON.parse(body).code, path).toBe(code)
      }
    })

    it('a story taken down answers 410 at once, with the note when its source withdrew it; published again, it is back', async () => {
      const { container } = t.server
      const story = await publishStory('Short-lived ninjs story')
      const path = `/ninjs/stories/${story.id}.json`
      expect((await get(path)).response.status).toBe(200)
      expect((await json<Feed>('/ninjs/sections/politics.json')).items.map(idOf)).toContain(story.id)

      await container.articles.unpublish(story.id, { note: 'SECRETREASON legal asked' }, EDITOR)
      const gone = await get(path)
      expect(gone.response.status).toBe(410)
      expect(JSON.parse(gone.body).code).toBe('NINJS_GONE')
      expect(gone.body).not.toContain('SECRETREASON')
      expect((await json<Feed>('/ninjs/sections/politics.json')).items.map(idOf)).not.toContain(story.id)

      await container.articles.publish(story.id, {}, EDITOR)
      expect((await get(path)).response.status).toBe(200)
      await container.articles.withdraw(story.id, { note: 'The agency withdrew this report.' }, EDITOR)
      const withdrawn = await get(path)
      expect(withdrawn.response.status).toBe(410)
      expect(JSON.parse(withdrawn.body).detail).toContain('The agency withdrew this report.')
    })

    it('round trip: an agency story with two authors, a featured picture and a quote comes back through our own wire parser the same', async () => {
      const { container } = t.server
      const [lucia, jonas] = await Promise.all([container.authors.findBySlug('lucia-ferreira-baptista'), container.authors.findBySlug('jonas-wedekind')])
      const acp = (await container.sources.findBySlug('acp'))!
      const sections = await container.sections.listSections()
      const picture = await container.media.upload(
        { bytes: await makePicture('jpeg', 1400, 900), fileName: 'quay.jpg', declaredType: 'image/jpeg', alt: 'Cranes over the quay at dusk', caption: 'The container quay at dusk.', credit: 'Photo: ACP' },
        { userId: null, role: 'admin' },
      )
      const body: Block[] = [
        paragraph('BRIDGETOWN — Envoys of the two governments met again on Tuesday & agreed to keep talking.'),
        {
          type: 'quote',
          content: [{ text: 'We will talk again soon, and in good faith.' }],
          attribution: { speaker: 'Ana Pérez', role: 'Foreign Minister', givenTo: 'ACP', context: 'in an interview' },
        },
        { type: 'image', mediaId: picture.id, src: `/media/${picture.variants[0]!.key}`, alt: picture.alt, width: picture.width, height: picture.height, caption: picture.caption, credit: picture.credit },
        { type: 'paragraph', content: [{ text: 'Earlier coverage is in the ' }, { text: 'politics section', marks: [{ type: 'link', href: '/sections/politics' }] }, { text: '.' }] },
      ]
      const draft = await container.articles.createDraft(
        {
          title: 'Envoys agree to keep talking <after> a long day',
          dek: 'A second round in Bridgetown ended with a date for the next.',
          dateline: 'BRIDGETOWN',
          body,
          sectionIds: [sections.find((s) => s.slug === 'politics')!.id],
          authorIds: [lucia!.id, jonas!.id],
          tagIds: [],
          sourceId: acp.id,
          featuredMediaId: picture.id,
        },
        EDITOR,
      )
      const story = await container.articles.publish(draft.id, {}, EDITOR)

      const { response, body: text } = await get(`/ninjs/stories/${story.id}.json`)
      expect(response.status).toBe(200)
      const ninjs = JSON.parse(text) as Ninjs
      expectValidNinjs(ninjs, 'round-trip story')
      expect(ninjs.by).toBe(`${lucia!.name} and ${jonas!.name}`)
      expect(ninjs.people).toEqual([
        expect.objectContaining({ name: lucia!.name, rel: 'author' }),
        expect.objectContaining({ name: jonas!.name, rel: 'author' }),
      ])
      expect(ninjs.infosources[0]).toMatchObject({ name: 'Agence Continentale de Presse', role: 'originator', literal: 'ACP' })
      const featured = ninjs.associations![0]!
      expect(featured).toMatchObject({ name: 'featureimage', type: 'picture' })
      expect(featured.renditions[0]).toMatchObject({ name: 'baseimage', contenttype: 'image/jpeg', width: 1400, height: 900 })
      for (const r of featured.renditions) expect(r.href, r.name).toMatch(new RegExp(`^${t.url}/media/library/${picture.id}/`))
      expect((await t.fetch(featured.renditions[0]!.href.slice(t.url.length))).status).toBe(200)

      // Masthead's own wire desk reads the bytes as a partner's would.
      const report = parseWire(new TextEncoder().encode(text), { contentType: response.headers.get('content-type')! })
      expect(report.rejected).toEqual([])
      expect(report.format).toBe('ninjs')
      const [item] = report.items
      expect(item!.headline).toBe(story.title)
      expect(item!.summary).toBe(story.dek)
      expect(item!.byline).toBe(`${lucia!.name} and ${jonas!.name}`)
      expect(item!.agency).toBe('ACP')
      expect(item!.agencyName).toBe('Agence Continentale de Presse')
      expect(item!.located).toBe('BRIDGETOWN')
      expect(item!.version).toBe(story.revision)
      expect(bodyText(item!.body)).toBe(bodyText(story.body))
      const quote = item!.body.find((b) => b.type === 'quote')
      expect(quote).toMatchObject({ type: 'quote', content: [{ text: 'We will talk again soon, and in good faith.' }], attribution: { speaker: 'Ana Pérez' } })
      expect(item!.pictures[0]).toMatchObject({ href: featured.renditions[0]!.href, caption: 'The container quay at dusk.', altText: 'Cranes over the quay at dusk', credit: 'Photo: ACP', width: 1400, height: 900 })
      expect(item!.editorialNotes).toEqual([])

      // Ingested and made a draft, it keeps its agency credit: the same source, "Source: ACP".
      const ingested = await container.wire.ingest({ bytes: new TextEncoder().encode(text), origin: 'partner-ninjs-roundtrip.json' })
      const copy = await container.wire.createDraft(ingested.items[0]!.itemId, EDITOR)
      expect(copy.sourceId).toBe(acp.id)
      expect(copy.title).toBe(story.title)

      // A whole feed reads back too: every item, none rejected.
      const feedBytes = (await get('/ninjs/sections/politics.json')).body
      const feedReport = parseWire(new TextEncoder().encode(feedBytes))
      expect(feedReport.rejected).toEqual([])
      expect(feedReport.items.map((i) => i.agencyItemId)).toEqual((JSON.parse(feedBytes) as Feed).items.map((i) => i.uri))
    }, 120_000)

    it('never carries desk notes, agency ednotes, unpublish reasons or unpublished changes', async () => {
      const { container } = t.server
      const staff = (await container.authors.findBySlug('staff'))!
      const politics = (await container.sections.listSections()).find((s) => s.slug === 'politics')!
      // Agency copy with an ednote and a provider's own field, made into a story.
      const ingested = await container.wire.ingest({ bytes: readFileSync(path.join(FIXTURES, 'wire', 'ninjs', 'v2-meridian-river-flood.json')), origin: 'meridian.json' })
      const wireDraft = await container.wire.createDraft(ingested.items[0]!.itemId, EDITOR, { authorIds: [staff.id] })
      await container.articles.edit(wireDraft.id, { sectionIds: [politics.id] }, EDITOR)
      const fromWire = await container.articles.publish(wireDraft.id, {}, EDITOR)

      const draft = await container.articles.createDraft(
        { title: 'Ninjs desk-note test', body: [paragraph('Public words only.')], sectionIds: [politics.id], authorIds: [staff.id], tagIds: [], sourceId: (await container.sources.findBySlug('acp'))!.id },
        EDITOR,
      )
      await container.articles.submitForReview(draft.id, EDITOR)
      await container.articles.sendBack(draft.id, { note: 'SECRETDESKNOTE rewrite the top' }, EDITOR)
      const story = await container.articles.publish(draft.id, {}, EDITOR)
      await container.articles.unpublish(story.id, { note: 'SECRETUNPUBLISHREASON lawyers asked' }, EDITOR)
      const again = await container.articles.publish(story.id, {}, EDITOR)
      await container.articles.save(again.id, { baseVersion: again.editVersion, changes: { title: 'SECRETWORKINGTITLE', body: [paragraph('SECRETWORKINGBODY')] } }, EDITOR)

      const docs = [
        (await get(`/ninjs/stories/${fromWire.id}.json`)).body,
        (await get(`/ninjs/stories/${again.id}.json`)).body,
        (await get('/ninjs/sections/politics.json')).body,
        (await get('/ninjs/stories.json')).body,
      ]
      const single = JSON.parse(docs[1]!) as Ninjs
      expect(single.headlines[0]!.value).toBe('Ninjs desk-note test')
      expectValidNinjs(JSON.parse(docs[0]!), 'story from wire copy')
      for (const doc of docs) {
        for (const secret of ['SECRETDESKNOTE', 'SECRETUNPUBLISHREASON', 'SECRETWORKINGTITLE', 'SECRETWORKINGBODY', 'Casualty figures are unconfirmed', 'x-meridian-desk', 'ednote', 'modifiedBy', 'createdBy', 'editVersion']) {
          expect(doc, secret).not.toContain(secret)
        }
      }
    }, 120_000)
  })
}
