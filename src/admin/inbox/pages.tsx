import type { StaffMember } from '../../auth/index.ts'
import type { Page } from '../../shared/pagination.ts'
import { formatDateTime } from '../../site/index.ts'
import {
  KIND_LABELS,
  nextStates,
  STATE_LABELS,
  SUBMISSION_STATES,
  type InboxItem,
  type Submission,
  type SubmissionAttachment,
  type SubmissionKind,
  type SubmissionNote,
  type SubmissionState,
  type TipMessage,
} from '../../submissions/index.ts'
import { AdminLayout, ErrorSummary, type AdminChrome, type FieldErrors } from '../shell/layout.tsx'
import { SelectField, TextAreaField } from '../shell/record-fields.tsx'
import { TableScroll } from '../shell/table-scroll.tsx'

export interface InboxValues {
  kind: SubmissionKind
  state: string
  q: string
  assignee: string
}

const TAB_LABELS: Record<SubmissionKind, string> = { letter: 'Letters', opinion: 'Opinion pieces', tip: 'Tips' }

function listLink(values: InboxValues, page = 1): string {
  const params = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== ''))
  if (page > 1) params.set('page', String(page))
  return `/admin/inbox?${params}`
}

/** The inbox: letters, opinion pieces and tips in tabs, with filters by state, words and assignee. */
export function InboxPage(props: {
  chrome: AdminChrome
  values: InboxValues
  kinds: readonly SubmissionKind[]
  counts: Record<SubmissionKind, number>
  page: Page<InboxItem>
  staff: StaffMember[]
  timeZone: string
}) {
  const { chrome, values, page, timeZone } = props
  const names = new Map(props.staff.map((s) => [s.id, s.name]))
  return (
    <AdminLayout chrome={chrome} title={`Inbox: ${TAB_LABELS[values.kind]}`}>
      <h1>Inbox</h1>
      <nav aria-label="Kinds of submission" class="tabs">
        <ul>
          {props.kinds.map((kind) => (
            <li>
              <a href={listLink({ kind, state: '', q: '', assignee: '' })} aria-current={values.kind === kind ? 'page' : undefined}>
                {TAB_LABELS[kind]}
                {props.counts[kind] ? ` (${props.counts[kind]} new)` : ''}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action="/admin/inbox" class="filters" role="search" aria-label="Filter the inbox">
        <input type="hidden" name="kind" value={values.kind} />
        <div class="field">
          <label for="filter-state">State</label>
          <select id="filter-state" name="state">
            <option value="">Any</option>
            {SUBMISSION_STATES.map((s) => (
              <option value={s} selected={values.state === s}>
                {STATE_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-assignee">Assigned to</label>
          <select id="filter-assignee" name="assignee">
            <option value="">Anyone or no one</option>
            <option value="none" selected={values.assignee === 'none'}>
              No one
            </option>
            {props.staff.map((s) => (
              <option value={s.id} selected={values.assignee === s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-q">Words or reference</label>
          <input id="filter-q" name="q" type="search" value={values.q} />
        </div>
        <button type="submit">Filter</button>
      </form>
      {page.items.length === 0 ? (
        <p>Nothing here matches.</p>
      ) : (
        <TableScroll label={`Table of ${TAB_LABELS[values.kind].toLowerCase()}`}>
          <table>
            <caption class="visually-hidden">{TAB_LABELS[values.kind]}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Reference</th>
                <th scope="col">{values.kind === 'tip' ? 'Beginning' : 'Headline or beginning'}</th>
                <th scope="col">From</th>
                <th scope="col">State</th>
                <th scope="col">Assigned to</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((item) => (
                <tr>
                  <td>
                    <time datetime={item.createdAt}>{formatDateTime(item.createdAt, timeZone)}</time>
                  </td>
                  <td>
                    <a href={`/admin/inbox/${item.id}`}>{item.reference}</a>
                  </td>
                  <td class="reader-text">
                    {item.title}
                    {item.tipsterAddedAt ? (
                      <>
                        {' '}
                        (more from the sender <time datetime={item.tipsterAddedAt}>{formatDateTime(item.tipsterAddedAt, timeZone)}</time>)
                      </>
                    ) : null}
                  </td>
                  {/* A tip's sender details are sealed with it: the list cannot tell a name from none without opening every tip. */}
                  <td>{item.kind === 'tip' ? 'Sealed: open the tip' : (item.from ?? 'Anonymous')}</td>
                  <td>{STATE_LABELS[item.state]}</td>
                  <td>{item.assigneeId ? (names.get(item.assigneeId) ?? 'A former colleague') : 'No one'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <nav class="pager" aria-label="Pages">
        {page.page > 1 ? <a href={listLink(values, page.page - 1)}>Newer</a> : null}
        {page.hasNext ? <a href={listLink(values, page.page + 1)}>Older</a> : null}
      </nav>
    </AdminLayout>
  )
}

const MOVE_LABELS: Record<string, string> = { in_review: 'Start review', accepted: 'Accept', declined: 'Decline' }

/** One submission: the reader's words as plain text, its files, the desk's actions, notes and replies. */
export function SubmissionPage(props: {
  chrome: AdminChrome
  submission: Submission
  attachments: SubmissionAttachment[]
  notes: SubmissionNote[]
  /** A tip's follow-up page, opened; empty for other kinds. */
  messages: TipMessage[]
  hasFollowUpPage: boolean
  /** Who may be assigned it: for a tip, only those who may read tips. */
  staff: StaffMember[]
  timeZone: string
  notice: string | null
  errors?: FieldErrors
  values?: Record<string, string>
  canPublish: boolean
  /** The desk's usual reasons for declining, from the site settings. */
  declineReasons: readonly string[]
}) {
  const { chrome, submission: s, timeZone } = props
  const errors = props.errors ?? {}
  const values = props.values ?? {}
  const names = new Map(props.staff.map((m) => [m.id, m.name]))
  const base = `/admin/inbox/${s.id}`
  const moves = nextStates(s.state).filter((to): to is Exclude<SubmissionState, 'new' | 'published'> => to !== 'new' && to !== 'published')
  const fact = (label: string, value: string | null) =>
    value ? (
      <>
        <dt>{label}</dt>
        <dd class="reader-text">{value}</dd>
      </>
    ) : null
  return (
    <AdminLayout chrome={chrome} title={`${KIND_LABELS[s.kind]} ${s.reference}`}>
      <p>
        <a href={`/admin/inbox?kind=${s.kind}`}>Back to the inbox</a>
      </p>
      <h1>
        {KIND_LABELS[s.kind]} {s.reference}
      </h1>
      {props.notice ? (
        <p class="notice notice-ok" role="status">
          {props.notice}
        </p>
      ) : null}
      <ErrorSummary errors={errors} />
      <dl class="facts">
        <dt>State</dt>
        <dd>
          {STATE_LABELS[s.state]}
          {s.state === 'declined' && s.declineReason ? <span class="reader-text">: {s.declineReason}</span> : null}
        </dd>
        <dt>Received</dt>
        <dd>
          <time datetime={s.createdAt}>{formatDateTime(s.createdAt, timeZone)}</time>
        </dd>
        {fact('Name', s.name)}
        {fact('Town', s.town)}
        {fact('Email', s.email)}
        {fact('Other contact', s.contact)}
        {fact('About the writer', s.bio)}
        {s.aboutArticleId ? (
          <>
            <dt>About the story</dt>
            <dd>
              <a href={`/admin/stories/${s.aboutArticleId}`} class="reader-text">
                {s.aboutTitle ?? s.aboutArticleId}
              </a>
            </dd>
          </>
        ) : null}
        {s.articleId ? (
          <>
            <dt>Story made from it</dt>
            <dd>
              <a href={`/admin/stories/${s.articleId}`}>Open the story in the editor</a>
            </dd>
          </>
        ) : null}
      </dl>
      {s.headline ? <h2 class="reader-text">{s.headline}</h2> : <h2>Text</h2>}
      {/* Reader text: plain text in a pre-wrapped block, escaped by the renderer; never HTML. */}
      <div class="reader-text reader-body">{s.body}</div>
      {props.attachments.some((a) => a.messageId === null) ? (
        <>
          <h2>Files</h2>
          <ul>
            {props.attachments.filter((a) => a.messageId === null).map((a) => (
              <li>
                <a href={`${base}/files/${a.id}`} class="reader-text">
                  {a.fileName}
                </a>{' '}
                ({a.mediaType.split(';')[0]}, {Math.max(1, Math.round(a.size / 1024))} KB)
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>Desk</h2>
      {moves.length > 0 ? (
        <form method="post" action={`${base}/state`} class="stack">
          <input type="hidden" name="_csrf" value={chrome.csrfToken} />
          <fieldset>
            <legend>Move it</legend>
            {moves.map((to) => (
              <div>
                <input type="radio" id={`move-${to}`} name="to" value={to} checked={values.to === to} />
                <label for={`move-${to}`}>{MOVE_LABELS[to]}</label>
              </div>
            ))}
          </fieldset>
          {moves.includes('declined') && props.declineReasons.length > 0 ? (
            <SelectField
              name="reasonTemplate"
              label="A usual reason"
              value={values.reasonTemplate ?? ''}
              options={[{ value: '', label: 'None: I write the reason below' }, ...props.declineReasons.map((r) => ({ value: r, label: r }))]}
              hint="For declining. Admins edit this list under Site settings."
            />
          ) : null}
          <TextAreaField
            name="reason"
            label="Reason for declining"
            value={values.reason ?? null}
            rows={2}
            hint="Needed when you decline, unless you chose a usual reason above (a reason written here is kept instead of it); kept for the desk, never sent to the reader."
            error={errors.reason}
          />
          <button type="submit">Save the state</button>
        </form>
      ) : null}
      {props.canPublish ? (
        <form method="post" action={`${base}/publish`}>
          <input type="hidden" name="_csrf" value={chrome.csrfToken} />
          <p class="hint">Makes a draft story in the {s.kind === 'letter' ? 'Letters' : 'Opinion'} section with the writer as byline and “Reader submission” as credit; you edit and publish it in the story editor.</p>
          <button type="submit">Make it a story</button>
        </form>
      ) : null}
      <form method="post" action={`${base}/assign`} class="filters">
        <input type="hidden" name="_csrf" value={chrome.csrfToken} />
        <div class="field">
          <label for="field-assignee">Assigned to</label>
          <select id="field-assignee" name="assignee">
            <option value="">No one</option>
            {props.staff.map((m) => (
              <option value={m.id} selected={s.assigneeId === m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Assign</button>
      </form>

      <h2>Notes and replies</h2>
      {props.notes.length === 0 ? <p>No notes yet.</p> : null}
      <ol class="notes">
        {props.notes.map((n) => (
          <li>
            <p class="meta">
              {n.kind === 'reply' ? 'Reply sent by ' : 'Note by '}
              {n.authorId ? (names.get(n.authorId) ?? 'a former colleague') : 'the system'}, <time datetime={n.createdAt}>{formatDateTime(n.createdAt, timeZone)}</time>
            </p>
            <div class="reader-text">{n.body}</div>
          </li>
        ))}
      </ol>
      <form method="post" action={`${base}/notes`}>
        <input type="hidden" name="_csrf" value={chrome.csrfToken} />
        <TextAreaField name="body" label="Internal note" value={values.body ?? null} rows={3} error={errors.body} />
        <button type="submit">Add the note</button>
      </form>
      {s.kind === 'tip' ? (
        <section aria-labelledby="follow-up-title">
          <h2 id="follow-up-title">Follow-up page</h2>
          {props.hasFollowUpPage ? (
            <p class="hint">The tipster reads replies here with the tip’s reference and passphrase, and can add information; everything on it is sealed like the tip.</p>
          ) : (
            <p>This tip was sent before tips had follow-up pages, so the tipster has no passphrase to read a reply with.</p>
          )}
          {props.messages.length === 0 && props.hasFollowUpPage ? <p>No messages yet.</p> : null}
          <ol class="notes">
            {props.messages.map((m) => {
              const files = props.attachments.filter((a) => a.messageId === m.id)
              return (
                <li>
                  <p class="meta">
                    {m.direction === 'to_tipster' ? `Reply by ${m.authorId ? (names.get(m.authorId) ?? 'a former colleague') : 'the desk'}` : 'More from the tipster'},{' '}
                    <time datetime={m.createdAt}>{formatDateTime(m.createdAt, timeZone)}</time>
                  </p>
                  <div class="reader-text">{m.text}</div>
                  {files.length > 0 ? (
                    <ul>
                      {files.map((a) => (
                        <li>
                          <a href={`${base}/files/${a.id}`} class="reader-text">
                            {a.fileName}
                          </a>{' '}
                          ({a.mediaType.split(';')[0]}, {Math.max(1, Math.round(a.size / 1024))} KB)
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              )
            })}
          </ol>
          {props.hasFollowUpPage ? (
            <form method="post" action={`${base}/follow-up`}>
              <input type="hidden" name="_csrf" value={chrome.csrfToken} />
              <TextAreaField name="followUp" label="Reply on the follow-up page" value={values.followUp ?? null} rows={5} error={errors.followUp} />
              <button type="submit">Post the reply</button>
            </form>
          ) : null}
        </section>
      ) : null}
      {s.email ? (
        <form method="post" action={`${base}/reply`}>
          <input type="hidden" name="_csrf" value={chrome.csrfToken} />
          <h3>Reply to {s.email}</h3>
          <div class="field">
            <label for="field-subject">Subject</label>
            <input id="field-subject" name="subject" type="text" value={values.subject ?? `Your ${KIND_LABELS[s.kind].toLowerCase()}`} aria-invalid={errors.subject ? 'true' : undefined} aria-describedby={errors.subject ? 'field-subject-error' : undefined} />
            {errors.subject ? (
              <p class="field-error" id="field-subject-error">
                {errors.subject}
              </p>
            ) : null}
          </div>
          <TextAreaField name="reply" label="Message" value={values.reply ?? null} rows={6} error={errors.reply} />
          <button type="submit">Send the reply</button>
        </form>
      ) : (
        <p>The sender left no email address, so there is no one to reply to.</p>
      )}
    </AdminLayout>
  )
}
