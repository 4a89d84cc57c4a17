import type { Node as PMNode } from 'prosemirror-model'
import { NodeSelection, type EditorState } from 'prosemirror-state'
import type { EditorView } from 'prosemirror-view'
import { isEmbedUrl } from '../../../articles/links.ts'
import { editorSchema } from '../schema.ts'
import { button, h, onEnter, textField, type TextField } from './dom.ts'

/**
 * The "Block details" panel, right after the text in tab order: the fields of
 * the quote or pull quote the cursor is in, or of the selected picture or
 * embed. Each keystroke updates the node's attributes (undoable like any
 * edit); required fields say so while they are empty.
 */

const { nodes } = editorSchema

interface Target {
  pos: number
  node: PMNode
}

/** The block whose details the panel shows for this selection, or null. */
export function detailsTarget(state: EditorState): Target | null {
  const { selection } = state
  const editable = (node: PMNode) => node.type === nodes.quote || node.type === nodes.pullquote || node.type === nodes.image || node.type === nodes.embed
  if (selection instanceof NodeSelection && editable(selection.node)) return { pos: selection.from, node: selection.node }
  const { $from } = selection
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth)
    if (editable(node)) return { pos: $from.before(depth), node }
  }
  return null
}

interface FieldSpec {
  attr: string
  label: string
  required?: boolean
  multiline?: boolean
  type?: string
  hint?: string
  /** The message while the value is not acceptable, or null. */
  check?: (value: string) => string | null
}

const REQUIRED_SPEAKER = 'Say who said this: a quote needs a speaker.'

const SPECS: Record<string, { legend: string; fields: FieldSpec[] }> = {
  quote: {
    legend: 'Quote: who said it',
    fields: [
      { attr: 'speaker', label: 'Speaker', required: true, check: (v) => (v.trim() ? null : REQUIRED_SPEAKER) },
      { attr: 'role', label: 'Role', hint: 'For example Foreign Minister.' },
      { attr: 'givenTo', label: 'Given to', hint: 'The outlet or audience, for example Meridian or reporters.' },
      { attr: 'context', label: 'Context', hint: 'How it was said, for example in an interview.' },
      { attr: 'via', label: 'Via', hint: 'The agency it reached us through, if it was given to another outlet.' },
      { attr: 'date', label: 'Date', type: 'date', hint: 'When it was said, if known.' },
    ],
  },
  pullquote: {
    legend: 'Pull quote',
    fields: [{ attr: 'speaker', label: 'Speaker', hint: 'Optional.' }],
  },
  image: {
    legend: 'Picture',
    fields: [
      {
        attr: 'alt',
        label: 'Alt text',
        required: true,
        multiline: true,
        hint: 'What the picture shows, for readers who cannot see it. Required before publishing.',
        check: (v) => (v.trim() ? null : 'Alt text is missing: describe what the picture shows.'),
      },
      { attr: 'caption', label: 'Caption', multiline: true },
      { attr: 'credit', label: 'Credit', hint: 'For example Photo: ACP.' },
    ],
  },
  embed: {
    legend: 'Embed',
    fields: [
      { attr: 'url', label: 'Address', type: 'url', required: true, check: (v) => (isEmbedUrl(v.trim()) ? null : 'Give a full http:// or https:// address.') },
      { attr: 'title', label: 'Title', required: true, hint: 'Readers see this as the link text.', check: (v) => (v.trim() ? null : 'Give the embed a title.') },
      { attr: 'provider', label: 'Provider', hint: 'For example the video site’s name. Optional.' },
    ],
  },
}

export interface DetailsPanel {
  element: HTMLElement
  update(state: EditorState): void
}

export function createDetailsPanel(opts: { view: () => EditorView; id: (name: string) => string }): DetailsPanel {
  const element = h('div', { class: 'mh-details' })
  const empty = h('p', { class: 'hint' }, 'Block details: put the cursor in a quote or pull quote, or select a picture or embed, to edit its details here.')
  element.append(empty)
  let shown: { type: string; pos: number; fields: { spec: FieldSpec; field: TextField }[] } | null = null

  function render(target: Target | null) {
    element.replaceChildren()
    if (!target) {
      shown = null
      element.append(empty)
      return
    }
    const spec = SPECS[target.node.type.name]!
    const fieldset = h('fieldset', { class: 'mh-details-fields' }, h('legend', {}, spec.legend))
    const fields = spec.fields.map((fieldSpec) => {
      const field = textField({
        id: opts.id,
        label: fieldSpec.label,
        value: String(target.node.attrs[fieldSpec.attr] ?? ''),
        required: fieldSpec.required,
        multiline: fieldSpec.multiline,
        type: fieldSpec.type,
        hint: fieldSpec.hint,
      })
      field.setError(fieldSpec.check?.(field.input.value) ?? null)
      field.input.addEventListener('input', () => {
        field.setError(fieldSpec.check?.(field.input.value) ?? null)
        write(fieldSpec.attr, field.input.value)
      })
      onEnter(field.input, () => opts.view().focus())
      fieldset.append(field.wrapper)
      return { spec: fieldSpec, field }
    })
    if (target.node.type === nodes.image) {
      const attrs = target.node.attrs
      fieldset.append(h('p', { class: 'hint' }, `${attrs.width as number} × ${attrs.height as number} pixels${attrs.mediaId ? ', from the media library' : ''}.`))
    }
    fieldset.append(h('p', { class: 'mh-details-back' }, button('Back to the text', () => opts.view().focus(), { class: 'link-button' })))
    element.append(fieldset)
    shown = { type: target.node.type.name, pos: target.pos, fields }
  }

  function write(attr: string, value: string) {
    const view = opts.view()
    if (!shown) return
    const node = view.state.doc.nodeAt(shown.pos)
    if (!node || node.type.name !== shown.type) return
    const tr = view.state.tr.setNodeMarkup(shown.pos, null, { ...node.attrs, [attr]: value })
    // Keep the selection where it was: a selected picture stays selected.
    if (view.state.selection instanceof NodeSelection && view.state.selection.from === shown.pos) tr.setSelection(NodeSelection.create(tr.doc, shown.pos))
    view.dispatch(tr.setMeta('mh-details', true))
  }

  return {
    element,
    update(state) {
      const target = detailsTarget(state)
      if (!target) {
        if (shown) render(null)
        return
      }
      if (shown && shown.type === target.node.type.name && shown.pos === target.pos) {
        // Same block: bring fields up to date (after undo, say) without disturbing the one being typed in.
        for (const { spec, field } of shown.fields) {
          const value = String(target.node.attrs[spec.attr] ?? '')
          if (field.input.value !== value && document.activeElement !== field.input) {
            field.input.value = value
            field.setError(spec.check?.(value) ?? null)
          }
        }
        return
      }
      render(target)
    },
  }
}
