import type { RateLimiter } from '../spam.ts'

/** The one Redis command the limiter needs, so any client (ioredis, node-redis) fits. */
export interface RedisEval {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>
}

// INCR and the expiry in one step, so a window always ends even if this process dies between them.
const HIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`

/**
 * Rate limits shared by every process through Redis (fixed windows). When
 * Redis cannot be reached the hit is counted by `fallback` in this process
 * instead, and `onError` hears why: the forms keep working, limited per process.
 */
export function createRedisRateLimiter(deps: { redis: RedisEval; prefix?: string; fallback: RateLimiter; onError: (error: unknown) => void }): RateLimiter {
  const prefix = deps.prefix ?? 'masthead:rate:'
  return {
    async hit(key, limit, windowMs) {
      try {
        const count = Number(await deps.redis.eval(HIT, 1, `${prefix}${key}`, windowMs))
        return count <= limit
      } catch (error) {
        deps.onError(error)
        return deps.fallback.hit(key, limit, windowMs)
      }
    },
  }
}
