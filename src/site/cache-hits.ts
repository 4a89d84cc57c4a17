import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { MAX_PAGE } from '../shared/pagination.ts'
import { surrogateKeyOf, type CachedPage, type PageCache } from './page-cache.ts'

/**
 * Answers a request for a public page that the page cache holds fresh, from
 * the first request hook, before Fastify's other hooks, plugins and the
 * route: the response was worked out once, when the page was first served
 * from the cache (headers, body bytes, and the brotli and gzip bodies on first
 * demand), and is written as it is. It is the same response the route and the
 * hooks behind it send: the same headers (Surrogate-Key, ETag, Cache-Control,
 * the security headers), 304 for a matching If-None-Match, HEAD without a
 * body, brotli or gzip when asked for plainly.
 *
 * Anything it cannot answer exactly goes on to the route as before: a miss or
 * a stale copy (the route refreshes it), a query string other than a page
 * number, an Accept-Encoding with weights or other codings, a draining server.
 */
export interface CacheHitOptions {
  /** The cache without instruments: a lookup here that misses is looked up again by the route. */
  cache: PageCache
  /** The origin part of a cache key, as the site routes make it. */
  originOf: (request: FastifyRequest) => string
  /** Cache-Control of the site's pages (routes.ts). */
  cacheControl: string
  /** Headers every public page carries (the security headers), in the order the hooks set them. */
  publicHeaders: Readonly<Record<string, string>>
  /** Strict-Transport-Security for this request, or null. */
  hsts: (request: FastifyRequest) => string | null
  /** True while the server drains: responses then carry Connection: close, which the hooks add. */
  isDraining: () => boolean
  /** Told of each page served here, for the cache hit counter. */
  onHit?: () => void
}

/** The site's cached pages: paths the page takes no page number on, and paths that are paged. */
const UNPAGED = /^\/(?:articles\/[^/?]+|quotes|feeds)?\/?$/
const PAGED = /^\/(?:sections|authors|tags|quotes)\/[^/?]+\/?$/

type Variant = { headers: Record<string, string | number>; body: Buffer }

interface Prepared {
  status: number
  etag: string
  /** The page's headers and body as sent plainly, and brotli and gzip ones made on first demand. */
  identity: Variant
  br: Variant | null
  gzip: Variant | null
  notModified: Record<string, string | number>
}

/** The cache key the site routes give this URL, or null when only the route can tell (see routes.ts keyOf). */
function keyPathOf(url: string): string | null {
  const q = url.indexOf('?')
  if (q === -1) return UNPAGED.test(url) || PAGED.test(url) ? url : null
  const path = url.slice(0, q)
  const match = /^page=([0-9]{1,6})$/.exec(url.slice(q + 1))
  if (!match || !PAGED.test(path)) return null
  const page = Number(match[1])
  if (page < 1 || page > MAX_PAGE) return null
  return page > 1 ? `${path}?page=${page}` : path
}

/** brotli or gzip when the client lists it without weights; undefined for no header (identity); null when only the route may decide. */
function plainEncoding(header: string | undefined): 'br' | 'gzip' | undefined | null {
  if (header === undefined) return undefined
  if (header.includes(';') || header.includes('*')) return null
  const codings = header.toLowerCase().split(',').map((c) => c.trim())
  if (codings.includes('br')) return 'br'
  if (codings.includes('gzip')) return 'gzip'
  return null
}

export function createCacheHits(options: CacheHitOptions) {
  const prepared = new WeakMap<CachedPage, Prepared>()

  function prepare(page: CachedPage): Prepared {
    let ready = prepared.get(page)
    if (ready) return ready
    const surrogate = surrogateKeyOf(page)
    const headers = {
      ...(surrogate ? { 'surrogate-key': surrogate } : {}),
      'cache-control': options.cacheControl,
      etag: page.etag,
      'content-type': 'text/html; charset=utf-8',
      ...options.publicHeaders,
    }
    const body = page.body ?? Buffer.from(page.html)
    ready = {
      status: page.status ?? 200,
      etag: page.etag,
      identity: { headers: { ...headers, 'content-length': body.length }, body },
      br: null,
      gzip: null,
      notModified: { ...headers, 'content-length': 0 },
    }
    prepared.set(page, ready)
    return ready
  }

  function compressed(page: Prepared, encoding: 'br' | 'gzip'): Variant {
    const body =
      encoding === 'br'
        ? brotliCompressSync(page.identity.body, { params: { [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT, [zlib.BROTLI_PARAM_QUALITY]: 4 } })
        : gzipSync(page.identity.body)
    return { headers: { ...page.identity.headers, vary: 'accept-encoding', 'content-encoding': encoding, 'content-length': body.length }, body }
  }

  /** The onRequest hook: answers and hijacks the reply on a fresh hit; otherwise leaves the request to the route. */
  return function serveCacheHit(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || options.isDraining()) return done()
    const keyPath = keyPathOf(request.url)
    if (keyPath === null) return done()
    const encoding = request.headers['x-no-compression'] === undefined ? plainEncoding(request.headers['accept-encoding']) : undefined
    if (encoding === null) return done()
    const hit = options.cache.lookup(`${options.originOf(request)}${keyPath}`)
    // A stale copy goes to the route, which serves it while one render refreshes it; feeds and the like are not pages.
    if (!hit || hit.stale || hit.page.contentType !== undefined) return done()
    const page = prepare(hit.page)
    options.onHit?.()

    const inm = request.headers['if-none-match']
    // As @fastify/etag compares: equal, or equal once either side is weak.
    const notModified = inm !== undefined && (inm === page.etag || `W/${inm}` === page.etag || inm === `W/${page.etag}`)
    // @fastify/compress compresses bodies from 1 KB (its brotli quality is 4); a 304 has no body to compress.
    const variant = notModified || !encoding || page.identity.body.length < 1024 ? page.identity : encoding === 'br' ? (page.br ??= compressed(page, 'br')) : (page.gzip ??= compressed(page, 'gzip'))
    let headers = notModified ? page.notModified : variant.headers
    const hsts = options.hsts(request)
    if (hsts) headers = { ...headers, 'strict-transport-security': hsts }
    reply.hijack()
    reply.raw.writeHead(notModified ? 304 : page.status, headers)
    if (notModified || request.method === 'HEAD') reply.raw.end()
    else reply.raw.end(variant.body)
  }
}
