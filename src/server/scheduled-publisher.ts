import type { FastifyBaseLogger } from 'fastify'
import type { ArticleService } from '../articles/index.ts'

/**
 * Publishes scheduled stories when their time comes. Every process may run
 * it; when two reach the same story, the revision number's unique key lets
 * one win and the other's attempt fails harmlessly and is logged.
 */
export function startScheduledPublisher(deps: { articles: ArticleService; log: FastifyBaseLogger; everyMs: number }): { stop(): Promise<void> } {
  let running: Promise<void> | null = null
  let stopped = false
  const tick = () => {
    if (running || stopped) return
    running = deps.articles
      .publishDue({ userId: null })
      .then((ids) => {
        if (ids.length > 0) deps.log.info({ articles: ids }, 'published scheduled stories')
      })
      .catch((error: unknown) => deps.log.warn({ err: error }, 'scheduled publishing failed'))
      .finally(() => {
        running = null
      })
  }
  const timer = setInterval(tick, deps.everyMs)
  timer.unref()
  setImmediate(tick)
  return {
    async stop() {
      stopped = true
      clearInterval(timer)
      await running
    },
  }
}
