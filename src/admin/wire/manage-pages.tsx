import type { Section, Tag } from '../../sections/index.ts'
import type { Source } from '../../sources/index.ts'
import { formatDateTime } from '../../site/index.ts'
import type { IngestReport, RoutingRule, WireIssue, WireSourceConfig } from '../../wire/index.ts'
import { AdminLayout, Field, type AdminChrome, type FieldErrors } from '../shell/layout.tsx'
import { TableScroll } from '../shell/table-scroll.tsx'

/** Upload files of agency copy; after an upload, what happened to each. */
export function UploadPage(props: {
  chrome: AdminChrome
  sources: WireSourceConfig[]
  results: { file: string; report: IngestReport }[]
  error?: string
}) {
  const { chrome, sources, results } = props
  return (
    <AdminLayout chrome={chrome} title="Upload agency copy">
      <h1>Upload agency copy</h1>
      <p class="hint">IPTC ninjs (JSON), NewsML-G2, RSS or Atom files. The format is read from the content. Up to 20 files of 20 MB each.</p>
      {props.error ? (
        <p class="notice notice-danger" role="alert">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/admin/wire/upload" enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value={chrome.csrfToken} />
        <div class="field">
          <label for="files">Files</label>
          <input id="files" name="files" type="file" multiple required />
        </div>
        <div class="field">
          <label for="source">Arrives through</label>
          <select id="source" name="source">
            <option value="">No particular source</option>
            {sources.map((s) => (
              <option value={s.id}>{s.name}</option>
            ))}
          </select>
        </div>
        <button type="submit">Upload</button>
      </form>
      {results.length > 0 ? (
        <section aria-labelledby="results-title">
          <h2 id="results-title">Results</h2>
          {/* Agencies' ids and messages are long: on a narrow screen the table scrolls sideways in its own box. */}
          <TableScroll label="Results by file">
            <table>
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Imported</th>
                  <th scope="col">Updated</th>
                  <th scope="col">Unchanged</th>
                  <th scope="col">Rejected</th>
                  <th scope="col">Warnings</th>
                </tr>
              </thead>
              <tbody>
                {results.map(({ file, report }) => (
                  <tr>
                    <td>{file}</td>
                    <td>{report.imported}</td>
                    <td>{report.updated}</td>
                    <td>{report.unchanged}</td>
                    <td>
                      <IssueList issues={report.rejected} />
                    </td>
                    <td>
                      <IssueList issues={report.warnings} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <ul>
            {results.flatMap(({ report }) =>
              report.items.map((i) => (
                <li>
                  <a href={`/admin/wire/items/${i.itemId}`}>{i.headline}</a> ({i.outcome})
                </li>
              )),
            )}
          </ul>
        </section>
      ) : null}
    </AdminLayout>
  )
}

/** A file's rejections or warnings in the upload results: how many, and each with where it is. */
function IssueList({ issues }: { issues: readonly WireIssue[] }) {
  if (issues.length === 0) return <>0</>
  return (
    <ul class="issues">
      {issues.map((r) => (
        <li>
          {r.where}: {r.message} <code>{r.code}</code>
        </li>
      ))}
    </ul>
  )
}

/** Configured feeds and folders with their last success and last error. */
export function SourcesPage(props: { chrome: AdminChrome; sources: WireSourceConfig[]; agencies: Source[]; timeZone: string; canEdit: boolean; errors: FieldErrors; values: Record<string, string> }) {
  const { chrome, sources, agencies, timeZone, canEdit, errors, values } = props
  const when = (iso: string | null) => (iso ? <time datetime={iso}>{formatDateTime(iso, timeZone)}</time> : 'never')
  return (
    <AdminLayout chrome={chrome} title="Wire sources">
      <h1>Wire sources</h1>
      {sources.length === 0 ? (
        <p>No feeds or folders yet.</p>
      ) : (
        <TableScroll label="Table of wire sources">
          <table>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Where</th>
                <th scope="col">Last success</th>
                <th scope="col">Last error</th>
                <th scope="col">Next poll</th>
                {canEdit ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {sources.map((s) => (
                <tr>
                  <td>
                    {s.name} <span class="meta">({s.slug}, {s.kind}{s.enabled ? '' : ', disabled'})</span>
                  </td>
                  <td>{s.url ?? s.folder ?? 'uploads and CLI'}</td>
                  <td>{when(s.lastSuccessAt)}</td>
                  <td>{s.lastError ? <>{when(s.lastErrorAt)}: {s.lastError} ({s.consecutiveFailures} in a row)</> : 'none'}</td>
                  <td>{s.kind === 'manual' ? '—' : when(s.nextPollAt)}</td>
                  {canEdit ? (
                    <td>
                      <form method="post" action={`/admin/wire/sources/${s.id}/${s.enabled ? 'disable' : 'enable'}`}>
                        <input type="hidden" name="_csrf" value={chrome.csrfToken} />
                        <button type="submit" class="link-button" aria-label={`${s.enabled ? 'Pause' : 'Resume'} ${s.name}`}>
                          {s.enabled ? 'Pause' : 'Resume'}
                        </button>
                      </form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {canEdit ? (
        <section aria-labelledby="add-source">
          <h2 id="add-source">Add a source</h2>
          {errors._form ? <p class="notice notice-danger" role="alert">{errors._form}</p> : null}
          <form method="post" action="/admin/wire/sources">
            <input type="hidden" name="_csrf" value={chrome.csrfToken} />
            <Field name="name" label="Name" value={values.name} required error={errors.name} />
            <Field name="slug" label="Short name" value={values.slug} required hint="Lower-case letters, digits and hyphens." error={errors.slug} />
            <div class="field">
              <label for="field-kind">Kind</label>
              <select id="field-kind" name="kind">
                {[
                  ['feed', 'Polled feed (URL)'],
                  ['folder', 'Drop folder'],
                  ['manual', 'Uploads and CLI only'],
                ].map(([v, l]) => (
                  <option value={v} selected={values.kind === v}>
                    {l}
                  </option>
                ))}
              </select>
            </div>
            <Field name="url" label="Feed URL" value={values.url} type="url" error={errors.url} />
            <Field name="folder" label="Folder on the server" value={values.folder} error={errors.folder} />
            <Field name="intervalSeconds" label="Poll every (seconds)" value={values.intervalSeconds ?? '300'} type="number" error={errors.intervalSeconds} />
            <div class="field">
              <label for="field-credit">Credit articles to</label>
              <select id="field-credit" name="creditSourceId">
                <option value="">The agency named in the copy</option>
                {agencies.map((a) => (
                  <option value={a.id} selected={values.creditSourceId === a.id}>
                    {a.name} ({a.credit})
                  </option>
                ))}
              </select>
            </div>
            <button type="submit">Add source</button>
          </form>
        </section>
      ) : null}
    </AdminLayout>
  )
}

/** Routing rules, and a form for a new one. */
export function RulesPage(props: { chrome: AdminChrome; rules: RoutingRule[]; sections: Section[]; tags: Tag[]; canEdit: boolean; errors: FieldErrors; values: Record<string, string> }) {
  const { chrome, rules, sections, tags, canEdit, errors, values } = props
  const names = (list: { id: string; name: string }[], ids: string[]) => ids.map((id) => list.find((x) => x.id === id)?.name ?? id).join(', ')
  return (
    <AdminLayout chrome={chrome} title="Routing rules">
      <h1>Routing rules</h1>
      <p class="hint">A rule applies when every criterion it gives matches. Rules run in priority order; the first section becomes the draft's primary section.</p>
      {rules.length === 0 ? (
        <p>No rules yet.</p>
      ) : (
        <TableScroll label="Table of routing rules">
          <table>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">When</th>
                <th scope="col">Sections</th>
                <th scope="col">Tags</th>
                <th scope="col">Priority</th>
                {canEdit ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {rules.map((r) => (
                <tr>
                  <td>{r.name}</td>
                  <td>
                    {[r.agency && `agency ${r.agency}`, r.subjectCode && `subject ${r.subjectCode}`, r.keyword && `keyword “${r.keyword}”`, r.language && `language ${r.language}`]
                      .filter(Boolean)
                      .join(' and ')}
                  </td>
                  <td>{names(sections, r.sectionIds)}</td>
                  <td>{names(tags, r.tagIds)}</td>
                  <td>{r.priority}</td>
                  {canEdit ? (
                    <td>
                      <form method="post" action={`/admin/wire/rules/${r.id}/delete`}>
                        <input type="hidden" name="_csrf" value={chrome.csrfToken} />
                        <button type="submit" class="link-button" aria-label={`Delete rule ${r.name}`}>
                          Delete
                        </button>
                      </form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {canEdit ? (
        <section aria-labelledby="add-rule">
          <h2 id="add-rule">Add a rule</h2>
          {errors._form ? <p class="notice notice-danger" role="alert">{errors._form}</p> : null}
          <form method="post" action="/admin/wire/rules">
            <input type="hidden" name="_csrf" value={chrome.csrfToken} />
            <Field name="name" label="Name" value={values.name} required error={errors.name} />
            <Field name="agency" label="Agency" value={values.agency} hint="For example acp." error={errors.agency} />
            <Field name="subjectCode" label="Subject code" value={values.subjectCode} hint="For example medtop:11000000." error={errors.subjectCode} />
            <Field name="keyword" label="Keyword" value={values.keyword} error={errors.keyword} />
            <Field name="language" label="Language" value={values.language} error={errors.language} />
            <div class="field">
              <label for="field-sections">Sections</label>
              <select id="field-sections" name="sectionIds" multiple size={6} aria-describedby={errors.sectionIds ? 'field-sections-error' : undefined}>
                {sections.map((s) => (
                  <option value={s.id}>{s.name}</option>
                ))}
              </select>
              {errors.sectionIds ? <p class="field-error" id="field-sections-error">{errors.sectionIds}</p> : null}
            </div>
            <div class="field">
              <label for="field-tags">Tags</label>
              <select id="field-tags" name="tagIds" multiple size={6}>
                {tags.map((t) => (
                  <option value={t.id}>{t.name}</option>
                ))}
              </select>
            </div>
            <Field name="priority" label="Priority" type="number" value={values.priority ?? '100'} error={errors.priority} />
            <button type="submit">Add rule</button>
          </form>
        </section>
      ) : null}
    </AdminLayout>
  )
}

/** Inputs nothing could be read from, kept byte for byte. */
export function QuarantinePage(props: { chrome: AdminChrome; rows: { id: string; origin: string; received_at: string; byte_length: number; issues: string; outcome: string }[]; timeZone: string }) {
  return (
    <AdminLayout chrome={props.chrome} title="Quarantine">
      <h1>Quarantine</h1>
      <p class="hint">Inputs with items that could not be read: wholly rejected, or partly (the other items were imported). The bytes are kept as they came in.</p>
      {props.rows.length === 0 ? <p>Nothing is in quarantine.</p> : null}
      <ul>
        {props.rows.map((row) => {
          const issues = JSON.parse(row.issues) as { where: string; code: string; message: string }[]
          return (
            <li>
              <a href={`/admin/wire/raw/${row.id}`}>{row.origin}</a> ({row.outcome === 'partial' ? 'partly imported' : 'rejected'}, {row.byte_length} bytes,{' '}
              <time datetime={row.received_at}>{formatDateTime(row.received_at, props.timeZone)}</time>)
              <ul>
                {issues.slice(0, 5).map((i) => (
                  <li>
                    {i.where}: {i.message} <code>{i.code}</code>
                  </li>
                ))}
              </ul>
            </li>
          )
        })}
      </ul>
    </AdminLayout>
  )
}
