import type { StoryRow } from '../../articles/index.ts'
import { formatDateTime } from '../../site/index.ts'
import type { DeskGroup } from '../../wire/index.ts'
import { AdminLayout, type AdminChrome } from '../shell/layout.tsx'

/** What the dashboard shows one person; a null list is one their role does not get. */
export interface DashboardData {
  review: { stories: StoryRow[]; total: number } | null
  scheduled: StoryRow[]
  wire: DeskGroup[] | null
  drafts: { stories: StoryRow[]; total: number }
  timeZone: string
}

function StoryLinks(props: { stories: readonly StoryRow[]; when: (story: StoryRow) => string | null; timeZone: string; empty: string }) {
  if (props.stories.length === 0) return <p>{props.empty}</p>
  return (
    <ul>
      {props.stories.map((story) => {
        const when = props.when(story)
        return (
          <li>
            <a href={`/admin/stories/${story.id}`}>{story.title || 'Untitled story'}</a>
            {when ? (
              <>
                {' '}
                <span class="meta">
                  <time datetime={when}>{formatDateTime(when, props.timeZone)}</time>
                </span>
              </>
            ) : null}
          </li>
        )
      })}
    </ul>
  )
}

/** The first page after signing in: what needs doing now. */
export function DashboardPage(props: { chrome: AdminChrome; data: DashboardData }) {
  const { chrome, data } = props
  const name = chrome.user?.name ?? ''
  return (
    <AdminLayout chrome={chrome} title="Dashboard">
      <h1>Dashboard</h1>
      <p>Hello, {name}.</p>
      <div class="dashboard">
        {data.review ? (
          <section aria-labelledby="review-title">
            <h2 id="review-title">Waiting for review ({data.review.total})</h2>
            <StoryLinks stories={data.review.stories} when={(s) => s.modifiedAt} timeZone={data.timeZone} empty="Nothing is waiting for review." />
            {data.review.total > data.review.stories.length ? <a href="/admin/stories?view=review">All stories in review</a> : null}
          </section>
        ) : null}
        <section aria-labelledby="scheduled-title">
          <h2 id="scheduled-title">Scheduled next</h2>
          <StoryLinks stories={data.scheduled} when={(s) => s.scheduledAt} timeZone={data.timeZone} empty="Nothing is scheduled." />
        </section>
        {data.wire ? (
          <section aria-labelledby="wire-title">
            <h2 id="wire-title">Latest wire copy</h2>
            {data.wire.length === 0 ? (
              <p>No agency copy yet.</p>
            ) : (
              <ul>
                {data.wire.map((group) => {
                  const item = group.items[0]!
                  return (
                    <li>
                      <a href={`/admin/wire/items/${item.id}`}>{item.headline}</a>{' '}
                      <span class="meta">
                        {item.agencyName ?? item.agencyKey.toUpperCase()}, <time datetime={item.sortAt}>{formatDateTime(item.sortAt, data.timeZone)}</time>
                        {group.items.length > 1 ? `, and ${group.items.length - 1} more from other agencies` : ''}
                      </span>
                    </li>
                  )
                })}
              </ul>
            )}
            <a href="/admin/wire">All agency copy</a>
          </section>
        ) : null}
        <section aria-labelledby="drafts-title">
          <h2 id="drafts-title">Your drafts ({data.drafts.total})</h2>
          <StoryLinks stories={data.drafts.stories} when={(s) => s.modifiedAt} timeZone={data.timeZone} empty="You have no drafts." />
          {data.drafts.total > data.drafts.stories.length ? <a href="/admin/stories?view=mine&status=draft">All drafts</a> : null}
        </section>
      </div>
    </AdminLayout>
  )
}
