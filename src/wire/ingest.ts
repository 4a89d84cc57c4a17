import { createHash } from 'node:crypto'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { ControlledTransaction, Kysely } from 'kysely'
import type { Database, Db } from '../db/database.ts'
import { preparedInsert } from '../db/prepared.ts'
import type { Clock } from '../shared/clock.ts'
import { newId } from '../shared/ids.ts'
import type { BandIndex } from './band-index.ts'
import { bands, DUPLICATE_THRESHOLD, similarity } from './fingerprint.ts'
import { prepareItem, type PreparedItem } from './prepared.ts'
import { packRaw, type PackedRaw } from './raw-bytes.ts'
import { WireDeskErrors } from './ingest-errors.ts'
import { routeItem, type RoutingRule } from './routing.ts'
import type { RawOutcome, WireItemsTable } from './tables.ts'
import type { ParseReport, WireIssue, WireItem } from './wire-item.ts'

/**
 * Parses bytes into wire items; the format adapters implement it (`parseWire`),
 * and parser-process.ts runs it off the event loop with bounds. Never throws.
 */
export type WireParser = (bytes: Uint8Array, options: { contentType?: string; baseUrl?: string }) => ParsedInput | Promise<ParsedInput>

/**
 * A parse report, with what the parser process works out for each item while
 * the storing process is busy with the previous input (`prepared[i]` for
 * `items[i]`, see prepared.ts). Missing (an inline parse), it is worked out
 * when the item is stored.
 */
export interface ParsedInput extends ParseReport {
  prepared?: PreparedItem[]
}

/** One input to ingest: bytes exactly as received, and where they came from. */
export interface IngestInput {
  bytes: Uint8Array
  /** A URL, a file name, or "upload". */
  origin: string
  contentType?: string
  /** For resolving relative links in feeds. */
  baseUrl?: string
  wireSourceId?: string | null
}

export type ItemOutcome = 'imported' | 'updated' | 'unchanged'

/** What happened to one input. Expected failures are listed here, never thrown. */
export interface IngestReport {
  rawId: string
  format: string | null
  imported: number
  updated: number
  unchanged: number
  rejected: WireIssue[]
  warnings: WireIssue[]
  /** `isKill` when this input turned a stored item into a kill (the agency's `canceled`). */
  items: { itemId: string; outcome: ItemOutcome; headline: string; isKill?: boolean }[]
}

/** Items per transaction when storing a batch. */
const COMMIT_EVERY = 50

/** Shared LSH bands that make an item a candidate for the same group. */
const MIN_SHARED_BANDS = 2
/** A band shared by more items than this within the window is noise, not evidence. */
const MAX_BAND_BUCKET = 50

/** How far apart in time two items may be and still be grouped as one event. */
const GROUP_WINDOW_MS = 48 * 3600_000

export interface IngestDeps {
  db: Kysely<Database>
  clock: Clock
  parse: WireParser
  loadRules: () => Promise<RoutingRule[]>
  /** This process's duplicate-finder index (band-index.ts). */
  bandIndex: BandIndex
  /** Hears the items a chunk killed, inside the chunk's transaction (the webhook outbox); a failure rolls the chunk back. */
  onKilled?: (trx: Db, itemIds: string[]) => Promise<void>
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex')
}

/**
 * Lower-case key for the agency: what the copy states, else the wire source it
 * came through, else the publisher's name, else the host of its web address.
 */
export function agencyKeyOf(item: WireItem, sourceSlug: string | null): string {
  const host = item.link ? new URL(item.link).hostname.replace(/^www\./, '') : null
  const key = item.agency ?? sourceSlug ?? item.agencyName ?? host ?? 'unknown'
  return key.trim().toLowerCase()
}

/**
 * Stores one input: the raw bytes first (always, even when nothing in them is
 * readable: that is the quarantine), then each parsed item in its own
 * transaction, so one bad item never undoes or blocks the others.
 */
export async function ingestInput(deps: IngestDeps, input: IngestInput): Promise<IngestReport> {
  const packed = packRaw(input.bytes)
  return storeInput(deps, input, await parseInput(deps, input), await packed)
}

function parseInput(deps: IngestDeps, input: IngestInput): Promise<ParsedInput> {
  return Promise.resolve(
    deps.parse(input.bytes, {
      ...(input.contentType ? { contentType: input.contentType } : {}),
      ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
    }),
  )
}

/** Inputs parsed ahead of the one being stored: as many as the parser has processes (parser-process.ts). */
const PARSE_AHEAD = 2

/**
 * Ingests inputs one after another, as `ingestInput` does each, and yields
 * their reports in order. The next inputs are read while the current one is
 * stored: large inputs are parsed in the parser's own processes, so a backfill
 * of many files costs about the slower of parsing and storing, not their sum.
 */
export async function* ingestSeries(deps: IngestDeps, inputs: AsyncIterable<IngestInput> | Iterable<IngestInput>): AsyncGenerator<IngestReport> {
  const iterator = Symbol.asyncIterator in inputs ? inputs[Symbol.asyncIterator]() : (inputs as Iterable<IngestInput>)[Symbol.iterator]()
  const ahead: { input: IngestInput; parsed: Promise<ParsedInput>; packed: Promise<PackedRaw> }[] = []
  let done = false
  const fill = async () => {
    while (!done && ahead.length < PARSE_AHEAD) {
      const result = await iterator.next()
      if (result.done) {
        done = true
        return
      }
      const parsed = parseInput(deps, result.value)
      // Awaited in its turn below; this only keeps a failure from being reported as unhandled meanwhile.
      parsed.catch(() => {})
      ahead.push({ input: result.value, parsed, packed: packRaw(result.value.bytes) })
    }
  }
  await fill()
  while (ahead.length > 0) {
    const current = ahead.shift()!
    await fill()
    yield await storeInput(deps, current.input, await current.parsed, await current.packed)
  }
}

async function storeInput(deps: IngestDeps, input: IngestInput, parsed: ParsedInput, packed: PackedRaw): Promise<IngestReport> {
  const { db, clock } = deps
  const receivedAt = clock.now().toISOString()
  const wireSource = input.wireSourceId
    ? await db.selectFrom('wire_sources').select(['id', 'slug']).where('id', '=', input.wireSourceId).executeTakeFirst()
    : undefined

  const rawId = newId('raw')
  const outcome: RawOutcome = parsed.items.length === 0 ? 'rejected' : parsed.rejected.length > 0 ? 'partial' : 'accepted'
  await db
    .insertInto('wire_raw')
    .values({
      id: rawId,
      wire_source_id: wireSource?.id ?? null,
      origin: input.origin.slice(0, 2000),
      content_type: input.contentType ?? null,
      received_at: receivedAt,
      byte_length: input.bytes.byteLength,
      sha256: sha256(input.bytes),
      bytes: packed.bytes,
      encoding: packed.encoding,
      format: parsed.format,
      outcome,
      issues: JSON.stringify([...parsed.rejected, ...parsed.warnings]),
    })
    .execute()

  const report: IngestReport = {
    rawId,
    format: parsed.format,
    imported: 0,
    updated: 0,
    unchanged: 0,
    rejected: [...parsed.rejected],
    warnings: [...parsed.warnings],
    items: [],
  }
  const rules = parsed.items.length > 0 ? await deps.loadRules() : []
  // Items are written in transactions of up to COMMIT_EVERY items, each item
  // inside its own savepoint: a bad item rolls back only itself, and a batch
  // costs one commit (one disk flush) per chunk instead of one per item.
  let trx: ControlledTransaction<Database> | null = null
  let chunk: { index: number; item: WireItem; stored: Stored }[] = []
  const commitChunk = async () => {
    if (!trx) return
    const pending = chunk
    const open = trx
    trx = null
    chunk = []
    try {
      const killed = pending.filter((p) => p.stored.isKill).map((p) => p.stored.itemId)
      if (killed.length > 0 && deps.onKilled) await deps.onKilled(open, killed)
      await open.commit().execute()
      for (const { item, stored } of pending) {
        report[stored.outcome]++
        report.items.push({ itemId: stored.itemId, outcome: stored.outcome, headline: item.headline, ...(stored.isKill ? { isKill: true } : {}) })
      }
    } catch (error) {
      await open.rollback().execute().catch(() => {})
      for (const { item, stored } of pending) if (stored.outcome === 'imported') deps.bandIndex.remove(stored.itemId, sortAtOf(item, receivedAt))
      for (const { index, item } of pending) report.rejected.push(storeFailure(index, item, error))
    }
    // Give the event loop a turn between chunks: on SQLite every query runs
    // synchronously, so without this a long import would hold off every
    // request (health checks included) until its last item.
    await nextTurn()
  }
  const prepared = parsed.prepared?.length === parsed.items.length ? parsed.prepared : undefined
  const base = { rawId, receivedAt, wireSourceId: wireSource?.id ?? null, sourceSlug: wireSource?.slug ?? null, rules, bandIndex: deps.bandIndex }
  try {
    for (let first = 0; first < parsed.items.length; first += COMMIT_EVERY) {
      const slice = parsed.items.slice(first, first + COMMIT_EVERY).map((item, k) => ({ index: first + k, item, prepared: prepared?.[first + k] }))
      trx = await db.startTransaction().execute()
      // The common case, one agency's new copy with no other agency's in the
      // window, is stored in a few statements for the whole chunk.
      let batched: Awaited<ReturnType<typeof storeNewChunk>> = null
      try {
        batched = await storeNewChunk(trx, slice, base)
      } catch {
        // Anything unexpected (a race, a refused row): undo the chunk and store it item by item.
        await trx.rollback().execute().catch(() => {})
        trx = await db.startTransaction().execute()
      }
      if (batched) {
        chunk = batched
      } else {
        for (const { index, item, prepared } of slice) {
          try {
            chunk.push({ index, item, stored: await storeInSavepoint(trx, { ...base, item, ...(prepared ? { prepared } : {}) }) })
          } catch (error) {
            report.rejected.push(storeFailure(index, item, error))
          }
        }
      }
      await commitChunk()
    }
  } finally {
    const open = trx as ControlledTransaction<Database> | null
    if (open) await open.rollback().execute().catch(() => {})
  }
  if (report.rejected.length > parsed.rejected.length) {
    await db
      .updateTable('wire_raw')
      .set({ outcome: report.items.length === 0 ? 'rejected' : 'partial', issues: JSON.stringify([...report.rejected, ...report.warnings]) })
      .where('id', '=', rawId)
      .execute()
  }
  return report
}

interface StoreArgs {
  item: WireItem
  /** What the parser process worked out for the item, if it did. */
  prepared?: PreparedItem
  rawId: string
  receivedAt: string
  wireSourceId: string | null
  sourceSlug: string | null
  rules: RoutingRule[]
  bandIndex: BandIndex
}

/** The time an item sorts and groups by: the agency's, else when it arrived. */
function sortAtOf(item: WireItem, receivedAt: string): string {
  return item.versionCreated ?? item.firstCreated ?? receivedAt
}

function storeFailure(index: number, item: WireItem, error: unknown): WireIssue {
  return {
    where: `item[${index}] id=${item.agencyItemId}`,
    code: WireDeskErrors.WIRE_STORE_FAILED,
    message: `The item could not be stored: ${error instanceof Error ? error.message : String(error)}`,
  }
}

/**
 * Stores one item inside a savepoint. Two processes can receive the same new
 * item at once; the unique key on (agency_key, agency_item_id) lets one insert
 * win, and the other, after rolling back to its savepoint, finds the winner's
 * row and stores its copy as a version, or as unchanged.
 */
async function storeInSavepoint(trx: ControlledTransaction<Database>, args: StoreArgs): Promise<Stored> {
  for (let attempt = 1; ; attempt++) {
    const savepoint = await trx.savepoint('wire_item').execute()
    try {
      const { indexEntry, ...stored } = await storeItem(savepoint, args)
      await savepoint.releaseSavepoint('wire_item').execute()
      // Indexed once its rows stand, so the next items of this input can group with it.
      if (indexEntry) args.bandIndex.add(indexEntry)
      return stored
    } catch (error) {
      await savepoint.rollbackToSavepoint('wire_item').execute()
      const isRace = /unique|duplicate key/i.test(error instanceof Error ? error.message : '')
      if (!isRace || attempt >= 2) throw error
    }
  }
}

/**
 * Stores a chunk of new items from one agency in three statements, when that
 * gives exactly what storing them one by one would: every item is new (none
 * stored, none twice in the chunk), all come from one agency, and no other
 * agency filed within the grouping window of any of them, so none can join a
 * group. Returns null, having written nothing, when the chunk does not
 * qualify; throws when a write fails, and the caller then stores the chunk
 * item by item, where each failure costs only its item.
 */
async function storeNewChunk(
  trx: Db,
  slice: { index: number; item: WireItem; prepared?: PreparedItem | undefined }[],
  base: Omit<StoreArgs, 'item' | 'prepared'>,
): Promise<{ index: number; item: WireItem; stored: { itemId: string; outcome: ItemOutcome } }[] | null> {
  if (slice.length < 2) return null
  const agencyKey = agencyKeyOf(slice[0]!.item, base.sourceSlug)
  const ids = new Set<string>()
  for (const { item } of slice) {
    if (agencyKeyOf(item, base.sourceSlug) !== agencyKey || ids.has(item.agencyItemId)) return null
    ids.add(item.agencyItemId)
  }
  const sortAts = slice.map(({ item }) => sortAtOf(item, base.receivedAt))
  const times = sortAts.map((at) => Date.parse(at))
  if (times.some((t) => Number.isNaN(t))) return null
  const from = Math.min(...times) - GROUP_WINDOW_MS
  const to = Math.max(...times) + GROUP_WINDOW_MS
  await base.bandIndex.prepare(trx, from, to)
  if (base.bandIndex.hasOtherAgency(agencyKey, from, to)) return null
  const stored = await trx.selectFrom('wire_items').select('id').where('agency_key', '=', agencyKey).where('agency_item_id', 'in', [...ids]).limit(1).executeTakeFirst()
  if (stored) return null

  const rows: WireItemsTable[] = []
  const versions: Parameters<typeof versionRow>[0][] = []
  for (const [k, { item, prepared: sent }] of slice.entries()) {
    const id = newId('wire')
    const prepared = sent ?? prepareItem(item)
    rows.push(
      newItemRow(item, prepared, {
        id,
        agencyKey,
        sortAt: sortAts[k]!,
        groupId: id,
        node: base.bandIndex.node,
        wireSourceId: base.wireSourceId,
        receivedAt: base.receivedAt,
        rules: base.rules,
      }),
    )
    versions.push({ itemId: id, number: 1, item, json: prepared.json, rawId: base.rawId, contentHash: prepared.contentHash, receivedAt: base.receivedAt })
  }
  await insertItemRows(trx, rows)
  await insertVersionRows(trx, versions.map(versionRow))
  for (const row of rows) base.bandIndex.add({ id: row.id, agencyKey, sortAt: row.sort_at, fingerprint: row.fingerprint })
  return slice.map(({ index, item }, k) => ({ index, item, stored: { itemId: rows[k]!.id, outcome: 'imported' as const } }))
}

/** A chunk's new items and their first versions, each in one statement compiled once per chunk size. */
const insertItemRows = preparedInsert('wire_items')
const insertVersionRows = preparedInsert('wire_item_versions')

/** The wire_items row of a new story. */
function newItemRow(
  item: WireItem,
  prepared: PreparedItem,
  at: { id: string; agencyKey: string; sortAt: string; groupId: string; node: string; wireSourceId: string | null; receivedAt: string; rules: RoutingRule[] },
): WireItemsTable {
  const routing = routeItem(item, at.agencyKey, at.rules)
  return {
    id: at.id,
    agency_key: at.agencyKey,
    agency_item_id: item.agencyItemId,
    wire_source_id: at.wireSourceId,
    agency_name: item.agencyName,
    headline: item.headline,
    language: item.language,
    urgency: item.urgency,
    pub_status: item.pubStatus,
    embargo_until: item.embargoUntil,
    version_count: 1,
    current_version: 1,
    first_received_at: at.receivedAt,
    last_received_at: at.receivedAt,
    received_by: at.node,
    sort_at: at.sortAt,
    fingerprint: prepared.fingerprint,
    group_id: at.groupId,
    section_ids: JSON.stringify(routing.sectionIds),
    tag_ids: JSON.stringify(routing.tagIds),
    rule_ids: JSON.stringify(routing.ruleIds),
    search_text: prepared.searchText,
    article_id: null,
    article_version: null,
  }
}

/** What storing one item did; `isKill` when it turned a stored item into a kill. */
type Stored = { itemId: string; outcome: ItemOutcome; isKill?: boolean }

/** Stores one item; a new one comes back with what the band index needs to know of it. */
async function storeItem(trx: Db, args: StoreArgs): Promise<Stored & { indexEntry?: Parameters<BandIndex['add']>[0] }> {
  const { item, rawId, receivedAt } = args
  const agencyKey = agencyKeyOf(item, args.sourceSlug)
  // An item parsed inline is prepared in full only when it is stored as new or current: a re-delivery,
  // the usual lot of a polled feed, costs its JSON and hash alone.
  const json = args.prepared?.json ?? JSON.stringify(item)
  const contentHash = args.prepared?.contentHash ?? sha256(json)
  let full = args.prepared
  const prepared = () => (full ??= prepareItem(item))
  const sortAt = sortAtOf(item, receivedAt)
  // Routing is worked out only for copy that is stored as new or current, not for re-deliveries.
  const route = () => routeItem(item, agencyKey, args.rules)
  const existing = await trx
    .selectFrom('wire_items')
    .selectAll()
    .where('agency_key', '=', agencyKey)
    .where('agency_item_id', '=', item.agencyItemId)
    .executeTakeFirst()

  if (!existing) {
    const id = newId('wire')
    const { fingerprint } = prepared()
    const groupId = (await findGroup(trx, args.bandIndex, { fingerprint, agencyKey, sortAt })) ?? id
    const row = newItemRow(item, prepared(), { id, agencyKey, sortAt, groupId, node: args.bandIndex.node, wireSourceId: args.wireSourceId, receivedAt, rules: args.rules })
    await trx.insertInto('wire_items').values(row).execute()
    await insertVersion(trx, { itemId: id, number: 1, item, json, rawId, contentHash, receivedAt })
    return { itemId: id, outcome: 'imported', indexEntry: { id, agencyKey, sortAt, fingerprint } }
  }

  const versions = await trx
    .selectFrom('wire_item_versions')
    .select(['number', 'agency_version', 'content_hash'])
    .where('item_id', '=', existing.id)
    .execute()
  // The same copy delivered again (a re-poll, a re-sent file) is not a new version.
  if (versions.some((v) => v.content_hash === contentHash)) return { itemId: existing.id, outcome: 'unchanged' }

  const number = existing.version_count + 1
  const current = versions.find((v) => v.number === existing.current_version)
  // An older agency version arriving late is kept for the record but does not replace the newer one.
  const isStale = item.version !== null && current?.agency_version != null && item.version < current.agency_version
  await insertVersion(trx, { itemId: existing.id, number, item, json, rawId, contentHash, receivedAt })
  if (isStale) {
    await trx.updateTable('wire_items').set({ version_count: number }).where('id', '=', existing.id).execute()
    return { itemId: existing.id, outcome: 'unchanged' }
  }
  const routing = route()
  await trx
    .updateTable('wire_items')
    .set({
      version_count: number,
      current_version: number,
      agency_name: item.agencyName ?? existing.agency_name,
      headline: item.headline,
      language: item.language,
      urgency: item.urgency,
      pub_status: item.pubStatus,
      embargo_until: item.embargoUntil,
      last_received_at: receivedAt,
      sort_at: sortAt,
      section_ids: JSON.stringify(routing.sectionIds),
      tag_ids: JSON.stringify(routing.tagIds),
      rule_ids: JSON.stringify(routing.ruleIds),
      search_text: prepared().searchText,
    })
    .where('id', '=', existing.id)
    .execute()
  const isKill = item.pubStatus === 'canceled' && existing.pub_status !== 'canceled'
  return { itemId: existing.id, outcome: 'updated', ...(isKill ? { isKill } : {}) }
}

/** `json` is `JSON.stringify(item)`, already worked out for the content hash. */
function versionRow(v: { itemId: string; number: number; item: WireItem; json: string; rawId: string; contentHash: string; receivedAt: string }) {
  return {
    id: newId('wver'),
    item_id: v.itemId,
    number: v.number,
    agency_version: v.item.version,
    raw_id: v.rawId,
    item: v.json,
    content_hash: v.contentHash,
    pub_status: v.item.pubStatus,
    received_at: v.receivedAt,
  }
}

async function insertVersion(trx: Db, v: Parameters<typeof versionRow>[0]): Promise<void> {
  await trx.insertInto('wire_item_versions').values(versionRow(v)).execute()
}

/**
 * The group of the most similar item from another agency filed around the
 * same time, or null. Candidates come from the in-memory LSH band index
 * (band-index.ts), and the work is bounded whatever the desk holds: a band
 * shared by more than MAX_BAND_BUCKET items in the window is noise and is
 * skipped, so one lookup compares at most 64 × 50 signatures. Templated copy,
 * where every item shares every band with the ones before it, costs the same
 * as copy that shares nothing.
 */
async function findGroup(trx: Db, index: BandIndex, probe: { fingerprint: string; agencyKey: string; sortAt: string }): Promise<string | null> {
  const keys = bands(probe.fingerprint)
  if (keys.length === 0) return null
  const at = Date.parse(probe.sortAt)
  const from = at - GROUP_WINDOW_MS
  const to = at + GROUP_WINDOW_MS
  await index.prepare(trx, from, to)
  // Only another agency's copy can join a group.
  if (!index.hasOtherAgency(probe.agencyKey, from, to)) return null
  // One shared band is often chance, while a pair at the threshold shares
  // about four (64 × 0.25²): ask for two.
  const candidateIds = [...(await index.sharedBands(keys, from, to, MAX_BAND_BUCKET))]
    .filter(([, hit]) => hit.shared >= MIN_SHARED_BANDS && hit.agencyKey !== probe.agencyKey)
    .map(([id]) => id)
  if (candidateIds.length === 0) return null
  // The database has the last word on each candidate's group (an editor may have split it off).
  const candidates = await trx
    .selectFrom('wire_items')
    .select(['group_id', 'fingerprint'])
    .where('id', 'in', candidateIds)
    .where('agency_key', '!=', probe.agencyKey)
    .execute()
  let best: { groupId: string; score: number } | null = null
  for (const candidate of candidates) {
    const score = similarity(probe.fingerprint, candidate.fingerprint)
    if (score >= DUPLICATE_THRESHOLD && (!best || score > best.score)) best = { groupId: candidate.group_id, score }
  }
  return best?.groupId ?? null
}
