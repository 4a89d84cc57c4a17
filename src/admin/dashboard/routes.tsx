import type { FastifyInstance } from 'fastify'
import type { ArticleService, StoryRow } from '../../articles/index.ts'
import type { SettingsService } from '../../settings/index.ts'
import type { WireService } from '../../wire/index.ts'
import type { AdminKit } from '../shell/shell.tsx'
import { DashboardPage } from './page.tsx'

export interface DashboardDeps {
  kit: AdminKit
  articles: ArticleService
  wire: WireService
  settings: SettingsService
}

const SHOWN = 8

/**
 * The dashboard at /admin (everyone): stories waiting for review (for those
 * who review), what is scheduled next, the latest agency copy (for those who
 * read the wire desk) and the person's own drafts. It reads the same list
 * queries as the stories list and the wire desk, so it shows nobody more than
 * those pages would.
 */
export async function dashboardRoutes(app: FastifyInstance, deps: DashboardDeps): Promise<void> {
  const { kit, articles } = deps

  app.get('/admin', async (request, reply) => {
    const user = kit.staff(request)
    const actor = { userId: user.id, role: user.role }
    const reviews = kit.may(user, 'POST /admin/stories/:id/publish')
    const readsWire = kit.may(user, 'GET /admin/wire')
    const first = { page: 1, perPage: SHOWN }
    const [review, reviewTotal, scheduled, wire, drafts, draftTotal, { timeZone }] = await Promise.all([
      reviews ? articles.listStories({ status: 'in_review' }, first, actor) : null,
      reviews ? articles.countStories({ status: 'in_review' }, actor) : 0,
      // The list is ordered by last change; a newsroom schedules a handful of stories, so sorting the first 100 by time is enough.
      articles.listStories({ status: 'scheduled' }, { page: 1, perPage: 100 }, actor),
      readsWire ? deps.wire.listDesk({}, { page: 1, perPage: SHOWN }) : null,
      articles.listStories({ status: 'draft', createdBy: user.id }, first, actor),
      articles.countStories({ status: 'draft', createdBy: user.id }, actor),
      deps.settings.get(),
    ])
    const bySchedule = (a: StoryRow, b: StoryRow) => (a.scheduledAt ?? '').localeCompare(b.scheduledAt ?? '')
    return kit.send(
      reply,
      <DashboardPage
        chrome={await kit.chrome(request, reply, '/admin')}
        data={{
          review: review ? { stories: review.items, total: reviewTotal } : null,
          scheduled: [...scheduled.items].sort(bySchedule).slice(0, SHOWN),
          wire: wire ? wire.items : null,
          drafts: { stories: drafts.items, total: draftTotal },
          timeZone,
        }}
      />,
    )
  })
}
