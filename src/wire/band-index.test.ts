import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type OpenDatabase } from '../db/open.ts'
import { createTestDatabase, type TestDatabase } from '../../test/support/test-db.ts'
import { createBandIndex } from './band-index.ts'
import { bands, minHash } from './fingerprint.ts'

/**
 * The in-memory band index against a real SQLite file: what it finds matches
 * what is stored, it forgets days least recently used first, and a day it
 * forgot is read again from the database.
 */
const TEXT = 'harbour council votes to extend the ferry timetable through the winter months after a petition from island residents'

describe('band index', () => {
  let database: TestDatabase
  let open: OpenDatabase
  const now = Date.parse('2026-03-10T12:00:00Z')
  const clock = { now: () => new Date(now) }

  beforeEach(async () => {
    database = await createTestDatabase('sqlite')
    open = await openDatabase(database.target)
    const { error } = await open.migrate()
    if (error) throw error
  })
  afterEach(async () => {
    await open.close()
    await database.drop()
  })

  async function store(id: string, agency: string, sortAt: string, text = TEXT) {
    await open.db
      .insertInto('wire_items')
      .values({
        id,
        agency_key: agency,
        agency_item_id: id,
        wire_source_id: null,
        agency_name: null,
        headline: 'h',
        language: null,
        urgency: null,
        pub_status: 'usable',
        embargo_until: null,
        version_count: 1,
        current_version: 1,
        first_received_at: clock.now().toISOString(),
        last_received_at: clock.now().toISOString(),
        received_by: null,
        sort_at: sortAt,
        fingerprint: minHash(text),
        group_id: id,
        section_ids: '[]',
        tag_ids: '[]',
        rule_ids: '[]',
        search_text: text,
        article_id: null,
        article_version: null,
      })
      .execute()
  }

  const day = (d: number) => Date.parse(`2026-03-${String(d).padStart(2, '0')}T08:00:00Z`)
  const keysOf = (text: string) => ({ signature: minHash(text), keys: bands(minHash(text)) })

  it('finds stored copy of the window, skips full bands, and forgets days least recently used first', async () => {
    const index = createBandIndex(clock, 'this-node', { maxDays: 2 })
    await store('w1', 'acp', '2026-03-01T08:00:00Z')
    await store('w2', 'mw', '2026-03-05T08:00:00Z')
    await store('w3', 'mw', '2026-03-09T08:00:00Z')
    const { keys } = keysOf(TEXT)

    await index.prepare(open.db, day(1), day(1))
    expect(index.hasOtherAgency('mw', day(1) - 3600_000, day(1))).toBe(true)
    expect(index.hasOtherAgency('acp', day(1) - 3600_000, day(1))).toBe(false)
    expect([...(await index.sharedBands(keys, day(1) - 1, day(1) + 1, 50)).keys()]).toEqual(['w1'])
    // Full bands (more than maxBucket items in the window) are noise.
    expect((await index.sharedBands(keys, day(1) - 1, day(1) + 1, 0)).size).toBe(0)

    await index.prepare(open.db, day(5), day(5))
    await index.prepare(open.db, day(9), day(9))
    // Three days held, two allowed: the first, least recently used, is gone.
    expect((await index.sharedBands(keys, day(1) - 1, day(1) + 1, 50)).size).toBe(0)
    expect([...(await index.sharedBands(keys, day(5) - 1, day(9) + 1, 50)).keys()].sort()).toEqual(['w2', 'w3'])
    // ...and read again from the database when it is needed.
    await index.prepare(open.db, day(1), day(1))
    expect([...(await index.sharedBands(keys, day(1) - 1, day(1) + 1, 50)).keys()]).toEqual(['w1'])
  })

  it('adds and takes back what this process stores, in time order whatever the order of arrival', async () => {
    const index = createBandIndex(clock, 'this-node')
    await index.prepare(open.db, day(3) - 86_400_000, day(3) + 86_400_000)
    const { signature, keys } = keysOf(TEXT)
    for (const [id, at] of [['late', '2026-03-03T20:00:00Z'], ['early', '2026-03-03T01:00:00Z'], ['mid', '2026-03-03T10:00:00Z']] as const) {
      index.add({ id, agencyKey: 'acp', sortAt: at, fingerprint: signature })
    }
    expect([...(await index.sharedBands(keys, Date.parse('2026-03-03T05:00:00Z'), Date.parse('2026-03-03T12:00:00Z'), 50)).keys()]).toEqual(['mid'])
    expect([...(await index.sharedBands(keys, day(3) - 86_400_000, day(3) + 86_400_000, 50)).keys()]).toEqual(['early', 'mid', 'late'])
    index.remove('mid', '2026-03-03T10:00:00Z')
    expect([...(await index.sharedBands(keys, day(3) - 86_400_000, day(3) + 86_400_000, 50)).keys()]).toEqual(['early', 'late'])
  })

  it('keeps a lookup within 64 bands × maxBucket entries however much templated copy fills the window (issue 13)', async () => {
    const words = 'harbour council ferry minister election budget strike port river school vaccine court grid energy oil talks migration border trade farm'.split(' ')
    let seed = 13
    const word = () => words[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % words.length]!
    const templated = (n: number) => Array.from({ length: n }, word).join(' ')
    const index = createBandIndex(clock, 'this-node')
    await index.prepare(open.db, day(3) - 86_400_000, day(3) + 86_400_000)
    const probe = keysOf(templated(128)).keys
    const work: number[] = []
    for (let i = 0; i < 4_000; i++) {
      index.add({ id: `t${i}`, agencyKey: i % 2 === 0 ? 'results' : 'scores', sortAt: new Date(day(3) + i * 1000).toISOString(), fingerprint: minHash(templated(128)) })
      if ([25, 50, 100, 200, 500, 1_000, 2_000, 4_000].includes(i + 1)) {
        const found = await index.sharedBands(probe, day(3) - 86_400_000, day(3) + 86_400_000, 50)
        // Entries visited: each candidate once per band it shares.
        work.push([...found.values()].reduce((sum, hit) => sum + hit.shared, 0))
      }
    }
    expect(work[0]).toBeGreaterThan(0)
    expect(Math.max(...work)).toBeLessThanOrEqual(64 * 50)
    // As the window fills, more bands pass the cap and are skipped: the work does not grow with it.
    expect(work.at(-1)!).toBeLessThanOrEqual(Math.max(...work.slice(0, 4)))
  })

  it('files a long backfill at the first lookup of its window, letting the event loop turn between slices', async () => {
    const index = createBandIndex(clock, 'this-node')
    await index.prepare(open.db, day(3) - 86_400_000, day(3) + 86_400_000)
    // 2,500 items of one agency (a backfill, which never looks up), one of them the story looked for; one removed unfiled.
    for (let i = 0; i < 2_500; i++) {
      const text = i === 1_234 ? TEXT : `results table ${i} round ${i * 7} scores ${i * 13} standings ${i % 17}`
      index.add({ id: `b${i}`, agencyKey: 'results', sortAt: new Date(day(3) + i * 1000).toISOString(), fingerprint: minHash(text) })
    }
    index.remove('b7', new Date(day(3) + 7000).toISOString())
    let turned = false
    setImmediate(() => (turned = true))
    const found = await index.sharedBands(keysOf(TEXT).keys, day(3) - 86_400_000, day(3) + 86_400_000, 50)
    expect(turned).toBe(true)
    expect([...found].filter(([, hit]) => hit.shared >= 2).map(([id]) => id)).toEqual(['b1234'])
    // Filed once: the next lookup finds the same without filing again.
    turned = false
    setImmediate(() => (turned = true))
    expect([...(await index.sharedBands(keysOf(TEXT).keys, day(3) - 86_400_000, day(3) + 86_400_000, 50))].filter(([, hit]) => hit.shared >= 2).map(([id]) => id)).toEqual(['b1234'])
    expect(turned).toBe(false)
  })
})
