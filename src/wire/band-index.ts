import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Db } from '../db/database.ts'
import type { Clock } from '../shared/clock.ts'
import { bands } from './fingerprint.ts'

/**
 * The duplicate finder's LSH band index, held in memory by each process.
 *
 * The database keeps each item's signature (`wire_items.fingerprint`), and
 * that is the only copy on disk; the 64 band keys of every item live here,
 * loaded a calendar day at a time from `wire_items` when an item first needs
 * that day, and added to as this process stores items. Writing 64 band rows
 * per item cost more than everything else ingest does together, and every
 * lookup was a query; here a lookup is a few binary searches.
 *
 * Other processes store items too. Before a lookup the index reads what they
 * stored since it last looked (at most once a second, by `first_received_at`,
 * skipping what this process stored itself), so two nodes group each other's
 * copy as one node groups its own, a second later at worst: the same
 * visibility an uncommitted row gave before.
 *
 * Days are forgotten least recently used first when more than `maxDays` are
 * held, so a backfill that walks through a year keeps a few days in memory,
 * not the year.
 *
 * An item's band keys are worked out when a lookup first needs them, not when
 * it is added: a backfill from one agency never looks up (no other agency's
 * copy can join its groups), and working out and filing 64 keys for each of its
 * items was most of what storing them cost. A lookup first files the waiting
 * items of its window's days, so it finds exactly what it would have found
 * had they been filed one by one.
 */
export interface BandIndexOptions {
  /** Calendar days held at most. Default 16. */
  maxDays?: number
  /** How often, at most, other processes' new items are read. Default 1 s. */
  syncEveryMs?: number
  /** Stored items' arrival times are compared with this much slack across processes' clocks and commits. Default 2 min. */
  syncSlackMs?: number
}

interface Entry {
  id: string
  agencyKey: string
  sortAt: number
  fingerprint: string
  /** Its band keys once filed in the buckets; null while it waits for a lookup. */
  bands: string[] | null
}

interface Day {
  entries: Map<string, Entry>
  /** This day's entries not yet filed in the buckets. */
  unfiled: Set<Entry>
  /** Items per agency key this day. */
  agencies: Map<string, number>
  usedAt: number
}

export interface BandIndex {
  /** Names this process in `wire_items.received_by`, so it can skip its own items when it reads others'. */
  readonly node: string
  /** Loads the days of [from, to] and reads other processes' new items; call before lookups in that range. */
  prepare(db: Db, from: number, to: number): Promise<void>
  /** Whether an agency other than `agencyKey` filed anything in [from, to]. */
  hasOtherAgency(agencyKey: string, from: number, to: number): boolean
  /**
   * Items in [from, to] in a band no fuller than `maxBucket`, with how many such
   * bands each shares with `keys`. Files the window's waiting items first, a
   * slice at a time with a turn of the event loop between slices.
   */
  sharedBands(keys: readonly string[], from: number, to: number, maxBucket: number): Promise<Map<string, { agencyKey: string; shared: number }>>
  add(item: { id: string; agencyKey: string; sortAt: string; fingerprint: string }): void
  remove(id: string, sortAt: string): void
}

const DAY_MS = 24 * 3600_000
/** Items filed between two turns of the event loop: about 30 ms of work. */
const FILE_SLICE = 1000
const dayKey = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const dayStart = (key: string) => Date.parse(`${key}T00:00:00.000Z`)

/** First position in `list` (sorted by sortAt) at or after `at`. */
function lowerBound(list: Entry[], at: number): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (list[mid]!.sortAt < at) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** First position in `list` after `at`. */
function upperBound(list: Entry[], at: number): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (list[mid]!.sortAt <= at) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** `clock` is the one that stamps `first_received_at`, so the index reads others' copy on the same timeline. */
export function createBandIndex(clock: Clock, node: string, options: BandIndexOptions = {}): BandIndex {
  const maxDays = options.maxDays ?? 16
  const syncEveryMs = options.syncEveryMs ?? 1000
  const slackMs = options.syncSlackMs ?? 120_000
  const days = new Map<string, Day>()
  // Most bands belong to one item only: such a bucket is the entry itself, and
  // becomes a list when a second item shares it. Hundreds of thousands of
  // one-element arrays were most of what the collector had to do during a backfill.
  const buckets = new Map<string, Entry | Entry[]>()
  const listOf = (bucket: Entry | Entry[] | undefined): Entry[] | undefined => (bucket === undefined || Array.isArray(bucket) ? bucket : [bucket])
  /** Other processes' items are read from this arrival time on. */
  let readOthersFrom: number | null = null
  let lastSync = 0

  const insert = (day: Day, entry: Entry) => {
    if (day.entries.has(entry.id)) return
    day.entries.set(entry.id, entry)
    day.agencies.set(entry.agencyKey, (day.agencies.get(entry.agencyKey) ?? 0) + 1)
    day.unfiled.add(entry)
  }

  const file = (entry: Entry) => {
    entry.bands = bands(entry.fingerprint)
    for (const band of entry.bands) {
      const bucket = buckets.get(band)
      if (bucket === undefined) {
        buckets.set(band, entry)
        continue
      }
      const list = Array.isArray(bucket) ? bucket : [bucket]
      if (list !== bucket) buckets.set(band, list)
      // Copy mostly arrives in time order, so this is nearly always an append.
      if (list[list.length - 1]!.sortAt <= entry.sortAt) list.push(entry)
      else list.splice(upperBound(list, entry.sortAt), 0, entry)
    }
  }

  const drop = (day: Day, entry: Entry) => {
    day.entries.delete(entry.id)
    const left = (day.agencies.get(entry.agencyKey) ?? 1) - 1
    if (left > 0) day.agencies.set(entry.agencyKey, left)
    else day.agencies.delete(entry.agencyKey)
    if (day.unfiled.delete(entry) || !entry.bands) return
    for (const band of entry.bands) {
      const bucket = buckets.get(band)
      if (bucket === undefined) continue
      if (!Array.isArray(bucket)) {
        if (bucket === entry) buckets.delete(band)
        continue
      }
      const at = bucket.indexOf(entry, lowerBound(bucket, entry.sortAt))
      if (at >= 0) bucket.splice(at, 1)
      if (bucket.length === 0) buckets.delete(band)
    }
  }

  const entryOf = (row: { id: string; agency_key: string; sort_at: string; fingerprint: string }): Entry => ({
    id: row.id,
    agencyKey: row.agency_key,
    sortAt: Date.parse(row.sort_at),
    fingerprint: row.fingerprint,
    bands: null,
  })

  const forgetOldDays = (keep: Set<string>) => {
    if (days.size <= maxDays) return
    const byAge = [...days].filter(([key]) => !keep.has(key)).sort((a, b) => a[1].usedAt - b[1].usedAt)
    for (const [key, day] of byAge.slice(0, days.size - maxDays)) {
      for (const entry of [...day.entries.values()]) drop(day, entry)
      days.delete(key)
    }
  }

  return {
    node,

    async prepare(trx, from, to) {
      const now = clock.now().getTime()
      const wanted = new Set<string>()
      for (let at = dayStart(dayKey(from)); at <= to; at += DAY_MS) wanted.add(dayKey(at))
      if (readOthersFrom === null) readOthersFrom = now - slackMs
      for (const key of wanted) {
        const known = days.get(key)
        if (known) {
          known.usedAt = now
          continue
        }
        const day: Day = { entries: new Map(), unfiled: new Set(), agencies: new Map(), usedAt: now }
        days.set(key, day)
        const start = dayStart(key)
        const rows = await trx
          .selectFrom('wire_items')
          .select(['id', 'agency_key', 'sort_at', 'fingerprint'])
          .where('sort_at', '>=', new Date(start).toISOString())
          .where('sort_at', '<', new Date(start + DAY_MS).toISOString())
          .execute()
        for (const row of rows) insert(day, entryOf(row))
      }
      forgetOldDays(wanted)
      if (now - lastSync < syncEveryMs) return
      lastSync = now
      const since = readOthersFrom
      readOthersFrom = now - slackMs
      const theirs = await trx
        .selectFrom('wire_items')
        .select(['id', 'agency_key', 'sort_at', 'fingerprint'])
        .where('first_received_at', '>=', new Date(since).toISOString())
        .where((eb) => eb.or([eb('received_by', 'is', null), eb('received_by', '!=', node)]))
        .execute()
      for (const row of theirs) {
        const day = days.get(row.sort_at.slice(0, 10))
        if (day) insert(day, entryOf(row))
      }
    },

    hasOtherAgency(agencyKey, from, to) {
      for (let at = dayStart(dayKey(from)); at <= to; at += DAY_MS) {
        const day = days.get(dayKey(at))
        if (!day) continue
        for (const key of day.agencies.keys()) if (key !== agencyKey) return true
      }
      return false
    },

    async sharedBands(keys, from, to, maxBucket) {
      // Only the window's days: items elsewhere are outside every range asked for here.
      for (let at = dayStart(dayKey(from)); at <= to; at += DAY_MS) {
        const day = days.get(dayKey(at))
        if (!day) continue
        while (day.unfiled.size > 0) {
          let filed = 0
          for (const entry of day.unfiled) {
            file(entry)
            day.unfiled.delete(entry)
            if (++filed === FILE_SLICE) break
          }
          // The first lookup after a long one-agency backfill files its whole window: in slices, so
          // health checks and other requests get their turns meanwhile.
          if (day.unfiled.size > 0) await nextTurn()
        }
      }
      const shared = new Map<string, { agencyKey: string; shared: number }>()
      for (const band of keys) {
        const list = listOf(buckets.get(band))
        if (!list) continue
        const lo = lowerBound(list, from)
        const hi = upperBound(list, to)
        // A band that many items share says only that they use common words
        // (the minimum of some hash landed on "government" in all of them).
        if (hi - lo === 0 || hi - lo > maxBucket) continue
        for (let i = lo; i < hi; i++) {
          const entry = list[i]!
          const known = shared.get(entry.id)
          if (known) known.shared++
          else shared.set(entry.id, { agencyKey: entry.agencyKey, shared: 1 })
        }
      }
      return shared
    },

    add(item) {
      const sortAt = Date.parse(item.sortAt)
      const key = dayKey(sortAt)
      // An item on a day not held is read with that day when a lookup needs it.
      const day = days.get(key)
      if (day) insert(day, { id: item.id, agencyKey: item.agencyKey, sortAt, fingerprint: item.fingerprint, bands: null })
    },

    remove(id, sortAt) {
      const day = days.get(dayKey(Date.parse(sortAt)))
      const entry = day?.entries.get(id)
      if (day && entry) drop(day, entry)
    },
  }
}
