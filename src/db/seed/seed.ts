import { cpSync, existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Kysely } from 'kysely'
import { createArticleService, type Actor, type ArticleEvents, type PublicChangeFollower } from '../../articles/index.ts'
import type { AuthorService } from '../../authors/index.ts'
import type { SectionService } from '../../sections/index.ts'
import type { SettingsService } from '../../settings/index.ts'
import type { SourceService } from '../../sources/index.ts'
import type { Clock } from '../../shared/clock.ts'
import type { EventChannel, TransactionalChannel } from '../../shared/events.ts'
import type { Database, Db } from '../database.ts'
import { DEMO_CONTENT } from './demo-content.ts'
import type { DemoContent } from './demo-types.ts'

const MEDIA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'media')
const SYSTEM: Actor = { userId: null }

/** What seeding needs: the services it writes through, and where media live. */
export interface SeedDeps {
  config: { dataDir: string }
  database: { db: Kysely<Database> }
  events: EventChannel<ArticleEvents>
  /** Webhook deliveries for what the seed publishes, written with each change. */
  articleEventsInTransaction?: TransactionalChannel<ArticleEvents, Db>
  sections: SectionService
  authors: AuthorService
  sources: SourceService
  settings: SettingsService
  /** Followers of public changes (the search index), so seeded stories are findable. */
  articleFollowers?: readonly PublicChangeFollower[]
}

/**
 * Loads the demo paper through the domain services, exactly as an editor's
 * actions would, with the clock set to each story's own dates so revisions,
 * updates and corrections carry believable timestamps.
 */
export async function seedDemo(container: SeedDeps, content: DemoContent = DEMO_CONTENT): Promise<{ articles: number }> {
  let current = new Date(content.articles[0]?.publishedAt ?? Date.now())
  const clock: Clock = { now: () => new Date(current) }
  const at = (iso: string) => {
    current = new Date(iso)
  }
  const articles = createArticleService({ db: container.database.db, clock, events: container.events, followers: container.articleFollowers ?? [], ...(container.articleEventsInTransaction ? { inTransaction: container.articleEventsInTransaction } : {}) })

  await container.settings.update({
    siteName: content.siteName,
    tagline: content.tagline,
    timeZone: 'America/New_York',
    contactText:
      'The newsroom reads every message. Write to us with a letter to the editor, an opinion piece you would like us to consider, or a news tip.\n\nLetters should be under 400 words and include your name and town. We may edit them for length and clarity.',
  })

  const sectionIds = new Map<string, string>()
  // Parents before children, whatever order the content lists them in.
  const pending = [...content.sections]
  let position = 0
  while (pending.length > 0) {
    const index = pending.findIndex((s) => !s.parent || sectionIds.has(s.parent))
    if (index < 0) throw new Error(`Demo sections refer to unknown parents: ${pending.map((s) => s.slug).join(', ')}`)
    const [s] = pending.splice(index, 1)
    const created = await container.sections.createSection({
      slug: s!.slug,
      name: s!.name,
      description: s!.description,
      kind: s!.kind,
      parentId: s!.parent ? sectionIds.get(s!.parent)! : null,
      position: position++,
    })
    sectionIds.set(created.slug, created.id)
  }

  const tagIds = new Map<string, string>()
  for (const t of content.tags) tagIds.set(t.slug, (await container.sections.createTag(t)).id)
  const authorIds = new Map<string, string>()
  for (const a of content.authors) {
    authorIds.set(a.slug, (await container.authors.createAuthor({ slug: a.slug, name: a.name, kind: a.kind, jobTitle: a.jobTitle ?? null, bio: a.bio ?? null })).id)
  }
  const sourceIds = new Map<string, string>()
  for (const s of content.sources) sourceIds.set(s.slug, (await container.sources.createSource({ ...s, url: s.url ?? null })).id)

  const lookup = (map: Map<string, string>, slug: string, what: string) => {
    const id = map.get(slug)
    if (!id) throw new Error(`Demo content names an unknown ${what}: ${slug}`)
    return id
  }

  for (const story of content.articles) {
    at(new Date(Date.parse(story.publishedAt) - 45 * 60_000).toISOString())
    const draft = await articles.createDraft(
      {
        title: story.title,
        slug: story.previousSlug ?? story.slug,
        seoTitle: story.seoTitle ?? null,
        dek: story.dek,
        body: story.body,
        sectionIds: story.sections.map((s) => lookup(sectionIds, s, 'section')),
        authorIds: story.authors.map((s) => lookup(authorIds, s, 'author')),
        tagIds: story.tags.map((s) => lookup(tagIds, s, 'tag')),
        sourceId: lookup(sourceIds, story.source, 'source'),
      },
      SYSTEM,
    )
    at(story.publishedAt)
    await articles.publish(draft.id, {}, SYSTEM)
    if (story.previousSlug) {
      at(new Date(Date.parse(story.publishedAt) + 20 * 60_000).toISOString())
      await articles.edit(draft.id, { slug: story.slug, isMinor: true }, SYSTEM)
    }
    if (story.update) {
      at(story.update.at)
      await articles.edit(draft.id, { body: story.update.body, ...(story.update.dek ? { dek: story.update.dek } : {}) }, SYSTEM)
    }
    if (story.correction) {
      at(story.correction.at)
      await articles.correct(draft.id, { text: story.correction.text }, SYSTEM)
    }
  }

  if (existsSync(MEDIA_DIR)) {
    cpSync(MEDIA_DIR, path.join(container.config.dataDir, 'media', 'demo'), { recursive: true })
  }
  return { articles: content.articles.length }
}
