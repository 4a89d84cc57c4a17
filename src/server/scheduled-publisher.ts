import type { FastifyBaseLogger } from 'fastify'
import type { ArticleService } from '../articles/index.ts'
import { startRepeating, type RunObserver } from './repeating.ts'

/**
 * Publishes scheduled stories when their time comes, and at start those whose
 * time came while the server was down. Every process may run it; when two
 * reach the same story, its row lock lets one publish it and the other skip it.
 */
export function startScheduledPublisher(deps: {
  articles: ArticleService
  log: FastifyBaseLogger
  everyMs: number
  onRun?: RunObserver
  /** Hears how late each story went out: seconds from its scheduled time to this run. */
  onLate?: (seconds: number) => void
}): { stop(): Promise<void> } {
  return startRepeating(
    async () => {
      const ids = await deps.articles.publishDue(
        { userId: null },
        {
          onPublished: (story) => deps.onLate?.(Math.max(0, (Date.parse(story.ranAt) - Date.parse(story.scheduledAt)) / 1000)),
          onHeld: (story) => deps.log.warn({ article: story.id }, 'held back a scheduled story: the agency killed its copy; it is a draft again'),
        },
      )
      if (ids.length > 0) deps.log.info({ articles: ids }, 'published scheduled stories')
    },
    deps.everyMs,
    (error) => deps.log.warn({ err: error }, 'scheduled publishing failed'),
    deps.onRun,
  )
}
