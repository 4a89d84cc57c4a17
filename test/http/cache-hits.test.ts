import http from 'node:http'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CONTENT } from '../../src/db/seed/demo-content.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

/**
 * A page the cache holds is answered by the site's first request hook
 * (src/site/cache-hits.ts) instead of the route and the hooks behind it. It
 * must be the very response the route sends. A tracking parameter makes the
 * hook step aside (only the route knows which parameters count), so each
 * request is asked twice, with and without one, and the answers compared.
 * The hook's compressed answers carry a length where the route streams them
 * chunked: that shows which of the two answered. Not a database matter, so
 * SQLite only.
 */

interface Raw {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
}

function get(url: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** The headers both must agree on: all but the date and how the body is framed. */
function comparable(headers: http.IncomingHttpHeaders) {
  const { date: _date, 'content-length': _length, 'transfer-encoding': _chunked, ...rest } = headers
  return rest
}

function decoded(raw: Raw): string {
  const coding = raw.headers['content-encoding']
  const bytes = coding === 'br' ? brotliDecompressSync(raw.body) : coding === 'gzip' ? gunzipSync(raw.body) : raw.body
  return bytes.toString('utf8')
}

const article = DEMO_CONTENT.articles[0]!.slug
const section = DEMO_CONTENT.sections[0]!.slug

describe('sqlite: cached pages answered before the route', () => {
  let t: TestServer

  beforeAll(async () => {
    t = await startTestServer('sqlite', { wirePollSeconds: 0 })
  })
  afterAll(async () => t?.cleanup())

  /** The page as the route sends it (tracking parameter) and as the hook does (none). */
  async function both(path: string, options: { method?: string; headers?: Record<string, string> } = {}) {
    const tracked = `${path}${path.includes('?') ? '&' : '?'}utm_source=test`
    // Cached first, by the route.
    expect((await get(`${t.url}${path}`)).status).toBe(200)
    const route = await get(`${t.url}${tracked}`, options)
    const hook = await get(`${t.url}${path}`, options)
    return { route, hook }
  }

  for (const path of ['/', `/articles/${article}`, `/sections/${section}`, `/sections/${section}?page=1`, '/quotes']) {
    it(`${path}: the same status, headers and body, plain and compressed`, async () => {
      for (const encoding of [undefined, 'br', 'gzip, deflate', 'gzip']) {
        const { route, hook } = await both(path, encoding ? { headers: { 'accept-encoding': encoding } } : {})
        expect(hook.status).toBe(route.status)
        expect(comparable(hook.headers)).toEqual(comparable(route.headers))
        expect(decoded(hook)).toBe(decoded(route))
        expect(hook.headers['surrogate-key']).toBeTruthy()
        expect(hook.headers['content-security-policy']).toContain("script-src 'none'")
        if (encoding) {
          expect(hook.headers['content-encoding']).toBe(encoding.startsWith('br') ? 'br' : 'gzip')
          // The hook's answer, not the route's: compressed once, sent with its length.
          expect(Number(hook.headers['content-length'])).toBe(hook.body.length)
          expect(route.headers['transfer-encoding']).toBe('chunked')
        } else {
          expect(Number(hook.headers['content-length'])).toBe(hook.body.length)
        }
      }
    })
  }

  it('answers a matching If-None-Match (weak or not) with 304 and a HEAD without a body, as the route does', async () => {
    const path = `/articles/${article}`
    const first = await get(`${t.url}${path}`)
    const etag = String(first.headers.etag)
    expect(etag).toMatch(/^W\//)
    for (const inm of [etag, etag.slice(2)]) {
      const { route, hook } = await both(path, { headers: { 'if-none-match': inm } })
      expect(route.status).toBe(304)
      expect(hook.status).toBe(304)
      expect(hook.body.length).toBe(0)
      expect(comparable(hook.headers)).toEqual(comparable(route.headers))
    }
    const stale = await get(`${t.url}${path}`, { headers: { 'if-none-match': 'W/"something-else"' } })
    expect(stale.status).toBe(200)

    const { route, hook } = await both(path, { method: 'HEAD' })
    expect(hook.status).toBe(200)
    expect(hook.body.length).toBe(0)
    expect(hook.headers['content-length']).toBe(route.headers['content-length'])
    expect(comparable(hook.headers)).toEqual(comparable(route.headers))
  })

  it('leaves a missing page, an unknown host and a bad page number to the route', async () => {
    expect((await get(`${t.url}/articles/no-such-story`)).status).toBe(404)
    expect((await get(`${t.url}/articles/no-such-story`)).status).toBe(404)
    expect((await get(`${t.url}/`, { headers: { host: 'elsewhere.example' } })).status).toBe(421)
    expect((await get(`${t.url}/sections/${section}?page=0`)).status).toBe(400)
  })
})
