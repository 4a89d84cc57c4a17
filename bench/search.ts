import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { createSqliteSearchEngine } from '../src/search/engines/sqlite-fts5.ts'
import { backfillSearchIndex, wordsOf } from '../src/search/index.ts'
import { defineConfig } from '../src/server/config.ts'
import { buildContainer } from '../src/server/container.ts'
import { createRandom } from './text.ts'
import { generateDatabase } from './generate.ts'

/**
 * Search benchmark: latency of full-text search on SQLite FTS5 at N stories
 * (default 100,000), for one-word and three-word queries, through the search
 * service (the engine's ranked query, snippets and the page's story lookups:
 * everything /search does but rendering). Sequential queries, one at a time,
 * after a warm-up; prints p50, p95, p99 and the mean number of hits.
 *
 * The database is generated once (bench/out/), then indexed with the same
 * backfill the migration runs, and kept for later runs.
 */

const OUT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'out')
/**
 * 2: row ids follow publication time (migration 2026_12_06_0300); 3: headlines
 * have their own index (2026_12_06_0600). An index built before is rebuilt.
 */
const VERSION = 3
/** bench/run.ts's GENERATOR_VERSION: its cached databases of this version are what generate.ts writes now. */
const GENERATOR_VERSION = 2

export interface SearchBenchOptions {
  articles: number
  /** Measured queries per kind. */
  queries: number
  fresh?: boolean
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

async function ensureIndexedDatabase(options: SearchBenchOptions): Promise<string> {
  mkdirSync(OUT_DIR, { recursive: true })
  // Named by the generator's version too, so an index of stories an older generator wrote is rebuilt.
  const file = path.join(OUT_DIR, `search-${options.articles}-v${VERSION}-g${GENERATOR_VERSION}.sqlite`)
  const meta = `${file}.json`
  if (!options.fresh && existsSync(file) && existsSync(meta)) {
    console.log(`Search database: ${path.relative(process.cwd(), file)} (cached)`)
    return file
  }
  const started = performance.now()
  // The site bench's database of the same size (bench/run.ts, same generator) saves generating it again.
  const siteBase = path.join(OUT_DIR, `db-${options.articles}-direct-v${GENERATOR_VERSION}`)
  const siteDatabase = `${siteBase}.sqlite`
  let generated: { articles: number; seconds: number }
  if (!options.fresh && existsSync(siteDatabase) && existsSync(`${siteBase}.json`)) {
    console.log(`Indexing a copy of ${path.relative(process.cwd(), siteDatabase)} for the search bench…`)
    copyFileSync(siteDatabase, `${file}.gen`)
    generated = JSON.parse(readFileSync(`${siteBase}.json`, 'utf8')) as { articles: number; seconds: number }
  } else {
    console.log(`Generating ${options.articles.toLocaleString('en')} articles for the search bench…`)
    generated = await generateDatabase({ articles: options.articles, file: `${file}.gen`, writer: 'direct' })
    console.log(`  generated in ${generated.seconds.toFixed(1)} s; indexing…`)
  }
  const dataDir = path.join(OUT_DIR, 'search-index-tmp')
  rmSync(dataDir, { recursive: true, force: true })
  mkdirSync(dataDir, { recursive: true })
  copyFileSync(`${file}.gen`, path.join(dataDir, 'masthead.db'))
  rmSync(`${file}.gen`, { force: true })
  const container = await buildContainer(defineConfig({ dataDir, logLevel: 'silent' }))
  try {
    // The direct writer inserts rows without the article service, so nothing followed those stories into the index.
    const indexStarted = performance.now()
    const indexed = await container.database.db.transaction().execute((trx) => backfillSearchIndex(trx, createSqliteSearchEngine()))
    console.log(`  indexed ${indexed.toLocaleString('en')} stories in ${((performance.now() - indexStarted) / 1000).toFixed(1)} s`)
    await sql`pragma wal_checkpoint(truncate)`.execute(container.database.db)
  } finally {
    await container.close()
  }
  copyFileSync(path.join(dataDir, 'masthead.db'), file)
  rmSync(dataDir, { recursive: true, force: true })
  writeFileSync(meta, JSON.stringify({ articles: generated.articles, seconds: (performance.now() - started) / 1000, at: new Date().toISOString() }, null, 2))
  return file
}

/** Runs the search benchmark and prints its table; returns the p95 of each kind in milliseconds. */
export async function runSearchBench(options: SearchBenchOptions): Promise<Record<string, { p50: number; p95: number; p99: number; hits: number }>> {
  const source = await ensureIndexedDatabase(options)
  const dataDir = path.join(OUT_DIR, 'search-run')
  rmSync(dataDir, { recursive: true, force: true })
  mkdirSync(dataDir, { recursive: true })
  copyFileSync(source, path.join(dataDir, 'masthead.db'))
  const container = await buildContainer(defineConfig({ dataDir, logLevel: 'silent' }))
  try {
    const db = container.database.db
    // A running server has its index in the page cache; read it once so the first queries do not measure the disk.
    const warmStarted = performance.now()
    await sql`select sum(length(block)) as n from search_fts_data`.execute(db)
    await sql`select sum(length(c2)) as n from search_fts_content`.execute(db)
    await sql`select sum(length(block)) as n from search_headlines_data`.execute(db)
    await sql`select count(*) as n from search_entries`.execute(db)
    console.log(`  read the index into memory in ${((performance.now() - warmStarted) / 1000).toFixed(1)} s`)
    const count = Number((await sql<{ n: number }>`select count(*) as n from search_entries`.execute(db)).rows[0]!.n)
    // Query words drawn from stories themselves, so frequent words come up as often as readers type them.
    const r = createRandom(42)
    const samples = await sql<{ title: string; body: string }>`select title, body from articles where status = 'published' order by random() limit 400`.execute(db)
    const wordsByStory = samples.rows.map((s) => wordsOf(`${s.title} ${JSON.stringify(JSON.parse(s.body)).replace(/"[a-z]+":/g, ' ')}`).filter((w) => w.length > 3))
    const one = Array.from({ length: options.queries + 50 }, () => r.pick(r.pick(wordsByStory)))
    const three = Array.from({ length: options.queries + 50 }, () => r.sample(r.pick(wordsByStory), 3).join(' '))
    const results: Record<string, { p50: number; p95: number; p99: number; hits: number }> = {}
    console.log(`\nSearch on SQLite FTS5, ${count.toLocaleString('en')} indexed stories, ${options.queries} queries per kind after 50 unmeasured:`)
    for (const [kind, queries] of [
      ['one word', one],
      ['three words', three],
    ] as const) {
      const times: number[] = []
      let hits = 0
      for (const [i, q] of queries.entries()) {
        const started = performance.now()
        const outcome = await container.search.search({ q })
        const ms = performance.now() - started
        if (i < 50) continue
        times.push(ms)
        if (outcome.kind === 'results') hits += outcome.hits.length
      }
      times.sort((a, b) => a - b)
      results[kind] = { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), hits: hits / times.length }
      const row = results[kind]
      console.log(`  ${kind.padEnd(12)} p50 ${row.p50.toFixed(2)} ms  p95 ${row.p95.toFixed(2)} ms  p99 ${row.p99.toFixed(2)} ms  (mean ${row.hits.toFixed(1)} results on the first page)`)
    }
    return results
  } finally {
    await container.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

// Allow `node --import tsx bench/search.ts` on its own.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const articles = Number(process.env.BENCH_SEARCH_ARTICLES ?? 100_000)
  void runSearchBench({ articles, queries: 300 }).then(() => process.exit(0))
}
