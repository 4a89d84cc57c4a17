import http from 'node:http'
import https from 'node:https'
import { createGunzip, createInflate, createBrotliDecompress } from 'node:zlib'
import type { Readable } from 'node:stream'
import { guardedLookup, refusedLiteral } from '../../http/index.ts'

/**
 * A careful HTTP GET for agency feeds. Remote trouble is an expected outcome,
 * returned as a value: the poller records it and backs off.
 *
 * - Private, loopback and link-local addresses are refused unless the source
 *   allows them (an agency on a private line, a test server on loopback), with
 *   the shared guard of src/http/outbound.ts (no rebinding between check and
 *   connect); every redirect hop is checked again.
 * - Time, size and redirects are capped.
 * - Conditional GET: ETag and Last-Modified from the previous success.
 */

export interface FetchRequest {
  url: string
  etag?: string | null
  lastModified?: string | null
  allowPrivateNetwork?: boolean
  timeoutMs?: number
  maxBytes?: number
  maxRedirects?: number
}

export type FetchResult =
  | { kind: 'fetched'; bytes: Uint8Array; contentType: string | null; etag: string | null; lastModified: string | null; finalUrl: string }
  | { kind: 'not-modified' }
  | { kind: 'failed'; reason: string }

const USER_AGENT = 'Masthead wire desk (+https://github.com/masthead-news)'

function decode(response: http.IncomingMessage): Readable {
  const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase()
  if (encoding === 'gzip' || encoding === 'x-gzip') return response.pipe(createGunzip())
  if (encoding === 'deflate') return response.pipe(createInflate())
  if (encoding === 'br') return response.pipe(createBrotliDecompress())
  return response
}

function once(request: FetchRequest, url: URL, signal: AbortSignal): Promise<
  { kind: 'redirect'; location: string } | FetchResult
> {
  return new Promise((resolve) => {
    const allowPrivate = request.allowPrivateNetwork ?? false
    // A literal IP never goes through DNS lookup, so check it here.
    const refused = refusedLiteral(url, allowPrivate)
    if (refused) return resolve({ kind: 'failed', reason: refused })
    const client = url.protocol === 'https:' ? https : http
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: '*/*', 'accept-encoding': 'gzip, deflate, br' }
    if (request.etag) headers['if-none-match'] = request.etag
    if (request.lastModified) headers['if-modified-since'] = request.lastModified
    const req = client.get(url, { headers, signal, lookup: guardedLookup(allowPrivate) as never }, (response) => {
      const status = response.statusCode ?? 0
      if (status >= 300 && status < 400 && status !== 304 && response.headers.location) {
        response.resume()
        return resolve({ kind: 'redirect', location: new URL(response.headers.location, url).toString() })
      }
      if (status === 304) {
        response.resume()
        return resolve({ kind: 'not-modified' })
      }
      if (status < 200 || status >= 300) {
        response.resume()
        return resolve({ kind: 'failed', reason: `HTTP ${status} from ${url.host}` })
      }
      const max = request.maxBytes ?? 20 * 1024 * 1024
      const chunks: Buffer[] = []
      let size = 0
      const body = decode(response)
      body.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > max) {
          body.destroy()
          req.destroy()
          resolve({ kind: 'failed', reason: `The response is larger than ${max} bytes` })
          return
        }
        chunks.push(chunk)
      })
      body.on('error', (error) => resolve({ kind: 'failed', reason: `Reading the response failed: ${error.message}` }))
      body.on('end', () =>
        resolve({
          kind: 'fetched',
          bytes: new Uint8Array(Buffer.concat(chunks)),
          contentType: response.headers['content-type'] ?? null,
          etag: typeof response.headers.etag === 'string' ? response.headers.etag : null,
          lastModified: typeof response.headers['last-modified'] === 'string' ? response.headers['last-modified'] : null,
          finalUrl: url.toString(),
        }),
      )
    })
    req.on('error', (error: NodeJS.ErrnoException) => {
      const reason = signal.aborted ? `No answer within ${request.timeoutMs ?? 15_000} ms` : `${error.code ?? 'ERROR'}: ${error.message}`
      resolve({ kind: 'failed', reason })
    })
  })
}

/** Fetches a feed URL. Never throws: network trouble, refusals and HTTP errors come back as `failed`. */
export async function fetchFeed(request: FetchRequest): Promise<FetchResult> {
  let url: URL
  try {
    url = new URL(request.url)
  } catch {
    return { kind: 'failed', reason: `Not a URL: ${request.url}` }
  }
  const signal = AbortSignal.timeout(request.timeoutMs ?? 15_000)
  const maxRedirects = request.maxRedirects ?? 3
  for (let hop = 0; hop <= maxRedirects; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'failed', reason: `Refusing ${url.protocol} URL` }
    const result = await once(request, url, signal)
    if (result.kind !== 'redirect') return result
    url = new URL(result.location)
  }
  return { kind: 'failed', reason: `More than ${maxRedirects} redirects` }
}
