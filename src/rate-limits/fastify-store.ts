import type { WindowCounter } from './counter.ts'

/** What @fastify/rate-limit hands a store for each route with its own limit. */
interface RouteLimitOptions {
  /** Present at run time; the plugin's typings describe the route options instead. */
  routeInfo?: { method: string | string[]; url: string }
  method?: string | string[]
  url?: string
}

type IncrCallback = (error: Error | null, result?: { current: number; ttl: number }) => void

/** The plugin passes each route's window as a third argument (its typings leave it out); a minute if it ever does not. */
const DEFAULT_WINDOW_MS = 60_000

/**
 * A store for @fastify/rate-limit (its `store` option) that counts through
 * one of our WindowCounters, so the admin's limits share Redis, and fall back
 * to this process when Redis is away, exactly as the reader forms' do. Each
 * route with its own limit counts under its own method and path.
 */
export function rateLimitStoreOn(counter: WindowCounter, scope: string) {
  return class CounterStore {
    private readonly prefix: string
    constructor(_options?: unknown, prefix = `${scope}:`) {
      this.prefix = prefix
    }

    incr(key: string, callback: IncrCallback, timeWindow?: number): void {
      counter.count(`${this.prefix}${key}`, typeof timeWindow === 'number' ? timeWindow : DEFAULT_WINDOW_MS).then(
        (c) => callback(null, { current: c.current, ttl: c.resetInMs }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      )
    }

    child(options: RouteLimitOptions): CounterStore {
      const route = options.routeInfo ?? { method: options.method ?? '', url: options.url ?? '' }
      const method = Array.isArray(route.method) ? route.method.join(',') : route.method
      return new CounterStore(undefined, `${this.prefix}${method}${route.url}:`)
    }
  }
}
