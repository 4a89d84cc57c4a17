import type { Section } from '../../sections/index.ts'
import type { Page } from '../../shared/pagination.ts'
import { formatDateTime } from '../../site/index.ts'
import type { DeskGroup, DeskItem } from '../../wire/index.ts'
import { AdminLayout, type AdminChrome } from '../shell/layout.tsx'

export interface DeskFilters {
  agency: string
  section: string
  status: string
  language: string
  q: string
}

/** Badges for what matters at a glance: kills, embargoes, drafts, versions. */
export function ItemBadges({ item, now }: { item: DeskItem; now: string }) {
  return (
    <>
      {item.pubStatus === 'canceled' ? <span class="badge badge-danger">Killed</span> : null}
      {item.pubStatus === 'withdrawn' ? <span class="badge badge-danger">Withdrawn</span> : null}
      {item.embargoUntil && item.embargoUntil > now ? <span class="badge badge-warn">Embargoed</span> : null}
      {item.articleId ? <span class="badge">Draft made</span> : null}
      {item.versionCount > 1 ? <span class="badge">{item.versionCount} versions</span> : null}
    </>
  )
}

function query(filters: DeskFilters, page: number): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value)
  if (page > 1) params.set('page', String(page))
  const s = params.toString()
  return s ? `/admin/wire?${s}` : '/admin/wire'
}

/** The desk: newest agency copy first, duplicates grouped, with filters. */
export function DeskPage(props: {
  chrome: AdminChrome
  page: Page<DeskGroup>
  filters: DeskFilters
  agencies: string[]
  sections: Section[]
  timeZone: string
  now: string
}) {
  const { chrome, page, filters, agencies, sections, timeZone, now } = props
  const sectionName = new Map(sections.map((s) => [s.id, s.name]))
  return (
    <AdminLayout chrome={chrome} title="Wire desk">
      <h1>Wire desk</h1>
      <form class="filters" method="get" action="/admin/wire" role="search" aria-label="Filter agency copy">
        <div class="field">
          <label for="f-q">Text</label>
          <input id="f-q" name="q" type="search" value={filters.q} />
        </div>
        <div class="field">
          <label for="f-agency">Agency</label>
          <select id="f-agency" name="agency">
            <option value="">All agencies</option>
            {agencies.map((a) => (
              <option value={a} selected={filters.agency === a}>
                {a.toUpperCase()}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-section">Section</label>
          <select id="f-section" name="section">
            <option value="">All sections</option>
            {sections.map((s) => (
              <option value={s.id} selected={filters.section === s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-status">Status</label>
          <select id="f-status" name="status">
            <option value="">Any status</option>
            {[
              ['usable', 'Usable'],
              ['withdrawn', 'Withdrawn'],
              ['canceled', 'Killed'],
            ].map(([value, label]) => (
              <option value={value} selected={filters.status === value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-language">Language</label>
          <input id="f-language" name="language" value={filters.language} size={6} />
        </div>
        <button type="submit">Filter</button>
      </form>

      {page.items.length === 0 ? <p>No agency copy matches.</p> : null}
      {page.items.map((group) => (
        <section class="group" aria-label={group.items[0]!.headline}>
          {group.items.length > 1 ? <p class="group-label">Same story from {group.items.length} agencies</p> : null}
          <ol>
            {group.items.map((item) => (
              <li>
                <a class="item-title" href={`/admin/wire/items/${item.id}`}>
                  {item.headline}
                </a>{' '}
                <ItemBadges item={item} now={now} />
                <p class="meta">
                  {item.agencyName ?? item.agencyKey.toUpperCase()} · <time datetime={item.sortAt}>{formatDateTime(item.sortAt, timeZone)}</time>
                  {item.language ? ` · ${item.language}` : null}
                  {item.sectionIds.length > 0 ? ` · ${item.sectionIds.map((id) => sectionName.get(id) ?? id).join(', ')}` : null}
                </p>
              </li>
            ))}
          </ol>
        </section>
      ))}
      <nav class="pager" aria-label="Pages">
        {page.page > 1 ? <a href={query(filters, page.page - 1)}>Newer</a> : null}
        {page.hasNext ? <a href={query(filters, page.page + 1)}>Older</a> : null}
      </nav>
    </AdminLayout>
  )
}
