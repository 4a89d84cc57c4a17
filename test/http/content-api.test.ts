import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentApiDocument } from '../../src/api/content/openapi.ts'
import { DIALECTS } from '../support/dialects.ts'
import { createOpenApiChecker, openApiSchemaErrors } from '../support/openapi.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const API = '/api/content/v1'

for (const dialect of DIALECTS) {
  describe(`${dialect}: the content API`, () => {
    let t: TestServer
    const checker = createOpenApiChecker(contentApiDocument)

    beforeAll(async () => {
      t = await startTestServer(dialect, { wirePollSeconds: 0 })
    })
    afterAll(async () => t?.cleanup())

    /** GETs a path of the API and checks the answer against the document, under the operation's path template. */
    async function get(path: string, template: string, headers: Record<string, string> = {}) {
      const response = await t.fetch(API + path, { headers })
      const body = await checker.response('GET', template, response)
      return { response, body }
    }

    it('lists stories newest first in cursor pages that cover every public story once', async () => {
      const all = new Set<string>()
      let cursor: string | null = null
      let previous = '9999'
      let pages = 0
      do {
        const { response, body } = await get(`/stories?limit=7${cursor ? `&cursor=${cursor}` : ''}`, '/stories')
        expect(response.status).toBe(200)
        expect(response.headers.get('access-control-allow-origin')).toBe('*')
        for (const story of body.stories) {
          expect(all.has(story.id)).toBe(false)
          all.add(story.id)
          expect(story.publishedAt <= previous).toBe(true)
          previous = story.publishedAt
        }
        cursor = body.next
        pages++
      } while (cursor && pages < 50)
      const published = await t.server.container.articles.listPublished({}, { page: 1, perPage: 500 })
      expect(all.size).toBe(published.items.length)
      expect(all.size).toBeGreaterThan(7)
    })

    it('gives one story by id and by slug, with the body as blocks and as escaped HTML', async () => {
      const { body: list } = await get('/stories?limit=1', '/stories')
      const first = list.stories[0]
      const byId = await get(`/stories/${first.id}`, '/stories/{ref}')
      const bySlug = await get(`/stories/${first.slug}`, '/stories/{ref}')
      expect(byId.body).toEqual(bySlug.body)
      const story = byId.body.story
      expect(story.url).toBe(`${t.url}/articles/${story.slug}`)
      expect(story.body.length).toBeGreaterThan(0)
      expect(story.bodyHtml).toContain('<p>')
      expect(story.bodyHtml).not.toMatch(/<script/i)
      expect(story.authors.length).toBeGreaterThan(0)

      // Conditional requests: the same answer is a 304.
      const etag = byId.response.headers.get('etag')!
      const again = await get(`/stories/${first.id}`, '/stories/{ref}', { 'if-none-match': etag })
      expect(again.response.status).toBe(304)

      const missing = await get('/stories/no-such-story', '/stories/{ref}')
      expect(missing.response.status).toBe(404)
      expect(missing.response.headers.get('content-type')).toContain('application/problem+json')
      expect(missing.body.code).toBe('CONTENT_NOT_FOUND')
    })

    it('filters by a renamed section or tag under its old slug too, as old addresses keep working', async () => {
      const { sections } = t.server.container
      const { body: all } = await get('/stories?limit=100', '/stories')
      const tagged = all.stories.find((s: { tags: unknown[] }) => s.tags.length > 0)
      const oldTag = tagged.tags[0]
      await sections.renameTag({ userId: null }, oldTag.id, { slug: `${oldTag.slug}-renamed`, name: oldTag.name })
      const { body: byOldTag } = await get(`/stories?tag=${oldTag.slug}&limit=100`, '/stories')
      expect(byOldTag.stories.map((s: { id: string }) => s.id)).toContain(tagged.id)

      const section = tagged.sections[0]
      const current = (await sections.listSections()).find((s) => s.id === section.id)!
      await sections.updateSection({ userId: null }, section.id, { slug: `${section.slug}-renamed`, kind: current.kind, name: current.name, parentId: current.parentId })
      const { body: byOldSection } = await get(`/stories?section=${section.slug}&limit=100`, '/stories')
      expect(byOldSection.stories.map((s: { id: string }) => s.id)).toContain(tagged.id)
      expect((await get('/stories?section=never-was-a-section', '/stories')).response.status).toBe(400)
    })

    it('filters by section (with its sub-sections), author, tag, credit and change date', async () => {
      const { body: sections } = await get('/sections', '/sections')
      const parent = sections.sections.find((s: { id: string }) => sections.sections.some((c: { parentId: string | null }) => c.parentId === s.id))
      expect(parent).toBeDefined()
      const { body: inSection } = await get(`/stories?section=${parent.slug}&limit=100`, '/stories')
      const family = new Set([parent.id, ...sections.sections.filter((s: { parentId: string | null }) => s.parentId === parent.id).map((s: { id: string }) => s.id)])
      expect(inSection.stories.length).toBeGreaterThan(0)
      for (const story of inSection.stories) expect(story.sections.some((s: { id: string }) => family.has(s.id))).toBe(true)

      const { body: authors } = await get('/authors', '/authors')
      const author = authors.authors[0]
      const { body: byAuthor } = await get(`/stories?author=${author.slug}&limit=100`, '/stories')
      for (const story of byAuthor.stories) expect(story.authors.map((a: { id: string }) => a.id)).toContain(author.id)

      const { body: tags } = await get('/tags', '/tags')
      expect(tags.tags.length).toBeGreaterThan(0)
      const { body: all } = await get('/stories?limit=100', '/stories')
      const tagged = all.stories.find((s: { tags: unknown[] }) => s.tags.length > 0)
      const { body: byTag } = await get(`/stories?tag=${tagged.tags[0].slug}&limit=100`, '/stories')
      expect(byTag.stories.map((s: { id: string }) => s.id)).toContain(tagged.id)

      const credited = all.stories.find((s: { credit: { kind: string } | null }) => s.credit?.kind === 'agency')
      expect(credited, 'the demo paper has agency copy').toBeDefined()
      const { body: byCredit } = await get(`/stories?credit=${credited.credit.slug}&limit=100`, '/stories')
      expect(byCredit.stories.map((s: { id: string }) => s.id)).toContain(credited.id)
      for (const story of byCredit.stories) expect(story.credit.slug).toBe(credited.credit.slug)

      const newest = all.stories[0].updatedAt ?? all.stories[0].publishedAt
      const { body: recent } = await get(`/stories?updated_since=${encodeURIComponent(newest)}`, '/stories')
      expect(recent.stories.map((s: { id: string }) => s.id)).toContain(all.stories[0].id)
      for (const story of recent.stories) expect((story.updatedAt ?? story.publishedAt) >= newest).toBe(true)
    })

    it('answers bad queries with problem details naming the parameter', async () => {
      for (const [path, param] of [
        ['/stories?section=no-such-section', 'section'],
        ['/stories?limit=0', 'limit'],
        ['/stories?limit=1000', 'limit'],
        ['/stories?cursor=not-a-cursor', 'cursor'],
        ['/stories?updated_since=yesterday', 'updated_since'],
        ['/stories?colour=red', ''],
      ] as const) {
        const { response, body } = await get(path, '/stories')
        expect(response.status, path).toBe(400)
        expect(body.code, path).toBe('CONTENT_QUERY_INVALID')
        if (param) expect(body.issues.map((i: { path: string }) => i.path), path).toContain(param)
      }
      const unknownPath = await t.fetch(`${API}/nothing-here`)
      expect(unknownPath.status).toBe(404)
      expect(await checker.unknownPath('/nothing-here', unknownPath)).toMatchObject({ code: 'CONTENT_NOT_FOUND' })
    })

    it('searches public stories', async () => {
      const { body: list } = await get('/stories?limit=1', '/stories')
      const word = list.stories[0].headline.split(/\s+/).find((w: string) => w.length > 5)!.replace(/[^\p{L}]/gu, '')
      const { response, body } = await get(`/search?q=${encodeURIComponent(word)}`, '/search')
      expect(response.status).toBe(200)
      expect(body.results.length).toBeGreaterThan(0)
      const empty = await get('/search?q=', '/search')
      expect(empty.body.results).toEqual([])
    })

    it('answers preflight requests from any origin', async () => {
      const response = await t.fetch(`${API}/stories`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-content-key' } })
      checker.preflight('/stories', response)
      expect(response.status).toBe(204)
      expect(response.headers.get('access-control-allow-origin')).toBe('*')
      expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-content-key')
    })

    it('takes content keys: a revoked or mistyped key is refused at once', async () => {
      const { contentKeys } = t.server.container
      const { key, id } = await contentKeys.create({ name: 'Newsletter tool' })
      expect((await get('/tags', '/tags', { 'x-content-key': key })).response.status).toBe(200)
      expect((await get(`/tags?key=${key}`, '/tags')).response.status).toBe(200)
      expect((await contentKeys.list()).find((k) => k.id === id)?.lastUsedAt).not.toBeNull()
      const wrong = await get('/tags', '/tags', { 'x-content-key': `${key.slice(0, -1)}x` })
      expect(wrong.response.status).toBe(401)
      expect(wrong.body.code).toBe('CONTENT_KEY_INVALID')
      await contentKeys.revoke(id)
      expect((await get('/tags', '/tags', { 'x-content-key': key })).response.status).toBe(401)
    })

    it('serves its OpenAPI document, and every operation was checked against it', async () => {
      const response = await t.fetch(`${API}/openapi.json`)
      expect(response.status).toBe(200)
      const served = await checker.response('GET', '/openapi.json', response)
      expect(served.openapi).toBe('3.1.0')
      expect(served).toEqual(JSON.parse(JSON.stringify(contentApiDocument)))
      for (const path of Object.keys(contentApiDocument.paths)) {
        if (path === '/openapi.json') continue
        expect([...checker.seen].some((s) => s.startsWith(`GET ${path} 200`)), path).toBe(true)
      }
      expect(checker.seen).toContain('GET /stories/{ref} 304')
      expect(checker.seen).toContain('OPTIONS /stories 204')
    })

    it('is itself a valid OpenAPI 3.1 document', async () => {
      expect(await openApiSchemaErrors(contentApiDocument)).toEqual([])
    })
  })
}

describe('the content API when the site requires a key', () => {
  let t: TestServer
  beforeAll(async () => {
    t = await startTestServer('sqlite', { wirePollSeconds: 0, contentApiRequireKey: true })
  })
  afterAll(async () => t?.cleanup())

  it('refuses calls without a key and answers those with one, as its document says', async () => {
    const checker = createOpenApiChecker(contentApiDocument)
    const refused = await t.fetch(`${API}/stories`)
    expect(refused.status).toBe(401)
    expect(await checker.response('GET', '/stories', refused)).toMatchObject({ code: 'CONTENT_KEY_REQUIRED' })
    const document = await t.fetch(`${API}/openapi.json`)
    expect(document.status).toBe(200)
    await checker.response('GET', '/openapi.json', document)
    // A browser asks before sending the key: the preflight needs none.
    const preflight = await t.fetch(`${API}/stories`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-content-key' } })
    checker.preflight('/stories', preflight)
    const { key } = await t.server.container.contentKeys.create({ name: 'Mobile app' })
    const answered = await t.fetch(`${API}/stories`, { headers: { 'x-content-key': key } })
    expect(answered.status).toBe(200)
    expect((await checker.response('GET', '/stories', answered)).stories.length).toBeGreaterThan(0)
    const unknown = await t.fetch(`${API}/nothing-here`, { headers: { 'x-content-key': key } })
    expect(unknown.status).toBe(404)
    await checker.unknownPath('/nothing-here', unknown)
  })
})
