import type { Kysely } from 'kysely'
import type { Database } from '../db/database.ts'
import type { Clock } from '../shared/clock.ts'
import type { IngestInput, IngestReport } from './ingest.ts'
import type { WireSourcesTable } from './tables.ts'

/** What the poller needs from the network; `wire/sources/http-fetch.ts` implements it. Never throws. */
export type FeedFetcher = (request: {
  url: string
  etag?: string | null
  lastModified?: string | null
  allowPrivateNetwork?: boolean
  /** Largest answer accepted, in bytes. */
  maxBytes?: number
}) => Promise<
  | { kind: 'fetched'; bytes: Uint8Array; contentType: string | null; etag: string | null; lastModified: string | null; finalUrl: string }
  | { kind: 'not-modified' }
  | { kind: 'failed'; reason: string }
>

/** What the poller needs from the disk; `wire/sources/drop-folder.ts` implements it. */
export interface FolderReader {
  listReady(folder: string): Promise<string[]>
  read(file: string): Promise<Uint8Array>
  moveTo(file: string, outcome: 'processed' | 'rejected'): Promise<string>
  /** A picture delivered beside copy in `folder`, by its plain name: its bytes, null when it is not there, or `too-large` past `maxBytes`. */
  readBeside(folder: string, name: string, maxBytes: number): Promise<Uint8Array | null | 'too-large'>
}

/** One source's turn, for logs and tests. */
export type PollOutcome =
  | { sourceId: string; slug: string; result: 'ingested'; reports: IngestReport[] }
  | { sourceId: string; slug: string; result: 'not-modified' }
  | { sourceId: string; slug: string; result: 'failed'; reason: string }

export interface PollDeps {
  db: Kysely<Database>
  clock: Clock
  ingest: (input: IngestInput) => Promise<IngestReport>
  /** Many inputs in order, the next read while one is stored. */
  ingestAll: (inputs: AsyncIterable<IngestInput>) => AsyncIterable<IngestReport>
  fetchFeed: FeedFetcher
  folders: FolderReader
}

/** A lease longer than any one poll can take: a crashed poller's lease simply runs out. */
const LEASE_MS = 5 * 60_000
/** Backoff after errors doubles per failure, up to this. */
const MAX_BACKOFF_MS = 6 * 3600_000

/**
 * Polls every enabled feed and drop folder whose time has come. Each source is
 * claimed with a conditional UPDATE (a lease) before it is touched, so when
 * several processes run this at once each source is polled by exactly one.
 */
export async function pollDueSources(deps: PollDeps, owner: string): Promise<PollOutcome[]> {
  const { db, clock } = deps
  const now = clock.now()
  const nowIso = now.toISOString()
  const due = await db
    .selectFrom('wire_sources')
    .selectAll()
    .where('enabled', '=', 1)
    .where('kind', 'in', ['feed', 'folder'])
    .where((eb) => eb.or([eb('next_poll_at', 'is', null), eb('next_poll_at', '<=', nowIso)]))
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
    .orderBy('next_poll_at')
    .execute()

  const outcomes: PollOutcome[] = []
  for (const source of due) {
    if (!(await claim(db, source.id, owner, nowIso, new Date(now.getTime() + LEASE_MS).toISOString()))) continue
    try {
      const outcome = source.kind === 'feed' ? await pollFeed(deps, source) : await scanFolder(deps, source)
      await recordOutcome(deps, source, outcome)
      outcomes.push(outcome)
    } finally {
      await db.updateTable('wire_sources').set({ lease_owner: null, lease_until: null }).where('id', '=', source.id).where('lease_owner', '=', owner).execute()
    }
  }
  return outcomes
}

async function claim(db: Kysely<Database>, id: string, owner: string, nowIso: string, until: string): Promise<boolean> {
  const result = await db
    .updateTable('wire_sources')
    .set({ lease_owner: owner, lease_until: until })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

async function pollFeed(deps: PollDeps, source: WireSourcesTable): Promise<PollOutcome> {
  const base = { sourceId: source.id, slug: source.slug }
  const fetched = await deps.fetchFeed({
    url: source.url ?? '',
    etag: source.etag,
    lastModified: source.last_modified,
    allowPrivateNetwork: source.allow_private_network === 1,
  })
  if (fetched.kind === 'not-modified') return { ...base, result: 'not-modified' }
  if (fetched.kind === 'failed') return { ...base, result: 'failed', reason: fetched.reason }
  const report = await deps.ingest({
    bytes: fetched.bytes,
    origin: fetched.finalUrl,
    ...(fetched.contentType ? { contentType: fetched.contentType } : {}),
    baseUrl: fetched.finalUrl,
    wireSourceId: source.id,
  })
  // Remember validators only once the body is safely stored, so a failed store is fetched again.
  await deps.db.updateTable('wire_sources').set({ etag: fetched.etag, last_modified: fetched.lastModified }).where('id', '=', source.id).execute()
  if (report.items.length === 0 && report.rejected.length > 0) {
    return { ...base, result: 'failed', reason: `The feed could not be read: ${report.rejected[0]!.message}` }
  }
  return { ...base, result: 'ingested', reports: [report] }
}

async function scanFolder(deps: PollDeps, source: WireSourcesTable): Promise<PollOutcome> {
  const base = { sourceId: source.id, slug: source.slug }
  let files: string[]
  try {
    files = await deps.folders.listReady(source.folder ?? '')
  } catch (error) {
    return { ...base, result: 'failed', reason: `Cannot read the folder ${source.folder}: ${(error as Error).message}` }
  }
  const reports: IngestReport[] = []
  async function* inputs(): AsyncGenerator<IngestInput> {
    for (const file of files) yield { bytes: await deps.folders.read(file), origin: file, wireSourceId: source.id }
  }
  // Reports come back in the order of the files.
  for await (const report of deps.ingestAll(inputs())) {
    const file = files[reports.length]!
    reports.push(report)
    await deps.folders.moveTo(file, report.items.length === 0 ? 'rejected' : 'processed')
  }
  return { ...base, result: 'ingested', reports }
}

async function recordOutcome(deps: PollDeps, source: WireSourcesTable, outcome: PollOutcome): Promise<void> {
  const now = deps.clock.now()
  const nowIso = now.toISOString()
  if (outcome.result === 'failed') {
    const failures = source.consecutive_failures + 1
    const delay = Math.min(source.interval_seconds * 1000 * 2 ** failures, MAX_BACKOFF_MS)
    await deps.db
      .updateTable('wire_sources')
      .set({
        last_polled_at: nowIso,
        last_error_at: nowIso,
        last_error: outcome.reason.slice(0, 1000),
        consecutive_failures: failures,
        next_poll_at: new Date(now.getTime() + delay).toISOString(),
      })
      .where('id', '=', source.id)
      .execute()
    return
  }
  await deps.db
    .updateTable('wire_sources')
    .set({
      last_polled_at: nowIso,
      last_success_at: nowIso,
      consecutive_failures: 0,
      next_poll_at: new Date(now.getTime() + source.interval_seconds * 1000).toISOString(),
    })
    .where('id', '=', source.id)
    .execute()
}
