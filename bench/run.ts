import { execFileSync } from 'node:child_process'
import { cpSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { killAllChildren, startChild, startMastheadServe, withPeakRss, type ServerChild } from './children.ts'
import { generateDatabase, type GenerateResult, type Writer } from './generate.ts'
import { defaultTool, runLoad, type LoadResult, type LoadTool } from './load.ts'
import { runIngestBench } from './ingest.ts'
import { runMediaBench } from './media.ts'
import { runSearchBench } from './search.ts'
import { runWebhooksBench } from './webhooks.ts'
import { runSoak } from './soak.ts'
import { runCrash } from './crash.ts'
import type { BarePage, ChildSpec } from './serve-child.ts'

/**
 * Site benchmark: how many public pages per second Masthead serves from a
 * realistic database, with and without its page cache, next to a bare Node
 * http server sending the same bytes (the ceiling on this machine).
 *
 *   npm run bench -- [--articles 10000] [--duration 10] [--warmup 2]
 *                    [--connections 32] [--fresh] [--writer direct|services]
 *                    [--tool wrk|autocannon]
 *
 * Loopback only. Every server runs in a child process (bench/serve-child.ts).
 * The run is bounded: wrk/autocannon stop after --duration, and a watchdog
 * ends the whole run if anything hangs.
 */

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url))
const OUT_DIR = path.join(BENCH_DIR, 'out')
const DEMO_MEDIA = path.join(BENCH_DIR, '..', 'src', 'db', 'seed', 'media')
const USAGE = `npm run bench -- [--articles N] [--duration S] [--warmup S] [--connections C]
                     [--fresh] [--writer direct|services] [--tool wrk|autocannon]
                     [--ingest-items N] [--search-articles N] [--only site|ingest|media|search|webhooks|soak|crash]
                     [--soak-minutes M] [--soak-articles N] [--soak-peak R] [--crash-items N] [--crash-stories N]
                     [--workers N] [--load-threads N]

  --articles N     total articles, demo paper included (default 10000, or BENCH_ARTICLES)
  --duration S     seconds of load per page and mode (default 10)
  --warmup S       seconds of unmeasured load first (default 2)
  --connections C  concurrent keep-alive connections (default 32)
  --fresh          regenerate the database even if bench/out/ has one
  --writer         how to write generated stories: direct rows (default) or the article service
  --tool           load generator; default wrk when /usr/bin/wrk exists, else autocannon
  --ingest-items N items per wire format in the ingest benchmark (default 10000)
  --search-articles N stories in the search benchmark's database (default 100000)
  --only           run only the site pages, the wire ingest, the media upload, the search or the webhook delivery benchmark,
                   or one of the reliability runs (not part of a plain run): soak (bench/soak.ts) or crash (bench/crash.ts)
  --soak-minutes M minutes of load in the soak run (default 10)
  --soak-articles N stories in the soak run's PostgreSQL paper (default 3000)
  --soak-peak R    requests a second both servers reach together; measured first when not given
  --crash-items N  wire items in the crash run's backfill (default 3000)
  --crash-stories N stories published through the admin API in the crash run (default 300)
  --workers N      worker processes Masthead serves the site pages with (MASTHEAD_WORKERS; default 1), and the bare
                   servers too; CPU is then counted over every process and RSS is the largest process's
  --load-threads N wrk threads driving the site pages (default 1); with several workers on every core, one wrk
                   thread is starved too and its p99 includes its own waits`

/** Bump when generate.ts changes what it writes, so cached databases are rebuilt. */
const GENERATOR_VERSION = 2

/**
 * `bare-work`: the bare server again, burning on each request the CPU time the
 * uncached Masthead spent per request on that page before it answers. It
 * shows what latency any Node server doing that much work per request gets at
 * these connections: the uncached p99 is mostly the cost per request, not
 * something Masthead adds to it.
 */
type Mode = 'cached' | 'uncached' | 'bare-node' | 'bare-work'
const MODES: readonly Mode[] = ['cached', 'uncached', 'bare-node', 'bare-work']
const isBare = (mode: Mode) => mode === 'bare-node' || mode === 'bare-work'

interface Options {
  articles: number
  durationS: number
  warmupS: number
  connections: number
  fresh: boolean
  writer: Writer
  tool: LoadTool
  ingestItems: number
  searchArticles: number
  only: 'site' | 'ingest' | 'media' | 'search' | 'webhooks' | 'soak' | 'crash' | null
  soakMinutes: number
  soakArticles: number
  soakPeak: number | null
  crashItems: number
  crashStories: number
  /** Worker processes Masthead serves the site bench with (MASTHEAD_WORKERS). */
  workers: number
  /** wrk's threads in the site bench. */
  loadThreads: number
}

function positiveInt(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1, not "${raw}".`)
  return n
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      articles: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      writer: { type: 'string', default: 'direct' },
      tool: { type: 'string' },
      'ingest-items': { type: 'string' },
      only: { type: 'string' },
      'search-articles': { type: 'string' },
      'soak-minutes': { type: 'string' },
      'soak-articles': { type: 'string' },
      'soak-peak': { type: 'string' },
      'crash-items': { type: 'string' },
      'crash-stories': { type: 'string' },
      workers: { type: 'string' },
      'load-threads': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  })
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  if (values.writer !== 'direct' && values.writer !== 'services') throw new Error('--writer must be direct or services.')
  if (values.tool !== undefined && values.tool !== 'wrk' && values.tool !== 'autocannon') throw new Error('--tool must be wrk or autocannon.')
  if (values.only !== undefined && !['site', 'ingest', 'media', 'search', 'webhooks', 'soak', 'crash'].includes(values.only)) throw new Error('--only must be site, ingest, media, search, webhooks, soak or crash.')
  const soakMinutes = values['soak-minutes'] === undefined ? 10 : Number(values['soak-minutes'])
  if (!(soakMinutes > 0 && soakMinutes <= 120)) throw new Error('--soak-minutes must be a number of minutes above 0 and at most 120.')
  const durationS = positiveInt(values.duration, '--duration', 10)
  return {
    articles: positiveInt(values.articles ?? process.env.BENCH_ARTICLES, '--articles', 10_000),
    durationS,
    // Long enough to JIT the render path and fill the page cache, short next to the measurement.
    warmupS: values.warmup === undefined ? Math.min(2, durationS) : positiveInt(values.warmup, '--warmup', 2),
    connections: positiveInt(values.connections, '--connections', 32),
    fresh: values.fresh,
    writer: values.writer,
    tool: (values.tool as LoadTool | undefined) ?? defaultTool(),
    ingestItems: positiveInt(values['ingest-items'], '--ingest-items', 10_000),
    searchArticles: positiveInt(values['search-articles'], '--search-articles', 100_000),
    only: (values.only as Options['only'] | undefined) ?? null,
    soakMinutes,
    soakArticles: positiveInt(values['soak-articles'], '--soak-articles', 3000),
    soakPeak: values['soak-peak'] === undefined ? null : positiveInt(values['soak-peak'], '--soak-peak', 1),
    crashItems: positiveInt(values['crash-items'], '--crash-items', 3000),
    crashStories: positiveInt(values['crash-stories'], '--crash-stories', 300),
    workers: positiveInt(values.workers, '--workers', 1),
    loadThreads: positiveInt(values['load-threads'], '--load-threads', 1),
  }
}

interface CachedDatabase {
  file: string
  meta: GenerateResult & { version: number; generatedAt: string }
  fromCache: boolean
}

/** The generated database for these options, from bench/out/ when an earlier run made it. */
async function ensureDatabase(options: Options): Promise<CachedDatabase> {
  mkdirSync(OUT_DIR, { recursive: true })
  const base = path.join(OUT_DIR, `db-${options.articles}-${options.writer}-v${GENERATOR_VERSION}`)
  const file = `${base}.sqlite`
  const metaFile = `${base}.json`
  if (!options.fresh && existsSync(file) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as CachedDatabase['meta']
    if (meta.version === GENERATOR_VERSION) {
      console.log(`Database: ${path.relative(process.cwd(), file)} (cached; generated ${meta.generatedAt} in ${meta.seconds.toFixed(1)} s; --fresh to rebuild)`)
      return { file, meta, fromCache: true }
    }
  }
  console.log(`Generating ${options.articles.toLocaleString('en')} articles (${options.writer} writer)…`)
  const result = await generateDatabase({ articles: options.articles, file, writer: options.writer })
  const meta = { ...result, version: GENERATOR_VERSION, generatedAt: new Date().toISOString() }
  writeFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`)
  console.log(
    `Generated ${result.articles.toLocaleString('en')} articles (${result.demoArticles} demo + ${result.generated.toLocaleString('en')} generated) ` +
      `in ${result.seconds.toFixed(1)} s (demo paper ${result.demoSeconds.toFixed(1)} s) → ${path.relative(process.cwd(), file)}`,
  )
  return { file, meta, fromCache: false }
}

/** GET without Accept-Encoding, as wrk sends it: the exact uncompressed bytes and headers. */
function fetchRaw(url: string): Promise<{ status: number; contentType: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)))
    req.on('error', reject)
  })
}

interface PageUnderTest {
  name: string
  path: string
}

interface Row extends LoadResult {
  page: string
  path: string
  mode: Mode
  bytes: number
  rssMb: number
  /** The server's CPU time (all threads) per request during the measurement; null without /proc. */
  cpuMsPerRequest: number | null
  ratioVsBare: number | null
}

/** A page as the first Masthead server sent it: what the bare server replays, and what later modes are checked against. */
interface Reference {
  body: Buffer
  contentType: string
  /** The origin that server put in canonical links. */
  origin: string
}

/** True when two bodies are the same page once the servers' origins (in canonical links) are masked. */
function samePage(a: Buffer, b: Buffer, origins: readonly string[]): boolean {
  const mask = (body: Buffer) => origins.reduce((text, origin) => text.replaceAll(origin, 'ORIGIN'), body.toString('utf8'))
  return mask(a) === mask(b)
}

/** Warms up, then measures every page on one running server. */
async function measureServer(server: ServerChild, mode: Mode, pages: readonly PageUnderTest[], options: Options, references: Map<string, Reference>): Promise<Row[]> {
  const rows: Row[] = []
  for (const page of pages) {
    const url = `${server.url}${page.path}`
    const probe = await fetchRaw(url)
    if (probe.status !== 200) throw new Error(`${mode}: GET ${page.path} answered ${probe.status}, not 200; refusing to benchmark an error page.`)
    // Canonical links carry the request's origin, so compare with each server's own origin masked.
    const reference = references.get(page.path)
    if (!reference) {
      references.set(page.path, { body: probe.body, contentType: probe.contentType, origin: server.url })
    } else if (!samePage(reference.body, probe.body, [reference.origin, server.url])) {
      console.warn(`  ! ${mode}: ${page.path} is not the page the first server sent (${probe.body.length} vs ${reference.body.length} bytes)`)
    }

    await runLoad(url, { ...options, durationS: options.warmupS })
    const cpuBefore = server.cpuMs()
    const { result, peakRss } = await withPeakRss(server, () => runLoad(url, options))
    const cpuAfter = server.cpuMs()
    const cpuMsPerRequest = cpuBefore !== null && cpuAfter !== null && result.requests > 0 ? (cpuAfter - cpuBefore) / result.requests : null
    const row: Row = { page: page.name, path: page.path, mode, bytes: probe.body.length, rssMb: peakRss / 1024 / 1024, cpuMsPerRequest, ratioVsBare: null, ...result }
    rows.push(row)
    const warn = row.non2xx > 0 || row.errors > 0 ? `  (! ${row.non2xx} non-2xx, ${row.errors} socket errors)` : ''
    console.log(`  ${mode.padEnd(9)} ${page.name.padEnd(14)} ${fmt(row.requestsPerSec, 0).padStart(8)} req/s  p50 ${fmt(row.p50Ms, 2)} ms  p99 ${fmt(row.p99Ms, 2)} ms  CPU ${row.cpuMsPerRequest === null ? '—' : fmt(row.cpuMsPerRequest, 3)} ms/req  RSS ${fmt(row.rssMb, 0)} MB${warn}`)
  }
  return rows
}

function fmt(n: number, digits: number): string {
  return n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

function printTable(rows: readonly Row[]): void {
  const header = ['page', 'mode', 'req/s', 'p50 ms', 'p99 ms', 'CPU ms/req', 'RSS MB', 'vs bare']
  const body = rows.map((r) => [
    r.page,
    r.mode,
    fmt(r.requestsPerSec, 0),
    fmt(r.p50Ms, 2),
    fmt(r.p99Ms, 2),
    r.cpuMsPerRequest === null ? '—' : fmt(r.cpuMsPerRequest, 3),
    fmt(r.rssMb, 0),
    r.ratioVsBare === null ? '—' : `${fmt(r.ratioVsBare * 100, 1)}%`,
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)))
  // Text columns left, numbers right.
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  let previous = ''
  for (const [i, cells] of body.entries()) {
    if (previous && rows[i]!.page !== previous) console.log('')
    previous = rows[i]!.page
    console.log(line(cells))
  }
}

async function main(): Promise<void> {
  const options = readOptions()
  const startedAt = new Date()

  // Watchdog: generation (~1 s per 1,000 stories direct, ~4 s via services) plus
  // every warm-up and measurement, with generous slack for server start-up.
  const perStory = options.writer === 'services' ? 0.006 : 0.002
  // Ingest: 4 formats on SQLite and PostgreSQL at no less than ~50 items/s each.
  const budgetS =
    180 +
    options.articles * perStory +
    MODES.length * 4 * (options.warmupS + options.durationS + 10) +
    (options.only === 'site' ? 0 : (options.ingestItems * 8) / 50) +
    // Search: generation, indexing (~1 ms a story) and 640 queries.
    (options.only === null || options.only === 'search' ? options.searchArticles * 0.004 + 120 : 0) +
    // Soak: the paper, the peak and the minutes of load; crash: two dialects of backfill and publishing with restarts.
    (options.only === 'soak' ? options.soakMinutes * 60 + options.soakArticles * 0.01 + 120 : 0) +
    (options.only === 'crash' ? options.crashItems * 0.1 + options.crashStories * 2 + 600 : 0)
  const watchdog = setTimeout(() => {
    console.error(`\nThe bench ran past its ${Math.round(budgetS)} s budget; stopping the servers and giving up.`)
    killAllChildren()
    process.exit(2)
  }, budgetS * 1000)
  watchdog.unref()
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAllChildren()
      process.exit(130)
    })
  }

  if (options.only === 'soak' || options.only === 'crash') {
    const { ok } =
      options.only === 'soak'
        ? await runSoak({ minutes: options.soakMinutes, articles: options.soakArticles, peakRps: options.soakPeak, peakSeconds: 10, connections: options.connections })
        : await runCrash({ items: options.crashItems, stories: options.crashStories })
    clearTimeout(watchdog)
    process.exit(ok ? 0 : 1)
  }
  if (options.only === 'media') {
    await runMediaBench({ uploads: 3 })
    clearTimeout(watchdog)
    return
  }
  if (options.only === 'webhooks') {
    await runWebhooksBench({ deliveries: 2000 })
    clearTimeout(watchdog)
    return
  }
  if (options.only === 'search') {
    await runSearchBench({ articles: options.searchArticles, queries: 300, fresh: options.fresh })
    clearTimeout(watchdog)
    return
  }

  if (options.only === 'ingest') {
    await runIngestBench({ items: options.ingestItems })
    clearTimeout(watchdog)
    return
  }

  const database = await ensureDatabase(options)
  // Masthead runs as deployed, `masthead serve` from the build in dist/: built now, so it is the build of these sources
  // (a stale build would make bin/masthead.js compile the sources at run time, and the figures would be of that).
  execFileSync(process.execPath, [path.join(BENCH_DIR, '..', 'scripts', 'build.mjs')], { stdio: 'inherit' })
  const pages: PageUnderTest[] = [
    { name: 'home', path: '/' },
    { name: 'section', path: '/sections/latin-america' },
    { name: 'section p5', path: '/sections/latin-america?page=5' },
    { name: 'article', path: `/articles/${database.meta.sampleArticleSlug}` },
  ]

  // Each run gets its own copy: first start writes an admin account, and the cache must stay pristine.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'masthead-bench-'))
  const rows: Row[] = []
  const references = new Map<string, Reference>()
  const firstOk: { mode: Mode; ms: number }[] = []
  try {
    copyFileSync(database.file, path.join(dataDir, 'masthead.db'))
    if (existsSync(DEMO_MEDIA)) cpSync(DEMO_MEDIA, path.join(dataDir, 'media', 'demo'), { recursive: true })
    // A database generated before the newest migrations is brought up to date first: the servers' starts and memory
    // are measured as a restart's, not with a one-time migration of 100,000 stories in them.
    execFileSync(process.execPath, [path.join(BENCH_DIR, '..', 'bin', 'masthead.js'), 'migrate'], { env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] })
    console.log(
      `Load: ${options.tool}${options.loadThreads > 1 ? ` (${options.loadThreads} threads)` : ''}, ${options.connections} connections, ${options.warmupS} s warm-up + ${options.durationS} s per page, loopback; ${os.cpus().length} CPUs; Masthead with ${options.workers} worker${options.workers === 1 ? '' : 's'}`,
    )

    for (const mode of MODES) {
      let spec: ChildSpec
      if (isBare(mode)) {
        const barePages: BarePage[] = pages.map((p) => {
          const reference = references.get(p.path)
          if (!reference) throw new Error(`No Masthead response for ${p.path} to replay.`)
          const uncached = rows.find((r) => r.mode === 'uncached' && r.path === p.path)
          const workMs = mode === 'bare-work' ? (uncached?.cpuMsPerRequest ?? 0) : 0
          return { path: p.path, contentType: reference.contentType, bodyBase64: reference.body.toString('base64'), ...(workMs > 0 ? { workMs } : {}) }
        })
        const pagesFile = path.join(dataDir, `${mode}-pages.json`)
        writeFileSync(pagesFile, JSON.stringify(barePages))
        // As many processes as Masthead runs, so the ratio compares like with like.
        spec = { kind: 'bare', pagesFile, workers: options.workers }
      } else {
        spec = { kind: 'masthead', dataDir, pageCache: mode === 'cached' }
      }
      const server = spec.kind === 'bare' ? await startChild(spec) : await startMastheadServe({ ...spec, workers: options.workers })
      if (server.firstOkMs !== undefined) {
        firstOk.push({ mode, ms: server.firstOkMs })
        console.log(`  ${mode.padEnd(9)} first 200 for / ${fmt(server.firstOkMs, 0)} ms after spawning \`masthead serve\``)
      }
      try {
        rows.push(...(await measureServer(server, mode, pages, options, references)))
      } finally {
        await server.stop()
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }

  for (const row of rows) {
    const bare = rows.find((r) => r.mode === 'bare-node' && r.path === row.path)
    row.ratioVsBare = isBare(row.mode) || !bare ? null : row.requestsPerSec / bare.requestsPerSec
  }
  const ordered = pages.flatMap((p) => MODES.map((m) => rows.find((r) => r.path === p.path && r.mode === m)).filter((r): r is Row => r !== undefined))

  console.log('')
  printTable(ordered)
  console.log('')
  console.log(`First 200 for / after spawning \`masthead serve\`: ${firstOk.map((f) => `${f.mode} ${fmt(f.ms, 0)} ms`).join(', ')}`)
  const peak = Math.max(...rows.filter((r) => !isBare(r.mode)).map((r) => r.rssMb))
  console.log(`Peak RSS of Masthead under load: ${fmt(peak, 0)} MB`)
  console.log(`Pages: ${pages.map((p) => `${p.name} ${p.path} ${fmt((references.get(p.path)?.body.length ?? 0) / 1024, 1)} KB`).join('; ')}`)
  console.log(
    `Database: ${database.meta.articles.toLocaleString('en')} articles; generation ${database.meta.seconds.toFixed(1)} s` +
      (database.fromCache ? ' (earlier run, reused)' : ''),
  )

  const outFile = path.join(OUT_DIR, `site-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`)
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null },
    options,
    database: { file: path.relative(process.cwd(), database.file), fromCache: database.fromCache, ...database.meta },
    pages: pages.map((p) => ({ ...p, bytes: references.get(p.path)?.body.length ?? null, contentType: references.get(p.path)?.contentType ?? null })),
    rows: ordered,
    firstOkMs: firstOk,
    ingest: options.only === 'site' ? null : await runIngestBench({ items: options.ingestItems }),
    media: options.only === 'site' ? null : await runMediaBench({ uploads: 3 }),
    search: options.only === 'site' ? null : await runSearchBench({ articles: options.searchArticles, queries: 300 }),
  }
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`)
  console.log(`Wrote ${path.relative(process.cwd(), outFile)}`)
  clearTimeout(watchdog)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error)
  killAllChildren()
  process.exit(1)
})
