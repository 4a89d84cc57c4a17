import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { parsePageNumber } from '../shared/pagination.ts'
import { DomainError } from '../shared/errors.ts'
import { createRenderer, etagOf, surrogateKeyOf, type CachedPage, type PageCache } from './page-cache.ts'
import type { PageResult, SitePages } from './pages.tsx'
import { sendProblem, type ProblemFailure } from '../http/index.ts'

export interface SiteRoutesOptions {
  pages: SitePages
  cache: PageCache
  /** The stylesheet's bytes and the hashed path it is served at. */
  stylesheet: { path: string; css: string }
  /** The public origin for links in a page: the configured one, or the request's vetted host. */
  originOf: (request: FastifyRequest) => string
  /** Status, code and safe detail of an error, for the JSON search endpoint's problem+json. */
  describeError: (error: unknown) => ProblemFailure
  /** Cache-Control of cached pages; PAGE_CACHE_CONTROL unless a CDN is told of purges. */
  cacheControl?: string
}

/** Public pages change on publish; browsers and proxies may reuse them briefly and revalidate by ETag. */
export const PAGE_CACHE_CONTROL = 'public, max-age=60, s-maxage=60, stale-while-revalidate=300'

/**
 * With a CDN that is told of every purge (CDN_PURGE_URL), shared caches may
 * keep pages for an hour; browsers still revalidate after a minute.
 */
export const PURGED_PAGE_CACHE_CONTROL = 'public, max-age=60, s-maxage=3600, stale-while-revalidate=300'

const SlugParam = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,120}$/) })
const PageQuery = z.object({ page: z.unknown().optional() }).passthrough()

function slugOf(request: FastifyRequest): string {
  const parsed = SlugParam.safeParse(request.params)
  // A slug that cannot exist is a missing page, not bad input.
  if (!parsed.success) throw new DomainError('not_found', 'PAGE_NOT_FOUND', 'That page was not found.')
  return parsed.data.slug
}

function pageOf(request: FastifyRequest): number {
  return parsePageNumber(PageQuery.parse(request.query ?? {}).page)
}

/** Registers the public site: server-rendered pages, no client JavaScript. */
export async function siteRoutes(app: FastifyInstance, options: SiteRoutesOptions): Promise<void> {
  const { pages, cache, stylesheet } = options
  const origin = options.originOf

  // A burst of requests for a page that is not cached renders it once; a purged page is served stale while that render runs.
  const renderPage = createRenderer<{ redirect: string }>(cache)
  const isPage = (value: CachedPage | { redirect: string }): value is CachedPage => !('redirect' in value)

  function render(key: string, make: () => Promise<PageResult>): Promise<CachedPage | { redirect: string }> {
    return renderPage(
      key,
      async () => {
        const result = await make()
        if (result.kind === 'redirect') return { redirect: result.location }
        const body = Buffer.from(result.html)
        return { html: result.html, body, etag: etagOf(body), ...(result.status ? { status: result.status } : {}), ...(result.keys ? { keys: result.keys } : {}) }
      },
      isPage,
    )
  }

  /** Only what changes a page's content goes into its key: origin, path and page number, not tracking parameters. */
  function keyOf(request: FastifyRequest, page?: number): string {
    const path = request.url.split('?')[0]
    return `${origin(request)}${path}${page && page > 1 ? `?page=${page}` : ''}`
  }

  async function send(request: FastifyRequest, reply: FastifyReply, make: () => Promise<PageResult>, page?: number) {
    const result = await render(keyOf(request, page), make)
    if ('redirect' in result) return reply.redirect(result.redirect, 301)
    const surrogate = surrogateKeyOf(result)
    if (surrogate) reply.header('surrogate-key', surrogate)
    // Setting the ETag here spares @fastify/etag hashing the body on every request; it still answers 304s.
    return reply
      .code(result.status ?? 200)
      .header('cache-control', options.cacheControl ?? PAGE_CACHE_CONTROL)
      .header('etag', result.etag)
      .type('text/html; charset=utf-8')
      .send(result.body ?? result.html)
  }

  app.get('/', (req, reply) => send(req, reply, () => pages.home(origin(req))))
  app.get('/sections/:slug', (req, reply) => {
    const slug = slugOf(req)
    const page = pageOf(req)
    return send(req, reply, () => pages.section(origin(req), slug, page), page)
  })
  app.get('/articles/:slug', (req, reply) => {
    const slug = slugOf(req)
    return send(req, reply, () => pages.article(origin(req), slug))
  })
  app.get('/authors/:slug', (req, reply) => {
    const slug = slugOf(req)
    const page = pageOf(req)
    return send(req, reply, () => pages.author(origin(req), slug, page), page)
  })
  app.get('/tags/:slug', (req, reply) => {
    const slug = slugOf(req)
    const page = pageOf(req)
    return send(req, reply, () => pages.tag(origin(req), slug, page), page)
  })
  // A private preview: never cached, never indexed, and an unknown or expired link is a plain 404.
  app.get('/preview/:token', async (req, reply) => {
    const token = (req.params as { token: string }).token
    const html = /^[A-Za-z0-9_-]{20,64}$/.test(token) ? await pages.sharedPreview(origin(req), token) : null
    if (html === null) throw new DomainError('not_found', 'PAGE_NOT_FOUND', 'That preview link is unknown or has expired.')
    return reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex, nofollow').type('text/html; charset=utf-8').send(html)
  })
  app.get('/quotes', (req, reply) => send(req, reply, () => pages.speakers(origin(req))))
  app.get('/quotes/:slug', (req, reply) => {
    const slug = slugOf(req)
    const page = pageOf(req)
    return send(req, reply, () => pages.speaker(origin(req), slug, page), page)
  })
  app.get('/logo.svg', async (_req, reply) => reply.header('cache-control', 'public, max-age=3600').type('image/svg+xml; charset=utf-8').send(await pages.logo()))
  app.get('/feeds', (req, reply) => send(req, reply, () => pages.feeds(origin(req))))

  // Search pages depend on the whole query string, so they bypass the page cache; browsers may keep them a minute.
  app.get('/search', async (req, reply) => {
    const result = await pages.search(origin(req), (req.query ?? {}) as Record<string, unknown>)
    if (result.kind !== 'html') return reply.redirect(result.location, 302)
    return reply
      .code(result.status ?? 200)
      .header('cache-control', 'public, max-age=60')
      .header('x-robots-tag', 'noindex')
      .type('text/html; charset=utf-8')
      .send(result.html)
  })
  app.get('/api/search', async (req, reply) => {
    try {
      const body = await pages.searchJson(origin(req), (req.query ?? {}) as Record<string, unknown>)
      return reply.header('cache-control', 'public, max-age=60').type('application/json; charset=utf-8').send(body)
    } catch (error) {
      const failure = options.describeError(error)
      if (failure.status >= 500) throw error
      return sendProblem(req, reply, failure)
    }
  })

  app.get(stylesheet.path, (_req, reply) =>
    reply.header('cache-control', 'public, max-age=31536000, immutable').type('text/css; charset=utf-8').send(stylesheet.css),
  )
}
