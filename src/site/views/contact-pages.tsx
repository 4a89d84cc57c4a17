import type { ComponentChildren } from 'preact'
import { Layout, type Chrome } from './layout.tsx'
import { urls } from '../urls.ts'

/** The three reader forms. */
export type ReaderFormKind = 'letter' | 'opinion' | 'tip'

/** What a form shows: what the reader typed (kept through errors), messages by field, the token and limits. */
export interface ReaderFormState {
  values: Record<string, string>
  errors: Record<string, string>
  /** The signed form token: when the form was shown, for the spam defences. */
  token: string
  /** The signed proof-of-work challenge the page's script solves while the reader types. */
  proof: string
  /** The form's script (hashed path), or null when there is none to load. */
  script: string | null
  /** The tip form's: the newsroom's public key (`age1…`) the browser seals the tip to; null for other forms or without a script. */
  recipient: string | null
  /** The story a letter answers, when the reader came from an article. */
  about?: { slug: string; title: string } | null
  letterWordLimit: number
  opinionWordLimit: number
  /** Most megabytes per attachment, and how many. */
  maxFileMb: number
  maxFiles: number
}

const TITLES: Record<ReaderFormKind, string> = {
  letter: 'Write a letter to the editor',
  opinion: 'Send an opinion piece',
  tip: 'Send us a news tip',
}

/** The honeypot: hidden from people by CSS and from assistive technology; scripts that fill every field fill it too. */
function Trap({ kind, value }: { kind: ReaderFormKind; value: string }) {
  return (
    <div class="trap" aria-hidden="true">
      <label for={`${kind}-website`}>Leave this empty</label>
      <input id={`${kind}-website`} name="website" type="text" value={value} tabindex={-1} autocomplete="off" />
    </div>
  )
}

function Field(props: {
  form: ReaderFormKind
  name: string
  label: string
  state: ReaderFormState
  type?: string
  hint?: string
  isOptional?: boolean
  isMultiline?: boolean
  autocomplete?: string
  maxlength?: number
}) {
  const id = `${props.form}-${props.name}`
  const error = props.state.errors[props.name]
  const describedBy = [props.hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined
  const common = {
    id,
    name: props.name,
    required: !props.isOptional,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
    autocomplete: props.autocomplete,
    maxlength: props.maxlength,
  }
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        {props.isOptional ? <span class="optional"> (optional)</span> : null}
      </label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.isMultiline ? <textarea {...common} rows={12} value={props.state.values[props.name] ?? ''} /> : <input {...common} type={props.type ?? 'text'} value={props.state.values[props.name] ?? ''} />}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  )
}

function FileField({ form, state, isMultiple }: { form: ReaderFormKind; state: ReaderFormState; isMultiple: boolean }) {
  const id = `${form}-files`
  const error = state.errors.files
  return (
    <div class="field">
      <label for={id}>
        {isMultiple ? 'Documents or pictures' : 'A document or picture'}
        <span class="optional"> (optional)</span>
      </label>
      <p class="hint" id={`${id}-hint`}>
        PDF, JPEG, PNG, plain text or Office documents; {isMultiple ? `up to ${state.maxFiles} files, ` : ''}at most {state.maxFileMb} MB each. Files you chose must be chosen again if the form
        comes back with a problem.
      </p>
      <input id={id} name="files" type="file" multiple={isMultiple} accept=".pdf,.jpg,.jpeg,.png,.txt,.doc,.docx,.odt,.xls,.xlsx,.ods,.pptx" aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`} aria-invalid={error ? 'true' : undefined} />
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  )
}

function FormProblem({ state }: { state: ReaderFormState }) {
  const count = Object.keys(state.errors).filter((k) => k !== '_form').length
  if (!state.errors._form && count === 0) return null
  return (
    <p class="form-problem" role="alert">
      {state.errors._form ?? (count === 1 ? 'One thing needs fixing; it is marked below. Everything you wrote is still here.' : `${count} things need fixing; they are marked below. Everything you wrote is still here.`)}
    </p>
  )
}

function FormFrame({ kind, state, children, headingLevel, isMultipart }: { kind: ReaderFormKind; state: ReaderFormState; children: ComponentChildren; headingLevel: 1 | 2; isMultipart: boolean }) {
  const Heading = headingLevel === 1 ? 'h1' : 'h2'
  return (
    <section aria-labelledby={`${kind}-title`}>
      <Heading id={`${kind}-title`}>{TITLES[kind]}</Heading>
      <form class="reader-form" method="post" action={urls.contactForm(kind)} enctype={isMultipart ? 'multipart/form-data' : undefined} data-recipient={state.recipient ?? undefined} novalidate>
        {/* The token goes first: multipart bodies are refused before any file is read when it is wrong. */}
        <input type="hidden" name="_form" value={state.token} />
        {/* The proof of work: the script fills in the answer while the reader types; without it the form still goes. */}
        <input type="hidden" name="_proof" value={state.proof} />
        <input type="hidden" name="_proof_answer" value="" />
        {state.recipient ? <input type="hidden" name="sealed" value="" /> : null}
        <FormProblem state={state} />
        {children}
        <Trap kind={kind} value={state.values.website ?? ''} />
        <button type="submit">{kind === 'letter' ? 'Send the letter' : kind === 'opinion' ? 'Send the piece' : 'Send the tip'}</button>
      </form>
    </section>
  )
}

/** A letter to the editor: name, town, email, the story it answers, and the text within the word limit. */
export function LetterForm({ state, headingLevel = 2 }: { state: ReaderFormState; headingLevel?: 1 | 2 }) {
  return (
    <FormFrame kind="letter" state={state} headingLevel={headingLevel} isMultipart={false}>
      <p>We publish a selection of letters with the writer’s name and town. We may shorten them. Your email address is never published.</p>
      {state.about ? (
        <p>
          About: <a href={urls.article(state.about.slug)}>{state.about.title}</a>
          <input type="hidden" name="about" value={state.about.slug} />
        </p>
      ) : null}
      <Field form="letter" name="name" label="Your name" state={state} autocomplete="name" maxlength={120} />
      <Field form="letter" name="town" label="Your town" state={state} autocomplete="address-level2" maxlength={120} />
      <Field form="letter" name="email" label="Your email address" type="email" state={state} autocomplete="email" hint="For our confirmation and questions from an editor." maxlength={254} />
      <Field form="letter" name="text" label="Your letter" state={state} isMultiline hint={`At most ${state.letterWordLimit} words. Leave a blank line between paragraphs.`} />
    </FormFrame>
  )
}

/** An opinion piece with a short biography and an optional attachment. */
export function OpinionForm({ state, headingLevel = 2 }: { state: ReaderFormState; headingLevel?: 1 | 2 }) {
  return (
    <FormFrame kind="opinion" state={state} headingLevel={headingLevel} isMultipart>
      <p>Opinion pieces from readers run with the writer’s name and a line about them. Tell us in the biography what makes you the person to write it.</p>
      <Field form="opinion" name="name" label="Your name" state={state} autocomplete="name" maxlength={120} />
      <Field form="opinion" name="email" label="Your email address" type="email" state={state} autocomplete="email" maxlength={254} />
      <Field form="opinion" name="bio" label="About you" state={state} hint="One or two sentences, as they would appear under the piece." maxlength={600} />
      <Field form="opinion" name="headline" label="Headline" state={state} maxlength={200} />
      <Field form="opinion" name="text" label="Your piece" state={state} isMultiline hint={`At most ${state.opinionWordLimit} words. Leave a blank line between paragraphs.`} />
      <FileField form="opinion" state={state} isMultiple={false} />
    </FormFrame>
  )
}

/** A news tip: only the text is needed. */
export function TipForm({ state, headingLevel = 2 }: { state: ReaderFormState; headingLevel?: 1 | 2 }) {
  return (
    <FormFrame kind="tip" state={state} headingLevel={headingLevel} isMultipart>
      <p>
        Anonymous tips are welcome: only the first field is needed. You will be given a reference and a passphrase to read our answers on the{' '}
        <a href={urls.tipFollowUp()}>follow-up page</a>, without an account or an email address.
      </p>
      <p>
        What we keep: what you write in this form and the files you attach, locked with the newsroom’s key so that only our editors can read them.
        {state.recipient
          ? ' With JavaScript on, your browser locks your words, contact details and files before they leave your device. Without JavaScript, everything is locked on arrival.'
          : ' Everything is locked on arrival.'}{' '}
        What we do not keep: your internet address, your browser’s details or anything else about the device you send from, not even in our logs. Contact details are up to you;
        a confirmation email, if we send one, travels like any email and is not locked.
      </p>
      <Field form="tip" name="text" label="What do you know?" state={state} isMultiline />
      <Field form="tip" name="name" label="Your name" state={state} isOptional autocomplete="off" maxlength={120} />
      <Field form="tip" name="email" label="Your email address" type="email" state={state} isOptional autocomplete="off" hint="Only if you would like a confirmation or an answer." maxlength={254} />
      <Field form="tip" name="contact" label="Another way to reach you" state={state} isOptional autocomplete="off" hint="A phone number or messaging account, if you prefer." maxlength={300} />
      <FileField form="tip" state={state} isMultiple />
    </FormFrame>
  )
}

const FORMS = { letter: LetterForm, opinion: OpinionForm, tip: TipForm }

/** /contact: the newsroom's contact text, then the three forms. */
export function ContactPage({ chrome, states }: { chrome: Chrome; states: Record<ReaderFormKind, ReaderFormState> }) {
  return (
    <Layout chrome={chrome} title={`Contact us | ${chrome.settings.siteName}`} canonicalPath={urls.contact()} currentPath={urls.contact()}>
      <header class="page-header">
        <h1>Contact us</h1>
      </header>
      {chrome.settings.contactText.split(/\n{2,}/).map((para) => (
        <p>{para}</p>
      ))}
      <p>{chrome.settings.disclaimer}</p>
      <nav aria-label="Forms on this page">
        <ul>
          <li>
            <a href={urls.contactForm('letter')}>Write a letter to the editor</a>
          </li>
          <li>
            <a href={urls.contactForm('opinion')}>Send an opinion piece</a>
          </li>
          <li>
            <a href={urls.contactForm('tip')}>Send a news tip</a>
          </li>
          <li>
            <a href={urls.tipFollowUp()}>Follow up on a tip you sent</a>
          </li>
        </ul>
      </nav>
      <div class="contact-forms">
        <LetterForm state={states.letter} />
        <OpinionForm state={states.opinion} />
        <TipForm state={states.tip} />
      </div>
      {states.tip.script ? <script src={states.tip.script} defer /> : null}
    </Layout>
  )
}

/** One form on a page of its own: /contact/letter, /contact/opinion, /contact/tip. */
export function ReaderFormPage({ chrome, kind, state }: { chrome: Chrome; kind: ReaderFormKind; state: ReaderFormState }) {
  const Form = FORMS[kind]
  return (
    <Layout chrome={chrome} title={`${state.errors._form || Object.keys(state.errors).length > 0 ? 'Check the form: ' : ''}${TITLES[kind]} | ${chrome.settings.siteName}`} canonicalPath={urls.contactForm(kind)}>
      <p>
        <a href={urls.contact()}>Contact us</a>
      </p>
      <Form state={state} headingLevel={1} />
      {state.script ? <script src={state.script} defer /> : null}
    </Layout>
  )
}

/** After sending: the reference to quote, and whether a confirmation went out. */
export function ReceiptPage({
  chrome,
  kind,
  reference,
  isMailed,
  isMailWithheld = false,
  hasEmail,
  passphrase,
  sealedIn = null,
}: {
  chrome: Chrome
  kind: ReaderFormKind
  reference: string
  isMailed: boolean
  /** A tip's confirmation not sent because this site keeps its mail unencrypted on disk. */
  isMailWithheld?: boolean
  hasEmail: boolean
  passphrase: string | null
  /** A tip's: where it was locked, said plainly on the page. */
  sealedIn?: 'browser' | 'server' | null
}) {
  const what = kind === 'letter' ? 'letter' : kind === 'opinion' ? 'opinion piece' : 'tip'
  return (
    <Layout chrome={chrome} title={`Thank you | ${chrome.settings.siteName}`}>
      <header class="page-header">
        <h1>Thank you: we have your {what}</h1>
      </header>
      <div class="receipt" role="status">
        <p>Your reference:</p>
        <p class="reference">{reference}</p>
        <p>Quote it if you write to us about this {what}.</p>
        {passphrase ? (
          <>
            <p>Your passphrase:</p>
            <p class="reference passphrase">{passphrase}</p>
          </>
        ) : null}
      </div>
      {passphrase ? (
        <p>
          Write the reference and the passphrase down now, somewhere safe: we show the passphrase only this once and cannot tell it to you again. With both, our{' '}
          <a href={urls.tipFollowUp()}>follow-up page</a> shows what the newsroom answers and takes more information, without an account or an email address.
        </p>
      ) : null}
      <p>
        {isMailed
          ? 'We sent a confirmation to the email address you gave.'
          : isMailWithheld
            ? 'We sent no confirmation to your email address: this site would have kept the email unlocked on its server, so we do not send one for a tip. Keep the reference shown here instead.'
            : hasEmail
            ? 'We could not send a confirmation to your email address just now, but your ' + what + ' has arrived.'
            : 'You gave no email address, so no confirmation was sent.'}
      </p>
      {sealedIn === 'browser' ? <p class="sealed-in">Your browser locked your words, contact details and files with the newsroom’s key before sending them.</p> : null}
      {sealedIn === 'server' ? <p class="sealed-in">Your tip was locked with the newsroom’s key on arrival at our server (your browser did not lock it, because JavaScript was off or could not run).</p> : null}
      <p>{kind === 'tip' ? 'Editors read every tip. We may not be able to answer each one.' : 'An editor will read it. If we publish it, we may shorten it.'}</p>
      <p>
        <a href={urls.home()}>Back to the front page</a>
      </p>
    </Layout>
  )
}
