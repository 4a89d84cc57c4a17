import type { ComponentChildren } from 'preact'

/**
 * Form controls beside `Field` in layout.tsx, with the same shape: a label,
 * an optional hint, the error at the field, and `aria-describedby` tying
 * them together. Ids are `field-<name>` so ErrorSummary links reach them.
 */
function describedBy(id: string, hint?: string, error?: string): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined
}

function Extras(props: { id: string; hint?: string | undefined; error?: string | undefined; children: ComponentChildren; label: string }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.children}
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  )
}

/** A labelled select; `options` are value/label pairs, the first one chosen when nothing matches. */
export function SelectField(props: { name: string; label: string; value: string | null; options: readonly { value: string; label: string }[]; hint?: string; error?: string | undefined }) {
  const id = `field-${props.name}`
  return (
    <Extras id={id} label={props.label} hint={props.hint} error={props.error}>
      <select id={id} name={props.name} aria-invalid={props.error ? 'true' : undefined} aria-describedby={describedBy(id, props.hint, props.error)}>
        {props.options.map((option) => (
          <option value={option.value} selected={option.value === (props.value ?? '')}>
            {option.label}
          </option>
        ))}
      </select>
    </Extras>
  )
}

/** A labelled multi-line text box. */
export function TextAreaField(props: { name: string; label: string; value: string | null; rows?: number; hint?: string; error?: string | undefined; required?: boolean }) {
  const id = `field-${props.name}`
  return (
    <Extras id={id} label={props.label} hint={props.hint} error={props.error}>
      <textarea id={id} name={props.name} rows={props.rows ?? 4} required={props.required} aria-invalid={props.error ? 'true' : undefined} aria-describedby={describedBy(id, props.hint, props.error)}>
        {props.value ?? ''}
      </textarea>
    </Extras>
  )
}

/** A checkbox with its label after it; sends `on` when ticked. */
export function CheckboxField(props: { name: string; label: string; checked: boolean; hint?: string; error?: string | undefined }) {
  const id = `field-${props.name}`
  return (
    <div class="field field-check">
      <input id={id} type="checkbox" name={props.name} value="on" checked={props.checked} aria-describedby={describedBy(id, props.hint, props.error)} />
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  )
}

/** The green line after a change went through, or nothing. */
export function DoneNotice(props: { message: string | null | undefined }) {
  return props.message ? (
    <p class="notice notice-ok" role="status">
      {props.message}
    </p>
  ) : null
}

/**
 * Reads lines of links as people type them, "Label https://address" or just
 * the address, into label/url pairs; the label defaults to the host name.
 * Bad addresses are left for the domain schema to refuse with a message.
 */
export function parseLinkLines(text: string): { label: string; url: string }[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const parts = line.split(/\s+/)
      const url = parts.pop()!
      let label = parts.join(' ')
      if (!label) {
        try {
          label = new URL(url).hostname
        } catch {
          label = url
        }
      }
      return { label, url }
    })
}

/** The opposite of parseLinkLines, for filling the text box again. */
export function linkLines(links: readonly { label: string; url: string }[]): string {
  return links.map((link) => `${link.label} ${link.url}`).join('\n')
}

/**
 * The options of a picture select: none, then the library's newest pictures;
 * a stored id not among them stays choosable so saving does not drop it.
 */
export function pictureOptions(choices: readonly { id: string; label: string }[], current: string, none: string): { value: string; label: string }[] {
  const options = [{ value: '', label: none }, ...choices.map((choice) => ({ value: choice.id, label: choice.label }))]
  if (current && !choices.some((choice) => choice.id === current)) options.push({ value: current, label: `Current picture (${current})` })
  return options
}

/**
 * A form of one button that posts to `action` (revoke, deactivate, send
 * again…), with the CSRF token. In a list, `subject` names the row for
 * screen readers: "Revoke Newsletter builder" where sighted people see "Revoke".
 */
export function PostButton(props: { action: string; csrfToken: string; label: string; subject?: string; kind?: 'danger' | 'link'; children?: ComponentChildren }) {
  const buttonClass = props.kind === 'danger' ? 'button-danger' : props.kind === 'link' ? 'link-button' : undefined
  return (
    <form method="post" action={props.action}>
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      {props.children}
      <button type="submit" class={buttonClass}>
        {props.label}
        {props.subject ? <span class="visually-hidden"> {props.subject}</span> : null}
      </button>
    </form>
  )
}
