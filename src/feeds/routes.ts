import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { DomainError } from '../shared/errors.ts'
import { createRenderer, etagOf, surrogateKeyOf, type CachedPage, type PageCache } from '../site/index.ts'
import { renderAtom } from './atom.ts'
import type { FeedBuilder, FeedScope } from './build.tsx'
import { FEED_FORMATS, FEED_MEDIA_TYPES, type Feed, type FeedFormat } from './feed.ts'
import { renderJsonFeed } from './json-feed.ts'
import { renderRss } from './rss.ts'

export interface FeedRoutesOptions {
  feeds: FeedBuilder
  /** The public page cache: feeds live and are cleared with the pages they mirror. */
  cache: PageCache
  originOf: (request: FastifyRequest) => string
}

/** Feeds change on publish like pages; readers poll, so let them revalidate cheaply. */
const FEED_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=600'

const WRITERS: Readonly<Record<FeedFormat, (feed: Feed) => string>> = { rss: renderRss, atom: renderAtom, json: renderJsonFeed }

const SlugParam = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,120}$/) })

/**
 * True when the client's copy (If-Modified-Since) is still current. Only
 * consulted without If-None-Match, which wins per RFC 9110 §13.1.3.
 */
export function isNotModifiedSince(request: FastifyRequest, lastModified: string | undefined): boolean {
  if (!lastModified || request.headers['if-none-match']) return false
  const since = request.headers['if-modified-since']
  if (typeof since !== 'string') return false
  const sinceMs = Date.parse(since)
  return Number.isFinite(sinceMs) && Date.parse(lastModified) <= sinceMs
}

/**
 * Sends a cached document with ETag, Last-Modified and Cache-Control.
 * @fastify/etag answers If-None-Match with 304; If-Modified-Since is answered here.
 */
export function sendDocument(request: FastifyRequest, reply: FastifyReply, doc: CachedPage, cacheControl: string) {
  reply.header('cache-control', cacheControl).header('etag', doc.etag)
  const surrogate = surrogateKeyOf(doc)
  if (surrogate) reply.header('surrogate-key', surrogate)
  if (doc.lastModified) reply.header('last-modified', doc.lastModified)
  if (isNotModifiedSince(request, doc.lastModified)) return reply.code(304).send()
  return reply
    .code(doc.status ?? 200)
    .type(doc.contentType ?? 'text/html; charset=utf-8')
    .send(doc.html)
}

/**
 * A render-once cache in front of a document builder: a burst of requests
 * for a document that is not cached builds it once, and a purged document is
 * served stale while one build refreshes it.
 */
export function createDocumentCache(cache: PageCache) {
  const render = createRenderer<never>(cache)
  const isPage = (_value: CachedPage): _value is CachedPage => true
  return function cached(key: string, make: () => Promise<Omit<CachedPage, 'etag'>>): Promise<CachedPage> {
    return render(key, async () => {
      const doc = await make()
      return { ...doc, etag: etagOf(doc.html) }
    }, isPage)
  }
}

/**
 * Registers the feeds: `/feed.{rss,atom,json}` for the whole site, and
 * `<page>/feed.{rss,atom,json}` under every section, author and tag page.
 * An unknown section, author or tag is a 404.
 */
export async function feedRoutes(app: FastifyInstance, options: FeedRoutesOptions): Promise<void> {
  const { feeds, originOf } = options
  const cached = createDocumentCache(options.cache)

  async function serve(request: FastifyRequest, reply: FastifyReply, scope: FeedScope, format: FeedFormat) {
    const origin = originOf(request)
    const key = `${origin}${request.url.split('?')[0]}`
    const doc = await cached(key, async () => {
      const feed = await feeds.build(scope, origin)
      return {
        html: WRITERS[format](feed),
        keys: feed.keys,
        contentType: FEED_MEDIA_TYPES[format],
        ...(feed.updatedAt ? { lastModified: new Date(feed.updatedAt).toUTCString() } : {}),
      }
    })
    return sendDocument(request, reply, doc, FEED_CACHE_CONTROL)
  }

  function slugOf(request: FastifyRequest): string {
    const parsed = SlugParam.safeParse(request.params)
    if (!parsed.success) throw new DomainError('not_found', 'FEED_NOT_FOUND', 'That feed was not found.')
    return parsed.data.slug
  }

  for (const format of FEED_FORMATS) {
    app.get(`/feed.${format}`, (req, reply) => serve(req, reply, { kind: 'site' }, format))
    for (const kind of ['section', 'author', 'tag'] as const) {
      app.get(`/${kind}s/:slug/feed.${format}`, (req, reply) => serve(req, reply, { kind, slug: slugOf(req) }, format))
    }
  }

  // The addresses feed readers and people try first on a new site, sent on to the real feeds.
  for (const [path, target] of [
    ['/rss', '/feed.rss'],
    ['/rss.xml', '/feed.rss'],
    ['/feed', '/feed.rss'],
    ['/atom.xml', '/feed.atom'],
    ['/feed.xml', '/feed.rss'],
  ] as const) {
    app.get(path, (_req, reply) => reply.redirect(target, 301))
  }
}
