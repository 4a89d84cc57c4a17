import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { createPageCache, etagOf } from '../site/page-cache.ts'
import { createLocalPurgeBus, parsePurgeMessage, type PurgeLog, type PurgeMessage } from './purge-bus.ts'
import { createPurger, storyPurgeKeys } from './purger.ts'
import { createRedisPurgeBus } from './redis-purge-bus.ts'
import { eventually, startReceiver } from '../../test/support/webhook-receiver.ts'
import { createCdnPurger } from './cdn-purge.ts'
import { createPostgresPurgeBus } from './postgres-purge-bus.ts'
import { TEST_PG_URL } from '../../test/support/dialects.ts'
import pg from 'pg'

const page = (html: string, keys: string[]) => ({ html, etag: etagOf(html), keys })

function recordingLog() {
  const lines: string[] = []
  const log: PurgeLog = { error: (m) => lines.push(`error ${m}`), warn: (m) => lines.push(`warn ${m}`), info: (m) => lines.push(`info ${m}`) }
  return { lines, log }
}

describe('the keys a story change purges', () => {
  it('names the story, its addresses and the lists it is on, once each', () => {
    const keys = storyPurgeKeys({ id: 'art_1', slug: 'new', sectionIds: ['sec_a', 'sec_b'], authorIds: ['aut_1'], tagIds: ['tag_1', 'tag_1'] }, 'old')
    expect(keys.sort()).toEqual(['author:aut_1', 'home', 'quotes', 'section:sec_a', 'section:sec_b', 'sitemap', 'slug:new', 'slug:old', 'story:art_1', 'tag:tag_1'])
  })

  it('reads only well-formed messages off the wire', () => {
    expect(parsePurgeMessage('{"from":"a","keys":["story:x"],"hard":false}')).toEqual({ from: 'a', keys: ['story:x'], hard: false })
    expect(parsePurgeMessage('{"from":"a","keys":null,"hard":true}')).toEqual({ from: 'a', keys: null, hard: true })
    for (const bad of ['', 'nope', '{"keys":["x"]}', '{"from":"a","keys":[1],"hard":false}']) expect(parsePurgeMessage(bad)).toBeNull()
  })
})

describe('the purger', () => {
  it('purges its own cache at once and tells the CDN the keys, or everything', async () => {
    const cache = createPageCache({ maxEntries: 10, ttlMs: 60_000 })
    cache.set('/', page('home', ['home', 'story:a']))
    cache.set('/sections/sport', page('sport', ['section:sport']))
    const told: (readonly string[] | null)[] = []
    let forgotten = 0
    const { purger, listening } = createPurger({ cache, bus: createLocalPurgeBus(), node: 'n1', cdn: (keys) => told.push(keys), onEverything: () => forgotten++, log: recordingLog().log })
    await listening
    purger.purge(['story:a'])
    expect(cache.lookup('/')?.stale).toBe(true)
    expect(cache.get('/sections/sport')?.html).toBe('sport')
    purger.purge(['section:sport'], { hard: true })
    expect(cache.lookup('/sections/sport')).toBeUndefined()
    purger.purgeEverything()
    expect(cache.lookup('/')).toBeUndefined()
    expect(told).toEqual([['story:a'], ['section:sport'], null])
    expect(forgotten).toBe(1)
  })
})

describe('the Redis purge bus', () => {
  const connections: Redis[] = []
  const connect = (connectionName?: string) => {
    const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: null, retryStrategy: () => 50, ...(connectionName ? { connectionName } : {}) })
    connections.push(redis)
    return redis
  }
  afterEach(async () => {
    for (const redis of connections.splice(0)) redis.disconnect()
  })

  it('carries purges between two nodes, ignores its own, and survives a lost connection with one warning', async () => {
    const channel = `test_${process.pid}_${randomBytes(4).toString('hex')}:purge`
    const a = { cache: createPageCache({ maxEntries: 10, ttlMs: 60_000 }), ...recordingLog() }
    const b = { cache: createPageCache({ maxEntries: 10, ttlMs: 60_000 }), ...recordingLog() }
    const name = `purge_test_${process.pid}_${randomBytes(4).toString('hex')}`
    const subscriberB = connect(name)
    const busA = createRedisPurgeBus({ publisher: connect(), subscriber: connect(), channel, log: a.log })
    const busB = createRedisPurgeBus({ publisher: connect(), subscriber: subscriberB, channel, log: b.log })
    const heardByA: PurgeMessage[] = []
    await busA.subscribe((m) => heardByA.push(m))
    const nodeA = createPurger({ cache: a.cache, bus: busA, node: 'a', log: a.log })
    const nodeB = createPurger({ cache: b.cache, bus: busB, node: 'b', log: b.log })
    await Promise.all([nodeA.listening, nodeB.listening])
    b.cache.set('/articles/x', page('x', ['story:x']))
    b.cache.set('/articles/y', page('y', ['story:y']))

    nodeA.purger.purge(['story:x'])
    await eventually(() => b.cache.lookup('/articles/x')?.stale === true, 2000)
    expect(b.cache.get('/articles/y')?.html).toBe('y')
    // A hears its own message on the channel and leaves its cache alone (it purged already).
    await eventually(() => heardByA.length === 1, 2000)
    expect(heardByA[0]).toMatchObject({ from: 'a', keys: ['story:x'] })

    // Redis drops B's subscriber mid-run: one warning, then it is back and hears again.
    const admin = connect()
    const list = String(await admin.call('CLIENT', 'LIST'))
    const line = list.split('\n').find((l) => l.includes(` name=${name} `))
    const id = /(?:^| )id=(\d+)/.exec(line ?? '')?.[1]
    expect(id).toBeTruthy()
    await admin.call('CLIENT', 'KILL', 'ID', id!)
    await eventually(() => b.lines.some((line) => line.startsWith('warn cache purges: lost Redis')), 3000)
    await eventually(() => b.lines.some((line) => line.startsWith('info cache purges: Redis is back')), 5000)
    b.cache.set('/articles/y', page('y', ['story:y']))
    await eventually(async () => {
      nodeA.purger.purge(['story:y'])
      await new Promise((r) => setTimeout(r, 100))
      return b.cache.lookup('/articles/y')?.stale === true
    }, 5000)
    expect(b.lines.filter((line) => line.includes('lost Redis'))).toHaveLength(1)
    await busA.close()
    await busB.close()
  }, 30_000)
})

describe('the CDN purge call', () => {
  it('POSTs the keys without waiting, and logs a refusal or a CDN that does not answer in time', async () => {
    const receiver = await startReceiver()
    try {
      const { lines, log } = recordingLog()
      const purge = createCdnPurger({ url: receiver.url, log, timeoutMs: 300 })
      receiver.answer({ status: 200 }, { status: 503 }, 'hang')
      const started = Date.now()
      purge(['story:a', 'home'])
      purge(null)
      purge(['story:b'])
      // Returned at once: the publish it follows is never held up.
      expect(Date.now() - started).toBeLessThan(50)
      await eventually(() => receiver.received.length === 3, 3000)
      // Three connections: they may arrive in any order.
      expect(receiver.received.map((r) => JSON.parse(r.body) as unknown)).toEqual(expect.arrayContaining([{ keys: ['story:a', 'home'] }, { all: true }, { keys: ['story:b'] }]))
      expect(receiver.received.every((r) => r.headers['content-type'] === 'application/json')).toBe(true)
      await eventually(() => lines.length === 2, 3000)
      expect(lines.sort()).toEqual([expect.stringMatching(/^warn cache purges: the CDN purge URL answered 503$/), expect.stringMatching(/^warn cache purges: the CDN purge URL failed/)])
    } finally {
      await receiver.stop()
    }
  })
})

describe('the PostgreSQL purge bus', () => {
  it('carries purges between two nodes and listens again after its connection is cut, with one warning', async () => {
    const channel = `purge_test_${process.pid}_${randomBytes(4).toString('hex')}`
    const pool = new pg.Pool({ connectionString: TEST_PG_URL, max: 2 })
    const notify = async (name: string, payload: string) => {
      await pool.query('select pg_notify($1, $2)', [name, payload])
    }
    const a = { cache: createPageCache({ maxEntries: 10, ttlMs: 60_000 }), ...recordingLog() }
    const b = { cache: createPageCache({ maxEntries: 10, ttlMs: 60_000 }), ...recordingLog() }
    const busA = createPostgresPurgeBus({ connectionString: TEST_PG_URL, channel, notify, log: a.log })
    const busB = createPostgresPurgeBus({ connectionString: TEST_PG_URL, channel, notify, log: b.log })
    try {
      const nodeA = createPurger({ cache: a.cache, bus: busA, node: 'a', log: a.log })
      const nodeB = createPurger({ cache: b.cache, bus: busB, node: 'b', log: b.log })
      await Promise.all([nodeA.listening, nodeB.listening])
      b.cache.set('/articles/x', page('x', ['story:x']))
      b.cache.set('/articles/y', page('y', ['story:y']))
      nodeA.purger.purge(['story:x'], { hard: true })
      await eventually(() => b.cache.lookup('/articles/x') === undefined, 2000)
      expect(b.cache.get('/articles/y')?.html).toBe('y')

      // The listening connections are cut (a failover, an idle timeout): B warns once and listens again.
      await pool.query(`select pg_terminate_backend(pid) from pg_stat_activity where query = $1`, [`LISTEN "${channel}"`])
      await eventually(() => b.lines.some((line) => line.startsWith('warn cache purges: lost PostgreSQL LISTEN')), 3000)
      await eventually(() => b.lines.some((line) => line.startsWith('info cache purges: PostgreSQL LISTEN is back')), 8000)
      nodeA.purger.purge(['story:y'])
      await eventually(() => b.cache.lookup('/articles/y')?.stale === true, 2000)
      expect(b.lines.filter((line) => line.includes('lost PostgreSQL'))).toHaveLength(1)
    } finally {
      await busA.close()
      await busB.close()
      await pool.end()
    }
  }, 30_000)
})
