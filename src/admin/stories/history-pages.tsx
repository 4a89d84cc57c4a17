import type { Article, ConflictCopy, FieldDiff, Snapshot, StoryEvent } from '../../articles/index.ts'
import { formatDateTime } from '../../site/index.ts'
import { AdminLayout, type AdminChrome } from '../shell/layout.tsx'
import { TableScroll } from '../shell/table-scroll.tsx'

const EVENT_WORDS: Record<string, string> = {
  created: 'started the story',
  submitted: 'sent it for review',
  returned: 'sent it back',
  scheduled: 'scheduled it',
  unscheduled: 'took it off the schedule',
  published: 'published it',
  updated: 'published an update',
  corrected: 'published a correction',
  unpublished: 'unpublished it',
  withdrawn: 'withdrew it',
  restored: 'restored an earlier version',
  conflict: 'saved over a newer version (kept as a copy)',
  agency_update_applied: 'took in the agency’s newer version',
  schedule_skipped: 'held it back from its scheduled time',
}

const SNAPSHOT_WORDS: Record<string, string> = {
  draft: 'Working draft',
  submitted: 'Sent for review',
  returned: 'Sent back',
  published: 'Published',
  updated: 'Update',
  minor: 'Minor fix',
  corrected: 'Correction',
  restored: 'Before a restore',
  conflict: 'Before taking a conflict copy',
  agency_update: 'Before the agency’s newer version',
}

/** A field-by-field word diff. */
export function StoryDiff({ diffs }: { diffs: FieldDiff[] }) {
  if (diffs.length === 0) return <p>The two versions are the same.</p>
  return (
    <dl class="story-diff">
      {diffs.map((d) => (
        <>
          <dt>{d.label}</dt>
          <dd class="diff">
            {d.parts.map((p) => (p.kind === 'added' ? <ins>{p.text}</ins> : p.kind === 'removed' ? <del>{p.text}</del> : p.text))}
          </dd>
        </>
      ))}
    </dl>
  )
}

export interface HistoryPageProps {
  chrome: AdminChrome
  article: Article
  events: StoryEvent[]
  snapshots: Snapshot[]
  people: Map<string, string>
  /** The two versions compared, by snapshot id ('current' for the working state), and their diff. */
  comparison: { from: string; to: string; diffs: FieldDiff[] } | null
  mayRestore: boolean
  timeZone: string
}

/** Every step of a story's life, every saved version, and what changed between any two. */
export function HistoryPage(props: HistoryPageProps) {
  const { chrome, article, people, timeZone } = props
  const who = (id: string | null) => (id ? (people.get(id) ?? 'A former colleague') : 'The system')
  const when = (iso: string) => <time datetime={iso}>{formatDateTime(iso, timeZone)}</time>
  const label = (id: string) => (id === 'current' ? 'the current version' : (() => {
    const s = props.snapshots.find((x) => x.id === id)
    return s ? `${SNAPSHOT_WORDS[s.reason] ?? s.reason}, ${formatDateTime(s.createdAt, timeZone)}` : 'an unknown version'
  })())
  return (
    <AdminLayout chrome={chrome} title={`History: ${article.title || 'Untitled story'}`}>
      <p>
        <a href={`/admin/stories/${article.id}`}>Back to the story</a>
      </p>
      <h1>History of “{article.title || 'Untitled story'}”</h1>
      {props.comparison ? (
        <section aria-labelledby="diff-title">
          <h2 id="diff-title">
            From {label(props.comparison.from)} to {label(props.comparison.to)}
          </h2>
          <StoryDiff diffs={props.comparison.diffs} />
        </section>
      ) : null}
      <section aria-labelledby="versions-title">
        <h2 id="versions-title">Versions</h2>
        {props.snapshots.length === 0 ? (
          <p>No earlier versions yet. Versions are kept as the story is written, sent for review and published.</p>
        ) : (
          <form method="get" action={`/admin/stories/${article.id}/history`}>
            <TableScroll label="Table of saved versions">
              <table>
                <caption class="visually-hidden">Saved versions, newest first; choose two to compare</caption>
                <thead>
                  <tr>
                    <th scope="col">From</th>
                    <th scope="col">To</th>
                    <th scope="col">Version</th>
                    <th scope="col">By</th>
                    <th scope="col">Headline then</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <td></td>
                    <td>
                      <input type="radio" name="to" value="current" checked={!props.comparison || props.comparison.to === 'current'} aria-label="Compare to the current version" />
                    </td>
                    <td>The current version</td>
                    <td></td>
                    <td>{article.title}</td>
                  </tr>
                  {props.snapshots.map((s, i) => (
                    <tr>
                      <td>
                        <input type="radio" name="from" value={s.id} checked={props.comparison ? props.comparison.from === s.id : i === 0} aria-label={`Compare from ${SNAPSHOT_WORDS[s.reason] ?? s.reason} of ${formatDateTime(s.createdAt, timeZone)}`} />
                      </td>
                      <td>
                        <input type="radio" name="to" value={s.id} checked={props.comparison?.to === s.id} aria-label={`Compare to ${SNAPSHOT_WORDS[s.reason] ?? s.reason} of ${formatDateTime(s.createdAt, timeZone)}`} />
                      </td>
                      <td>
                        {SNAPSHOT_WORDS[s.reason] ?? s.reason}, {when(s.createdAt)}
                      </td>
                      <td>{who(s.actorId)}</td>
                      <td>{s.fields.title}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            <button type="submit">Compare</button>
          </form>
        )}
        {props.mayRestore && props.snapshots.length > 0 ? (
          <form method="post" action={`/admin/stories/${article.id}/restore`} class="inline-form" data-flush-autosave>
            <input type="hidden" name="_csrf" value={chrome.csrfToken} />
            <div class="field">
              <label for="restore-id">Restore a version as the working draft</label>
              <select id="restore-id" name="snapshotId">
                {props.snapshots.map((s) => (
                  <option value={s.id}>
                    {SNAPSHOT_WORDS[s.reason] ?? s.reason}, {formatDateTime(s.createdAt, timeZone)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit">Restore</button>
          </form>
        ) : null}
      </section>
      <section aria-labelledby="steps-title">
        <h2 id="steps-title">Steps</h2>
        <ol class="history" reversed>
          {props.events.map((e) => (
            <li>
              {when(e.createdAt)}: {who(e.actorId)} {EVENT_WORDS[e.kind] ?? e.kind}
              {e.note ? <>: “{e.note}”</> : '.'}
            </li>
          ))}
        </ol>
      </section>
    </AdminLayout>
  )
}

/** A save that lost a race, beside the story as it is now, with what to do about it. */
export function ConflictPage(props: { chrome: AdminChrome; article: Article; copy: ConflictCopy & { isResolved: boolean }; savedBy: string; diffs: FieldDiff[]; mayEdit: boolean; timeZone: string }) {
  const { chrome, article, copy } = props
  const action = `/admin/stories/${article.id}/conflicts/${copy.id}/resolve`
  return (
    <AdminLayout chrome={chrome} title="Conflict copy">
      <p>
        <a href={`/admin/stories/${article.id}`}>Back to the story</a>
      </p>
      <h1>A copy saved by {props.savedBy}</h1>
      <p>
        Saved {formatDateTime(copy.savedAt, props.timeZone)} from version {copy.baseVersion}, after someone else had saved a newer version. Below: what the story would become with this copy.
      </p>
      {copy.isResolved ? <p class="notice">This copy has been dealt with; it stays stored.</p> : null}
      <StoryDiff diffs={props.diffs} />
      {!copy.isResolved && props.mayEdit ? (
        <div class="action-row">
          <form method="post" action={action}>
            <input type="hidden" name="_csrf" value={chrome.csrfToken} />
            <input type="hidden" name="take" value="1" />
            <button type="submit">Use this copy</button>
          </form>
          <form method="post" action={action}>
            <input type="hidden" name="_csrf" value={chrome.csrfToken} />
            <button type="submit">Keep the current version</button>
          </form>
        </div>
      ) : null}
    </AdminLayout>
  )
}
