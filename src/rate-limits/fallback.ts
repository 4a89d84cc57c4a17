/** After a failure, how long work goes to the local fallback before Redis is asked again. */
export const REDIS_RETRY_MS = 5_000

/**
 * Runs work against Redis and, when Redis fails, against a local fallback
 * instead. `onError` hears of an outage once, not at every request; and for
 * REDIS_RETRY_MS after a failure Redis is not asked at all, because a client
 * waiting to reconnect would hold every request for seconds.
 */
export function createRedisFallback(options: { onError: (error: unknown) => void; now?: () => number }) {
  const now = options.now ?? Date.now
  let failing = false
  let askAgainAt = 0
  return async function run<T>(remote: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (failing && now() < askAgainAt) return local()
    try {
      const result = await remote()
      failing = false
      return result
    } catch (error) {
      if (!failing) options.onError(error)
      failing = true
      askAgainAt = now() + REDIS_RETRY_MS
      return local()
    }
  }
}
