/**
 * Wire ingest throughput: items per second for each format, parse-only and
 * end to end into a fresh database, for one batch of N items (default 10,000).
 * Batches are generated here from the bench vocabulary (no copied text).
 *
 * Beside the realistic-vocabulary formats, a `templated` case replays issue
 * 13: 20 RSS files of 200 results items from one agency, each item 128 words
 * drawn from the same 20, so every item looks like every other to the
 * duplicate finder. It reports the rate over the first and the last quarter of
 * the files too: the cost per item must not grow with the items already stored.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { defineConfig } from '../src/server/config.ts'
import { buildContainer } from '../src/server/container.ts'
import { parseWire } from '../src/wire/formats/index.ts'
import { procCpuMs, treeCpuMs } from './children.ts'
import { createRandom, headline, type Random } from './text.ts'

type Format = 'ninjs' | 'newsml-g2' | 'rss' | 'atom'
const FORMATS: Format[] = ['ninjs', 'newsml-g2', 'rss', 'atom']
type BenchCase = Format | 'templated'

/** Items per generated file. */
const BATCH_SIZE = 1000

export interface IngestRow {
  format: BenchCase
  items: number
  megabytes: number
  parsePerSecond: number
  sqlitePerSecond: number
  postgresPerSecond: number | null
  /** Items per second over the first and the last quarter of the files, end to end. */
  sqliteFirstLast: [number, number]
  /**
   * Items per CPU-second of the storing process (the parser processes not
   * counted): what the store side could reach with a core to itself, however
   * busy the machine is.
   */
  sqliteStorePerCpuSecond: number
  /** Items per CPU-second of the parser processes (parsing and preparing each item, once started); null without /proc. */
  sqliteParserPerCpuSecond: number | null
  postgresStorePerCpuSecond: number | null
  postgresFirstLast: [number, number] | null
}

const TEMPLATE_WORDS = 'harbour council ferry minister election budget strike port river school vaccine court grid energy oil talks migration border trade farm'.split(' ')

/** Issue 13's templated results copy: `files` RSS files of `perFile` near-identical items from one agency. */
export function makeTemplatedBatches(files = 20, perFile = 200, seed = 13): Uint8Array[] {
  const r = createRandom(seed)
  const words = (n: number) => Array.from({ length: n }, () => r.pick(TEMPLATE_WORDS)).join(' ')
  return Array.from({ length: files }, (_, f) => {
    let items = ''
    for (let i = 0; i < perFile; i++) items += `<item><guid>urn:t:${f}:${i}</guid><title>${words(8)} ${f}-${i}</title><description>${words(120)}</description></item>`
    return new TextEncoder().encode(
      `<?xml version="1.0"?><rss version="2.0"><channel><title>Results Agency</title><link>https://results.example/</link><description>x</description>${items}</channel></rss>`,
    )
  })
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/**
 * Story text from a large made-up vocabulary (pseudo-words built from
 * syllables) with Zipf-distributed frequencies, like words in real copy. The
 * most frequent ranks are skipped, as real text's stopwords are by the
 * duplicate finder, so the commonest words left appear in about a fifth of
 * stories. The site bench's small news vocabulary would make every story look
 * like every other to the duplicate finder, which real copy does not.
 */
const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'sa', 'tor', 'vel', 'an', 'bri', 'cu', 'dor', 'el', 'fa', 'gun', 'hal', 'is', 'jo', 'ker', 'lum', 'nor']
const SKIPPED_RANKS = 150
const VOCABULARY = Array.from({ length: 30_000 }, (_, i) => {
  let word = ''
  for (let n = i + 1; n > 0; n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length]
  return word
})
const CUMULATIVE = (() => {
  const weights = VOCABULARY.map((_, i) => (i < SKIPPED_RANKS ? 0 : 1 / (i + 1)))
  let sum = 0
  return weights.map((w) => (sum += w))
})()

function zipfWord(r: Random): string {
  const target = r.next() * CUMULATIVE[CUMULATIVE.length - 1]!
  let lo = 0
  let hi = CUMULATIVE.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (CUMULATIVE[mid]! < target) lo = mid + 1
    else hi = mid
  }
  return VOCABULARY[lo]!
}

function sentenceOf(r: Random): string {
  const words = Array.from({ length: r.int(10, 28) }, () => zipfWord(r))
  return `${words[0]![0]!.toUpperCase()}${words.join(' ').slice(1)}.`
}

function story(r: Random, i: number) {
  const paragraphs = Array.from({ length: r.int(6, 12) }, () => Array.from({ length: r.int(2, 4) }, () => sentenceOf(r)).join(' '))
  const at = new Date(Date.UTC(2026, 1, 1) + i * 37_000).toISOString()
  return { id: `bench-${i}`, title: headline(r), summary: paragraphs[0]!, paragraphs, at }
}

/** One batch of `count` items in one format, as an agency might send it; `first` numbers the items. */
export function makeBatch(format: Format, count: number, seed = 7, first = 0): Uint8Array {
  const r = createRandom(seed)
  const stories = Array.from({ length: count }, (_, i) => story(r, first + i))
  let text: string
  switch (format) {
    case 'ninjs':
      text = JSON.stringify(
        stories.map((s) => ({
          uri: `urn:acp.example:${s.id}`,
          type: 'text',
          version: '1',
          versioncreated: s.at,
          language: 'en',
          headline: s.title,
          description_text: s.summary,
          body_html: s.paragraphs.map((p) => `<p>${esc(p)}</p>`).join(''),
          subject: [{ code: '11000000', scheme: 'medtop', name: 'politics' }],
        })),
      )
      break
    case 'newsml-g2':
      text =
        '<?xml version="1.0" encoding="UTF-8"?><newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header><sent>2026-02-01T00:00:00Z</sent></header><itemSet>' +
        stories
          .map(
            (s) =>
              `<newsItem guid="urn:meridian.example:${s.id}" version="1" standard="NewsML-G2" standardversion="2.34"><itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:MW"><name>Meridian Wire</name></provider><versionCreated>${s.at}</versionCreated><pubStatus qcode="stat:usable"/></itemMeta><contentMeta><headline>${esc(s.title)}</headline><language tag="en"/><subject type="cpnat:abstract" qcode="medtop:11000000"/></contentMeta><contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body>${s.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('')}</body></html></inlineXML></contentSet></newsItem>`,
          )
          .join('') +
        '</itemSet></newsMessage>'
      break
    case 'rss':
      text =
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Associated Newswire</title><link>https://an.example/</link><description>Bench</description>' +
        stories
          .map(
            (s) =>
              `<item><title>${esc(s.title)}</title><link>https://an.example/${s.id}</link><guid isPermaLink="false">${s.id}</guid><pubDate>${new Date(s.at).toUTCString()}</pubDate><description>${esc(s.summary)}</description><content:encoded><![CDATA[${s.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('')}]]></content:encoded></item>`,
          )
          .join('') +
        '</channel></rss>'
      break
    case 'atom':
      text =
        '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Partner wire</title><id>urn:partner.example:feed</id><updated>2026-02-01T00:00:00Z</updated>' +
        stories
          .map(
            (s) =>
              `<entry><id>urn:partner.example:${s.id}</id><title>${esc(s.title)}</title><updated>${s.at}</updated><author><name>Partner</name></author><summary>${esc(s.summary)}</summary><content type="html">${esc(s.paragraphs.map((p) => `<p>${p}</p>`).join(''))}</content></entry>`,
          )
          .join('') +
        '</feed>'
      break
  }
  return new TextEncoder().encode(text)
}

/** CPU milliseconds used so far by this process's children (the parser processes), from /proc; null without it. */
function parserCpuMs(): number | null {
  const tree = treeCpuMs(process.pid)
  const own = procCpuMs(process.pid)
  return tree === null || own === null ? null : tree - own
}

async function endToEnd(
  batches: Uint8Array[],
  target: 'sqlite' | 'postgres',
  pgUrl: string,
): Promise<{ seconds: number; cpuSeconds: number; parserCpuSeconds: number | null; stored: number; firstLast: [number, number] }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'masthead-bench-ingest-'))
  const schema = `bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  if (target === 'postgres') {
    const client = new pg.Client({ connectionString: pgUrl })
    await client.connect()
    await client.query(`create schema ${schema}`)
    await client.end()
  }
  const config = defineConfig({
    dataDir,
    logLevel: 'silent',
    loadDemo: false,
    database: target === 'sqlite' ? { dialect: 'sqlite', file: path.join(dataDir, 'bench.db') } : { dialect: 'postgres', url: pgUrl, schema },
  })
  const container = await buildContainer(config)
  try {
    const { error } = await container.database.migrate()
    if (error) throw error
    // As a server has them after its first large inputs, and `masthead wire import <folder>` from its start: the parser processes running before copy arrives.
    await container.wireParser.warm(Infinity)
    const parserCpuStart = parserCpuMs()
    let stored = 0
    const perBatch: { items: number; seconds: number }[] = []
    const start = performance.now()
    const cpuStart = process.cpuUsage()
    // As `masthead wire import <folder>` does: the desk reads the next file while it stores one.
    let batchStart = performance.now()
    for await (const report of container.wire.ingestAll(batches.map((bytes, index) => ({ bytes, origin: `bench-${index}` })))) {
      if (report.rejected.length > 0) throw new Error(`bench batch had rejections: ${report.rejected[0]!.message}`)
      stored += report.imported
      const now = performance.now()
      perBatch.push({ items: report.imported, seconds: (now - batchStart) / 1000 })
      batchStart = now
    }
    const quarter = Math.max(1, Math.floor(perBatch.length / 4))
    const rate = (part: typeof perBatch) => Math.round(part.reduce((n, b) => n + b.items, 0) / part.reduce((t, b) => t + b.seconds, 0))
    const cpu = process.cpuUsage(cpuStart)
    const seconds = (performance.now() - start) / 1000
    const parserCpuEnd = parserCpuMs()
    const parserCpuSeconds = parserCpuStart === null || parserCpuEnd === null ? null : (parserCpuEnd - parserCpuStart) / 1000
    return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, parserCpuSeconds, stored, firstLast: [rate(perBatch.slice(0, quarter)), rate(perBatch.slice(-quarter))] }
  } finally {
    await container.close()
    rmSync(dataDir, { recursive: true, force: true })
    if (target === 'postgres') {
      const client = new pg.Client({ connectionString: pgUrl })
      await client.connect()
      await client.query(`drop schema if exists ${schema} cascade`)
      await client.end()
    }
  }
}

async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 })
  try {
    await client.connect()
    await client.end()
    return true
  } catch {
    return false
  }
}

/** Runs the ingest benchmark and prints a table. PostgreSQL is included when BENCH_PG_URL (or the local test database) answers. */
export async function runIngestBench(options: { items: number; pgUrl?: string; log?: (line: string) => void; cases?: BenchCase[] }): Promise<IngestRow[]> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`))
  const pgUrl = options.pgUrl ?? process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  const withPostgres = await postgresReachable(pgUrl)
  const rows: IngestRow[] = []
  log(`\nWire ingest, ${options.items} items per format in files of up to ${BATCH_SIZE}${withPostgres ? '' : '; PostgreSQL not reachable, skipped'}`)
  const cases: BenchCase[] = options.cases ?? [...FORMATS, 'templated']
  for (const format of cases) {
    // Agencies send many files, and one input is capped at 20 MB: ingest in batches.
    const batches: Uint8Array[] = []
    if (format === 'templated') batches.push(...makeTemplatedBatches())
    else for (let first = 0; first < options.items; first += BATCH_SIZE) batches.push(makeBatch(format, Math.min(BATCH_SIZE, options.items - first), 7 + first, first))
    const items = format === 'templated' ? 4000 : options.items
    parseWire(batches[0]!.subarray(0, 0)) // load the adapters before timing
    let parsed = 0
    const start = performance.now()
    for (const bytes of batches) {
      const report = parseWire(bytes)
      if (report.rejected.length > 0) throw new Error(`${format}: ${report.rejected[0]!.message}`)
      parsed += report.items.length
    }
    const parseSeconds = (performance.now() - start) / 1000
    if (parsed !== items) throw new Error(`${format}: parsed ${parsed} of ${items} items`)
    const sqlite = await endToEnd(batches, 'sqlite', pgUrl)
    const postgres = withPostgres ? await endToEnd(batches, 'postgres', pgUrl) : null
    const bytes = batches.reduce((sum, b) => sum + b.byteLength, 0)
    const row: IngestRow = {
      format,
      items,
      megabytes: Math.round((bytes / 1024 / 1024) * 10) / 10,
      parsePerSecond: Math.round(items / parseSeconds),
      sqlitePerSecond: Math.round(sqlite.stored / sqlite.seconds),
      postgresPerSecond: postgres ? Math.round(postgres.stored / postgres.seconds) : null,
      sqliteFirstLast: sqlite.firstLast,
      postgresFirstLast: postgres?.firstLast ?? null,
      sqliteStorePerCpuSecond: Math.round(sqlite.stored / sqlite.cpuSeconds),
      sqliteParserPerCpuSecond: sqlite.parserCpuSeconds ? Math.round(sqlite.stored / sqlite.parserCpuSeconds) : null,
      postgresStorePerCpuSecond: postgres ? Math.round(postgres.stored / postgres.cpuSeconds) : null,
    }
    rows.push(row)
    const firstLast = (pair: [number, number] | null) => (pair ? ` (first ${pair[0]}/s, last ${pair[1]}/s)` : '')
    log(
      `  ${format.padEnd(10)} ${String(row.megabytes).padStart(5)} MB  parse ${String(row.parsePerSecond).padStart(6)}/s  sqlite ${String(row.sqlitePerSecond).padStart(5)}/s${firstLast(row.sqliteFirstLast)}  postgres ${row.postgresPerSecond === null ? '    —' : String(row.postgresPerSecond).padStart(5)}/s${firstLast(row.postgresFirstLast)}`,
    )
    log(
      `  ${''.padEnd(10)} storing process: sqlite ${row.sqliteStorePerCpuSecond} items per CPU-second${row.postgresStorePerCpuSecond === null ? '' : `, postgres ${row.postgresStorePerCpuSecond}`}${row.sqliteParserPerCpuSecond === null ? '' : `; parser processes (sqlite run) ${row.sqliteParserPerCpuSecond}`}`,
    )
  }
  return rows
}

// Run on its own: node --import tsx bench/ingest.ts [--items N]
if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf('--items')
  const items = at > 0 ? Number(process.argv[at + 1]) : 10_000
  const only = process.argv.indexOf('--case')
  await runIngestBench({ items, ...(only > 0 ? { cases: [process.argv[only + 1] as BenchCase] } : {}) })
}
