import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import type { DialectName } from '../src/db/database.ts'
import { defineConfig, type Config } from '../src/server/config.ts'
import { buildContainer } from '../src/server/container.ts'
import { startChild, type ServerChild } from './children.ts'
import { fillPaper } from './generate.ts'
import { makeBatch } from './ingest.ts'
import { adminCall, prepareNewsroom, sleep, storyInput, type ApiAnswer, type Newsroom } from './newsroom.ts'
import { freshPostgresDatabase } from './soak.ts'

/**
 * Crash run: a Masthead server is killed with SIGKILL (and started again)
 * three times during a wire backfill (ninjs batches through the admin API)
 * and three times during a stream of publishes (create, then publish, through
 * the admin API with an Idempotency-Key each); what was not acknowledged is
 * sent again with the same keys, as a careful client would. Then the database must
 * show that nothing acknowledged was lost and nothing happened twice: no
 * duplicate wire items or versions, no duplicate stories, each story published
 * once (one publish revision, one "published" event, one story.published
 * webhook delivery), every key answered. On SQLite and on PostgreSQL.
 *
 *   npm run bench -- --only crash [--crash-items 3000] [--crash-stories 300]
 *
 * Loopback only; every wait is bounded. Exits non-zero when a check fails.
 */

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url))
const OUT_DIR = path.join(BENCH_DIR, 'out')
const DEMO_MEDIA = path.join(BENCH_DIR, '..', 'src', 'db', 'seed', 'media')
const ITEMS_PER_BATCH = 100
/** The server is killed each time this share of the work has been acknowledged; several kills give the odd one that lands between a commit and its answer. */
const KILL_AT = [0.25, 0.5, 0.75]
/** How long a retry keeps trying one request (a claim left by the killed server is taken over after a minute). */
const RETRY_FOR_MS = 150_000

export interface CrashOptions {
  items: number
  stories: number
}

interface PhaseResult {
  phase: 'wire backfill' | 'publishing'
  dialect: DialectName
  units: number
  kills: number
  /** Requests in the server's hands when it was killed, over all kills. */
  inFlightAtKills: number
  /** Acknowledged by the end of the stream, before the retries. */
  ackedBeforeRetry: number
  retried: number
  /** Retries that found the killed server's claim and waited for it to be taken over (it had not committed). */
  waitedOnClaim: number
  /** Retries answered for a change the killed server had committed without storing its answer (or had answered but the answer was lost). */
  answeredFromCommit: number
  /** Every request sent once more at the end that was answered 2xx (replays: nothing changed). */
  replayed: number
  /** The slowest restart. */
  restartSeconds: number
  retrySeconds: number
  failures: string[]
}

/** Sends one request until it gets a final answer: waits out 409 "still in progress" (a claim of the killed server) and lost answers. */
async function untilAnswered(send: () => Promise<ApiAnswer>, tally: { waitedOnClaim: number; answeredFromCommit: number }): Promise<ApiAnswer> {
  const started = Date.now()
  let waited = false
  for (;;) {
    const answer = await send()
    const inProgress = answer.status === 409 && answer.data?.code === 'ADMIN_API_IDEMPOTENCY_IN_PROGRESS'
    if (inProgress && !waited) {
      waited = true
      tally.waitedOnClaim++
    }
    if (answer.replayed) tally.answeredFromCommit++
    if (answer.status !== 0 && !inProgress) return answer
    if (Date.now() - started > RETRY_FOR_MS) return answer
    await sleep(inProgress ? 2000 : 250)
  }
}

/** Runs `work(i)` for i in [0, count) on `parallel` workers. */
async function pool(count: number, parallel: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) await work(next++)
    }),
  )
}

/**
 * Kills and restarts the server each time a KILL_AT share of `units` is
 * acknowledged, a few random milliseconds later (so the kill lands anywhere
 * in the requests in flight). Workers wait for a restart before their next unit.
 */
function createKiller(units: number, killAndRestart: () => Promise<number>) {
  let done = 0
  let restarting: Promise<void> | null = null
  const stats = { kills: 0, inFlightAtKills: 0, restartSeconds: 0 }
  return {
    stats,
    afterAck(acked: number, inFlight: number) {
      if (restarting || done >= KILL_AT.length || acked < Math.ceil(units * KILL_AT[done]!)) return
      done++
      restarting = (async () => {
        await sleep(Math.floor(Math.random() * 30))
        stats.kills++
        stats.inFlightAtKills += inFlight
        stats.restartSeconds = Math.max(stats.restartSeconds, await killAndRestart())
        restarting = null
      })()
    },
    /** Resolves once no restart is under way. */
    async settled() {
      while (restarting) await restarting
    },
  }
}

async function runDialect(dialect: DialectName, options: CrashOptions, runId: string): Promise<PhaseResult[]> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `masthead-crash-${dialect}-`))
  const pgDatabase = dialect === 'postgres' ? await freshPostgresDatabase('masthead_crash') : null
  const database: Config['database'] = pgDatabase ? { dialect: 'postgres', url: pgDatabase.url } : { dialect: 'sqlite', file: path.join(dataDir, 'masthead.db') }
  const webhooks = { everySeconds: 0, allowPrivateNetwork: true }
  let node: ServerChild | null = null
  try {
    const container = await buildContainer(defineConfig({ dataDir, database, logLevel: 'silent', loadDemo: false, wirePollSeconds: 0, webhooks }))
    let newsroom: Newsroom
    try {
      const migration = await container.database.migrate()
      if (migration.error) throw migration.error
      await fillPaper(container, { articles: 0, writer: 'direct' })
      newsroom = await prepareNewsroom(container)
      // Never sent (no worker runs): the queue shows which events were written, once each.
      await container.webhooks.createEndpoint({ url: 'http://127.0.0.1:9/hooks', description: 'Crash bench', events: ['story.published'] }, { userId: null })
    } finally {
      await container.close()
    }
    if (existsSync(DEMO_MEDIA)) cpSync(DEMO_MEDIA, path.join(dataDir, 'media', 'demo'), { recursive: true })
    const spec = { kind: 'masthead' as const, dataDir, pageCache: true, config: { database, loadDemo: false, wirePollSeconds: 0, adminApiPerMinute: 100_000, webhooks } }
    node = await startChild(spec)

    /** Kills the server with SIGKILL, waits for it to be gone, and starts it again; returns the seconds the restart took. */
    const killAndRestart = async (): Promise<number> => {
      const victim = node!
      process.kill(victim.pid, 'SIGKILL')
      await victim.stop()
      const started = performance.now()
      node = await startChild(spec)
      return (performance.now() - started) / 1000
    }
    const results: PhaseResult[] = []

    // 1. Wire backfill: ninjs batches of ITEMS_PER_BATCH, two uploads at a time.
    {
      const batches = Math.ceil(options.items / ITEMS_PER_BATCH)
      const bytes = Array.from({ length: batches }, (_, b) => makeBatch('ninjs', Math.min(ITEMS_PER_BATCH, options.items - b * ITEMS_PER_BATCH), 7, b * ITEMS_PER_BATCH))
      const upload = (b: number) => {
        const form = new FormData()
        form.append('files', new Blob([Buffer.from(bytes[b]!)], { type: 'application/json' }), `backfill-${b}.json`)
        return adminCall(node!.url, newsroom.token, 'POST', '/wire', { form, key: `crash-wire-${runId}-${b}`, timeoutMs: 120_000 })
      }
      const acked = new Set<number>()
      const killer = createKiller(batches, killAndRestart)
      let inFlight = 0
      await pool(batches, 2, async (b) => {
        await killer.settled()
        inFlight++
        const answer = await upload(b)
        inFlight--
        if (answer.status === 200) acked.add(b)
        // The other upload is in the server's hands now: killed mid-ingest.
        killer.afterAck(acked.size, inFlight)
      })
      await killer.settled()
      const ackedBeforeRetry = acked.size
      const retryStarted = performance.now()
      const failures: string[] = []
      const tally = { waitedOnClaim: 0, answeredFromCommit: 0 }
      let replayed = 0
      const missing = Array.from({ length: batches }, (_, b) => b).filter((b) => !acked.has(b))
      for (const b of missing) {
        const answer = await untilAnswered(() => upload(b), tally)
        if (answer.status === 200) acked.add(b)
        else failures.push(`wire batch ${b}: ${answer.status} ${answer.error ?? JSON.stringify(answer.data).slice(0, 200)}`)
      }
      // Every batch once more with its key: each must replay, and change nothing.
      for (let b = 0; b < batches; b++) {
        const again = await upload(b)
        if (again.status === 200) replayed++
        else failures.push(`wire batch ${b} sent again: ${again.status}`)
      }
      results.push({ phase: 'wire backfill', dialect, units: batches, ...killer.stats, ackedBeforeRetry, retried: missing.length, ...tally, replayed, retrySeconds: (performance.now() - retryStarted) / 1000, failures })
    }

    // 2. Publishing: create and publish each story, four at a time, each call with its own key.
    {
      const stories = options.stories
      const titles = Array.from({ length: stories }, (_, i) => `Crash story ${runId} ${i}`)
      const ids = new Map<number, string>()
      const acked = new Set<number>()
      const create = (i: number) => adminCall(node!.url, newsroom.token, 'POST', '/stories', { body: storyInput(newsroom, titles[i]!), key: `crash-create-${runId}-${i}` })
      const publish = (i: number) => adminCall(node!.url, newsroom.token, 'POST', `/stories/${ids.get(i)}/publish`, { body: {}, key: `crash-publish-${runId}-${i}` })
      const killer = createKiller(stories, killAndRestart)
      let inFlight = 0
      await pool(stories, 4, async (i) => {
        await killer.settled()
        inFlight++
        const created = await create(i)
        if (created.status === 201) {
          ids.set(i, created.data.story.id)
          const published = await publish(i)
          if (published.status === 200 && published.data.story.status === 'published') acked.add(i)
        }
        inFlight--
        killer.afterAck(acked.size, inFlight)
      })
      await killer.settled()
      const ackedBeforeRetry = acked.size
      const retryStarted = performance.now()
      const failures: string[] = []
      const tally = { waitedOnClaim: 0, answeredFromCommit: 0 }
      let replayed = 0
      const missing = Array.from({ length: stories }, (_, i) => i).filter((i) => !acked.has(i))
      for (const i of missing) {
        if (!ids.has(i)) {
          const created = await untilAnswered(() => create(i), tally)
          if (created.status !== 201) {
            failures.push(`story ${i} create: ${created.status} ${created.error ?? JSON.stringify(created.data).slice(0, 200)}`)
            continue
          }
          ids.set(i, created.data.story.id)
        }
        const published = await untilAnswered(() => publish(i), tally)
        if (published.status === 200 && published.data.story.status === 'published') acked.add(i)
        else failures.push(`story ${i} publish: ${published.status} ${published.error ?? JSON.stringify(published.data).slice(0, 200)}`)
      }
      // Both calls of every story once more with their keys: the same story, replayed, nothing new.
      for (let i = 0; i < stories; i++) {
        const created = await create(i)
        if (created.status !== 201 || created.data.story.id !== ids.get(i)) failures.push(`story ${i} created again: ${created.status} ${created.data?.story?.id ?? ''} (was ${ids.get(i) ?? 'none'})`)
        const published = await publish(i)
        if (published.status === 200) replayed++
        else failures.push(`story ${i} published again: ${published.status} ${JSON.stringify(published.data).slice(0, 200)}`)
      }
      results.push({ phase: 'publishing', dialect, units: stories, ...killer.stats, ackedBeforeRetry, retried: missing.length, ...tally, replayed, retrySeconds: (performance.now() - retryStarted) / 1000, failures })
    }

    // What the database holds, read with the server stopped.
    await node.stop()
    node = null
    const check = await buildContainer(defineConfig({ dataDir, database, logLevel: 'silent', loadDemo: false, wirePollSeconds: 0, webhooks }))
    try {
      const db = check.database.db
      const [wire, publishing] = results as [PhaseResult, PhaseResult]
      const items = await db.selectFrom('wire_items').select(['id', 'agency_key', 'agency_item_id']).where('agency_item_id', 'like', 'urn:acp.example:bench-%').execute()
      const distinct = new Set(items.map((i) => `${i.agency_key} ${i.agency_item_id}`))
      if (distinct.size !== options.items) wire.failures.push(`${distinct.size} distinct wire items stored for ${options.items} sent`)
      if (items.length !== distinct.size) wire.failures.push(`${items.length - distinct.size} duplicate wire items`)
      const versions = await db.selectFrom('wire_item_versions').select((eb) => eb.fn.countAll<number>().as('n')).where('item_id', 'in', items.length > 0 ? items.map((i) => i.id) : ['none']).executeTakeFirstOrThrow()
      if (Number(versions.n) !== items.length) wire.failures.push(`${Number(versions.n)} versions for ${items.length} wire items (a batch sent again made new versions)`)

      const stories = await db.selectFrom('articles').select(['id', 'title', 'status']).where('title', 'like', `Crash story ${runId} %`).execute()
      const byTitle = new Map<string, number>()
      for (const s of stories) byTitle.set(s.title, (byTitle.get(s.title) ?? 0) + 1)
      const duplicates = [...byTitle.values()].filter((n) => n > 1).length
      if (duplicates > 0) publishing.failures.push(`${duplicates} stories were created twice`)
      if (byTitle.size !== options.stories) publishing.failures.push(`${byTitle.size} stories stored for ${options.stories} sent`)
      const unpublished = stories.filter((s) => s.status !== 'published').length
      if (unpublished > 0) publishing.failures.push(`${unpublished} stories are not published`)
      const ids = stories.map((s) => s.id)
      const perStory = async (query: () => Promise<{ article_id: string; n: unknown }[]>, what: string) => {
        const counts = new Map((await query()).map((r) => [r.article_id, Number(r.n)]))
        const wrong = ids.filter((id) => counts.get(id) !== 1).length
        if (wrong > 0) publishing.failures.push(`${wrong} stories have other than one ${what}`)
      }
      const inIds = ids.length > 0 ? ids : ['none']
      await perStory(() => db.selectFrom('revisions').select(['article_id', (eb) => eb.fn.countAll().as('n')]).where('reason', '=', 'publish').where('article_id', 'in', inIds).groupBy('article_id').execute(), 'publish revision')
      await perStory(() => db.selectFrom('article_events').select(['article_id', (eb) => eb.fn.countAll().as('n')]).where('kind', '=', 'published').where('article_id', 'in', inIds).groupBy('article_id').execute(), '"published" event')
      const deliveries = await db.selectFrom('webhook_deliveries').select('body').where('event_type', '=', 'story.published').execute()
      const perDelivery = new Map<string, number>()
      for (const d of deliveries) {
        const id = (JSON.parse(d.body) as { data: { id: string } }).data.id
        perDelivery.set(id, (perDelivery.get(id) ?? 0) + 1)
      }
      const wrongDeliveries = ids.filter((id) => perDelivery.get(id) !== 1).length
      if (wrongDeliveries > 0) publishing.failures.push(`${wrongDeliveries} stories have other than one story.published webhook delivery`)
      const unanswered = await db.selectFrom('admin_api_idempotency').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'is', null).executeTakeFirstOrThrow()
      if (Number(unanswered.n) > 0) publishing.failures.push(`${Number(unanswered.n)} idempotency keys were never answered`)
      if (dialect === 'sqlite') await sql`pragma integrity_check`.execute(db)
    } finally {
      await check.close()
    }
    return results
  } finally {
    if (node) await (node as ServerChild).stop()
    await pgDatabase?.drop().catch((error: unknown) => console.warn(`Could not drop masthead_crash: ${String(error)}`))
    rmSync(dataDir, { recursive: true, force: true })
  }
}

export async function runCrash(options: CrashOptions): Promise<{ ok: boolean }> {
  const startedAt = new Date()
  const runId = `${process.pid}_${Date.now().toString(36)}`
  const rows: PhaseResult[] = []
  for (const dialect of ['sqlite', 'postgres'] as const) {
    console.log(`Crash run on ${dialect}: ${options.items} wire items in batches of ${ITEMS_PER_BATCH}, then ${options.stories} stories; SIGKILL at ${KILL_AT.map((k) => `${k * 100}%`).join(', ')} acknowledged…`)
    rows.push(...(await runDialect(dialect, options, runId)))
  }
  console.log('')
  console.log('Crash run (SIGKILL mid-way, restart, retry the unacknowledged with the same Idempotency-Keys):')
  for (const r of rows) {
    console.log(
      `  ${r.dialect.padEnd(8)} ${r.phase.padEnd(13)} ${r.units} units, ${r.kills} kills with ${r.inFlightAtKills} requests in flight, ${r.ackedBeforeRetry} acknowledged by the end, ` +
        `${r.retried} retried in ${r.retrySeconds.toFixed(1)} s (${r.waitedOnClaim} waited out a dead claim, ${r.answeredFromCommit} answered from a commit), slowest restart ${r.restartSeconds.toFixed(1)} s, all sent again: ${r.replayed}/${r.units} answered  ${r.failures.length === 0 ? 'PASS' : 'FAIL'}`,
    )
    for (const f of r.failures.slice(0, 10)) console.log(`      - ${f}`)
  }
  mkdirSync(OUT_DIR, { recursive: true })
  const outFile = path.join(OUT_DIR, `crash-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`)
  writeFileSync(outFile, `${JSON.stringify({ startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), options, rows }, null, 2)}\n`)
  console.log(`Wrote ${path.relative(process.cwd(), outFile)}`)
  return { ok: rows.every((r) => r.failures.length === 0) }
}
