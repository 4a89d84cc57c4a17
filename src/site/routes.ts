import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { parsePageNumber } from '../shared/pagination.ts'
import { DomainError } from '../shared/errors.ts'
import { etagOf, type CachedPage, type PageCache } from './page-cache.ts'
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
}

/** Public pages change on publish; browsers and proxies may reuse them briefly and revalidate by ETag. */
export const PAGE_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300'

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

  // Renders in progress by cache key: a burst of requests for a page that is
  // not cached renders it once, not once per request.
  const inFlight = new Map<string, Promise<CachedPage | { redirect: string }>>()

  async function render(key: string, make: () => Promise<PageResult>): Promise<CachedPage | { redirect: string }> {
    const cached = cache.get(key)
    if (cached) return cached
    let pending = inFlight.get(key)
    if (!pending) {
      pending = make()
        .then((result) => {
          if (result.kind === 'redirect') return { redirect: result.location }
          const page = { html: result.html, etag: etagOf(result.html), ...(result.status ? { status: result.status } : {}) }
          cache.set(key, page)
          return page
        })
        .finally(() => inFlight.delete(key))
      inFlight.set(key, pending)
    }
    return pending
  }

  /** Only what changes a page's content goes into its key: origin, path and page number, not tracking parameters. */
  function keyOf(request: FastifyRequest, page?: number): string {
    const path = request.url.split('?')[0]
    return `${origin(request)}${path}${page && page > 1 ? `?page=${page}` : ''}`
  }

  async function send(request: FastifyRequest, reply: FastifyReply, make: () => Promise<PageResult>, page?: number) {
    const result = await render(keyOf(request, page), make)
    if ('redirect' in result) return reply.redirect(result.redirect, 301)
    // Setting the ETag here spares @fastify/etag hashing the body on every request; it still answers 304s.
    return reply
      .code(result.status ?? 200)
      .header('cache-control', PAGE_CACHE_CONTROL)
      .header('etag', result.etag)
      .type('text/html; charset=utf-8')
      .send(result.html)
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
