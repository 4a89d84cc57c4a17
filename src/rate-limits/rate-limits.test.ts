import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { createMemoryCounter, createRedisCounter, limiterOn, REDIS_RETRY_MS } from './index.ts'

const prefix = `masthead-test-rate-${process.pid}-${Date.now()}:`

describe('window counters', () => {
  const clients: Redis[] = []
  const client = (url: string) => {
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 500, retryStrategy: () => null })
    r.on('error', () => {})
    clients.push(r)
    return r
  }
  afterAll(async () => {
    const live = clients[0]!
    const keys = await live.keys(`${prefix}*`)
    if (keys.length) await live.del(...keys)
    for (const c of clients) c.disconnect()
  })

  it('in memory: counts a key within its window, then starts over', async () => {
    let now = 1_000
    const counter = createMemoryCounter(() => now)
    expect(await counter.count('a', 10_000)).toEqual({ current: 1, resetInMs: 10_000 })
    now += 4_000
    expect(await counter.count('a', 10_000)).toEqual({ current: 2, resetInMs: 6_000 })
    expect((await counter.count('b', 10_000)).current).toBe(1)
    now += 6_000
    expect(await counter.count('a', 10_000)).toEqual({ current: 1, resetInMs: 10_000 })
    const limiter = limiterOn(counter)
    expect([await limiter.hit('c', 2, 1000), await limiter.hit('c', 2, 1000), await limiter.hit('c', 2, 1000)]).toEqual([true, true, false])
    // A hit given back no longer counts, within its window only, and a count never goes below none.
    await limiter.giveBack('c')
    await limiter.giveBack('c')
    expect(await limiter.hit('c', 2, 1000)).toBe(true)
    expect(await limiter.hit('c', 2, 1000)).toBe(false)
    await counter.uncount('never-counted')
    await counter.uncount('never-counted')
    expect((await counter.count('never-counted', 1000)).current).toBe(1)
    now += 1000
    await counter.uncount('c')
    expect((await counter.count('c', 1000)).current).toBe(1)
  })

  it('through Redis: two processes count one key together, and the window ends in Redis', async () => {
    const errors: unknown[] = []
    const make = () => createRedisCounter({ redis: client('redis://127.0.0.1:6379'), prefix, fallback: createMemoryCounter(), onError: (e) => errors.push(e) })
    const [one, two] = [make(), make()]
    expect((await one.count('shared', 60_000)).current).toBe(1)
    expect((await two.count('shared', 60_000)).current).toBe(2)
    const third = await one.count('shared', 60_000)
    expect(third.current).toBe(3)
    expect(third.resetInMs).toBeGreaterThan(50_000)
    expect(third.resetInMs).toBeLessThanOrEqual(60_000)
    expect(await clients[0]!.pttl(`${prefix}shared`)).toBeGreaterThan(0)
    // A hit given back by one process is gone for both; the window keeps its end; nothing is made of a key that has none.
    await two.uncount('shared')
    const fourth = await one.count('shared', 60_000)
    expect(fourth.current).toBe(3)
    expect(fourth.resetInMs).toBeLessThanOrEqual(third.resetInMs)
    await one.uncount('shared-never')
    expect(await clients[0]!.exists(`${prefix}shared-never`)).toBe(0)
    expect(errors).toEqual([])
  })

  it('with Redis away: counts in this process and says so once, not at every request', async () => {
    const errors: unknown[] = []
    const counter = createRedisCounter({ redis: client('redis://127.0.0.1:1'), prefix, fallback: createMemoryCounter(), onError: (e) => errors.push(e) })
    const counts: number[] = []
    for (let i = 0; i < 4; i++) counts.push((await counter.count('away', 60_000)).current)
    expect(counts).toEqual([1, 2, 3, 4])
    expect(errors).toHaveLength(1)
  })

  it('after an outage, leaves Redis alone for a few seconds, then counts there again once it answers', async () => {
    let now = 0
    let up = false
    let asked = 0
    const redis = {
      async eval(): Promise<unknown> {
        asked += 1
        if (!up) throw new Error('connection refused')
        return [7, 30_000]
      },
    }
    const errors: unknown[] = []
    const counter = createRedisCounter({ redis, prefix, fallback: createMemoryCounter(() => now), onError: (e) => errors.push(e), now: () => now })
    expect((await counter.count('k', 60_000)).current).toBe(1)
    expect((await counter.count('k', 60_000)).current).toBe(2)
    expect(asked).toBe(1)
    up = true
    now += REDIS_RETRY_MS - 1
    expect((await counter.count('k', 60_000)).current).toBe(3)
    now += 1
    expect(await counter.count('k', 60_000)).toEqual({ current: 7, resetInMs: 30_000 })
    expect(asked).toBe(2)
    expect(errors).toHaveLength(1)
  })
})
