import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ArticleService } from '../../src/articles/index.ts'
import { createSitemaps } from '../../src/feeds/index.ts'
import { DIALECTS } from '../support/dialects.ts'
import { draftInput, EDITOR, makeWorld } from '../support/factories.ts'
import { parseXml } from '../support/html.ts'
import { buildTestContainer, type TestContainer } from '../support/test-context.ts'
import { SITEMAP_SCHEMAS, validateXml } from '../support/xmllint.ts'

const ORIGIN = 'https://news.example.org'

async function collect(body: AsyncIterable<string>): Promise<string> {
  let out = ''
  for await (const part of body) out += part
  return out
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: article sitemaps in chunks`, () => {
    let t: TestContainer
    const published: string[] = []
    const calls: { method: string; limit?: number }[] = []
    let sitemaps: ReturnType<typeof createSitemaps>

    beforeAll(async () => {
      t = await buildTestContainer(dialect)
      const world = await makeWorld(t.container)
      // Seven stories a minute apart, plus one that stays a draft and one taken down again.
      for (let i = 0; i < 9; i++) {
        const draft = await t.container.articles.createDraft(draftInput(world), EDITOR)
        if (i === 7) continue
        const story = await t.container.articles.publish(draft.id, { at: new Date(Date.UTC(2026, 0, 1, 9, i)).toISOString() }, EDITOR)
        if (i === 8) await t.container.articles.unpublish(story.id, { note: 'Test.' }, EDITOR)
        else published.push(story.slug)
      }
      // Record what the sitemaps ask of the articles service: they must read in bounded pages.
      const articles = new Proxy(t.container.articles, {
        get(target, name: string) {
          const value = target[name as keyof ArticleService]
          if (typeof value !== 'function') return value
          return (...args: unknown[]) => {
            const options = args[0] as { limit?: number } | undefined
            calls.push({ method: name, ...(name === 'listPublishedRefs' ? { limit: options?.limit } : {}) })
            return (value as (...a: unknown[]) => unknown)(...args)
          }
        },
      })
      sitemaps = createSitemaps({ ...t.container, articles, baseUrl: ORIGIN, chunkSize: 3 })
    })
    afterAll(async () => t?.cleanup())

    it('splits the stories into chunks of the set size, oldest first, each story once, each chunk valid', async () => {
      const index = await sitemaps.index('http://ignored')
      expect(validateXml(index.xml, SITEMAP_SCHEMAS.index).ok).toBe(true)
      const $ = parseXml(index.xml)
      const listed = $('sitemap loc').map((_, e) => $(e).text()).get()
      expect(listed.filter((l) => l.includes('/articles-'))).toEqual([1, 2, 3].map((n) => `${ORIGIN}/sitemaps/articles-${n}.xml`))
      const lastmods = $('sitemap lastmod').map((_, e) => $(e).text()).get()
      const minute = (i: number) => new Date(Date.UTC(2026, 0, 1, 9, i)).toISOString()
      // Each chunk's newest story; the last chunk, whose end the taken-down story sorted before, changed when it left.
      const takenDown = await t.container.database.db.selectFrom('articles').select('modified_at').where('status', '=', 'unpublished').executeTakeFirstOrThrow()
      expect(lastmods.slice(0, 3)).toEqual([minute(2), minute(5), takenDown.modified_at])
      expect(takenDown.modified_at > minute(6)).toBe(true)

      const seen: string[] = []
      for (const n of [1, 2, 3]) {
        const chunk = (await sitemaps.articleChunk(ORIGIN, n))!
        const xml = await collect(chunk.body)
        const result = validateXml(xml, SITEMAP_SCHEMAS.urlset)
        expect(result.ok, result.output).toBe(true)
        const $$ = parseXml(xml)
        const locs = $$('url loc').map((_, e) => $$(e).text()).get()
        expect(locs.length).toBe(n === 3 ? 1 : 3)
        seen.push(...locs)
      }
      expect(seen).toEqual(published.map((slug) => `${ORIGIN}/articles/${slug}`))
      expect(await sitemaps.articleChunk(ORIGIN, 4)).toBeNull()
    })

    it('reads stories in keyset pages and never loads whole stories or a whole list', async () => {
      calls.length = 0
      const chunk = (await sitemaps.articleChunk(ORIGIN, 2))!
      await collect(chunk.body)
      expect(calls.filter((c) => c.method === 'listPublishedRefs').every((c) => c.limit !== undefined && c.limit <= 1000)).toBe(true)
      expect(calls.map((c) => c.method)).not.toContain('listPublished')
      expect(calls.map((c) => c.method)).not.toContain('loadPublishedMany')
    })

    it('an empty site still has valid sitemaps', async () => {
      const empty = await buildTestContainer(dialect)
      try {
        const maps = createSitemaps({ ...empty.container, baseUrl: ORIGIN })
        expect(validateXml((await maps.index(ORIGIN)).xml, SITEMAP_SCHEMAS.index).ok).toBe(true)
        expect(await maps.articleChunk(ORIGIN, 1)).toBeNull()
        for (const kind of ['sections', 'authors', 'tags'] as const) expect(validateXml(await maps.pages(ORIGIN, kind), SITEMAP_SCHEMAS.urlset).ok).toBe(true)
        expect(validateXml(await maps.news(ORIGIN), SITEMAP_SCHEMAS.news).ok).toBe(true)
      } finally {
        await empty.cleanup()
      }
    })
  })
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: an article sitemap chunk read in several batches`, () => {
    let t: TestContainer
    afterAll(async () => t?.cleanup())

    it('walks 1,000-row keyset pages across a chunk, with ties in publication time at the batch edges, each story once and in order', { timeout: 120_000 }, async () => {
      t = await buildTestContainer(dialect)
      const world = await makeWorld(t.container)
      const model = await t.container.articles.publish((await t.container.articles.createDraft(draftInput(world), EDITOR)).id, { at: '2025-01-01T00:00:00.000Z' }, EDITOR)
      const db = t.container.database.db
      const row = await db.selectFrom('articles').selectAll().where('id', '=', model.id).executeTakeFirstOrThrow()
      // 2,600 published stories inserted as rows (publishing each through the service would take minutes),
      // three to a second, so the keyset's tie-breaker (the id) decides at the batch edges.
      const COUNT = 2600
      const ids = Array.from({ length: COUNT }, (_, i) => `art_bulk_${String(i).padStart(4, '0')}`)
      const base = Date.UTC(2026, 0, 1)
      for (let start = 0; start < COUNT; start += 200) {
        await db
          .insertInto('articles')
          .values(ids.slice(start, start + 200).map((id, j) => ({ ...row, id, slug: id.replaceAll('_', '-'), published_at: new Date(base + Math.floor((start + j) / 3) * 1000).toISOString(), updated_at: null })))
          .execute()
      }
      const calls: number[] = []
      const articles = new Proxy(t.container.articles, {
        get(target, name: string) {
          const value = target[name as keyof ArticleService]
          if (name !== 'listPublishedRefs' || typeof value !== 'function') return value
          return (options: { from: unknown; limit: number }) => {
            calls.push(options.limit)
            return (value as (o: unknown) => unknown)(options)
          }
        },
      })
      const sitemaps = createSitemaps({ ...t.container, articles, baseUrl: ORIGIN, chunkSize: 2500 })
      const seen: string[] = []
      for (const n of [1, 2]) {
        calls.length = 0
        const xml = await collect((await sitemaps.articleChunk(ORIGIN, n))!.body)
        const $ = parseXml(xml)
        const locs = $('url loc').map((_, e) => $(e).text()).get()
        expect(calls).toEqual(n === 1 ? [1000, 1000, 500] : [1000])
        expect(locs).toHaveLength(n === 1 ? 2500 : 101)
        seen.push(...locs)
      }
      expect(seen).toEqual([model.slug, ...ids.map((id) => id.replaceAll('_', '-'))].map((slug) => `${ORIGIN}/articles/${slug}`))
      expect(await sitemaps.articleChunk(ORIGIN, 3)).toBeNull()
    })
  })
}
