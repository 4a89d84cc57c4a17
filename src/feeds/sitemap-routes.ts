import { Readable } from 'node:stream'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { PageCache } from '../site/index.ts'
import { createDocumentCache, isNotModifiedSince, sendDocument } from './routes.ts'
import { sitemapNotFound, type Sitemaps } from './sitemaps.ts'

export interface SitemapRoutesOptions {
  sitemaps: Sitemaps
  cache: PageCache
  originOf: (request: FastifyRequest) => string
}

const XML = 'application/xml; charset=utf-8'
const SITEMAP_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=600'

/** Every cached sitemap is purged by any story change: a sitemap lists stories by the thousand, a key each would be too many. */
const SITEMAP_KEYS = ['sitemap']

const httpDate = (iso: string | null) => (iso ? { lastModified: new Date(iso).toUTCString() } : {})

/**
 * Registers /robots.txt, /sitemap.xml (the index) and /sitemaps/*.xml. Small
 * documents go through the page cache; article sitemaps (up to 50,000 URLs)
 * are streamed as their rows are read, with Last-Modified and 304s.
 */
export async function sitemapRoutes(app: FastifyInstance, options: SitemapRoutesOptions): Promise<void> {
  const { sitemaps, originOf } = options
  const cached = createDocumentCache(options.cache)
  const keyOf = (request: FastifyRequest) => `${originOf(request)}${request.url.split('?')[0]}`

  app.get('/robots.txt', async (req, reply) => {
    const doc = await cached(keyOf(req), async () => ({ html: await sitemaps.robots(originOf(req)), contentType: 'text/plain; charset=utf-8' }))
    return sendDocument(req, reply, doc, SITEMAP_CACHE_CONTROL)
  })

  app.get('/sitemap.xml', async (req, reply) => {
    const doc = await cached(keyOf(req), async () => {
      const { xml, lastModified } = await sitemaps.index(originOf(req))
      return { html: xml, keys: SITEMAP_KEYS, contentType: XML, ...httpDate(lastModified) }
    })
    return sendDocument(req, reply, doc, SITEMAP_CACHE_CONTROL)
  })

  for (const kind of ['sections', 'authors', 'tags'] as const) {
    app.get(`/sitemaps/${kind}.xml`, async (req, reply) => {
      const doc = await cached(keyOf(req), async () => ({ html: await sitemaps.pages(originOf(req), kind), keys: SITEMAP_KEYS, contentType: XML }))
      return sendDocument(req, reply, doc, SITEMAP_CACHE_CONTROL)
    })
  }

  app.get('/sitemaps/news.xml', async (req, reply) => {
    // The 48-hour window moves with the clock, so this one is not kept past the page cache's lifetime either way.
    const doc = await cached(keyOf(req), async () => ({ html: await sitemaps.news(originOf(req)), keys: SITEMAP_KEYS, contentType: XML }))
    return sendDocument(req, reply, doc, 'public, max-age=60')
  })

  app.get('/sitemaps/:name', async (req: FastifyRequest, reply: FastifyReply) => {
    const name = (req.params as { name: string }).name
    const match = /^articles-([1-9][0-9]{0,5})\.xml$/.exec(name)
    if (!match) throw sitemapNotFound()
    const chunk = await sitemaps.articleChunk(originOf(req), Number(match[1]))
    if (!chunk) throw sitemapNotFound()
    const lastModified = new Date(chunk.lastModified).toUTCString()
    reply.header('cache-control', SITEMAP_CACHE_CONTROL).header('last-modified', lastModified)
    if (isNotModifiedSince(req, lastModified)) return reply.code(304).send()
    return reply.type(XML).send(Readable.from(chunk.body))
  })
}
