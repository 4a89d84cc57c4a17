export { createMemoryCounter, limiterOn, type RateLimiter, type WindowCount, type WindowCounter } from './counter.ts'
export { createRedisCounter, type RedisEval } from './redis.ts'
export { rateLimitStoreOn } from './fastify-store.ts'
export { createRedisFallback, REDIS_RETRY_MS } from './fallback.ts'
