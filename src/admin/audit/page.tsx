import { AUDIT_ACTIONS, type AuditAction, type AuditRecord } from '../../audit/index.ts'
import type { StaffMember } from '../../auth/index.ts'
import type { Page } from '../../shared/pagination.ts'
import { formatDateTime } from '../../site/index.ts'
import { AdminLayout, type AdminChrome } from '../shell/layout.tsx'
import { TableScroll } from '../shell/table-scroll.tsx'

export interface AuditPageProps {
  chrome: AdminChrome
  page: Page<AuditRecord>
  staff: StaffMember[]
  names: Map<string, string>
  values: { actor: string; action: string; from: string; to: string }
  timeZone: string
}

function pageLink(values: AuditPageProps['values'], page: number): string {
  const params = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== ''))
  if (page > 1) params.set('page', String(page))
  return `/admin/audit${params.size ? `?${params}` : ''}`
}

/** Who did what, when, on which record: newest first, filtered by person, action and date. */
export function AuditPage(props: AuditPageProps) {
  const { chrome, page, values, names, timeZone } = props
  const storyLink = (r: AuditRecord) => (r.targetType === 'article' && r.targetId ? `/admin/stories/${r.targetId}` : null)
  return (
    <AdminLayout chrome={chrome} title="Audit log">
      <h1>Audit log</h1>
      <p class="hint">Every action a person takes in the newsroom, recorded with the change itself. Entries cannot be changed or removed.</p>
      <form method="get" action="/admin/audit" class="filters" role="search" aria-label="Filter the audit log">
        <div class="field">
          <label for="filter-actor">Person</label>
          <select id="filter-actor" name="actor">
            <option value="">Anyone</option>
            {props.staff.map((s) => (
              <option value={s.id} selected={values.actor === s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-action">Action</label>
          <select id="filter-action" name="action">
            <option value="">Any</option>
            {(Object.keys(AUDIT_ACTIONS) as AuditAction[]).map((a) => (
              <option value={a} selected={values.action === a}>
                {AUDIT_ACTIONS[a]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-from">From</label>
          <input id="filter-from" name="from" type="date" value={values.from} />
        </div>
        <div class="field">
          <label for="filter-to">To</label>
          <input id="filter-to" name="to" type="date" value={values.to} />
        </div>
        <button type="submit">Filter</button>
      </form>
      {page.items.length === 0 ? (
        <p>Nothing recorded matches.</p>
      ) : (
        <TableScroll label="Table of audit entries">
          <table>
            <caption class="visually-hidden">Audit entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((r) => {
                const link = storyLink(r)
                return (
                  <tr>
                    <td>
                      <time datetime={r.at}>{formatDateTime(r.at, timeZone)}</time>
                    </td>
                    <td>{r.actorId ? (names.get(r.actorId) ?? 'A former colleague') : 'The system or an unknown person'}</td>
                    <td>{AUDIT_ACTIONS[r.action] ?? r.action}</td>
                    <td>{link ? <a href={link}>{r.summary}</a> : r.summary}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
      <nav class="pager" aria-label="Pages">
        {page.page > 1 ? <a href={pageLink(values, page.page - 1)}>Newer</a> : null}
        {page.hasNext ? <a href={pageLink(values, page.page + 1)}>Older</a> : null}
      </nav>
    </AdminLayout>
  )
}
