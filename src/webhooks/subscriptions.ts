import type { Article, ArticleEvents } from '../articles/index.ts'
import type { Db } from '../db/database.ts'
import type { TransactionalChannel } from '../shared/events.ts'
import type { SubmissionEvents } from '../submissions/index.ts'
import type { WireEvents } from '../wire/index.ts'
import type { WebhookEvent } from './webhook.ts'

export interface WebhookSubscriptionDeps {
  /** The articles', wire desk's and reader desk's events, heard inside the transaction of their change. */
  articleEvents: TransactionalChannel<ArticleEvents, Db>
  wireEvents: TransactionalChannel<Pick<WireEvents, 'wire.item_killed'>, Db>
  submissionEvents: TransactionalChannel<SubmissionEvents, Db>
  /** Writes an event's deliveries with the change's transaction (the webhook service's `enqueueIn`). */
  enqueueIn: (trx: Db, type: WebhookEvent, data: Record<string, unknown>) => Promise<unknown>
  /** The public address of a story, from its slug. */
  storyUrl: (slug: string) => string
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
 * Turns what the newsroom announces into queued webhook deliveries, written
 * in the same transaction as the change that caused them (an outbox): a
 * change that commits has its deliveries, one that rolls back (or a process
 * that dies before the commit) has none. A failure to queue rolls the change
 * back with it. `stop()` unsubscribes.
 */
export function subscribeWebhooks(deps: WebhookSubscriptionDeps): { stop(): Promise<void> } {
  const story = (article: Article) => storySummary(article, deps.storyUrl)
  const offs = [
    deps.articleEvents.on('article.published', (trx, { article }) => deps.enqueueIn(trx, 'story.published', story(article))),
    // A correction is announced as an update too (caches follow updates); webhooks send it once, as story.corrected.
    deps.articleEvents.on('article.updated', async (trx, { article, isCorrection }) => {
      if (!isCorrection) await deps.enqueueIn(trx, 'story.updated', story(article))
    }),
    deps.articleEvents.on('article.corrected', (trx, { article, correction }) =>
      deps.enqueueIn(trx, 'story.corrected', { ...story(article), correction: { text: correction.text, created_at: correction.at } }),
    ),
    deps.articleEvents.on('article.unpublished', (trx, { article }) =>
      deps.enqueueIn(trx, 'story.unpublished', { ...story(article), withdrawn_at: article.withdrawnAt, withdrawn_note: article.withdrawnNote }),
    ),
    deps.wireEvents.on('wire.item_killed', (trx, item) =>
      deps.enqueueIn(trx, 'wire.item_killed', { id: item.itemId, headline: item.headline, agency: item.agencyKey, agency_item_id: item.agencyItemId, article_id: item.articleId, killed_at: item.at }),
    ),
    // Never the submission's words, name or contact: tips can endanger their senders.
    deps.submissionEvents.on('submission.received', (trx, s) => deps.enqueueIn(trx, 'submission.received', { kind: s.kind, id: s.id, received_at: s.receivedAt })),
  ]
  return {
    stop() {
      offs.forEach((off) => off())
      return Promise.resolve()
    },
  }
}
