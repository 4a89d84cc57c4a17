import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { parsePageNumber } from '../shared/pagination.ts'
import { DomainError } from '../shared/errors.ts'
import type { PageCache } from './page-cache.ts'
import type { PageResult, SitePages } from './pages.tsx'

export interface SiteRoutesOptions {
  pages: SitePages
  cache: PageCache
  /** The stylesheet's bytes and the hashed path it is served at. */
  stylesheet: { path: string; css: string }
}

/** Public pages change on publish; browsers and proxies may reuse them briefly and revalidate by ETag. */
export const PAGE_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300'

const SlugParam = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,120}$/) })
const PageQuery = z.object({ page: z.unknown().optional() }).passthrough()

function origin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`
}

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

  async function send(request: FastifyRequest, reply: FastifyReply, render: () => Promise<PageResult>) {
    const key = `${request.host}${request.url}`
    let body = cache.get(key)
    if (body === undefined) {
      const result = await render()
      if (result.kind === 'redirect') return reply.redirect(result.location, 301)
      body = result.html
      cache.set(key, body)
    }
    return reply.header('cache-control', PAGE_CACHE_CONTROL).type('text/html; charset=utf-8').send(body)
  }

  app.get('/', (req, reply) => send(req, reply, () => pages.home(origin(req))))
  app.get('/sections/:slug', (req, reply) => {
    const slug = slugOf(req)
    const page = pageOf(req)
    return send(req, reply, () => pages.section(origin(req), slug, page))
  })
  app.get('/articles/:slug', (req, reply) => {
    const slug = slugOf(req)
    return send(req, reply, () => pages.article(origin(req), slug))
  })
  app.get('/authors/:slug', (req, reply) => {
    const slug = slugOf(req)
    const page = pageOf(req)
    return send(req, reply, () => pages.author(origin(req), slug, page))
  })
  app.get('/tags/:slug', (req, reply) => {
    const slug = slugOf(req)
    const page = pageOf(req)
    return send(req, reply, () => pages.tag(origin(req), slug, page))
  })
  app.get('/contact', (req, reply) => send(req, reply, () => pages.contact(origin(req))))

  app.get(stylesheet.path, (_req, reply) =>
    reply.header('cache-control', 'public, max-age=31536000, immutable').type('text/css; charset=utf-8').send(stylesheet.css),
  )
}
