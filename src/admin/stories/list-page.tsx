import type { ArticleStatus, StoryRow } from '../../articles/index.ts'
import type { Author } from '../../authors/index.ts'
import type { Section } from '../../sections/index.ts'
import type { Page } from '../../shared/pagination.ts'
import type { Source } from '../../sources/index.ts'
import { formatDateTime } from '../../site/index.ts'
import type { WireNotice } from '../../wire/index.ts'
import { AdminLayout, type AdminChrome } from '../shell/layout.tsx'
import { TableScroll } from '../shell/table-scroll.tsx'
import { StatusBadge, statusLabel } from './status.tsx'

/** The list's filters as the form sends them; empty means "any". */
export interface StoryListFilters {
  view: 'mine' | 'review' | 'all'
  status: string
  section: string
  author: string
  credit: string
  q: string
}

export interface StoryListProps {
  chrome: AdminChrome
  filters: StoryListFilters
  page: Page<StoryRow>
  sections: Section[]
  authors: Author[]
  sources: Source[]
  people: Map<string, string>
  notices: Map<string, WireNotice[]>
  reviewCount: number
  mayListAll: boolean
  timeZone: string
}

const STATUSES: ArticleStatus[] = ['draft', 'in_review', 'scheduled', 'published', 'unpublished']

function query(filters: StoryListFilters, changes: Partial<StoryListFilters> & { page?: number }): string {
  const merged = { ...filters, ...changes }
  const params = new URLSearchParams()
  for (const key of ['view', 'status', 'section', 'author', 'credit', 'q'] as const) if (merged[key]) params.set(key, merged[key])
  if (changes.page && changes.page > 1) params.set('page', String(changes.page))
  const text = params.toString()
  return text ? `/admin/stories?${text}` : '/admin/stories'
}

/** Every story the person may read, most recently changed first, with the desk's filters and queues. */
export function StoryListPage(props: StoryListProps) {
  const { chrome, filters, page, people, timeZone } = props
  const sectionName = new Map(props.sections.map((s) => [s.id, s.name]))
  const authorName = new Map(props.authors.map((a) => [a.id, a.name]))
  const sourceOf = new Map(props.sources.map((s) => [s.id, s]))
  const tabs = [
    { view: 'mine' as const, label: 'My stories' },
    { view: 'review' as const, label: `Waiting for review (${props.reviewCount})` },
    ...(props.mayListAll ? [{ view: 'all' as const, label: 'All stories' }] : []),
  ]
  return (
    <AdminLayout chrome={chrome} title="Stories">
      <div class="page-head">
        <h1>Stories</h1>
        <form method="post" action="/admin/stories">
          <input type="hidden" name="_csrf" value={chrome.csrfToken} />
          <button type="submit">New story</button>
        </form>
      </div>
      <nav aria-label="Story lists" class="tabs">
        <ul>
          {tabs.map((tab) => (
            <li>
              <a href={query({ view: tab.view, status: '', section: '', author: '', credit: '', q: '' }, {})} aria-current={filters.view === tab.view ? 'page' : undefined}>
                {tab.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action="/admin/stories" class="filters" role="search" aria-label="Filter stories">
        <input type="hidden" name="view" value={filters.view} />
        <div class="field">
          <label for="filter-q">Headline</label>
          <input id="filter-q" name="q" type="search" value={filters.q} />
        </div>
        <div class="field">
          <label for="filter-status">Status</label>
          <select id="filter-status" name="status">
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option value={s} selected={filters.status === s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-section">Section</label>
          <select id="filter-section" name="section">
            <option value="">Any</option>
            {props.sections.map((s) => (
              <option value={s.id} selected={filters.section === s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-author">Author or desk</label>
          <select id="filter-author" name="author">
            <option value="">Any</option>
            {props.authors.map((a) => (
              <option value={a.id} selected={filters.author === a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-credit">Credit</label>
          <select id="filter-credit" name="credit">
            <option value="">Any</option>
            <option value="staff" selected={filters.credit === 'staff'}>
              Staff
            </option>
            {props.sources
              .filter((s) => s.kind !== 'staff')
              .map((s) => (
                <option value={s.id} selected={filters.credit === s.id}>
                  {s.name}
                </option>
              ))}
          </select>
        </div>
        <button type="submit">Filter</button>
      </form>
      {page.items.length === 0 ? (
        <p>No stories match.</p>
      ) : (
        <TableScroll label="Table of stories">
          <table class="stories">
            <caption class="visually-hidden">Stories, most recently changed first</caption>
            <thead>
              <tr>
                <th scope="col">Headline</th>
                <th scope="col">Status</th>
                <th scope="col">Sections</th>
                <th scope="col">Byline</th>
                <th scope="col">Credit</th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((story) => {
                const source = story.sourceId ? sourceOf.get(story.sourceId) : undefined
                const notices = props.notices.get(story.id) ?? []
                return (
                  <tr>
                    <td>
                      <a href={`/admin/stories/${story.id}`} class="item-title">
                        {story.title.trim() || 'Untitled story'}
                      </a>
                      {notices.some((n) => n.isKilled) ? <span class="badge badge-danger"> Killed by the agency</span> : null}
                      {notices.some((n) => !n.isKilled && n.hasNewerVersion) ? <span class="badge badge-warn"> Newer agency version</span> : null}
                      {story.hasPendingChanges ? <span class="badge badge-warn"> Unpublished changes</span> : null}
                    </td>
                    <td>
                      <StatusBadge status={story.status} />
                      {story.status === 'scheduled' && story.scheduledAt ? (
                        <>
                          {' '}
                          <time datetime={story.scheduledAt}>{formatDateTime(story.scheduledAt, timeZone)}</time>
                        </>
                      ) : null}
                      {story.withdrawnAt ? <span class="meta"> withdrawn</span> : null}
                    </td>
                    <td>{story.sectionIds.map((id) => sectionName.get(id) ?? '?').join(', ')}</td>
                    <td>{story.authorIds.map((id) => authorName.get(id) ?? '?').join(', ')}</td>
                    <td>{source ? (source.kind === 'staff' ? 'Staff' : source.credit) : '—'}</td>
                    <td>
                      <time datetime={story.modifiedAt}>{formatDateTime(story.modifiedAt, timeZone)}</time>
                      <span class="meta"> by {story.modifiedBy ? (people.get(story.modifiedBy) ?? 'a former colleague') : 'the system'}</span>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
      <nav class="pager" aria-label="Pages">
        {page.page > 1 ? <a href={query(filters, { page: page.page - 1 })}>Newer</a> : null}
        {page.hasNext ? <a href={query(filters, { page: page.page + 1 })}>Older</a> : null}
      </nav>
    </AdminLayout>
  )
}
