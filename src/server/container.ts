import { createArticleService, type ArticleEvents, type PublicChangeFollower } from '../articles/index.ts'
import { createAuthService } from '../auth/index.ts'
import { createAuthorService } from '../authors/index.ts'
import { openDatabase, type OpenDatabase } from '../db/open.ts'
import { createSectionService } from '../sections/index.ts'
import { createSettingsService } from '../settings/index.ts'
import { createSourceService } from '../sources/index.ts'
import { parseWire } from '../wire/formats/index.ts'
import { createDropFolder } from '../wire/sources/drop-folder.ts'
import { fetchFeed } from '../wire/sources/http-fetch.ts'
import { createWireService } from '../wire/index.ts'
import { createMailer, type Mailer } from '../mail/index.ts'
import { createNotificationService, subscribeStoryAlerts, type NotificationService } from '../notifications/index.ts'
import path from 'node:path'
import { createAuditLog, type AuditLog } from '../audit/index.ts'
import { systemClock, type Clock } from '../shared/clock.ts'
import { createEventChannel } from '../shared/events.ts'
import { createSearchService, createStoryIndexer, type SearchService } from '../search/index.ts'
import { createSqliteSearchEngine } from '../search/engines/sqlite-fts5.ts'
import { createPostgresSearchEngine } from '../search/engines/postgres-tsvector.ts'
import { createQuoteService, type QuoteService } from '../quotes/index.ts'
import type { Config } from './config.ts'

/** Everything the surfaces and the CLI use, built once from the configuration. */
export interface Container {
  config: Config
  database: OpenDatabase
  clock: Clock
  events: ReturnType<typeof createEventChannel<ArticleEvents>>
  articles: ReturnType<typeof createArticleService>
  sections: ReturnType<typeof createSectionService>
  authors: ReturnType<typeof createAuthorService>
  sources: ReturnType<typeof createSourceService>
  settings: ReturnType<typeof createSettingsService>
  auth: ReturnType<typeof createAuthService>
  wire: ReturnType<typeof createWireService>
  mailer: Mailer
  notifications: NotificationService
  audit: AuditLog
  search: SearchService
  quotes: QuoteService
  /** What must follow every public story change in its transaction (the search index); for services built elsewhere, like the demo seed's. */
  articleFollowers: readonly PublicChangeFollower[]
  close(): Promise<void>
}

/** Opens the database and builds every service. The caller owns `close()`. */
export async function buildContainer(
  config: Config,
  options: { clock?: Clock; onEventError?: (error: unknown) => void; onMailError?: (error: unknown, to: string) => void } = {},
): Promise<Container> {
  const database = await openDatabase(config.database)
  const clock = options.clock ?? systemClock
  const onEventError = options.onEventError ?? ((error: unknown) => console.error('event listener failed', error))
  const events = createEventChannel<ArticleEvents>(onEventError)
  const db = database.db
  // Full-text search: one engine per dialect behind one port; the index follows every public change in its transaction.
  const searchEngine = database.dialect === 'postgres' ? createPostgresSearchEngine() : createSqliteSearchEngine()
  const quotes = createQuoteService({ db, clock })
  const articleFollowers = [createStoryIndexer(searchEngine), quotes.follower]
  const articles = createArticleService({ db, clock, events, followers: articleFollowers })
  const sources = createSourceService({ db })
  const settings = createSettingsService({ db })
  const auth = createAuthService({ db, clock, issuer: async () => (await settings.get()).siteName })
  const mailer = createMailer({ smtpUrl: config.smtpUrl, outboxDir: path.join(config.dataDir, 'outbox'), from: config.mailFrom })
  const notifications = createNotificationService({
    db,
    clock,
    mailer,
    onMailError: options.onMailError ?? ((error, to) => console.error(`mail to ${to} failed`, error)),
  })
  const adminOrigin = config.baseUrl ?? `http://localhost:${config.port}`
  const unsubscribe = subscribeStoryAlerts({
    events,
    notifications,
    people: { byIds: (ids) => auth.byIds(ids), editors: () => auth.withRoles(['admin', 'editor']) },
    storyUrl: (id) => `${adminOrigin}/admin/stories/${id}`,
    onError: onEventError,
  })
  const sections = createSectionService({ db })
  const authors = createAuthorService({ db })
  return {
    config,
    database,
    clock,
    events,
    articles,
    sections,
    authors,
    articleFollowers,
    quotes,
    search: createSearchService({ db, engine: searchEngine, articles, sections, authors, sources, clock }),
    sources,
    wire: createWireService({ db, clock, parse: parseWire, articles, sources, fetchFeed, folders: createDropFolder() }),
    settings,
    auth,
    mailer,
    notifications,
    audit: createAuditLog({ db }),
    close: async () => {
      unsubscribe()
      mailer.close()
      await database.close()
    },
  }
}
