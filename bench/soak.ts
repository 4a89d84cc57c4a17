import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { defineConfig } from '../src/server/config.ts'
import { buildContainer } from '../src/server/container.ts'
import { startChild, type ServerChild } from './children.ts'
import { fillPaper } from './generate.ts'
import { runMixedLoad, type MixedLoadResult } from './load.ts'
import { adminCall, percentile, prepareNewsroom, sleep, storyInput, type Newsroom } from './newsroom.ts'

/**
 * Soak run: two Masthead servers (child processes, their own ports) on one
 * PostgreSQL database and one Redis, with a paper of a few thousand stories,
 * held at 80% of the peak they reached together for `minutes`, while a story
 * is published or updated every second through the admin API, on one server
 * and then the other. Every change must show on both servers (the purge
 * travels through Redis); the slowest is reported. No request may fail or
 * answer 5xx, and the servers' memory must stay flat.
 *
 *   npm run bench -- --only soak [--soak-minutes 10] [--soak-articles 3000] [--soak-peak N]
 *
 * Loopback only, bounded: the load stops after its duration, and run.ts's
 * watchdog ends everything if anything hangs. Exits non-zero when a check fails.
 */

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url))
const OUT_DIR = path.join(BENCH_DIR, 'out')
const DEMO_MEDIA = path.join(BENCH_DIR, '..', 'src', 'db', 'seed', 'media')
const ADMIN_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres'
export const SOAK_DATABASE = 'masthead_soak'
const REDIS_URL = 'redis://127.0.0.1:6379'
/** A change not seen on a server within this long counts as lost. */
const VISIBLE_WITHIN_MS = 10_000
/** Memory counts as flat when it grew less than this over the run (fraction of the start, or 64 MB, whichever is larger). */
const RSS_GROWTH_ALLOWED = 0.25

export interface SoakOptions {
  minutes: number
  articles: number
  /** Requests a second both servers reach together; measured first when null. */
  peakRps: number | null
  peakSeconds: number
  connections: number
}

/** A fresh database for one run (dropped first if an earlier run left it). */
export async function freshPostgresDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: ADMIN_PG_URL })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  await admin(`drop database if exists ${name} with (force)`)
  await admin(`create database ${name}`)
  return { url: `postgres://postgres@127.0.0.1:5432/${name}`, drop: () => admin(`drop database if exists ${name} with (force)`) }
}

interface Visibility {
  kind: 'publish' | 'update'
  node: string
  delayMs: number | null
}

/** Polls `url` until `check` holds; the delay since `since`, or null after VISIBLE_WITHIN_MS. Counts 5xx answers and failed requests. */
async function visibleAfter(url: string, since: number, check: (html: string) => boolean, counts: { polls5xx: number; pollErrors: number }): Promise<number | null> {
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) })
      if (response.status >= 500) counts.polls5xx++
      const html = await response.text()
      if (response.status === 200 && check(html)) return performance.now() - since
    } catch {
      counts.pollErrors++
    }
    if (performance.now() - since > VISIBLE_WITHIN_MS) return null
    await sleep(25)
  }
}

export async function runSoak(options: SoakOptions): Promise<{ ok: boolean }> {
  const startedAt = new Date()
  const runId = `${process.pid}_${Date.now().toString(36)}`
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'masthead-soak-'))
  const database = await freshPostgresDatabase(SOAK_DATABASE)
  const nodes: ServerChild[] = []
  try {
    // The paper, written once from here; the servers then find it there.
    const config = defineConfig({ dataDir, database: { dialect: 'postgres', url: database.url }, logLevel: 'silent', loadDemo: false, wirePollSeconds: 0 })
    const container = await buildContainer(config)
    let newsroom: Newsroom
    let sampleSlug: string
    const filled = performance.now()
    try {
      const migration = await container.database.migrate()
      if (migration.error) throw migration.error
      const paper = await fillPaper(container, { articles: options.articles, writer: 'direct' })
      sampleSlug = paper.sampleArticleSlug
      newsroom = await prepareNewsroom(container)
      console.log(`Paper: ${paper.demoArticles + paper.generated} stories on PostgreSQL (${SOAK_DATABASE}) in ${((performance.now() - filled) / 1000).toFixed(1)} s`)
    } finally {
      await container.close()
    }
    if (existsSync(DEMO_MEDIA)) cpSync(DEMO_MEDIA, path.join(dataDir, 'media', 'demo'), { recursive: true })

    const serverConfig = {
      database: { dialect: 'postgres', url: database.url },
      redisUrl: REDIS_URL,
      redisPrefix: `soak_${runId}:`,
      purgeChannel: `soak_${runId}`,
      loadDemo: false,
      wirePollSeconds: 0,
      // One story a second takes 2 to 3 calls; the default 300 a minute is for programs, not for this.
      adminApiPerMinute: 100_000,
    }
    for (let i = 0; i < 2; i++) nodes.push(await startChild({ kind: 'masthead', dataDir, pageCache: true, config: serverConfig }))
    const urls = nodes.map((n) => n.url)
    // Readers' pages. Not the site feed: 30 whole stories a document, its bytes would set the peak on their own (feed readers and CDNs poll it, readers do not).
    const pages = ['/', `/sections/${newsroom.sectionSlug}`, `/sections/${newsroom.sectionSlug}?page=5`, `/articles/${sampleSlug}`]
    console.log(`Servers: ${urls.join(', ')} (PostgreSQL, Redis purges); pages: ${pages.join(' ')}`)

    // Warm both, then find their joint peak (unless given).
    await runMixedLoad({ urls, paths: pages, connections: options.connections, durationS: 3, rate: null })
    let peak = options.peakRps
    let peakRun: MixedLoadResult | null = null
    if (peak === null) {
      peakRun = await runMixedLoad({ urls, paths: pages, connections: options.connections, durationS: options.peakSeconds, rate: null })
      peak = Math.round(peakRun.requestsPerSec)
      console.log(`Peak: ${peak} req/s over both servers (${options.peakSeconds} s, ${options.connections} connections; p99 ${peakRun.p99Ms} ms, ${peakRun.non2xx} non-2xx)`)
    }
    const rate = Math.max(1, Math.round(peak * 0.8))
    const durationS = Math.round(options.minutes * 60)
    const rssStart = await Promise.all(nodes.map((n) => n.rss()))
    console.log(`Soak: ${rate} req/s (80% of ${peak}) for ${options.minutes} min, a story published or updated every second on alternate servers…`)

    const counts = { polls5xx: 0, pollErrors: 0 }
    const apiFailures: string[] = []
    const visibility: Visibility[] = []
    const checks: Promise<void>[] = []
    const published: { id: string; slug: string; version: number }[] = []
    let late = 0
    const load = runMixedLoad({ urls, paths: pages, connections: options.connections, durationS, rate })
    const soakStarted = performance.now()
    const endAt = soakStarted + durationS * 1000
    const rssSamples: number[][] = []
    const sampler = setInterval(() => void Promise.all(nodes.map((n) => n.rss())).then((r) => rssSamples.push(r)), 10_000)

    /** Checks a change shows on both servers, timing each from the moment the API answered. */
    const expectEverywhere = (kind: Visibility['kind'], since: number, paths: string[], check: (html: string) => boolean) => {
      for (const node of nodes) {
        checks.push(
          (async () => {
            let worst = 0
            for (const p of paths) {
              const delay = await visibleAfter(node.url + p, since, check, counts)
              if (delay === null) {
                visibility.push({ kind, node: node.url, delayMs: null })
                return
              }
              worst = Math.max(worst, delay)
            }
            visibility.push({ kind, node: node.url, delayMs: worst })
          })(),
        )
      }
    }
    const api = async (node: ServerChild, method: string, p: string, body: unknown) => {
      const answer = await adminCall(node.url, newsroom.token, method, p, { body, key: `soak-${runId}-${method}-${p}-${performance.now()}` })
      if (answer.status < 200 || answer.status >= 300) apiFailures.push(`${method} ${p} on ${node.url}: ${answer.status} ${answer.error ?? JSON.stringify(answer.data).slice(0, 200)}`)
      return answer
    }

    for (let tick = 0; performance.now() < endAt; tick++) {
      const due = soakStarted + tick * 1000
      if (performance.now() > due + 1000) late++
      await sleep(Math.max(0, due - performance.now()))
      const node = nodes[tick % 2]!
      if (tick % 3 === 2 && published.length > 0) {
        // An update: a new headline on a story published earlier, through the editor's save and "publish changes".
        const story = published[tick % published.length]!
        const title = `Soak update ${runId} ${tick}`
        const saved = await api(node, 'PATCH', `/stories/${story.id}`, { baseVersion: story.version, changes: { title } })
        if (saved.status !== 200) continue
        const done = await api(node, 'POST', `/stories/${story.id}/publish`, {})
        if (done.status !== 200) continue
        story.version = done.data.story.version
        expectEverywhere('update', performance.now(), [`/articles/${story.slug}`], (html) => html.includes(title))
      } else {
        const title = `Soak story ${runId} ${tick}`
        const created = await api(node, 'POST', '/stories', storyInput(newsroom, title))
        if (created.status !== 201) continue
        const id = created.data.story.id as string
        const done = await api(node, 'POST', `/stories/${id}/publish`, {})
        if (done.status !== 200) continue
        published.push({ id, slug: done.data.story.fields.slug, version: done.data.story.version })
        expectEverywhere('publish', performance.now(), ['/', `/articles/${done.data.story.fields.slug}`], (html) => html.includes(title))
      }
    }
    const loadResult = await load
    clearInterval(sampler)
    await Promise.all(checks)
    const rssEnd = await Promise.all(nodes.map((n) => n.rss()))

    const delays = visibility.filter((v) => v.delayMs !== null).map((v) => v.delayMs!)
    const invisible = visibility.filter((v) => v.delayMs === null)
    const mb = (bytes: number) => Math.round(bytes / 1024 / 1024)
    const flat = rssStart.map((start, i) => rssEnd[i]! - start < Math.max(64 * 1024 * 1024, start * RSS_GROWTH_ALLOWED))
    const failures = [
      ...(loadResult.errors > 0 ? [`${loadResult.errors} load requests failed (socket errors or timeouts)`] : []),
      ...(loadResult.status5xx > 0 ? [`${loadResult.status5xx} load requests answered 5xx`] : []),
      ...(loadResult.non2xx > 0 ? [`${loadResult.non2xx} load requests answered outside 2xx/3xx (${JSON.stringify(loadResult.byStatus)})`] : []),
      ...(counts.polls5xx > 0 ? [`${counts.polls5xx} visibility checks answered 5xx`] : []),
      ...(counts.pollErrors > 0 ? [`${counts.pollErrors} visibility checks failed to connect`] : []),
      ...(apiFailures.length > 0 ? [`${apiFailures.length} admin API calls failed, first: ${apiFailures[0]}`] : []),
      ...(invisible.length > 0 ? [`${invisible.length} changes did not show on a server within ${VISIBLE_WITHIN_MS / 1000} s`] : []),
      ...flat.flatMap((ok, i) => (ok ? [] : [`server ${i + 1} grew from ${mb(rssStart[i]!)} MB to ${mb(rssEnd[i]!)} MB`])),
    ]
    const summary = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: { node: process.version, cpus: os.cpus().length },
      options,
      peakRps: peak,
      peakRun,
      targetRps: rate,
      load: loadResult,
      changes: { publishes: visibility.filter((v) => v.kind === 'publish').length / 2, updates: visibility.filter((v) => v.kind === 'update').length / 2, ticksLate: late },
      visibilityMs: { p50: Math.round(percentile(delays, 50)), p99: Math.round(percentile(delays, 99)), max: Math.round(Math.max(0, ...delays)), notVisible: invisible.length },
      rssMb: nodes.map((n, i) => ({ server: n.url, start: mb(rssStart[i]!), end: mb(rssEnd[i]!), max: mb(Math.max(rssStart[i]!, rssEnd[i]!, ...rssSamples.map((s) => s[i]!))) })),
      apiFailures: apiFailures.slice(0, 20),
      failures,
    }
    console.log('')
    console.log(`Soak on PostgreSQL + Redis, 2 servers, ${options.minutes} min at ${rate} req/s (peak ${peak}):`)
    console.log(`  load       ${loadResult.requests.toLocaleString('en')} requests, ${Math.round(loadResult.requestsPerSec)} req/s, p50 ${loadResult.p50Ms} ms, p99 ${loadResult.p99Ms} ms, errors ${loadResult.errors}, 5xx ${loadResult.status5xx}, non-2xx ${loadResult.non2xx}`)
    console.log(`  changes    ${summary.changes.publishes} published + ${summary.changes.updates} updated, ${apiFailures.length} API failures, ${late} ticks late`)
    console.log(`  visible    on both servers: p50 ${summary.visibilityMs.p50} ms, p99 ${summary.visibilityMs.p99} ms, max ${summary.visibilityMs.max} ms; not seen: ${invisible.length}`)
    for (const r of summary.rssMb) console.log(`  memory     ${r.server}: ${r.start} MB at the start, ${r.end} MB at the end (highest sample ${r.max} MB)`)
    console.log(failures.length === 0 ? '  PASS' : `  FAIL\n${failures.map((f) => `    - ${f}`).join('\n')}`)
    mkdirSync(OUT_DIR, { recursive: true })
    const outFile = path.join(OUT_DIR, `soak-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`)
    writeFileSync(outFile, `${JSON.stringify(summary, null, 2)}\n`)
    console.log(`Wrote ${path.relative(process.cwd(), outFile)}`)
    return { ok: failures.length === 0 }
  } finally {
    for (const node of nodes) await node.stop()
    await database.drop().catch((error: unknown) => console.warn(`Could not drop ${SOAK_DATABASE}: ${String(error)}`))
    rmSync(dataDir, { recursive: true, force: true })
  }
}
