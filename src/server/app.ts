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
import { buildReaderScripts, CHROME_TTL_MS, createCacheHits, createPageCache, createSitePages, NO_PAGE_CACHE, PAGE_CACHE_CONTROL, PURGED_PAGE_CACHE_CONTROL, readerRoutes, siteRoutes, type ReaderScripts } from '../site/index.ts'
import { createPurger, storyPurgeKeys } from '../cache/purger.ts'
import { createCdnPurger } from '../cache/cdn-purge.ts'
import { createFeedBuilder, createNinjsBuilder, createSitemaps, feedRoutes, NINJS_PREFIX, ninjsRoutes, sitemapRoutes } from '../feeds/index.ts'
import type { Container } from './container.ts'
import { createHostCheck } from './hosts.ts'
import { humanMessage, toHttpFailure } from './http-errors.ts'
import { countWireIngest, hasMetricsToken, metricsOff, type Metrics } from './metrics.ts'

const ASSETS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'site', 'assets')

/** The stylesheet, served under a content hash so browsers can keep it for a year. */
function loadStylesheet(): { path: string; css: string } {
  const css = readFileSync(path.join(ASSETS_DIR, 'site.css'), 'utf8')
  const hash = createHash('sha256').update(css).digest('hex').slice(0, 12)
  return { path: `/assets/site.${hash}.css`, css }
}

/**
 * How long a rendered public page is kept. Changes purge the pages they touch
 * on every process (src/cache); this bounds how stale a page can be when a
 * purge is lost (the purge transport was down).
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
const publicCsp = (options: { extraImages: string; readerForm: boolean }) =>
  `default-src 'self'; img-src 'self' https: data:${options.extraImages}; style-src 'self'; ${
    // The reader forms run our own scripts (proof of work, tips sealed in the browser), nothing else, and reach nothing.
    options.readerForm ? "script-src 'self'; connect-src 'none'; worker-src 'none'" : "script-src 'none'"
  }; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'`
const isReaderForm = (url: string) => /^\/contact(?:\/(?:letter|opinion|tip))?(?:[?#]|$)/.test(url)
/** Uploaded files are shown as pictures; opened directly, an SVG must not run script or reach anything. */
const MEDIA_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"

declare module 'fastify' {
  interface FastifyInstance {
    /** Prepares what the admin builds on first use (the story editor's bundle), off the request path. */
    warmUp(): Promise<void>
    /** This app's Prometheus metrics (its own registry). */
    metrics: Metrics
    /** Set by main.ts when the server starts to stop: /readyz answers 503 from then on. */
    lifecycle: { isDraining: boolean }
  }
}

/**
 * What a request's log lines say about it: method, route and host, never the
 * client's address or port (Fastify's default logs `request.ip`, the real
 * address behind a trusted proxy). For every route, not only /contact: a
 * tipster also loads the tip page, its script and the follow-up page, and
 * the address on those lines, next to a tip's time, would name them; readers
 * of the public site deserve the same. Nothing else from the request (user
 * agent, other headers, body) is logged; see `loggerOptions` for the one
 * library line that would. The URL is kept: our forms post their fields in the
 * body, never the query string.
 */
export function requestLogLine(request: FastifyRequest): { method: string; url: string; host: string } {
  return { method: request.method, url: request.url, host: request.host }
}

/** The app's logger options: the caller's level and stream, with our request serializer. */
function loggerOptions(logger: AppOptions['logger'], level: string): false | Record<string, unknown> {
  if (logger === false) return false
  const base = logger === true || logger === undefined ? { level } : logger
  // @fastify/multipart logs every upload's headers at trace level (user agent, and X-Forwarded-For behind a proxy): never kept.
  return { ...base, serializers: { req: requestLogLine }, redact: { paths: ['busboyOptions.headers'], remove: true } }
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
    logger: loggerOptions(options.logger, config.logLevel),
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
  // Read from the install's build (dist/browser-bundles.json), or bundled in memory by esbuild on first use when run from src/ (~0.3 s); then kept.
  let bundle: Promise<Awaited<ReturnType<typeof buildEditorBundle>> | null> | null = null
  const editorBundle = () =>
    (bundle ??= buildEditorBundle().catch((error: unknown) => {
      app.log.error({ err: error }, 'the story editor could not be built; editor pages fall back to the plain form')
      return null
    }))
  // Built like the editor's bundle, on first use; a failed build leaves the forms working without scripts.
  let readerScripts: Promise<ReaderScripts | null> | null = null
  const scripts = () =>
    (readerScripts ??= buildReaderScripts().catch((error: unknown) => {
      app.log.error({ err: error }, 'the reader forms\' scripts could not be built; the forms work without them')
      return null
    }))
  app.decorate('warmUp', async () => {
    await Promise.all([editorBundle(), scripts()])
  })
  // Counted only when /metrics is on; prom-client and its default collectors cost a start ~50 ms and each request a little.
  const metrics = config.metricsToken
    ? (await import('./prometheus-metrics.ts')).createMetrics({
        db: container.database.db,
        pool: () => container.database.poolStats(),
        now: () => container.clock.now(),
        onScrapeError: (error) => app.log.warn({ err: error }, 'a metric could not be read from the database'),
      })
    : metricsOff
  app.decorate('metrics', metrics)
  container.workerLink?.shareMetrics(() => metrics.json())
  countWireIngest(metrics, container.wireEvents)
  const lifecycle = { isDraining: false }
  app.decorate('lifecycle', lifecycle)
  // Counted under the route's pattern (/articles/:slug), never the raw URL, so label values stay few and carry no reader input.
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest({ method: request.method, route: request.routeOptions.url, status: reply.statusCode, seconds: reply.elapsedTime / 1000 })
  })
  // While draining, each response asks its client to reconnect, so keep-alive connections move to another process.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (lifecycle.isDraining) reply.header('connection', 'close')
    return payload
  })

  // 2,000 pages, or 32 MB of them (pages and the bytes they are sent as), whichever comes first: a bound on the memory it may take.
  const pageCache = config.pageCache ? createPageCache({ maxEntries: 2000, maxBytes: 32 * 1024 * 1024, ttlMs: PAGE_CACHE_TTL_MS }) : NO_PAGE_CACHE
  const cache = metrics.instrumentCache(pageCache)

  // What every public rendering of stories reads (pages, feeds, ninjs, sitemaps, the content API).
  const published = {
    articles: container.articles,
    sections: container.sections,
    authors: container.authors,
    sources: container.sources,
    settings: container.settings,
    pictures: container.media,
    baseUrl: config.baseUrl,
  }
  const pages = createSitePages({
    ...published,
    search: container.search,
    quotes: container.quotes,
    stylesheet: stylesheet.path,
  })

  renderError = (status, title, message) => pages.error(config.baseUrl ?? '', status, title, message)

  // Purges by surrogate key, here at once and on every other process through the purge bus (src/cache).
  const purgeLog = { error: (m: string) => app.log.error(m), warn: (m: string) => app.log.warn(m), info: (m: string) => app.log.info(m) }
  const { purger, listening } = createPurger({
    cache,
    bus: container.purgeBus,
    node: container.node,
    onEverything: () => pages.forgetSiteData(),
    cdn: config.cdnPurgeUrl ? createCdnPurger({ url: config.cdnPurgeUrl, log: purgeLog }) : null,
    onApplied: (source) => metrics.purged(source),
    log: purgeLog,
  })
  // Only changes readers can see purge: desk work on drafts does not. A story taken down leaves no stale copy behind.
  container.events.on('article.published', ({ article }) => purger.purge(storyPurgeKeys(article)))
  container.events.on('article.updated', ({ article, previousSlug }) => purger.purge(storyPurgeKeys(article, previousSlug)))
  container.events.on('article.unpublished', ({ article }) => purger.purge(storyPurgeKeys(article), { hard: true }))
  // A merge of two speakers changes the ledger's pages and the links to them on article pages.
  container.quotes.onMerged(() => purger.purgeEverything())
  // New words on a picture, or a picture deleted, change the pages of the stories placing it (and the lists showing them).
  container.mediaChanges.on('media.changed', ({ mediaId }) => {
    container.articles.storiesUsingMedia(mediaId).then(
      (uses) => {
        // The lookup stops at 200 stories: past that, or when it failed, everything goes.
        if (uses.length >= 200) purger.purgeEverything()
        else if (uses.length > 0) purger.purge(uses.map((u) => `story:${u.id}`))
      },
      () => purger.purgeEverything(),
    )
  })
  // Listening before the first request; a transport that cannot be reached was logged and is retried behind the scenes.
  await listening

  // Before anything else: a host we do not answer for never reaches a page (421, not cacheable, not echoed).
  app.addHook('onRequest', async (request, reply) => {
    if (isAllowedHost(request.host) || request.url === '/healthz' || request.url === '/readyz' || request.url === '/metrics') return
    const failure = toHttpFailure({ statusCode: 421 })
    const html = await renderError(421, failure.title, 'This server does not answer for that address. If you run it, add the address to ALLOWED_HOSTS or set BASE_URL.')
    return reply.code(421).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html)
  })

  // Pictures in S3 come over https, which img-src already allows; a plain-http bucket on localhost (development) is named.
  const s3Origin = config.mediaStore.kind === 's3' ? new URL(config.mediaStore.publicUrl) : null
  const extraImages = s3Origin?.protocol === 'http:' ? ` ${s3Origin.origin}` : ''
  const PUBLIC_CSP = publicCsp({ extraImages, readerForm: false })
  const READER_FORMS_CSP = publicCsp({ extraImages, readerForm: true })
  const HSTS = 'max-age=31536000'
  const pageCacheControl = config.cdnPurgeUrl ? PURGED_PAGE_CACHE_CONTROL : PAGE_CACHE_CONTROL

  // A page the cache holds fresh is answered here, right after the host check, with the response worked out
  // once: the same bytes and headers the route and the hooks below would send (src/site/cache-hits.ts).
  if (config.pageCache) {
    app.addHook(
      'onRequest',
      createCacheHits({
        cache: pageCache,
        originOf,
        cacheControl: pageCacheControl,
        // What the security headers hook below sets on a public page.
        publicHeaders: { 'x-content-type-options': 'nosniff', 'referrer-policy': 'strict-origin-when-cross-origin', 'content-security-policy': PUBLIC_CSP, 'x-frame-options': 'DENY' },
        hsts: (request) => (request.protocol === 'https' || isHttpsOrigin ? HSTS : null),
        isDraining: () => lifecycle.isDraining,
        onHit: () => metrics.countCacheHit(),
      }),
    )
  }
  // Security headers for everything outside the admin, which sets its own stricter set.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/admin')) return payload
    reply.header('x-content-type-options', 'nosniff')
    reply.header('referrer-policy', 'strict-origin-when-cross-origin')
    reply.header('content-security-policy', request.url.startsWith('/media/') ? MEDIA_CSP : isReaderForm(request.url) ? READER_FORMS_CSP : PUBLIC_CSP)
    if (!reply.hasHeader('x-frame-options')) reply.header('x-frame-options', 'DENY')
    return payload
  })
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.protocol === 'https' || isHttpsOrigin) reply.header('strict-transport-security', HSTS)
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
    if (lifecycle.isDraining) return reply.code(503).header('cache-control', 'no-store').send({ status: 'draining' })
    try {
      await sql`select 1`.execute(container.database.db)
      return { status: 'ready' }
    } catch {
      return reply.code(503).send({ status: 'unavailable' })
    }
  })

  // Off unless METRICS_TOKEN is set: the route does not exist then, so /metrics is the ordinary 404 page.
  const metricsToken = config.metricsToken
  if (metricsToken) {
    app.get('/metrics', async (request, reply) => {
      if (!hasMetricsToken(request.headers.authorization, metricsToken)) {
        return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('A bearer token is needed: send Authorization: Bearer <METRICS_TOKEN>.\n')
      }
      // One worker of several answers for them all: the primary sums every worker's metrics (or, if it cannot, this one's alone).
      const { contentType, body } = container.workerLink
        ? await container.workerLink.clusterMetrics().catch((error: unknown) => {
            request.log.warn({ err: error }, 'the other workers\' metrics could not be gathered; answering with this worker\'s')
            return metrics.render()
          })
        : await metrics.render()
      return reply.header('cache-control', 'no-store').type(contentType).send(body)
    })
  }

  await app.register(siteRoutes, {
    pages,
    cache,
    stylesheet,
    originOf,
    describeError: toHttpFailure,
    // Told of every purge, a CDN may keep pages longer.
    cacheControl: pageCacheControl,
  })
  await app.register(readerRoutes, {
    pages,
    submissions: container.submissions,
    forms: container.readerForms,
    limits: { perAddress: config.readerForms.perAddress, perHour: config.readerForms.perHour, perAddressWithoutProof: config.readerForms.perAddressWithoutProof },
    scripts,
    originOf,
    tmpDir: path.join(config.dataDir, 'tmp'),
  })
  const feeds = createFeedBuilder(published)
  await app.register(feedRoutes, { feeds, cache, originOf })
  const ninjs = createNinjsBuilder(published)
  await app.register(ninjsRoutes, { prefix: NINJS_PREFIX, ninjs, cache, originOf, describeError: toHttpFailure })
  const sitemaps = createSitemaps({
    ...published,
    now: () => container.clock.now(),
  })
  await app.register(sitemapRoutes, { sitemaps, cache, originOf })
  await app.register(contentApiRoutes, {
    prefix: CONTENT_API_PREFIX,
    ...published,
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
    rateLimit: { max: config.adminApiPerMinute, timeWindowMs: 60_000, counter: container.requestCounter },
    describeError: toHttpFailure,
  })
  await app.register(adminRoutes, {
    requestCounter: container.requestCounter,
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
    // Links in mail and shared previews: the site settings' public address first, as on public pages.
    publicOrigin: async (request: FastifyRequest) => (await container.settings.get()).baseUrl?.replace(/\/+$/, '') ?? originOf(request),
    editorBundle,
    mediaChoices: (include) => container.media.choices(200, include),
    media: container.media,
    mailer: container.mailer,
    audit: container.audit,
    quotes: container.quotes,
    webhooks: container.webhooks,
    // Settings, sections, bylines: everything goes, on every process (and forgets the remembered settings there).
    onPublicChange: () => purger.purgeEverything(),
    publicCacheSeconds: Math.ceil(((config.pageCache ? PAGE_CACHE_TTL_MS : 0) + CHROME_TTL_MS) / 1000),
    submissions: container.submissions,
    adminTokens: container.adminTokens,
  })

  return app
}
