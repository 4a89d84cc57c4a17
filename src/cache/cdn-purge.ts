import type { PurgeLog } from './purge-bus.ts'

/** How long a CDN gets to take a purge before we stop waiting. */
const CDN_PURGE_TIMEOUT_MS = 3000

/**
 * Tells a CDN (or anything in front) which surrogate keys changed: a POST of
 * `{"keys":[…]}`, or `{"all":true}` for everything, to the configured URL.
 * Fire and forget: it never delays a publish; failures are logged.
 */
export function createCdnPurger(options: { url: string; log: PurgeLog; timeoutMs?: number; fetch?: typeof fetch }) {
  const send = options.fetch ?? fetch
  return function purge(keys: readonly string[] | null): void {
    const body = JSON.stringify(keys === null ? { all: true } : { keys })
    send(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? CDN_PURGE_TIMEOUT_MS),
    }).then(
      async (response) => {
        await response.body?.cancel().catch(() => {})
        if (!response.ok) options.log.warn(`cache purges: the CDN purge URL answered ${response.status}`)
      },
      (error: unknown) => options.log.warn(`cache purges: the CDN purge URL failed (${error instanceof Error ? error.message : String(error)})`),
    )
  }
}
