/**
 * The story form's side fields as the autosave sends them, and back: which
 * controls count, which are lists, and how to name them and their values for
 * people (the conflict dialog).
 */

/** Field values by name: strings, or string arrays for multiple-choice fields. */
export type Fields = Record<string, string | string[]>

/** Names the autosave never sends as fields: they travel in their own places. */
export const NOT_FIELDS = new Set(['_csrf', 'body', 'baseVersion'])

/** A form control that can hold a field value. */
export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement

/** The form's controls that are story fields (named, not _csrf/body/baseVersion, not buttons or files). */
export function controls(form: HTMLFormElement): Control[] {
  return [...form.elements].filter(
    (el): el is Control =>
      (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) &&
      el.name !== '' &&
      !NOT_FIELDS.has(el.name) &&
      !(el instanceof HTMLInputElement && ['file', 'submit', 'button', 'reset', 'image'].includes(el.type)),
  )
}

/** Names sent as arrays: a <select multiple>, several checkboxes sharing a name, or any control marked data-multiple. */
function multipleNames(list: Control[]): Set<string> {
  const names = new Set<string>()
  const checkboxes = new Map<string, number>()
  for (const el of list) {
    if ((el instanceof HTMLSelectElement && el.multiple) || el.hasAttribute('data-multiple')) names.add(el.name)
    if (el instanceof HTMLInputElement && el.type === 'checkbox') checkboxes.set(el.name, (checkboxes.get(el.name) ?? 0) + 1)
  }
  for (const [name, count] of checkboxes) if (count > 1) names.add(name)
  return names
}

/**
 * Every named field of the form, as a form post would send it but as JSON:
 * strings, or string arrays for multiple-choice fields (empty when nothing is
 * chosen). Unchecked lone checkboxes and radio groups are left out, disabled
 * controls too; _csrf, body and baseVersion are not fields.
 */
export function collectFields(form: HTMLFormElement): Fields {
  const list = controls(form)
  const multiple = multipleNames(list)
  const out: Fields = {}
  for (const name of multiple) out[name] = []
  for (const el of list) {
    if (el.disabled) continue
    let values: string[]
    if (el instanceof HTMLSelectElement) values = [...el.selectedOptions].map((o) => o.value)
    else if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) values = el.checked ? [el.value] : []
    else values = [el.value]
    if (multiple.has(el.name)) (out[el.name] as string[]).push(...values)
    else if (values.length) out[el.name] = values[values.length - 1]!
  }
  return out
}

/** Puts field values into the form (the other side of `collectFields`), and tells the page's widgets with change events. */
export function applyFields(form: HTMLFormElement, fields: Fields): void {
  const list = controls(form)
  const byName = new Map<string, Control[]>()
  for (const el of list) byName.set(el.name, [...(byName.get(el.name) ?? []), el])
  for (const [name, els] of byName) {
    if (!(name in fields)) continue
    const value = fields[name]!
    const values = Array.isArray(value) ? value : [value]
    els.forEach((el, i) => {
      if (el instanceof HTMLSelectElement) for (const option of el.options) option.selected = values.includes(option.value)
      else if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) el.checked = values.includes(el.value)
      else if (els.length === 1) el.value = values.join(',')
      else if (i < values.length) el.value = values[i]!
      el.dispatchEvent(new Event('input', { bubbles: true }))
      el.dispatchEvent(new Event('change', { bubbles: true }))
    })
  }
}

/** What a person calls a field: its label, or the legend of the group of checkboxes or radios it is part of. */
export function fieldLabel(form: HTMLFormElement, name: string): string {
  const list = controls(form).filter((el) => el.name === name)
  const first = list[0]
  if (!first) return name
  const legend = list.length > 1 || (first instanceof HTMLInputElement && (first.type === 'checkbox' || first.type === 'radio')) ? first.closest('fieldset')?.querySelector('legend')?.textContent : null
  return (legend ?? first.labels?.[0]?.textContent ?? name).trim() || name
}

/** What a person calls a value: the text of the option or the label of the checkbox that stands for it. */
export function valueLabel(form: HTMLFormElement, name: string, value: string): string {
  for (const el of controls(form)) {
    if (el.name !== name) continue
    if (el instanceof HTMLSelectElement) {
      const option = [...el.options].find((o) => o.value === value)
      if (option) return option.text.trim() || value
    } else if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio') && el.value === value) {
      return el.labels?.[0]?.textContent?.trim() || value
    }
  }
  return value
}
