import type { Speaker } from '../../quotes/index.ts'
import { formatDate } from '../../site/index.ts'
import { AdminLayout, ErrorSummary, type AdminChrome, type FieldErrors } from '../shell/layout.tsx'
import { TableScroll } from '../shell/table-scroll.tsx'

export interface QuotesAdminProps {
  chrome: AdminChrome
  speakers: Speaker[]
  errors: FieldErrors
  values: { from: string; into: string }
  notice: string | null
  timeZone: string
}

function SpeakerSelect({ name, label, speakers, value, error }: { name: string; label: string; speakers: Speaker[]; value: string; error?: string }) {
  const id = `field-${name}`
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={name} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        <option value="">Choose a speaker</option>
        {speakers.map((s) => (
          <option value={s.key} selected={value === s.key}>
            {s.name} ({s.quoteCount})
          </option>
        ))}
      </select>
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  )
}

/** The quotes ledger for editors: every speaker, and a form to merge two spellings of one person. */
export function QuotesAdminPage({ chrome, speakers, errors, values, notice, timeZone }: QuotesAdminProps) {
  return (
    <AdminLayout chrome={chrome} title="Quoted speakers">
      <h1>Quoted speakers</h1>
      <p class="hint">Everyone quoted in published stories. When one person appears under two spellings, merge them: the first spelling’s quotes then show under the second, and its public page redirects there.</p>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorSummary errors={errors} intro="Nothing was merged" />
      <form method="post" action="/admin/quotes/merge" class="filters">
        <input type="hidden" name="_csrf" value={chrome.csrfToken} />
        <SpeakerSelect name="from" label="Merge this spelling" speakers={speakers} value={values.from} error={errors.from} />
        <SpeakerSelect name="into" label="into this speaker" speakers={speakers} value={values.into} error={errors.into} />
        <p>
          <button type="submit">Merge speakers</button>
        </p>
      </form>
      <TableScroll label="Table of speakers">
        <table>
          <caption>Speakers ({speakers.length})</caption>
          <thead>
            <tr>
              <th scope="col">Speaker</th>
              <th scope="col">Quotes</th>
              <th scope="col">Last quoted</th>
            </tr>
          </thead>
          <tbody>
            {speakers.map((s) => (
              <tr>
                <td>
                  <a href={`/quotes/${s.key}`}>{s.name}</a>
                </td>
                <td>{s.quoteCount}</td>
                <td>
                  <time datetime={s.lastQuotedAt}>{formatDate(s.lastQuotedAt, timeZone)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </AdminLayout>
  )
}
