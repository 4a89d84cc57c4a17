import type { FollowUpView } from '../../submissions/index.ts'
import { formatDateTime } from '../format.ts'
import { urls } from '../urls.ts'
import { Layout, type Chrome } from './layout.tsx'

/** The look-up form: the reference as typed (the passphrase is never shown back), messages, and text waiting to be sent. */
export interface FollowUpLookupState {
  values: { reference: string; text: string }
  errors: Record<string, string>
  token: string
}

/** The follow-up page after the look-up: what the newsroom wrote, and the form to add more. */
export interface FollowUpState {
  view: FollowUpView
  /** Opens the "add information" form for a short while; carried in the form, never in a cookie. */
  access: string
  /** How many minutes `access` lasts. */
  accessMinutes: number
  values: { text: string }
  errors: Record<string, string>
  notice: string | null
  maxFileMb: number
  maxFiles: number
}

function Problem({ errors }: { errors: Record<string, string> }) {
  const count = Object.keys(errors).filter((k) => k !== '_form').length
  if (!errors._form && count === 0) return null
  return (
    <p class="form-problem" role="alert">
      {errors._form ?? (count === 1 ? 'One thing needs fixing; it is marked below.' : `${count} things need fixing; they are marked below.`)}
    </p>
  )
}

function FieldError({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p class="field-error" id={id}>
      {error}
    </p>
  ) : null
}

const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(' ') || undefined

/** /contact/tip/follow-up: the tipster gives the reference and passphrase from the confirmation page. */
export function FollowUpLookupPage({ chrome, state }: { chrome: Chrome; state: FollowUpLookupState }) {
  const { values, errors } = state
  const hasErrors = Boolean(errors._form) || Object.keys(errors).length > 0
  return (
    <Layout chrome={chrome} title={`${hasErrors ? 'Check the form: ' : ''}Follow up on a tip | ${chrome.settings.siteName}`} canonicalPath={urls.tipFollowUp()}>
      <p>
        <a href={urls.contact()}>Contact us</a>
      </p>
      <section aria-labelledby="follow-up-title">
        <h1 id="follow-up-title">Follow up on a tip</h1>
        <p>
          When you sent a tip we showed you a reference and a passphrase of eight words. Give both to read what the newsroom has answered and to tell us more. You need no account, and we
          set no cookie.
        </p>
        <form class="reader-form" method="post" action={urls.tipFollowUp()} novalidate>
          <input type="hidden" name="_form" value={state.token} />
          {values.text ? <input type="hidden" name="text" value={values.text} /> : null}
          <Problem errors={errors} />
          {values.text ? <p>What you wrote last time is kept: it will be in the form again once you are in.</p> : null}
          <div class="field">
            <label for="follow-up-reference">Reference</label>
            <p class="hint" id="follow-up-reference-hint">
              It begins with T-, for example T-7K3M9Q2D.
            </p>
            <input
              id="follow-up-reference"
              name="reference"
              type="text"
              required
              autocomplete="off"
              spellcheck={false}
              maxlength={40}
              value={values.reference}
              aria-invalid={errors.reference ? 'true' : undefined}
              aria-describedby={describedBy('follow-up-reference-hint', errors.reference && 'follow-up-reference-error')}
            />
            <FieldError id="follow-up-reference-error" error={errors.reference} />
          </div>
          <div class="field">
            <label for="follow-up-passphrase">Passphrase</label>
            <p class="hint" id="follow-up-passphrase-hint">
              The eight words, with spaces between them.
            </p>
            <input
              id="follow-up-passphrase"
              name="passphrase"
              type="password"
              required
              autocomplete="off"
              spellcheck={false}
              maxlength={500}
              aria-invalid={errors.passphrase ? 'true' : undefined}
              aria-describedby={describedBy('follow-up-passphrase-hint', errors.passphrase && 'follow-up-passphrase-error')}
            />
            <FieldError id="follow-up-passphrase-error" error={errors.passphrase} />
          </div>
          <div class="trap" aria-hidden="true">
            <label for="follow-up-website">Leave this empty</label>
            <input id="follow-up-website" name="website" type="text" value="" tabindex={-1} autocomplete="off" />
          </div>
          <button type="submit">Open the follow-up page</button>
        </form>
      </section>
    </Layout>
  )
}

/** The follow-up page itself: replies from the newsroom, dates of what the tipster added, and a form to add more. */
export function FollowUpPage({ chrome, state }: { chrome: Chrome; state: FollowUpState }) {
  const { view, errors, values } = state
  const zone = chrome.settings.timeZone
  const hasErrors = Boolean(errors._form) || Object.keys(errors).length > 0
  return (
    <Layout chrome={chrome} title={`${hasErrors ? 'Check the form: ' : ''}Your tip ${view.reference} | ${chrome.settings.siteName}`}>
      <header class="page-header">
        <h1>Your tip {view.reference}</h1>
      </header>
      {state.notice ? (
        <p class="receipt" role="status">
          {state.notice}
        </p>
      ) : null}
      <p>
        Sent <time datetime={view.createdAt}>{formatDateTime(view.createdAt, zone)}</time>. For your safety this page shows what you sent only as dates: anyone who learns your
        passphrase cannot read your words back here.
      </p>
      <section aria-labelledby="follow-up-messages">
        <h2 id="follow-up-messages">Messages</h2>
        {view.messages.length === 0 ? <p>Nothing yet. The newsroom answers here when it has something to say or to ask; come back later.</p> : null}
        <ol class="notes">
          {view.messages.map((m) => (
            <li>
              <p class="meta">
                {m.direction === 'to_tipster' ? 'From the newsroom' : 'You added information'}, <time datetime={m.createdAt}>{formatDateTime(m.createdAt, zone)}</time>
                {m.fileCount > 0 ? ` (${m.fileCount === 1 ? 'one file' : `${m.fileCount} files`})` : ''}
              </p>
              {m.text !== null ? <div class="reader-text">{m.text}</div> : null}
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="follow-up-add">
        <h2 id="follow-up-add">Tell us more</h2>
        <form class="reader-form" method="post" action={urls.tipFollowUpAdd()} enctype="multipart/form-data" novalidate>
          {/* First part: it says which tip, and that its passphrase was given a moment ago. */}
          <input type="hidden" name="_form" value={state.access} />
          <Problem errors={errors} />
          <p>This form works for {state.accessMinutes} minutes; after that, give your reference and passphrase again. What you write is locked with the newsroom’s key on arrival.</p>
          <div class="field">
            <label for="follow-up-text">More information</label>
            <textarea id="follow-up-text" name="text" rows={10} required aria-invalid={errors.text ? 'true' : undefined} aria-describedby={errors.text ? 'follow-up-text-error' : undefined}>
              {values.text}
            </textarea>
            <FieldError id="follow-up-text-error" error={errors.text} />
          </div>
          <div class="field">
            <label for="follow-up-files">
              Documents or pictures<span class="optional"> (optional)</span>
            </label>
            <p class="hint" id="follow-up-files-hint">
              PDF, JPEG, PNG, plain text or Office documents; up to {state.maxFiles} files, at most {state.maxFileMb} MB each.
            </p>
            <input
              id="follow-up-files"
              name="files"
              type="file"
              multiple
              accept=".pdf,.jpg,.jpeg,.png,.txt,.doc,.docx,.odt,.xls,.xlsx,.ods,.pptx"
              aria-invalid={errors.files ? 'true' : undefined}
              aria-describedby={describedBy('follow-up-files-hint', errors.files && 'follow-up-files-error')}
            />
            <FieldError id="follow-up-files-error" error={errors.files} />
          </div>
          <div class="trap" aria-hidden="true">
            <label for="follow-up-add-website">Leave this empty</label>
            <input id="follow-up-add-website" name="website" type="text" value="" tabindex={-1} autocomplete="off" />
          </div>
          <button type="submit">Send the information</button>
        </form>
      </section>
      <p>
        <a href={urls.home()}>Leave this page</a>
      </p>
    </Layout>
  )
}
