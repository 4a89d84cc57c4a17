import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import { isIP } from 'node:net'
import { createGunzip, createInflate, createBrotliDecompress } from 'node:zlib'
import type { Readable } from 'node:stream'

/**
 * A careful HTTP GET for agency feeds. Remote trouble is an expected outcome,
 * returned as a value: the poller records it and backs off.
 *
 * - Private, loopback and link-local addresses are refused unless the source
 *   allows them (an agency on a private line, a test server on loopback). The
 *   check runs inside the socket's DNS lookup, so the address checked is the
 *   address connected to (no rebinding between check and connect).
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

/** True for addresses that must not be reached from a public fetch. */
export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const [a, b] = address.split('.').map(Number) as [number, number]
    return (
      a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224
    )
  }
  const v6 = address.toLowerCase()
  if (v6.startsWith('::ffff:')) return isPrivateAddress(v6.slice(7))
  return v6 === '::' || v6 === '::1' || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe80') || v6.startsWith('ff')
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: object, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '')
      const list = addresses as LookupAddress[]
      const allowed = allowPrivate ? list : list.filter((a) => !isPrivateAddress(a.address))
      if (allowed.length === 0) {
        const refused = Object.assign(new Error(`${hostname} resolves only to private addresses, which this source may not reach`), { code: 'EPRIVATE' })
        return callback(refused, '')
      }
      if ((options as { all?: boolean }).all) return callback(null, allowed)
      callback(null, allowed[0]!.address, allowed[0]!.family)
    })
  }
}

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
    const host = url.hostname.replace(/^\[|\]$/g, '')
    if (isIP(host) && !allowPrivate && isPrivateAddress(host)) {
      return resolve({ kind: 'failed', reason: `${host} is a private address, which this source may not reach` })
    }
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
