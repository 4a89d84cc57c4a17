import type { Article, ArticleEvents } from '../articles/index.ts'
import type { EventChannel } from '../shared/events.ts'
import type { SubmissionEvents } from '../submissions/index.ts'
import type { WireEvents } from '../wire/index.ts'
import type { WebhookEvent } from './webhook.ts'

export interface WebhookSubscriptionDeps {
  articleEvents: EventChannel<ArticleEvents>
  wireEvents: EventChannel<WireEvents>
  submissionEvents: EventChannel<SubmissionEvents>
  enqueue: (type: WebhookEvent, data: Record<string, unknown>) => Promise<unknown>
  /** The public address of a story, from its slug. */
  storyUrl: (slug: string) => string
  onError: (error: unknown) => void
}

/** What every story event carries about the story: enough to fetch it from the content API or show a link. */
export function storySummary(article: Article, storyUrl: (slug: string) => string) {
  return {
    id: article.id,
    url: storyUrl(article.slug),
    headline: article.title,
    dek: article.dek,
    status: article.status,
    published_at: article.publishedAt,
    updated_at: article.updatedAt,
  }
}

/**
 * Turns what the newsroom announces into queued webhook deliveries. Events
 * are announced after their change is committed; the deliveries are written
 * right after, and from then on survive a restart. (A crash in the moment
 * between the two loses that event's deliveries: see src/webhooks/README.md.)
 * `stop()` unsubscribes and waits for the deliveries being queued, so a
 * process that closes (the CLI after an ingest) still queues what it announced.
 */
export function subscribeWebhooks(deps: WebhookSubscriptionDeps): { stop(): Promise<void> } {
  const inFlight = new Set<Promise<unknown>>()
  const run = (type: WebhookEvent, data: () => Record<string, unknown>) => {
    const queued = deps.enqueue(type, data()).catch(deps.onError)
    inFlight.add(queued)
    void queued.finally(() => inFlight.delete(queued))
  }
  const story = (article: Article) => storySummary(article, deps.storyUrl)
  const offs = [
    deps.articleEvents.on('article.published', ({ article }) => run('story.published', () => story(article))),
    // A correction is announced as an update too (caches follow updates); webhooks send it once, as story.corrected.
    deps.articleEvents.on('article.updated', ({ article, isCorrection }) => {
      if (!isCorrection) run('story.updated', () => story(article))
    }),
    deps.articleEvents.on('article.corrected', ({ article, correction }) => run('story.corrected', () => ({ ...story(article), correction: { text: correction.text, created_at: correction.at } }))),
    deps.articleEvents.on('article.unpublished', ({ article }) =>
      run('story.unpublished', () => ({ ...story(article), withdrawn_at: article.withdrawnAt, withdrawn_note: article.withdrawnNote })),
    ),
    deps.wireEvents.on('wire.item_killed', (item) =>
      run('wire.item_killed', () => ({ id: item.itemId, headline: item.headline, agency: item.agencyKey, agency_item_id: item.agencyItemId, article_id: item.articleId, killed_at: item.at })),
    ),
    // Never the submission's words, name or contact: tips can endanger their senders.
    deps.submissionEvents.on('submission.received', (s) => run('submission.received', () => ({ kind: s.kind, id: s.id, received_at: s.receivedAt }))),
  ]
  return {
    async stop() {
      offs.forEach((off) => off())
      await Promise.all(inFlight)
    },
  }
}
