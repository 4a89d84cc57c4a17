import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import compress from '@fastify/compress'
import etag from '@fastify/etag'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { adminRoutes } from '../admin/index.ts'
import { createPageCache, createSitePages, NO_PAGE_CACHE, siteRoutes } from '../site/index.ts'
import type { Container } from './container.ts'
import { humanMessage, toHttpFailure } from './http-errors.ts'

const ASSETS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'site', 'assets')

/** The stylesheet, served under a content hash so browsers can keep it for a year. */
function loadStylesheet(): { path: string; css: string } {
  const css = readFileSync(path.join(ASSETS_DIR, 'site.css'), 'utf8')
  const hash = createHash('sha256').update(css).digest('hex').slice(0, 12)
  return { path: `/assets/site.${hash}.css`, css }
}

export interface AppOptions {
  /** A pino logger configuration or `false`; tests pass `false` or a silent level. */
  logger?: boolean | { level: string }
}

/**
 * Builds the HTTP app from a container without listening, so tests can start
 * it on a random port and main.ts can add timeouts and signals.
 */
export async function buildApp(container: Container, options: AppOptions = {}): Promise<FastifyInstance> {
  const { config } = container
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    trustProxy: true,
    requestTimeout: 30_000,
    // Real slugs are short; long URLs are noise or probes.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  })

  const stylesheet = loadStylesheet()
  const cache = config.pageCache ? createPageCache({ maxEntries: 2000, ttlMs: 60_000 }) : NO_PAGE_CACHE
  // Only changes readers can see empty the cache: desk work on drafts does not.
  for (const event of ['article.published', 'article.updated', 'article.unpublished'] as const) container.events.on(event, () => cache.clear())

  const pages = createSitePages({
    articles: container.articles,
    sections: container.sections,
    authors: container.authors,
    sources: container.sources,
    settings: container.settings,
    stylesheet: stylesheet.path,
    baseUrl: config.baseUrl,
  })

  // Handlers first: plugins registered later inherit them, earlier ones would keep Fastify's defaults.
  app.setNotFoundHandler(async (request, reply) => {
    const html = await pages.error(`${request.protocol}://${request.host}`, 404, 'Page not found', humanMessage(toHttpFailure({ statusCode: 404 })))
    return reply.code(404).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html)
  })

  app.setErrorHandler(async (error, request, reply) => {
    const failure = toHttpFailure(error)
    if (failure.status >= 500) request.log.error({ err: error, requestId: request.id }, 'request failed')
    else request.log.info({ code: failure.code, requestId: request.id }, failure.detail)
    const html = await pages.error(`${request.protocol}://${request.host}`, failure.status, failure.title, humanMessage(failure))
    return reply.code(failure.status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html)
  })

  await app.register(etag, { weak: true })
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'] })

  const mediaDir = path.join(config.dataDir, 'media')
  mkdirSync(mediaDir, { recursive: true })
  await app.register(fastifyStatic, {
    root: mediaDir,
    prefix: '/media/',
    maxAge: '7d',
    index: false,
    wildcard: true,
  })

  app.get('/healthz', async () => ({ status: 'ok' }))
  app.get('/readyz', async (_req, reply) => {
    try {
      await sql`select 1`.execute(container.database.db)
      return { status: 'ready' }
    } catch {
      return reply.code(503).send({ status: 'unavailable' })
    }
  })

  await app.register(siteRoutes, { pages, cache, stylesheet })
  await app.register(adminRoutes, {
    auth: container.auth,
    wire: container.wire,
    sections: container.sections,
    sources: container.sources,
    articles: container.articles,
    settings: container.settings,
    clock: container.clock,
    describeError: toHttpFailure,
  })

  return app
}
