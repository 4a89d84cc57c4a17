import { createContentKeys, type ContentKeys } from '../api/content/index.ts'
import { createAdminTokens, createIdempotencyStore, type AdminTokens, type IdempotencyStore } from '../api/admin/index.ts'
import { createArticleService, loadArticle, type ArticleEvents, type PublicChangeFollower } from '../articles/index.ts'
import { createAuthService } from '../auth/index.ts'
import type { Db } from '../db/database.ts'
import { createAuthorService } from '../authors/index.ts'
import { openDatabase, type OpenDatabase } from '../db/open.ts'
import { createSectionService } from '../sections/index.ts'
import { createSettingsService } from '../settings/index.ts'
import { createSourceService } from '../sources/index.ts'
import { createImporter, type Importer } from '../importers/index.ts'
import { createDropFolder } from '../wire/sources/drop-folder.ts'
import { fetchFeed } from '../wire/sources/http-fetch.ts'
import { createParserProcess, createWireService, wireSourceKills, type ParserProcess } from '../wire/index.ts'
import { createMediaService, DEFAULT_MEDIA_LIMITS, type MediaService } from '../media/index.ts'
import { createSharpProcessor } from '../media/images/sharp-processor.ts'
import { createLocalDiskStore } from '../media/stores/local-disk.ts'
import { createMailer, mailFailure, type MailLog, type Mailer } from '../mail/index.ts'
import { createNotificationService, subscribeStoryAlerts, type NotificationService } from '../notifications/index.ts'
import path from 'node:path'
import { pino } from 'pino'
import { createAuditLog, type AuditLog } from '../audit/index.ts'
import { systemClock, type Clock } from '../shared/clock.ts'
import { createEventChannel, createTransactionalChannel, type EventChannel, type TransactionalChannel } from '../shared/events.ts'
import { createSearchService, createStoryIndexer, type SearchService } from '../search/index.ts'
import { createSqliteSearchEngine } from '../search/engines/sqlite-fts5.ts'
import { createPostgresSearchEngine } from '../search/engines/postgres-tsvector.ts'
import { createQuoteService, type QuoteService } from '../quotes/index.ts'
import { createFormGuard, createMemorySpentStore, createProofOfWork, createRedisSpentStore, createSubmissionService, formSecret, type FormGuard, type ProofOfWork, type SpentStore, type SubmissionService } from '../submissions/index.ts'
import { createMemoryCounter, createRedisCounter, limiterOn, type RateLimiter, type WindowCounter } from '../rate-limits/index.ts'
import { createDatabaseAttachmentStore } from '../submissions/stores/database.ts'
import { createLocalAttachmentStore } from '../submissions/stores/local-disk.ts'
import { createAgeTipSealer } from '../submissions/stores/age-keys.ts'
import type { Redis } from 'ioredis'
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { createJobRunner, type JobRunner, type PeriodicJob } from '../jobs/index.ts'
import { declinedRetentionJob, webhookRetentionJob } from './periodic-jobs.ts'
import { classifyHost } from '../http/index.ts'
import { createWebhookService, subscribeWebhooks, type WebhookService } from '../webhooks/index.ts'
import { createHttpSender } from '../webhooks/senders/http-post.ts'
import type { WireEvents } from '../wire/index.ts'
import type { SubmissionEvents } from '../submissions/index.ts'
import { tipKeyFileOf, type Config } from './config.ts'
import { sql } from 'kysely'
import { CONSOLE_PURGE_LOG, createLocalPurgeBus, type PurgeBus, type PurgeLog } from '../cache/purge-bus.ts'
import type { WorkerLink } from '../cluster/index.ts'

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
  /** What the wire desk announces: kills (webhooks) and every input stored (metrics). */
  wireEvents: EventChannel<WireEvents>
  /** Where large wire inputs are parsed; servers and imports warm it before copy arrives. */
  wireParser: ParserProcess
  mailer: Mailer
  notifications: NotificationService
  audit: AuditLog
  contentKeys: ContentKeys
  /** Admin API tokens, and the stored answers of its idempotent writes. */
  adminTokens: AdminTokens
  adminIdempotency: IdempotencyStore
  /** The shared Redis when REDIS_URL is set (rate limits across processes); null otherwise. */
  redis: Redis | null
  /** How page cache purges reach the other processes: Redis, else PostgreSQL LISTEN/NOTIFY, else none (see src/cache). */
  purgeBus: PurgeBus
  /** This process's name on the purge bus. */
  node: string
  /** The line to the cluster's primary when this process is one worker of `masthead serve --workers N`; null otherwise. */
  workerLink: WorkerLink | null
  media: MediaService
  /** Emits the id of a library picture whose words changed or that was deleted, for page caches. */
  mediaChanges: ReturnType<typeof createEventChannel<{ 'media.changed': { mediaId: string } }>>
  search: SearchService
  quotes: QuoteService
  /** The reader desk: letters, opinion pieces and tips. */
  submissions: SubmissionService
  /** Outgoing webhooks: endpoints, queued deliveries and the worker's `deliverDue`. */
  webhooks: WebhookService
  /** The public forms' spam defences: signed form tokens (key shared through the database) and rate limits. */
  readerForms: { guard(): Promise<FormGuard>; proof(): Promise<ProofOfWork>; limiter: RateLimiter }
  /** Counts requests for the admin's per-address limits (sign-in, password reset, the admin API): through Redis when set. */
  requestCounter: WindowCounter
  /** Runs periodic jobs once per period across every process (src/jobs); `periodicJobs` are this site's. */
  jobRunner: JobRunner
  periodicJobs: readonly PeriodicJob[]
  /** WordPress and Ghost imports, and the old sites' addresses they leave behind. */
  importer: Importer
  /** What must follow every public story change in its transaction (the search index); for services built elsewhere, like the demo seed's. */
  articleFollowers: readonly PublicChangeFollower[]
  /** The articles' public events inside their change's transaction (the webhook outbox); for article services built elsewhere (the seed). */
  articleEventsInTransaction: TransactionalChannel<ArticleEvents, Db>
  close(): Promise<void>
}

/** Opens the database and builds every service. The caller owns `close()`. */
export async function buildContainer(
  config: Config,
  options: {
    clock?: Clock
    onEventError?: (error: unknown) => void
    onMailError?: (error: unknown, to: string) => void
    /** Where mail is logged (outbox files, failures); a pino logger at the configured level by default. */
    mailLog?: MailLog
    purgeLog?: PurgeLog
    workerLink?: WorkerLink
  } = {},
): Promise<Container> {
  const database = await openDatabase(config.database)
  const clock = options.clock ?? systemClock
  const onEventError = options.onEventError ?? ((error: unknown) => console.error('event listener failed', error))
  const events = createEventChannel<ArticleEvents>(onEventError)
  const db = database.db
  // This process's name wherever processes share work: leases, the purge bus, the wire desk's band index.
  const node = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
  // Wire copy is parsed in a process of its own, with bounds on time and memory (wire/parser-process.ts).
  const wireParser = createParserProcess()
  // Full-text search: one engine per dialect behind one port; the index follows every public change in its transaction.
  const searchEngine = database.dialect === 'postgres' ? createPostgresSearchEngine() : createSqliteSearchEngine()
  const quotes = createQuoteService({ db, clock })
  const articleFollowers = [createStoryIndexer(searchEngine), quotes.follower]
  // Webhook deliveries are written in the transaction of the change that causes them (webhooks/subscriptions.ts).
  const articleEventsInTransaction = createTransactionalChannel<ArticleEvents, Db>()
  const wireEventsInTransaction = createTransactionalChannel<Pick<WireEvents, 'wire.item_killed'>, Db>()
  const submissionEventsInTransaction = createTransactionalChannel<SubmissionEvents, Db>()
  // Stories from agency copy the agency killed are held back from publishing (wire/kills.ts).
  const articles = createArticleService({ db, clock, events, followers: articleFollowers, inTransaction: articleEventsInTransaction, sourceKills: wireSourceKills })
  // Renaming a tag, a byline or a credit re-indexes the stories that show it, in the same transaction.
  const reindexStories = async (trx: Db, ids: readonly string[]) => {
    for (const id of ids) {
      const article = await loadArticle(trx, { id })
      if (article) for (const follower of articleFollowers) await follower.sync(trx, article)
    }
  }
  const sources = createSourceService({ db, reindexStories })
  const settings = createSettingsService({ db })
  const auth = createAuthService({ db, clock, issuer: async () => (await settings.get()).siteName })
  // The container is built before the server's logger exists; mail gets its own, at the same level and in the same format.
  const mailLog = options.mailLog ?? pino({ level: config.logLevel })
  const mailer = createMailer({ smtpUrl: config.smtpUrl, outboxDir: path.join(config.dataDir, 'outbox'), from: config.mailFrom, log: mailLog })
  const notifications = createNotificationService({
    db,
    clock,
    mailer,
    // Never the recipient's address in the log: which notification failed is in the admin, where it stays listed.
    onMailError: options.onMailError ?? ((error) => mailLog.warn({ err: mailFailure(error) }, 'a notification mail could not be sent')),
  })
  const adminOrigin = config.baseUrl ?? `http://localhost:${config.port}`
  const unsubscribe = subscribeStoryAlerts({
    events,
    notifications,
    people: { byIds: (ids) => auth.byIds(ids), editors: () => auth.withRoles(['admin', 'editor']) },
    storyUrl: (id) => `${adminOrigin}/admin/stories/${id}`,
    onError: onEventError,
  })
  const sections = createSectionService({ db, reindexStories })
  const authors = createAuthorService({ db, reindexStories })
  const mediaChanges = createEventChannel<{ 'media.changed': { mediaId: string } }>(onEventError)
  // Webhooks: every event the newsroom announces becomes stored deliveries, sent by the worker (server/webhook-worker.ts).
  const wireEvents = createEventChannel<WireEvents>(onEventError)
  const submissionEvents = createEventChannel<SubmissionEvents>(onEventError)
  const webhooks = createWebhookService({
    db,
    clock,
    sender: createHttpSender({ timeoutMs: 10_000, maxResponseBytes: 64 * 1024 }),
    classifyHost,
    allowPrivateNetwork: config.webhooks.allowPrivateNetwork,
  })
  const webhookSubscriptions = subscribeWebhooks({
    articleEvents: articleEventsInTransaction,
    wireEvents: wireEventsInTransaction,
    submissionEvents: submissionEventsInTransaction,
    enqueueIn: webhooks.enqueueIn,
    // The site and the admin share one origin.
    storyUrl: (slug) => `${adminOrigin}/articles/${encodeURIComponent(slug)}`,
  })
  // The AWS SDK takes about 0.2 s to load, so only sites that keep media in S3 load it.
  const mediaStore =
    config.mediaStore.kind === 's3'
      ? (await import('../media/stores/s3.ts')).createS3Store(config.mediaStore)
      : createLocalDiskStore({ root: path.join(config.dataDir, 'media'), urlPrefix: '/media/' })
  const media = createMediaService({
    db,
    clock,
    store: mediaStore,
    images: createSharpProcessor(),
    limits: { ...DEFAULT_MEDIA_LIMITS, maxBytes: config.mediaMaxBytes },
    usage: (mediaId) => articles.storiesUsingMedia(mediaId),
    onChanged: (mediaId) => mediaChanges.emit('media.changed', { mediaId }),
    onLeftoverFiles: (keys, error) => console.error(`media: ${keys.length} files of a deleted picture are left in the store (${keys[0] ?? ''}…)`, error),
  })
  const filesOnDisk = createLocalAttachmentStore(path.join(config.dataDir, 'submissions'))
  const submissionFiles = config.submissionFiles === 'database' ? createDatabaseAttachmentStore({ db, clock, earlier: filesOnDisk }) : filesOnDisk
  const submissions = createSubmissionService({
    events: submissionEvents,
    inTransaction: submissionEventsInTransaction,
    db,
    clock,
    mailer,
    store: submissionFiles,
    // The first tip makes the key file when there is none, so a fresh site takes tips; `masthead keys init` makes it ahead.
    sealer: createAgeTipSealer({ file: tipKeyFileOf(config), createIfMissing: true }),
    settings,
    articles,
    authors,
    sources,
    sections,
    findStory: async (slug) => {
      const found = await articles.findPublishedBySlug(slug)
      return found.kind === 'article' ? { id: found.article.id, title: found.article.title } : null
    },
    onMailError: options.onMailError ? (error) => options.onMailError!(error, 'a reader') : (error) => console.error('mail to a reader failed', error),
  })
  // The signing key lives in the database so that every process accepts every form; read once, on first use.
  let guard: Promise<FormGuard> | null = null
  let secret: Promise<string> | null = null
  const secretOnce = () =>
    (secret ??= formSecret(db).catch((error: unknown) => {
      secret = null
      throw error
    }))
  // Rate limits and spent proofs are counted in this process's memory, unless they can be shared: through the primary
  // among the workers of one `serve --workers N`, through Redis among every process (each falling back to the one before).
  let spent: SpentStore = createMemorySpentStore(() => clock.now().getTime())
  let readerCounter: WindowCounter = createMemoryCounter(() => clock.now().getTime())
  let requestCounter: WindowCounter = createMemoryCounter()
  const workerLink = options.workerLink ?? null
  if (workerLink) {
    spent = workerLink.spentStore(spent)
    readerCounter = workerLink.counter('reader', readerCounter)
    requestCounter = workerLink.counter('admin', requestCounter)
  }
  // ioredis and pg (for the purge bus) are loaded only when configured: most single-process sites use neither.
  const Redis = config.redisUrl ? (await import('ioredis')).Redis : null
  const redis = config.redisUrl && Redis ? new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 2000 }) : null
  if (redis) {
    redis.on('error', () => {})
    const counting = (what: string) => (error: unknown) =>
      console.warn(`${what}: Redis cannot be reached (${error instanceof Error ? error.message : String(error)}); counting in this process until it answers`)
    spent = createRedisSpentStore({ redis, prefix: `${config.redisPrefix}proof:`, fallback: spent, onError: counting('spent proofs of work') })
    readerCounter = createRedisCounter({ redis, prefix: `${config.redisPrefix}rate:`, fallback: readerCounter, onError: counting('reader form limits') })
    requestCounter = createRedisCounter({ redis, prefix: config.redisPrefix, fallback: requestCounter, onError: counting('admin rate limits') })
  }
  const readerForms = {
    guard: () =>
      (guard ??= secretOnce().then((secret) => createFormGuard({ secret, now: () => clock.now().getTime(), minSeconds: config.readerForms.minSeconds, maxAgeSeconds: 24 * 3600 })).catch((error: unknown) => {
        guard = null
        throw error
      })),
    // Challenges live two hours: a reader who takes longer gets a fresh one with the form back, solved again by the page.
    proof: () => secretOnce().then((secret) => createProofOfWork({ secret, now: () => clock.now().getTime(), bits: config.readerForms.proofBits ?? 16, maxAgeSeconds: 2 * 3600, spent })),
    limiter: limiterOn(readerCounter),
  }
  // Unique per container, so two runners in one process (tests) are two owners too.
  const jobRunner = createJobRunner({ db, clock, owner: node })
  // Page cache purges: every process serving the site must hear of a change (src/cache/CONTEXT.md).
  const purgeLog = options.purgeLog ?? CONSOLE_PURGE_LOG
  const purgeBus: PurgeBus = redis && Redis
    ? (await import('../cache/redis-purge-bus.ts')).createRedisPurgeBus({
        publisher: redis,
        // A subscribed connection can do nothing else; it retries for ever, quietly (the bus logs an outage once).
        subscriber: new Redis(config.redisUrl!, { lazyConnect: true, maxRetriesPerRequest: null, connectTimeout: 2000, retryStrategy: (times) => Math.min(times * 500, 5000) }),
        channel: `${config.redisPrefix}${config.purgeChannel}`,
        log: purgeLog,
      })
    : config.database.dialect === 'postgres'
      ? (await import('../cache/postgres-purge-bus.ts')).createPostgresPurgeBus({
          connectionString: config.database.url,
          channel: config.purgeChannel,
          notify: async (channel, payload) => {
            await sql`select pg_notify(${channel}, ${payload})`.execute(db)
          },
          log: purgeLog,
        })
      : (workerLink?.purgeBus ?? createLocalPurgeBus())
  return {
    config,
    database,
    jobRunner,
    periodicJobs: [declinedRetentionJob({ submissions, settings }), webhookRetentionJob({ webhooks })],
    submissions,
    readerForms,
    media,
    mediaChanges,
    clock,
    events,
    articles,
    sections,
    authors,
    articleFollowers,
    articleEventsInTransaction,
    quotes,
    importer: createImporter({ db, clock, articles, media }),
    search: createSearchService({ db, engine: searchEngine, articles, sections, authors, sources, clock }),
    sources,
    webhooks,
    wireParser,
    wireEvents,
    wire: createWireService({ events: wireEvents, inTransaction: wireEventsInTransaction, db, clock, node, parse: wireParser.parse, articles, sources, fetchFeed, folders: createDropFolder() }),
    settings,
    auth,
    mailer,
    notifications,
    audit: createAuditLog({ db }),
    contentKeys: createContentKeys({ db, clock }),
    adminTokens: createAdminTokens({ db, clock, activeStaff: (id) => auth.activeById(id) }),
    adminIdempotency: createIdempotencyStore({ db, clock }),
    redis,
    requestCounter,
    purgeBus,
    node,
    workerLink,
    close: async () => {
      unsubscribe()
      mailer.close()
      await purgeBus.close()
      // QUIT would wait in the offline queue for a Redis that is not there.
      if (redis) await (redis.status === 'ready' ? redis.quit().then(() => {}) : Promise.resolve(redis.disconnect())).catch(() => redis.disconnect())
      await wireParser.close()
      await webhookSubscriptions.stop()
      await database.close()
    },
  }
}
