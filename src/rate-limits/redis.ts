import type { WindowCounter } from './counter.ts'
import { createRedisFallback } from './fallback.ts'

/** The one Redis command the counter needs, so any client (ioredis, node-redis) fits. */
export interface RedisEval {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>
}

// INCR and the expiry in one step, so a window always ends even if this process dies between them.
const COUNT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
return {n, ttl}`

// One hit back, only while the window lasts (a key gone has nothing to give back) and never below zero.
const UNCOUNT = `local n = tonumber(redis.call('GET', KEYS[1]))
if n and n > 0 then redis.call('DECR', KEYS[1]) end
return 0`

/**
 * Windows counted in Redis, so every process sees the same count. While Redis
 * cannot be reached, hits are counted by `fallback` in this process (see
 * createRedisFallback): limits keep holding, per process, and no request
 * fails or stalls because Redis did.
 */
export function createRedisCounter(deps: {
  redis: RedisEval
  prefix: string
  fallback: WindowCounter
  onError: (error: unknown) => void
  now?: () => number
}): WindowCounter {
  const run = createRedisFallback({ onError: deps.onError, ...(deps.now ? { now: deps.now } : {}) })
  return {
    count: (key, windowMs) =>
      run(
        async () => {
          const [current, ttl] = (await deps.redis.eval(COUNT, 1, `${deps.prefix}${key}`, windowMs)) as [number, number]
          return { current: Number(current), resetInMs: Number(ttl) > 0 ? Number(ttl) : windowMs }
        },
        () => deps.fallback.count(key, windowMs),
      ),
    uncount: (key) =>
      run(
        async () => {
          await deps.redis.eval(UNCOUNT, 1, `${deps.prefix}${key}`)
        },
        () => deps.fallback.uncount(key),
      ),
  }
}
