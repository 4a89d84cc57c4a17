import type { ComponentChildren } from 'preact'
import type { Article, ConflictCopy } from '../../articles/index.ts'
import type { Author } from '../../authors/index.ts'
import type { Section, Tag } from '../../sections/index.ts'
import type { Source } from '../../sources/index.ts'
import { formatDateTime } from '../../site/index.ts'
import type { WireNotice } from '../../wire/index.ts'
import { AdminLayout, ErrorSummary, Field, type AdminChrome, type FieldErrors } from '../shell/layout.tsx'
import { StatusBadge } from './status.tsx'
import { TextAreaField as TextArea } from '../shell/record-fields.tsx'

/** What a person may do with the story on this page; decides which buttons are shown (the server checks again). */
export interface StoryPermissions {
  edit: boolean
  submit: boolean
  actForThePaper: boolean
}

export interface EditorPageProps {
  chrome: AdminChrome
  article: Article
  editVersion: number
  hasPendingChanges: boolean
  /** Text values of the form, from the story or from a post that failed. */
  values: Record<string, string>
  bodyJson: string
  /** The plain-text fallback's content, or null when the body has formatting it cannot show. */
  plainText: string | null
  sectionIds: string[]
  authorIds: string[]
  isSlugAuto: boolean
  choices: { sections: Section[]; authors: Author[]; sources: Source[]; tags: Tag[] }
  errors: FieldErrors
  wireNotices: WireNotice[]
  conflicts: ConflictCopy[]
  /** Others with the story open, and since when (when they opened it). */
  others: { name: string; since: string }[]
  notice: string | null
  may: StoryPermissions
  timeZone: string
  scheduleValue: string
  editorScript: string | null
  editorStyle: string | null
  previewLink: { url: string; expiresAt: string } | null
  mediaChoices: { id: string; label: string }[]
}

function CsrfField({ chrome }: { chrome: AdminChrome }) {
  return <input type="hidden" name="_csrf" value={chrome.csrfToken} />
}

/** A small form that posts one action, flushing the editor's pending autosave first. */
function ActionForm(props: { chrome: AdminChrome; action: string; label: string; children?: ComponentChildren; danger?: boolean }) {
  return (
    <form method="post" action={props.action} class="action-form" data-flush-autosave>
      <CsrfField chrome={props.chrome} />
      {props.children}
      <button type="submit" class={props.danger ? 'button-danger' : undefined}>
        {props.label}
      </button>
    </form>
  )
}

/** Where the error summary sends the reader for errors whose field is not `field-<name>`. */
const ERROR_ANCHORS: Record<string, string> = {
  body: 'story-text-label',
  sectionIds: 'field-primarySectionId',
  authorIds: 'field-author-0',
}

/**
 * "Also open by: Ed (since 14:05)." Written exactly as the editor's script
 * writes it (src/admin/editor/browser/presence.ts), in the site's time zone,
 * so the script's first heartbeat finds the same text and the live region
 * announces nothing until someone comes or goes.
 */
export function presenceText(others: readonly { name: string; since: string }[], timeZone: string): string {
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone })
  return others.length ? `Also open by: ${others.map((o) => `${o.name} (since ${time.format(new Date(o.since))})`).join(', ')}.` : ''
}

/** The editor: the story's text and fields in one form, and the workflow's actions beside it. */
export function EditorPage(props: EditorPageProps) {
  const { chrome, article, values, errors, may, choices } = props
  const primary = props.sectionIds[0] ?? ''
  const bylineSlots = Math.max(3, props.authorIds.length + 1)
  const isPublic = article.status === 'published'
  const title = values.title?.trim() || 'Untitled story'
  const action = `/admin/stories/${article.id}`
  return (
    <AdminLayout chrome={chrome} title={`Edit: ${title}`} scripts={props.editorScript ? [props.editorScript] : []} styles={props.editorStyle ? [props.editorStyle] : []}>
      <div class="editor-head">
        <h1>{title}</h1>
        <p class="meta">
          <StatusBadge status={article.status} /> {article.scheduledAt && article.status === 'scheduled' ? <>for <time datetime={article.scheduledAt}>{formatDateTime(article.scheduledAt, props.timeZone)}</time> · </> : null}
          {isPublic ? (
            <>
              <a href={`/articles/${article.slug}`}>View on the site</a> ·{' '}
            </>
          ) : null}
          <a href={`${action}/preview`}>Preview</a> · <a href={`${action}/history`}>History</a>
        </p>
        <p id="presence" class="meta" aria-live="polite" data-time-zone={props.timeZone}>
          {presenceText(props.others, props.timeZone)}
        </p>
      </div>

      {props.notice ? (
        <p class="notice notice-ok" role="status">
          {props.notice}
        </p>
      ) : null}
      <ErrorSummary errors={errors} intro="The story cannot go ahead yet" anchors={ERROR_ANCHORS} />
      {props.wireNotices.map((n) =>
        n.isKilled ? (
          <div class="notice notice-danger" role="alert">
            <p>
              The agency has {n.pubStatus === 'canceled' ? 'killed' : 'withdrawn'} the copy this story was made from.{' '}
              {isPublic
                ? 'It must not stay on the site: take it down now.'
                : article.status === 'scheduled'
                  ? 'It will not go out at its scheduled time; only an editor who publishes it anyway can put it out.'
                  : 'It cannot be scheduled, and is published only if an editor confirms “Publish anyway”.'}{' '}
              <a href={`/admin/wire/items/${n.itemId}`}>See the wire item</a>.
            </p>
            {isPublic && may.actForThePaper ? (
              <ActionForm chrome={chrome} action={`${action}/withdraw`} label="Withdraw from the site" danger>
                <input type="hidden" name="note" value="This story was withdrawn because the news agency that supplied it withdrew it." />
              </ActionForm>
            ) : null}
          </div>
        ) : n.hasNewerVersion ? (
          <div class="notice notice-warn">
            <p>
              The agency sent version {n.currentVersion}; this story was made from version {n.draftVersion}.{' '}
              <a href={`/admin/wire/items/${n.itemId}?from=${n.draftVersion}&to=${n.currentVersion}`}>See what changed</a>.
            </p>
            {may.edit ? (
              <ActionForm chrome={chrome} action={`${action}/agency-update`} label={`Take version ${n.currentVersion} into the story`}>
                <input type="hidden" name="itemId" value={n.itemId} />
              </ActionForm>
            ) : null}
          </div>
        ) : null,
      )}
      {props.conflicts.length > 0 ? (
        <div class="notice notice-warn">
          <p>
            {props.conflicts.length === 1 ? 'A save' : `${props.conflicts.length} saves`} of this story could not be applied (someone else saved first, or the story had left its writer's hands) and {props.conflicts.length === 1 ? 'was' : 'were'} kept as {props.conflicts.length === 1 ? 'a copy' : 'copies'}, so nothing was lost:
          </p>
          <ul>
            {props.conflicts.map((c) => (
              <li>
                <a href={`${action}/conflicts/${c.id}`}>Copy saved {formatDateTime(c.savedAt, props.timeZone)}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {props.hasPendingChanges ? (
        <p class="notice notice-warn">This story has saved changes that readers do not see yet. Publish them as an update or a minor fix, or discard them.</p>
      ) : null}
      {!may.edit ? <p class="notice">You can read this story but not change it now.</p> : null}

      <div class="editor-grid">
        <form id="story-form" method="post" action={action} class="story-form">
          <CsrfField chrome={chrome} />
          <input type="hidden" name="baseVersion" value={String(props.editVersion)} />
          <input type="hidden" name="body" id="story-body" value={props.bodyJson} />
          <input type="hidden" name="authorsShown" value="1" />
          <fieldset class="story-main" disabled={!may.edit}>
            <legend class="visually-hidden">The story</legend>
            <Field name="title" label="Headline" value={values.title} error={errors.title} />
            <TextArea name="dek" label="Standfirst" value={values.dek ?? ''} rows={2} hint="One or two sentences under the headline." error={errors.dek} />
            <div class="field">
              <p class="label" id="story-text-label">
                Story text
              </p>
              {errors.body ? (
                <p class="field-error" id="story-text-error">
                  {errors.body}
                </p>
              ) : null}
              <div id="story-editor" data-label-id="story-text-label" data-story-id={article.id} data-read-only={may.edit ? undefined : 'true'}>
                {props.plainText !== null ? (
                  <textarea
                    name="bodyText"
                    id="field-bodyText"
                    rows={18}
                    aria-labelledby="story-text-label"
                    aria-describedby="story-text-hint"
                    class="plain-body"
                  >
                    {props.plainText}
                  </textarea>
                ) : (
                  <p class="hint">This story has formatting, quotes or pictures that only the full editor can change; it needs JavaScript. The fields beside it can be changed here.</p>
                )}
                <p class="hint" id="story-text-hint">
                  Without JavaScript: plain paragraphs, separated by a blank line.
                </p>
              </div>
            </div>
          </fieldset>
          <fieldset class="story-side" disabled={!may.edit}>
            <legend class="visually-hidden">Details</legend>
            <Field
              name="slug"
              label="Address"
              value={props.isSlugAuto ? '' : values.slug}
              hint={props.isSlugAuto ? `Made from the headline until you set one: /articles/${values.slug}` : article.publishedAt ? 'Changing it keeps the old address redirecting here.' : `/articles/${values.slug}`}
              error={errors.slug}
            />
            <Field name="dateline" label="Dateline" value={values.dateline} hint="Where it is reported from, e.g. BRIDGETOWN." error={errors.dateline} />
            <div class="field">
              <label for="field-primarySectionId">Main section</label>
              <select id="field-primarySectionId" name="primarySectionId" aria-invalid={errors.sectionIds ? 'true' : undefined} aria-describedby={errors.sectionIds ? 'field-sectionIds-error' : undefined}>
                <option value="">Choose a section</option>
                {choices.sections.map((s) => (
                  <option value={s.id} selected={s.id === primary}>
                    {s.name}
                  </option>
                ))}
              </select>
              {errors.sectionIds ? (
                <p class="field-error" id="field-sectionIds-error">
                  {errors.sectionIds}
                </p>
              ) : null}
            </div>
            <fieldset class="checks">
              <legend>Also in</legend>
              {choices.sections.map((s) => (
                <label class="check">
                  <input type="checkbox" name="sectionIds" value={s.id} checked={props.sectionIds.slice(1).includes(s.id)} /> {s.name}
                </label>
              ))}
            </fieldset>
            <fieldset class="byline">
              <legend>Byline, in order</legend>
              {errors.authorIds ? (
                <p class="field-error" id="field-authorIds-error">
                  {errors.authorIds}
                </p>
              ) : null}
              {Array.from({ length: bylineSlots }, (_, i) => (
                <div class="field">
                  <label for={`field-author-${i}`}>{i === 0 ? 'First name in the byline' : `Name ${i + 1}`}</label>
                  <select id={`field-author-${i}`} name="authorIds" data-multiple>
                    <option value="">None</option>
                    {choices.authors.map((a) => (
                      <option value={a.id} selected={props.authorIds[i] === a.id}>
                        {a.name}
                        {a.kind === 'desk' ? ' (desk)' : ''}
                      </option>
                    ))}
                  </select>
                </div>
              ))}
            </fieldset>
            <div class="field">
              <label for="field-sourceId">Credit</label>
              <p class="hint" id="field-sourceId-hint">
                Shown as “Source: …” for agency and partner copy.
              </p>
              <select id="field-sourceId" name="sourceId" aria-describedby={['field-sourceId-hint', errors.sourceId ? 'field-sourceId-error' : ''].filter(Boolean).join(' ')} aria-invalid={errors.sourceId ? 'true' : undefined}>
                <option value="">Choose a credit</option>
                {(['staff', 'agency', 'partner', 'reader'] as const).map((kind) => (
                  <optgroup label={{ staff: 'Staff', agency: 'Agencies', partner: 'Partners', reader: 'Readers' }[kind]}>
                    {choices.sources
                      .filter((s) => s.kind === kind)
                      .map((s) => (
                        <option value={s.id} selected={s.id === values.sourceId}>
                          {s.kind === 'staff' ? s.name : `${s.name} (Source: ${s.credit})`}
                        </option>
                      ))}
                  </optgroup>
                ))}
              </select>
              {errors.sourceId ? (
                <p class="field-error" id="field-sourceId-error">
                  {errors.sourceId}
                </p>
              ) : null}
            </div>
            <div class="field">
              <label for="field-tagNames">Tags</label>
              <p class="hint" id="field-tagNames-hint">
                Separated by commas; new tags are created.
              </p>
              <input id="field-tagNames" name="tagNames" value={values.tagNames} list="known-tags" aria-describedby="field-tagNames-hint" />
              <datalist id="known-tags">
                {choices.tags.map((t) => (
                  <option value={t.name} />
                ))}
              </datalist>
            </div>
            <div class="field">
              <label for="field-featuredMediaId">Featured picture</label>
              <p class="hint" id="field-featuredMediaId-hint">
                The newest 200 pictures and the one chosen now; “Find in the library” searches them all. Its alt text is the library’s: set it there.
              </p>
              <select
                id="field-featuredMediaId"
                name="featuredMediaId"
                aria-invalid={errors.featuredMediaId ? 'true' : undefined}
                aria-describedby={['field-featuredMediaId-hint', errors.featuredMediaId ? 'field-featuredMediaId-error' : ''].filter(Boolean).join(' ')}
              >
                <option value="">None</option>
                {props.mediaChoices.map((m) => (
                  <option value={m.id} selected={m.id === values.featuredMediaId}>
                    {m.label}
                  </option>
                ))}
              </select>
              {errors.featuredMediaId ? (
                <p class="field-error" id="field-featuredMediaId-error">
                  {errors.featuredMediaId}
                </p>
              ) : null}
            </div>
            <Field name="seoTitle" label="Search title" value={values.seoTitle} hint="For search engines, when the headline does not suit them." error={errors.seoTitle} />
            <TextArea name="seoDescription" label="Search description" value={values.seoDescription ?? ''} rows={2} error={errors.seoDescription} />
          </fieldset>
          <div class="save-bar">
            <button type="submit" disabled={!may.edit}>
              Save
            </button>
            <p id="save-state" role="status" class="meta">
              Version {props.editVersion}, saved {formatDateTime(article.modifiedAt, props.timeZone)}
            </p>
          </div>
        </form>

        <aside class="workflow" aria-labelledby="workflow-title">
          <h2 id="workflow-title">Workflow</h2>
          <WorkflowActions {...props} action={action} />
        </aside>
      </div>
    </AdminLayout>
  )
}

function WorkflowActions(props: EditorPageProps & { action: string }) {
  const { chrome, article, may, errors, action } = props
  const status = article.status
  const blocks: ComponentChildren[] = []
  if ((status === 'draft' || status === 'unpublished') && may.submit && !may.actForThePaper) {
    blocks.push(<ActionForm chrome={chrome} action={`${action}/submit`} label="Send for review" />)
  }
  if (status === 'draft' && may.actForThePaper) blocks.push(<ActionForm chrome={chrome} action={`${action}/submit`} label="Put in the review queue" />)
  // Killed agency copy: publishing needs an editor's explicit confirmation, and scheduling is refused (the server checks both).
  const isKilled = props.wireNotices.some((n) => n.isKilled)
  if (may.actForThePaper && (status === 'draft' || status === 'in_review' || status === 'unpublished' || status === 'scheduled')) {
    blocks.push(
      <ActionForm chrome={chrome} action={`${action}/publish`} label={status === 'unpublished' ? 'Publish again now' : 'Publish now'} danger={isKilled}>
        {isKilled ? (
          <div class="field">
            <label class="check">
              <input
                type="checkbox"
                id="field-publishAnyway"
                name="publishAnyway"
                value="1"
                aria-invalid={errors.publishAnyway ? 'true' : undefined}
                aria-describedby={errors.publishAnyway ? 'field-publishAnyway-error' : 'field-publishAnyway-hint'}
              />{' '}
              Publish anyway
            </label>
            {errors.publishAnyway ? (
              <p class="field-error" id="field-publishAnyway-error">
                {errors.publishAnyway}
              </p>
            ) : (
              <p class="hint" id="field-publishAnyway-hint">
                The agency killed its copy. Tick only if you have checked this story no longer depends on it; the history records who did.
              </p>
            )}
          </div>
        ) : null}
      </ActionForm>,
    )
  }
  if (may.actForThePaper && isKilled && (status === 'draft' || status === 'in_review')) {
    blocks.push(
      <p class="hint" id="field-at">
        No scheduling: the agency killed the copy this story was made from.
      </p>,
    )
    if (errors.at) blocks.push(<p class="field-error" id="field-at-error">{errors.at}</p>)
  } else if (may.actForThePaper && (status === 'draft' || status === 'in_review')) {
    blocks.push(
      <form method="post" action={`${action}/schedule`} class="action-form" data-flush-autosave>
        <CsrfField chrome={chrome} />
        <div class="field">
          <label for="field-at">Publish at ({props.timeZone})</label>
          <input id="field-at" type="datetime-local" name="at" value={props.scheduleValue} required aria-invalid={errors.at ? 'true' : undefined} aria-describedby={errors.at ? 'field-at-error' : undefined} />
          {errors.at ? (
            <p class="field-error" id="field-at-error">
              {errors.at}
            </p>
          ) : null}
        </div>
        <button type="submit">Schedule</button>
      </form>,
    )
  }
  if (may.actForThePaper && status === 'scheduled') blocks.push(<ActionForm chrome={chrome} action={`${action}/unschedule`} label="Take off the schedule" />)
  if (may.actForThePaper && (status === 'in_review' || status === 'scheduled')) {
    blocks.push(
      <form method="post" action={`${action}/send-back`} class="action-form" data-flush-autosave>
        <CsrfField chrome={chrome} />
        <TextArea name="note" label="Note to the writer" value="" rows={2} error={errors.note} />
        <button type="submit">Send back</button>
      </form>,
    )
  }
  if (may.actForThePaper && status === 'published') {
    // Offered whether or not changes were saved when the page was drawn: the
    // editor autosaves edits to a working copy without reloading the page.
    blocks.push(
      <p class="hint">Edits to a published story are kept apart until you publish them.</p>,
      <ActionForm chrome={chrome} action={`${action}/publish-changes`} label="Publish changes as an update">
        <input type="hidden" name="kind" value="update" />
      </ActionForm>,
      <ActionForm chrome={chrome} action={`${action}/publish-changes`} label="Publish as a minor fix">
        <input type="hidden" name="kind" value="minor" />
      </ActionForm>,
    )
    if (props.hasPendingChanges) blocks.push(<ActionForm chrome={chrome} action={`${action}/discard-changes`} label="Discard the changes" />)
    blocks.push(
      <form method="post" action={`${action}/correct`} class="action-form" data-flush-autosave>
        <CsrfField chrome={chrome} />
        <TextArea name="text" label="Correction" value="" rows={3} hint="Shown on the page with today's date. Pending changes are published with it." error={errors.text} />
        <button type="submit">Publish the correction</button>
      </form>,
      <form method="post" action={`${action}/unpublish`} class="action-form" data-flush-autosave>
        <CsrfField chrome={chrome} />
        <TextArea name="note" label="Why take it down?" value="" rows={2} hint="Kept in the story's history." error={errors.note} />
        <button type="submit" class="button-danger">
          Unpublish
        </button>
      </form>,
    )
  }
  blocks.push(
    <ActionForm chrome={chrome} action={`${action}/share`} label="Make a private preview link" />,
  )
  if (props.previewLink) {
    blocks.push(
      <div class="field">
        <label for="preview-link">Private preview link</label>
        <input id="preview-link" readonly value={props.previewLink.url} aria-describedby="preview-link-hint" />
        <p class="hint" id="preview-link-hint">
          Works until {formatDateTime(props.previewLink.expiresAt, props.timeZone)} for anyone who has it.
        </p>
      </div>,
    )
  }
  return <div class="workflow-actions">{blocks}</div>
}
