/**
 * Small DOM helpers for the editor's own interface. Attributes only, never a
 * `style` attribute: the admin's Content-Security-Policy forbids inline styles.
 */

type Child = Node | string | null | undefined | false
type Props = Record<string, string | number | boolean | null | undefined>

/** Creates an element with attributes (false, null and undefined are left out; true is an empty attribute) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(props)) {
    if (value === false || value === null || value === undefined) continue
    el.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child)
  return el
}

/** Ids for the elements the editor creates, unique on the page. */
export function createIds(prefix: string): (name: string) => string {
  let count = 0
  return (name) => `${prefix}-${name}-${++count}`
}

/** Adds an id to an element's aria-describedby list. */
export function addDescribedBy(el: Element, id: string): void {
  const ids = new Set((el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean))
  ids.add(id)
  el.setAttribute('aria-describedby', [...ids].join(' '))
}

/** Removes an id from an element's aria-describedby list. */
export function removeDescribedBy(el: Element, id: string): void {
  const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x && x !== id)
  if (ids.length) el.setAttribute('aria-describedby', ids.join(' '))
  else el.removeAttribute('aria-describedby')
}

/**
 * Runs `action` on Enter in a text field. The editor lives inside the story
 * form, where Enter in a field would otherwise submit the whole form.
 */
export function onEnter(input: HTMLElement, action: () => void): void {
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.isComposing && !(input instanceof HTMLTextAreaElement)) {
      event.preventDefault()
      action()
    }
  })
}

/** "14:05", in the browser's time zone. */
export function clockTime(iso: string | Date): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso
  if (Number.isNaN(date.getTime())) return ''
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`
}

/** A labelled text field in the admin's `.field` layout, with an optional hint and a slot for an error. */
export interface TextField {
  wrapper: HTMLDivElement
  input: HTMLInputElement | HTMLTextAreaElement
  /** Shows a message under the field and marks it invalid; null clears it. */
  setError(message: string | null): void
}

export function textField(opts: {
  id: (name: string) => string
  label: string
  value: string
  required?: boolean
  multiline?: boolean
  type?: string
  hint?: string
  autocomplete?: string
}): TextField {
  const inputId = opts.id('field')
  const hintId = opts.hint ? opts.id('hint') : null
  const errorId = opts.id('error')
  const input = opts.multiline
    ? h('textarea', { id: inputId, rows: 2, 'aria-required': opts.required ? 'true' : null })
    : h('input', { id: inputId, type: opts.type ?? 'text', autocomplete: opts.autocomplete ?? 'off', 'aria-required': opts.required ? 'true' : null })
  input.value = opts.value
  if (hintId) addDescribedBy(input, hintId)
  const error = h('p', { class: 'field-error', id: errorId })
  error.hidden = true
  const wrapper = h(
    'div',
    { class: 'field' },
    h('label', { for: inputId }, opts.label, opts.required ? h('span', { class: 'mh-required' }, ' (required)') : null),
    input,
    hintId ? h('p', { class: 'hint', id: hintId }, opts.hint) : null,
    error,
  )
  return {
    wrapper,
    input,
    setError(message) {
      error.textContent = message ?? ''
      error.hidden = !message
      if (message) {
        input.setAttribute('aria-invalid', 'true')
        addDescribedBy(input, errorId)
      } else {
        input.removeAttribute('aria-invalid')
        removeDescribedBy(input, errorId)
      }
    },
  }
}

/**
 * A modal dialog built on <dialog>, which gives focus containment, Escape and
 * the inert page behind it. It holds no <form>: it may sit inside the story
 * form, and forms may not nest.
 */
export interface Dialog {
  dialog: HTMLDialogElement
  body: HTMLDivElement
  actions: HTMLDivElement
  open(focus?: HTMLElement): void
  close(): void
}

export function createDialog(opts: { id: (name: string) => string; title: string; className?: string; onClose?: () => void }): Dialog {
  const titleId = opts.id('dialog-title')
  const body = h('div', { class: 'mh-dialog-body' })
  const actions = h('div', { class: 'mh-dialog-actions' })
  const dialog = h('dialog', { class: `mh-dialog ${opts.className ?? ''}`.trim(), 'aria-labelledby': titleId }, h('h2', { id: titleId }, opts.title), body, actions)
  // The close event arrives a task later; a dialog we close ourselves hands focus
  // back at once, or keys pressed in between would land on a stale selection.
  let closedHere = false
  dialog.addEventListener('close', () => {
    if (closedHere) closedHere = false
    else opts.onClose?.()
  })
  return {
    dialog,
    body,
    actions,
    open(focus) {
      if (!dialog.open) dialog.showModal()
      focus?.focus()
    },
    close() {
      if (!dialog.open) return
      closedHere = true
      dialog.close()
      opts.onClose?.()
    },
  }
}

/** A button that never submits the form it happens to sit in. */
export function button(label: string, onClick: () => void, props: Props = {}): HTMLButtonElement {
  const el = h('button', { type: 'button', ...props }, label)
  el.addEventListener('click', onClick)
  return el
}
