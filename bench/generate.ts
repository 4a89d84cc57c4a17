import { copyFileSync, mkdtempSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql, type Kysely } from 'kysely'
import { Body, createArticleService, refreshListings, type Actor, type Article, type Block, type Inline } from '../src/articles/index.ts'
import { Correct, CreateDraft, EditArticle } from '../src/articles/commands.ts'
import { articleToRow } from '../src/articles/repository.ts'
import type { ArticlesTable, RevisionReason } from '../src/articles/tables.ts'
import type { Database } from '../src/db/database.ts'
import { seedDemo } from '../src/db/seed/seed.ts'
import { defineConfig } from '../src/server/config.ts'
import { buildContainer, type Container } from '../src/server/container.ts'
import type { Clock } from '../src/shared/clock.ts'
import { newId } from '../src/shared/ids.ts'
import { slugify } from '../src/shared/slug.ts'
import { createRandom, headline, paragraphText, personName, PLACES, sentence, type Random } from './text.ts'

/**
 * Builds the benchmark database: the demo paper loaded by `seedDemo` (so the
 * site looks like a real install), then enough generated stories to reach
 * `articles` in total.
 *
 * Two writers produce the same rows:
 * - `services` goes through `createDraft` / `publish` / `edit` / `correct`,
 *   one transaction per step, exactly as an editor would;
 * - `direct` (the default) inserts the rows those calls would write
 *   (articles, article_sections, article_authors, article_tags, revisions,
 *   corrections) with Kysely in one transaction. It reuses the domain's own
 *   command schemas and `Body` parser and mirrors the repository's row mapping
 *   and revision snapshots (see `directRows`), so the site reads the same data;
 *   it exists because the service path writes ~5 transactions per story.
 */

export type Writer = 'direct' | 'services'

export interface GenerateOptions {
  /** Total articles wanted, demo paper included. */
  articles: number
  /** Where the finished SQLite file goes. */
  file: string
  writer: Writer
  /** Seed of the filler text; same seed, same paper. */
  seed?: number
  /** The archive ends an hour before this instant (rounded down to the hour); defaults to now. */
  now?: Date
}

export interface GenerateResult {
  articles: number
  demoArticles: number
  generated: number
  writer: Writer
  /** Wall time for the whole generation, demo paper included. */
  seconds: number
  demoSeconds: number
  /** A generated story in Latin America, used as the article page under test. */
  sampleArticleSlug: string
}

const SYSTEM: Actor = { userId: null }

/** What one generated story will be, decided before any writing so both writers get identical input. */
interface StoryPlan {
  input: {
    title: string
    slug: string
    dek: string
    body: Block[]
    sectionIds: string[]
    authorIds: string[]
    tagIds: string[]
    sourceId: string
  }
  createdAt: string
  publishedAt: string
  update: { at: string; body: Block[] } | null
  correction: { at: string; text: string } | null
}

/** Ids of the demo paper's records, by slug. */
interface Refs {
  sections: Map<string, { id: string; parentSlug: string | null; kind: string }>
  authors: Map<string, string>
  sources: Map<string, { id: string; kind: string }>
  tags: string[]
}

async function loadRefs(db: Kysely<Database>): Promise<Refs> {
  const sections = await db.selectFrom('sections').select(['id', 'slug', 'parent_id', 'kind']).execute()
  const slugById = new Map(sections.map((s) => [s.id, s.slug]))
  return {
    sections: new Map(sections.map((s) => [s.slug, { id: s.id, parentSlug: s.parent_id ? (slugById.get(s.parent_id) ?? null) : null, kind: s.kind }])),
    authors: new Map((await db.selectFrom('authors').select(['id', 'slug']).execute()).map((a) => [a.slug, a.id])),
    sources: new Map((await db.selectFrom('sources').select(['id', 'slug', 'kind']).execute()).map((s) => [s.slug, { id: s.id, kind: s.kind }])),
    tags: (await db.selectFrom('tags').select('id').orderBy('slug').execute()).map((t) => t.id),
  }
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`The demo paper has no ${what}; the generator needs it.`)
  return value
}

/** Correspondents by region, as in the demo paper; anything else goes to the staff desk. */
const CORRESPONDENT: Record<string, string> = {
  'latin-america': 'lucia-ferreira-baptista',
  europe: 'jonas-wedekind',
  'north-america': 'malcolm-devereux',
}
const COLUMNISTS = ['ines-montalban', 'henrik-aalders']
const READERS = ['marisol-achterberg', 'gareth-pinto']
const WIRE_SOURCES = ['acp', 'meridian', 'an', 'gazeta-do-atlantico']
const TOPICS = ['politics', 'business', 'science']

function body(r: Random, refs: Refs): Block[] {
  const blocks: Block[] = []
  const paragraphs = r.int(8, 12)
  const quoteAfter = r.chance(0.3) ? r.int(2, 5) : -1
  const headingAfter = r.chance(0.2) ? r.int(5, 7) : -1
  const sectionSlugs = [...refs.sections.keys()]
  for (let i = 0; i < paragraphs; i++) {
    if (r.chance(0.12)) {
      // Some copy links to a section page, as the demo stories do.
      const runs: Inline[] = [
        { text: `${sentence(r)} More coverage is in our ` },
        { text: 'section on the region', marks: [{ type: 'link', href: `/sections/${r.pick(sectionSlugs)}` }] },
        { text: '.' },
      ]
      blocks.push({ type: 'paragraph', content: runs })
    } else {
      blocks.push({ type: 'paragraph', content: [{ text: paragraphText(r) }] })
    }
    if (i === quoteAfter) {
      blocks.push({
        type: 'quote',
        content: [{ text: `${sentence(r)} ${sentence(r)}` }],
        attribution: { speaker: personName(r), role: `Spokesperson for the ${r.pick(['ministry', 'union', 'council', 'port authority'])}`, givenTo: 'reporters', context: 'at a news conference' },
      })
    }
    if (i === headingAfter) blocks.push({ type: 'heading', level: 2, content: [{ text: `What happens in ${r.pick(PLACES)}` }] })
  }
  return blocks
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Decides every generated story: sections, byline, source, tags, text and dates. */
function planStories(count: number, refs: Refs, takenSlugs: Set<string>, seed: number, endMs: number): StoryPlan[] {
  const r = createRandom(seed)
  const countries = [...refs.sections.entries()].filter(([, s]) => s.kind === 'country').map(([slug]) => slug)
  const regions = [...refs.sections.entries()].filter(([, s]) => s.kind === 'region').map(([slug]) => slug)
  const sectionId = (slug: string) => must(refs.sections.get(slug), `section ${slug}`).id
  const authorId = (slug: string) => must(refs.authors.get(slug), `author ${slug}`)
  const sourceId = (slug: string) => must(refs.sources.get(slug), `source ${slug}`).id
  // Three years of archive ending an hour ago: about nine stories a day at 10,000.
  const span = 3 * 365 * DAY
  const startMs = endMs - span
  const plans: StoryPlan[] = []

  for (let i = 0; i < count; i++) {
    let sections: string[]
    let authors: string[]
    let source: string
    const kind = r.next()
    if (kind < 0.75) {
      // A news story: region, country and often a topic, in the orders the demo paper uses.
      const country = r.pick(countries)
      const region = must(refs.sections.get(country)?.parentSlug ?? undefined, `parent of ${country}`)
      sections = [region, country]
      if (r.chance(0.6)) sections.splice(r.int(1, 2), 0, r.pick(TOPICS))
      if (r.chance(0.08)) sections.push(r.pick(regions.filter((x) => x !== region)))
      if (r.chance(0.45)) {
        source = r.pick(WIRE_SOURCES)
        authors = ['staff']
      } else {
        source = 'staff'
        const lead = r.chance(0.2) ? 'staff' : must(CORRESPONDENT[region], `correspondent for ${region}`)
        authors = [lead]
        if (lead !== 'staff' && r.chance(0.12)) authors.push(r.pick(Object.values(CORRESPONDENT).filter((a) => a !== lead)))
      }
    } else if (kind < 0.87) {
      const topic = r.pick(TOPICS)
      sections = r.chance(0.5) ? [topic, r.pick(regions)] : [topic]
      source = r.chance(0.4) ? r.pick(WIRE_SOURCES) : 'staff'
      authors = source !== 'staff' ? ['staff'] : [topic === 'science' ? 'priya-castellanos' : 'staff']
    } else if (kind < 0.95) {
      sections = ['opinion', r.pick(regions), ...(r.chance(0.5) ? [r.pick(TOPICS)] : [])]
      source = 'staff'
      authors = [r.pick(COLUMNISTS)]
    } else {
      sections = ['letters']
      source = 'readers'
      authors = [r.pick(READERS)]
    }
    const tags = r.chance(0.1) ? [] : r.sample(refs.tags, r.int(1, 3))

    const title = headline(r)
    const base = slugify(title, 72) || 'story'
    let slug = base
    for (let n = 2; takenSlugs.has(slug); n++) slug = `${base}-${n}`
    takenSlugs.add(slug)

    // Spread evenly over the span with jitter, on whole minutes like an editor's publish button.
    const publishedMs = Math.floor((startMs + (span * (i + r.next())) / count) / MINUTE) * MINUTE
    const storyBody = body(r, refs)
    const update =
      r.chance(0.06) && publishedMs + 2 * HOUR < endMs
        ? { at: new Date(publishedMs + r.int(30, 600) * MINUTE).toISOString(), body: [...storyBody, { type: 'paragraph' as const, content: [{ text: `This story has been updated. ${paragraphText(r)}` }] }] }
        : null
    const correction =
      r.chance(0.015) && publishedMs + 3 * DAY < endMs
        ? { at: new Date(publishedMs + r.int(13, 70) * HOUR).toISOString(), text: `An earlier version of this article misstated the ${r.pick(['date', 'name', 'figure', 'title'])} of the ${r.pick(['report', 'budget', 'inquiry', 'contract'])}. It has been corrected.` }
        : null

    plans.push({
      input: {
        title,
        slug,
        dek: sentence(r),
        body: storyBody,
        sectionIds: [...new Set(sections)].map(sectionId),
        authorIds: [...new Set(authors)].map(authorId),
        tagIds: tags,
        sourceId: sourceId(source),
      },
      // The seed drafts each story 45 minutes before it goes out; do the same.
      createdAt: new Date(publishedMs - 45 * MINUTE).toISOString(),
      publishedAt: new Date(publishedMs).toISOString(),
      update,
      correction,
    })
  }
  return plans
}

/** Writes every plan through the article service, as `seedDemo` does for the demo paper. */
async function writeViaServices(container: Container, plans: readonly StoryPlan[]): Promise<void> {
  let current = new Date()
  const clock: Clock = { now: () => new Date(current) }
  const articles = createArticleService({ db: container.database.db, clock, events: container.events })
  for (const plan of plans) {
    current = new Date(plan.createdAt)
    const draft = await articles.createDraft(plan.input, SYSTEM)
    current = new Date(plan.publishedAt)
    await articles.publish(draft.id, {}, SYSTEM)
    if (plan.update) {
      current = new Date(plan.update.at)
      await articles.edit(draft.id, { body: plan.update.body }, SYSTEM)
    }
    if (plan.correction) {
      current = new Date(plan.correction.at)
      await articles.correct(draft.id, { text: plan.correction.text }, SYSTEM)
    }
  }
}

interface Rows {
  article: ArticlesTable
  sections: { article_id: string; section_id: string; position: number }[]
  authors: { article_id: string; author_id: string; position: number }[]
  tags: { article_id: string; tag_id: string }[]
  revisions: { id: string; article_id: string; number: number; reason: RevisionReason; snapshot: string; created_at: string; actor_id: string | null }[]
  corrections: { id: string; article_id: string; text: string; created_at: string }[]
}

/**
 * The rows `createDraft` → `publish` → (`edit`) → (`correct`) leave behind,
 * computed without the database. Mirrors src/articles/service.ts and
 * repository.ts: the snapshot is the Article as re-loaded (body re-parsed,
 * tag ids ordered by id as `loadArticle` orders them), with the same key order.
 */
function directRows(plan: StoryPlan): Rows {
  const cmd = CreateDraft.parse(plan.input)
  const id = newId('art')
  const revisions: Rows['revisions'] = []
  const corrections: Rows['corrections'] = []
  const snapshot = (a: Article, reason: RevisionReason, at: string) =>
    revisions.push({ id: newId('rev'), article_id: id, number: a.revision, reason, snapshot: JSON.stringify(a), created_at: at, actor_id: SYSTEM.userId })

  // publish(): the draft re-loaded from its row, then marked published at revision 1.
  let article: Article = {
    id,
    slug: cmd.slug ?? slugify(cmd.title),
    title: cmd.title,
    seoTitle: cmd.seoTitle ?? null,
    dek: cmd.dek ?? null,
    body: Body.parse(JSON.parse(JSON.stringify(cmd.body))),
    status: 'published',
    sectionIds: cmd.sectionIds,
    authorIds: cmd.authorIds,
    tagIds: [...cmd.tagIds].sort(),
    sourceId: cmd.sourceId,
    dateline: cmd.dateline ?? null,
    seoDescription: cmd.seoDescription ?? null,
    featuredMediaId: cmd.featuredMediaId,
    publishedAt: plan.publishedAt,
    updatedAt: null,
    scheduledAt: null,
    createdAt: plan.createdAt,
    modifiedAt: plan.publishedAt,
    revision: 1,
    editVersion: 1,
    createdBy: SYSTEM.userId,
    modifiedBy: SYSTEM.userId,
    withdrawnAt: null,
    withdrawnNote: null,
  }
  snapshot(article, 'publish', plan.publishedAt)

  if (plan.update) {
    // edit() with a new body, not minor: a public update.
    const changes = EditArticle.parse({ body: plan.update.body })
    article = { ...article, body: changes.body ?? article.body, modifiedAt: plan.update.at, updatedAt: plan.update.at, revision: article.revision + 1, editVersion: article.editVersion + 1 }
    snapshot(article, 'update', plan.update.at)
  }
  if (plan.correction) {
    const cmdCorrect = Correct.parse({ text: plan.correction.text })
    const at = plan.correction.at
    article = { ...article, body: Body.parse(JSON.parse(JSON.stringify(article.body))), modifiedAt: at, updatedAt: at, revision: article.revision + 1, editVersion: article.editVersion + 1 }
    corrections.push({ id: newId('cor'), article_id: id, text: cmdCorrect.text, created_at: at })
    snapshot(article, 'correct', at)
  }

  return {
    article: articleToRow({ ...article, id }),
    sections: cmd.sectionIds.map((section_id, position) => ({ article_id: id, section_id, position })),
    authors: cmd.authorIds.map((author_id, position) => ({ article_id: id, author_id, position })),
    tags: cmd.tagIds.map((tag_id) => ({ article_id: id, tag_id })),
    revisions,
    corrections,
  }
}

/** Inserts the plans' rows in one transaction, a few hundred stories per statement batch. */
async function writeDirect(db: Kysely<Database>, plans: readonly StoryPlan[]): Promise<void> {
  // SQLite allows 32,766 bound parameters per statement; 15 columns × 500 rows stays well under.
  const BATCH = 500
  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < plans.length; start += BATCH) {
      const rows = plans.slice(start, start + BATCH).map(directRows)
      await trx.insertInto('articles').values(rows.map((r) => r.article)).execute()
      const insert = async <T extends 'article_sections' | 'article_authors' | 'article_tags' | 'revisions' | 'corrections'>(table: T, values: Record<string, unknown>[]) => {
        if (values.length > 0) await trx.insertInto(table).values(values as never).execute()
      }
      await insert('article_sections', rows.flatMap((r) => r.sections))
      await insert('article_authors', rows.flatMap((r) => r.authors))
      await insert('article_tags', rows.flatMap((r) => r.tags))
      // The section listings, as publishing through the service writes them.
      await refreshListings(trx, { articleIds: rows.map((r) => r.article.id) })
      // Snapshots are ~10 kB each; keep their batches smaller.
      const revisions = rows.flatMap((r) => r.revisions)
      for (let i = 0; i < revisions.length; i += 100) await insert('revisions', revisions.slice(i, i + 100))
      await insert('corrections', rows.flatMap((r) => r.corrections))
    }
  })
}

/**
 * Fills a migrated, empty database (either dialect) with the demo paper and
 * generated stories up to `articles` in total; for the soak and crash runs,
 * which need a paper on PostgreSQL too.
 */
export async function fillPaper(container: Container, options: { articles: number; writer: Writer; seed?: number; now?: Date }): Promise<{ demoArticles: number; demoSeconds: number; generated: number; sampleArticleSlug: string }> {
  const db = container.database.db
  const started = performance.now()
  const { articles: demoArticles } = await seedDemo(container)
  const demoSeconds = (performance.now() - started) / 1000
  const refs = await loadRefs(db)
  const taken = new Set((await db.selectFrom('articles').select('slug').execute()).map((a) => a.slug))
  const generated = Math.max(0, options.articles - demoArticles)
  // Whole hours, so two generations in the same hour get identical dates.
  const endMs = Math.floor((options.now ?? new Date()).getTime() / HOUR) * HOUR - HOUR
  const plans = planStories(generated, refs, taken, options.seed ?? 20261126, endMs)
  if (options.writer === 'services') await writeViaServices(container, plans)
  else await writeDirect(db, plans)
  const latinAmerica = must(refs.sections.get('latin-america'), 'section latin-america').id
  const sample = plans.filter((p) => p.input.sectionIds[0] === latinAmerica)
  const sampleArticleSlug = sample[Math.floor(sample.length / 2)]?.input.slug ?? 'colombia-electoral-council-certifies-presidential-candidates'
  return { demoArticles, demoSeconds, generated, sampleArticleSlug }
}

/** Generates the database into `options.file` (written atomically) and says how long it took. */
export async function generateDatabase(options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now()
  const dataDir = mkdtempSync(path.join(tmpdir(), 'masthead-bench-gen-'))
  const config = defineConfig({ dataDir, logLevel: 'silent' })
  try {
    const container = await buildContainer(config)
    let result: Omit<GenerateResult, 'seconds'>
    try {
      const db = container.database.db
      const migration = await container.database.migrate()
      if (migration.error) throw migration.error
      const { demoArticles, demoSeconds, generated, sampleArticleSlug } = await fillPaper(container, options)

      // Fold the WAL into the main file so a plain file copy is the whole database.
      await sql`pragma wal_checkpoint(truncate)`.execute(db)
      const total = Number((await db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
      result = { articles: total, demoArticles, generated, writer: options.writer, demoSeconds, sampleArticleSlug }
    } finally {
      await container.close()
    }
    if (config.database.dialect !== 'sqlite') throw new Error('The bench generates SQLite only.')
    const partial = `${options.file}.partial`
    copyFileSync(config.database.file, partial)
    // A stale WAL beside the old file would be replayed into the new one by whoever opens it next.
    for (const suffix of ['-wal', '-shm']) rmSync(`${options.file}${suffix}`, { force: true })
    renameSync(partial, options.file)
    return { ...result, seconds: (performance.now() - started) / 1000 }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}
