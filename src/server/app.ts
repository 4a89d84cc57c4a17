import { CONTENT_API_PREFIX, contentApiRoutes } from '../api/content/index.ts'
import { ADMIN_API_PREFIX, adminApiRoutes } from '../api/admin/index.ts'
import { recordAudit } from '../audit/index.ts'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import compress from '@fastify/compress'
import etag from '@fastify/etag'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { sql } from 'kysely'
import { adminRoutes, buildEditorBundle } from '../admin/index.ts'
import { CHROME_TTL_MS, createPageCache, createSitePages, NO_PAGE_CACHE, readerRoutes, siteRoutes } from '../site/index.ts'
import { createFeedBuilder, createNinjsBuilder, createSitemaps, feedRoutes, NINJS_PREFIX, ninjsRoutes, sitemapRoutes } from '../feeds/index.ts'
import type { Container } from './container.ts'
import { createHostCheck } from './hosts.ts'
import { humanMessage, toHttpFailure } from './http-errors.ts'

const ASSETS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'site', 'assets')

/** The stylesheet, served under a content hash so browsers can keep it for a year. */
function loadStylesheet(): { path: string; css: string } {
  const css = readFileSync(path.join(ASSETS_DIR, 'site.css'), 'utf8')
  const hash = createHash('sha256').update(css).digest('hex').slice(0, 12)
  return { path: `/assets/site.${hash}.css`, css }
}

/**
 * How long a rendered public page is kept. Settings, sections and tags edited
 * in the admin clear this process's cache at once; other processes show the
 * change when their entries expire, so this bounds how stale they can be.
 */
export const PAGE_CACHE_TTL_MS = 60_000

export interface AppOptions {
  /** A pino logger configuration or `false`; tests pass `false` or a silent level. */
  logger?: boolean | { level: string }
}

/**
 * Public pages run no script (JSON-LD is data, which script-src does not
 * govern), load only our stylesheet and pictures, and may not be framed.
 */
const publicCsp = (extraImages = '') =>
  `default-src 'self'; img-src 'self' https: data:${extraImages}; style-src 'self'; script-src 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'`
/** Uploaded files are shown as pictures; opened directly, an SVG must not run script or reach anything. */
const MEDIA_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"

declare module 'fastify' {
  interface FastifyInstance {
    /** Prepares what the admin builds on first use (the story editor's bundle), off the request path. */
    warmUp(): Promise<void>
  }
}

/** Trusts the nearest `hops` proxies, as a hop count in TRUST_PROXY asks. */
function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops
}

/**
 * Builds the HTTP app from a container without listening, so tests can start
 * it on a random port and main.ts can add timeouts and signals.
 */
export async function buildApp(container: Container, options: AppOptions = {}): Promise<FastifyInstance> {
  const { config } = container
  const isHttpsOrigin = config.baseUrl?.startsWith('https:') ?? false
  const isAllowedHost = createHostCheck(config)
  // The configured origin when there is one; otherwise the request's host, which the host check has vetted.
  const originOf = (request: FastifyRequest) => config.baseUrl ?? `${request.protocol}://${request.host}`

  let renderError: (status: number, title: string, message: string) => Promise<string> = async () => ''
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    // Only a configured proxy may speak for the client (X-Forwarded-For/-Host/-Proto): see TRUST_PROXY.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    requestTimeout: 30_000,
    // Real slugs are short; long URLs are noise or probes.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // A URL the router cannot decode (e.g. /media/%c0%af) gets our 400 page, never the path echoed back.
    frameworkErrors: (error, _request, reply) => {
      const failure = toHttpFailure(error)
      void renderError(failure.status, failure.title, humanMessage(failure)).then((html) =>
        (reply as FastifyReply).code(failure.status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html),
      )
    },
  })

  const stylesheet = loadStylesheet()
  // Built in memory by esbuild on first use (~0.3 s), then kept: no build step between a checkout and `npm start`.
  let bundle: Promise<Awaited<ReturnType<typeof buildEditorBundle>> | null> | null = null
  const editorBundle = () =>
    (bundle ??= buildEditorBundle().catch((error: unknown) => {
      app.log.error({ err: error }, 'the story editor could not be built; editor pages fall back to the plain form')
      return null
    }))
  app.decorate('warmUp', async () => {
    await editorBundle()
  })
  const cache = config.pageCache ? createPageCache({ maxEntries: 2000, ttlMs: PAGE_CACHE_TTL_MS }) : NO_PAGE_CACHE
  // Only changes readers can see empty the cache: desk work on drafts does not.
  for (const event of ['article.published', 'article.updated', 'article.unpublished'] as const) container.events.on(event, () => cache.clear())
  // A merge of two speakers changes the ledger's pages and the links to them on article pages.
  container.quotes.onMerged(() => cache.clear())
  // A deleted picture, or new words on one, may change a public page's featured picture.
  container.mediaChanges.on('media.changed', () => cache.clear())

  const pages = createSitePages({
    articles: container.articles,
    sections: container.sections,
    authors: container.authors,
    sources: container.sources,
    settings: container.settings,
    pictures: container.media,
    search: container.search,
    quotes: container.quotes,
    stylesheet: stylesheet.path,
    baseUrl: config.baseUrl,
  })

  renderError = (status, title, message) => pages.error(config.baseUrl ?? '', status, title, message)

  // Before anything else: a host we do not answer for never reaches a page (421, not cacheable, not echoed).
  app.addHook('onRequest', async (request, reply) => {
    if (isAllowedHost(request.host) || request.url === '/healthz' || request.url === '/readyz') return
    const failure = toHttpFailure({ statusCode: 421 })
    const html = await renderError(421, failure.title, 'This server does not answer for that address. If you run it, add the address to ALLOWED_HOSTS or set BASE_URL.')
    return reply.code(421).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html)
  })

  // Pictures in S3 come over https, which img-src already allows; a plain-http bucket on localhost (development) is named.
  const s3Origin = config.mediaStore.kind === 's3' ? new URL(config.mediaStore.publicUrl) : null
  const PUBLIC_CSP = publicCsp(s3Origin?.protocol === 'http:' ? ` ${s3Origin.origin}` : '')
  // Security headers for everything outside the admin, which sets its own stricter set.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/admin')) return payload
    reply.header('x-content-type-options', 'nosniff')
    reply.header('referrer-policy', 'strict-origin-when-cross-origin')
    reply.header('content-security-policy', request.url.startsWith('/media/') ? MEDIA_CSP : PUBLIC_CSP)
    if (!reply.hasHeader('x-frame-options')) reply.header('x-frame-options', 'DENY')
    return payload
  })
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.protocol === 'https' || isHttpsOrigin) reply.header('strict-transport-security', 'max-age=31536000')
    return payload
  })

  // WordPress's own short links (/?p=123) reach the home page's route, not the not-found handler: look them up first.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return
    if (!/^\/\?(?:[^#]*&)?(?:p|page_id)=\d/.test(request.url)) return
    const target = await container.importer.redirectFor(request.url)
    if (target) return reply.header('cache-control', 'public, max-age=3600').redirect(target, 301)
  })

  // Handlers first: plugins registered later inherit them, earlier ones would keep Fastify's defaults.
  app.setNotFoundHandler(async (request, reply) => {
    // An address of a site we imported from (WordPress, Ghost) answers 301 with its story's new one.
    if (request.method === 'GET' || request.method === 'HEAD') {
      const target = await container.importer.redirectFor(request.url)
      if (target) return reply.header('cache-control', 'public, max-age=3600').redirect(target, 301)
    }
    const html = await pages.error(originOf(request), 404, 'Page not found', humanMessage(toHttpFailure({ statusCode: 404 })))
    return reply.code(404).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html)
  })

  app.setErrorHandler(async (error, request, reply) => {
    const failure = toHttpFailure(error)
    if (failure.status >= 500) request.log.error({ err: error, requestId: request.id }, 'request failed')
    else request.log.info({ code: failure.code, requestId: request.id }, failure.detail)
    const html = await pages.error(originOf(request), failure.status, failure.title, humanMessage(failure))
    return reply.code(failure.status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html)
  })

  await app.register(etag, { weak: true })
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'] })

  const mediaDir = path.join(config.dataDir, 'media')
  mkdirSync(mediaDir, { recursive: true })
  // A library picture's files never change under their name (a new upload is a new picture), so browsers keep them a year.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/media/library/') && reply.statusCode === 200) reply.header('cache-control', 'public, max-age=31536000, immutable')
    return payload
  })
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

  await app.register(siteRoutes, { pages, cache, stylesheet, originOf, describeError: toHttpFailure })
  await app.register(readerRoutes, {
    pages,
    submissions: container.submissions,
    forms: container.readerForms,
    limits: { perAddress: config.readerForms.perAddress, perHour: config.readerForms.perHour },
    originOf,
    tmpDir: path.join(config.dataDir, 'tmp'),
  })
  const feeds = createFeedBuilder({
    articles: container.articles,
    sections: container.sections,
    authors: container.authors,
    sources: container.sources,
    settings: container.settings,
    baseUrl: config.baseUrl,
  })
  await app.register(feedRoutes, { feeds, cache, originOf })
  const ninjs = createNinjsBuilder({
    articles: container.articles,
    sections: container.sections,
    authors: container.authors,
    sources: container.sources,
    settings: container.settings,
    pictures: container.media,
    baseUrl: config.baseUrl,
  })
  await app.register(ninjsRoutes, { prefix: NINJS_PREFIX, ninjs, cache, originOf, describeError: toHttpFailure })
  const sitemaps = createSitemaps({
    articles: container.articles,
    sections: container.sections,
    authors: container.authors,
    settings: container.settings,
    baseUrl: config.baseUrl,
    now: () => container.clock.now(),
  })
  await app.register(sitemapRoutes, { sitemaps, cache, originOf })
  await app.register(contentApiRoutes, {
    prefix: CONTENT_API_PREFIX,
    articles: container.articles,
    sections: container.sections,
    authors: container.authors,
    sources: container.sources,
    settings: container.settings,
    search: container.search,
    keys: container.contentKeys,
    requireKey: config.contentApiRequireKey,
    originOf,
    describeError: toHttpFailure,
  })
  await app.register(adminApiRoutes, {
    prefix: ADMIN_API_PREFIX,
    tokens: container.adminTokens,
    idempotency: container.adminIdempotency,
    articles: container.articles,
    media: container.media,
    wire: container.wire,
    submissions: container.submissions,
    recordAudit: (entry) => recordAudit(container.database.db, entry),
    tmpDir: path.join(config.dataDir, 'tmp'),
    rateLimit: { max: config.adminApiPerMinute, timeWindowMs: 60_000, redis: container.redis, nameSpace: `${config.redisPrefix}admin-api:` },
    describeError: toHttpFailure,
  })
  await app.register(adminRoutes, {
    auth: container.auth,
    wire: container.wire,
    sections: container.sections,
    sources: container.sources,
    articles: container.articles,
    settings: container.settings,
    clock: container.clock,
    describeError: toHttpFailure,
    isHttpsOrigin,
    tmpDir: path.join(config.dataDir, 'tmp'),
    authors: container.authors,
    notifications: container.notifications,
    pages,
    publicOrigin: originOf,
    editorBundle,
    mediaChoices: () => container.media.choices(),
    media: container.media,
    mailer: container.mailer,
    audit: container.audit,
    quotes: container.quotes,
    webhooks: container.webhooks,
    // Other processes see the change when their page cache entries expire (PAGE_CACHE_TTL_MS).
    onPublicChange: () => {
      cache.clear()
      pages.forgetSiteData()
    },
    publicCacheSeconds: Math.ceil(((config.pageCache ? PAGE_CACHE_TTL_MS : 0) + CHROME_TTL_MS) / 1000),
    submissions: container.submissions,
    adminTokens: container.adminTokens,
  })

  return app
}
