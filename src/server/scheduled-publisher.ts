import type { FastifyBaseLogger } from 'fastify'
import type { ArticleService } from '../articles/index.ts'
import { startRepeating } from './repeating.ts'

/**
 * Publishes scheduled stories when their time comes. Every process may run
 * it; when two reach the same story, the revision number's unique key lets
 * one win and the other's attempt fails harmlessly and is logged.
 */
export function startScheduledPublisher(deps: { articles: ArticleService; log: FastifyBaseLogger; everyMs: number }): { stop(): Promise<void> } {
  return startRepeating(
    async () => {
      const ids = await deps.articles.publishDue({ userId: null })
      if (ids.length > 0) deps.log.info({ articles: ids }, 'published scheduled stories')
    },
    deps.everyMs,
    (error) => deps.log.warn({ err: error }, 'scheduled publishing failed'),
  )
}
