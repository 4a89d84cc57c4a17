import http from 'node:http'
import https from 'node:https'
import { performance } from 'node:perf_hooks'
import { guardedLookup, refusedLiteral } from '../../http/index.ts'
import type { SendResult, WebhookSender } from '../index.ts'

const USER_AGENT = 'Masthead webhooks (+https://github.com/masthead-news)'

export interface HttpSenderOptions {
  /** The whole request, connection to last byte read, in ms. */
  timeoutMs?: number
  /** Bytes of the answer read at most; the rest is dropped (we keep only a snippet). */
  maxResponseBytes?: number
}

/**
 * The webhook sender over HTTP(S), with the same guard as wire polling
 * (src/http/outbound.ts): private, loopback and link-local addresses only when
 * allowed, checked on the address actually connected to (DNS resolved once,
 * pinned for the connection). Redirects are never followed: a 3xx is the
 * answer, and the worker counts it as a failure, so an endpoint cannot bounce
 * us to an address inside the network. Time and answer size are capped.
 */
export function createHttpSender(options: HttpSenderOptions = {}): WebhookSender {
  const timeoutMs = options.timeoutMs ?? 10_000
  const maxBytes = options.maxResponseBytes ?? 64 * 1024
  return (request) =>
    new Promise<SendResult>((resolve) => {
      const started = performance.now()
      const took = () => performance.now() - started
      let url: URL
      try {
        url = new URL(request.url)
      } catch {
        return resolve({ kind: 'failed', reason: 'Not a URL', durationMs: 0 })
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return resolve({ kind: 'failed', reason: `Refusing ${url.protocol} URL`, durationMs: 0 })
      const refused = refusedLiteral(url, request.allowPrivateNetwork)
      if (refused) return resolve({ kind: 'failed', reason: refused, durationMs: 0 })
      const signal = AbortSignal.timeout(timeoutMs)
      const body = Buffer.from(request.body, 'utf8')
      const client = url.protocol === 'https:' ? https : http
      let settled = false
      const finish = (result: SendResult) => {
        if (settled) return
        settled = true
        resolve(result)
      }
      const req = client.request(
        url,
        {
          method: 'POST',
          signal,
          lookup: guardedLookup(request.allowPrivateNetwork) as never,
          headers: { ...request.headers, 'user-agent': USER_AGENT, 'content-length': String(body.length), accept: '*/*' },
        },
        (response) => {
          const status = response.statusCode ?? 0
          const chunks: Buffer[] = []
          let size = 0
          response.on('data', (chunk: Buffer) => {
            if (size < maxBytes) chunks.push(chunk.subarray(0, maxBytes - size))
            size += chunk.length
            // Past the cap the rest is not read: the answer is known, its body is only for the log.
            if (size >= maxBytes) {
              response.destroy()
              finish({ kind: 'answered', status, snippet: snippetOf(chunks), durationMs: took() })
            }
          })
          response.on('end', () => finish({ kind: 'answered', status, snippet: snippetOf(chunks), durationMs: took() }))
          response.on('error', () => finish({ kind: 'answered', status, snippet: snippetOf(chunks), durationMs: took() }))
        },
      )
      req.on('error', (error: NodeJS.ErrnoException) => {
        const reason = signal.aborted ? `No answer within ${timeoutMs / 1000} s` : error.code === 'EPRIVATE' ? error.message : `${error.code ?? 'ERROR'}: ${error.message}`
        finish({ kind: 'failed', reason, durationMs: took() })
      })
      req.end(body)
    })
}

/** The start of an answer as text, for the delivery log: 500 characters at most, control characters dropped. */
function snippetOf(chunks: Buffer[]): string {
  // eslint-disable-next-line no-control-regex
  return Buffer.concat(chunks).subarray(0, 2000).toString('utf8').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').slice(0, 500)
}
