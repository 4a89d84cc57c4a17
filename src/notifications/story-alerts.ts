import type { Article, ArticleEvents } from '../articles/index.ts'
import type { EventChannel } from '../shared/events.ts'
import type { NotificationService, Person } from './service.ts'

export interface StoryAlertDeps {
  events: EventChannel<ArticleEvents>
  notifications: NotificationService
  people: {
    byIds(ids: readonly string[]): Promise<Person[]>
    /** Active staff who review and publish. */
    editors(): Promise<Person[]>
  }
  /** The admin address of a story, for links in mail. */
  storyUrl: (articleId: string) => string
  onError: (error: unknown) => void
}

const headline = (article: Article) => `“${article.title.trim() || 'Untitled story'}”`

/**
 * Who hears about what in the story workflow: editors when a story is sent
 * for review, the writer when it is sent back or goes public. Returns a
 * function that unsubscribes.
 */
export function subscribeStoryAlerts(deps: StoryAlertDeps): () => void {
  const { events, notifications, people } = deps
  const nameOf = async (id: string | null) => (id ? ((await people.byIds([id]))[0]?.name ?? 'Someone') : 'The scheduler')
  const writerOf = async (article: Article) => (article.createdBy ? people.byIds([article.createdBy]) : [])
  const run = (work: () => Promise<unknown>) => void work().catch(deps.onError)

  const offs = [
    events.on('story.submitted', ({ article, actorId }) =>
      run(async () =>
        notifications.notify({
          kind: 'story_submitted',
          recipients: await people.editors(),
          actorId,
          articleId: article.id,
          subject: `For review: ${headline(article)}`,
          message: `${await nameOf(actorId)} sent ${headline(article)} for review.`,
          link: deps.storyUrl(article.id),
        }),
      ),
    ),
    events.on('story.returned', ({ article, actorId, note }) =>
      run(async () =>
        notifications.notify({
          kind: 'story_returned',
          recipients: await writerOf(article),
          actorId,
          articleId: article.id,
          subject: `Sent back: ${headline(article)}`,
          message: `${await nameOf(actorId)} sent ${headline(article)} back to you: ${note}`,
          link: deps.storyUrl(article.id),
        }),
      ),
    ),
    events.on('story.published', ({ article, actorId }) =>
      run(async () =>
        notifications.notify({
          kind: 'story_published',
          recipients: await writerOf(article),
          actorId,
          articleId: article.id,
          subject: `Published: ${headline(article)}`,
          message: `${await nameOf(actorId)} published ${headline(article)}.`,
          link: deps.storyUrl(article.id),
        }),
      ),
    ),
  ]
  return () => offs.forEach((off) => off())
}
