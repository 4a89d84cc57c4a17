import type { Command, EditorState } from 'prosemirror-state'
import type { EditorView } from 'prosemirror-view'
import { redo, undo } from 'prosemirror-history'
import { editorSchema } from '../schema.ts'
import {
  canLink,
  insertDivider,
  insertPullquote,
  isBlockActive,
  isMarkActive,
  listAround,
  toggleBold,
  toggleHeading2,
  toggleHeading3,
  toggleItalic,
  toggleList,
  toggleQuote,
} from './commands.ts'
import { h } from './dom.ts'

/**
 * The formatting toolbar: one tab stop (a roving tabindex; the arrow keys,
 * Home and End move between buttons), toggles that say whether they are on
 * with aria-pressed, and buttons that cannot apply marked aria-disabled (so
 * they stay reachable and announce themselves rather than vanish).
 */

interface Item {
  label: string
  /** Shortcut in aria-keyshortcuts form, with "Mod" for Control, or Meta on a Mac. */
  keys?: string
  /** A command, or an action that opens a dialog (then `opensDialog`). */
  run: Command | ((view: EditorView) => void)
  opensDialog?: boolean
  active?: (state: EditorState) => boolean
  enabled?: (state: EditorState) => boolean
  className?: string
}

export interface ToolbarActions {
  openLink(view: EditorView): void
  openEmbed(view: EditorView): void
  openImage(view: EditorView): void
}

const { nodes, marks } = editorSchema

function groups(actions: ToolbarActions): Item[][] {
  return [
    [
      { label: 'Bold', keys: 'Mod+B', run: toggleBold, active: (s) => isMarkActive(s, marks.bold), className: 'mh-tool-bold' },
      { label: 'Italic', keys: 'Mod+I', run: toggleItalic, active: (s) => isMarkActive(s, marks.italic), className: 'mh-tool-italic' },
      { label: 'Link', keys: 'Mod+K', run: actions.openLink, opensDialog: true, enabled: (s) => canLink(s) },
    ],
    [
      { label: 'Heading', keys: 'Mod+Alt+2', run: toggleHeading2, active: (s) => isBlockActive(s, nodes.heading, { level: 2 }) },
      { label: 'Subheading', keys: 'Mod+Alt+3', run: toggleHeading3, active: (s) => isBlockActive(s, nodes.heading, { level: 3 }) },
      { label: 'Bulleted list', keys: 'Mod+Shift+8', run: toggleList(false), active: (s) => listAround(s)?.node.attrs.ordered === false },
      { label: 'Numbered list', keys: 'Mod+Shift+7', run: toggleList(true), active: (s) => listAround(s)?.node.attrs.ordered === true },
      { label: 'Quote', keys: 'Mod+Shift+.', run: toggleQuote, active: (s) => isBlockActive(s, nodes.quote) },
    ],
    [
      { label: 'Pull quote', run: insertPullquote },
      { label: 'Divider', run: insertDivider },
      { label: 'Embed…', run: actions.openEmbed, opensDialog: true },
      { label: 'Picture…', run: actions.openImage, opensDialog: true },
    ],
    [
      { label: 'Undo', keys: 'Mod+Z', run: undo },
      { label: 'Redo', keys: 'Mod+Shift+Z', run: redo },
    ],
  ]
}

export interface Toolbar {
  element: HTMLElement
  update(state: EditorState): void
}

export function createToolbar(opts: { view: () => EditorView; actions: ToolbarActions; controls: string; isMac: boolean }): Toolbar {
  const element = h('div', { role: 'toolbar', 'aria-label': 'Story text formatting', 'aria-controls': opts.controls, class: 'mh-toolbar' })
  const buttons: { el: HTMLButtonElement; item: Item }[] = []
  const isCommand = (item: Item): item is Item & { run: Command } => !item.opensDialog
  const isAction = (item: Item): item is Item & { run: (view: EditorView) => void } => !!item.opensDialog

  groups(opts.actions).forEach((group, index) => {
    if (index > 0) element.append(h('span', { class: 'mh-toolbar-gap', 'aria-hidden': 'true' }))
    for (const item of group) {
      const keys = item.keys?.replace('Mod', opts.isMac ? 'Meta' : 'Control')
      const el = h(
        'button',
        {
          type: 'button',
          class: `mh-tool ${item.className ?? ''}`.trim(),
          tabindex: buttons.length === 0 ? 0 : -1,
          'aria-keyshortcuts': keys,
          'aria-haspopup': item.opensDialog ? 'dialog' : null,
          title: keys ? `${item.label.replace('…', '')} (${keys.replace(/\+/g, ' ')})` : null,
        },
        item.label,
      )
      // Keep the text selection: a pointer press on a button must not take focus from the editor.
      el.addEventListener('mousedown', (event) => event.preventDefault())
      el.addEventListener('click', () => {
        if (el.getAttribute('aria-disabled') === 'true') return
        const view = opts.view()
        if (isCommand(item)) {
          item.run(view.state, view.dispatch, view)
          view.focus()
        } else if (isAction(item)) item.run(view)
      })
      buttons.push({ el, item })
      element.append(el)
    }
  })

  element.addEventListener('keydown', (event) => {
    const index = buttons.findIndex((b) => b.el === document.activeElement)
    if (index < 0) return
    let next: number
    if (event.key === 'ArrowRight') next = (index + 1) % buttons.length
    else if (event.key === 'ArrowLeft') next = (index - 1 + buttons.length) % buttons.length
    else if (event.key === 'Home') next = 0
    else if (event.key === 'End') next = buttons.length - 1
    else return
    event.preventDefault()
    buttons[index]!.el.tabIndex = -1
    buttons[next]!.el.tabIndex = 0
    buttons[next]!.el.focus()
  })
  element.addEventListener('focusin', (event) => {
    for (const b of buttons) b.el.tabIndex = b.el === event.target ? 0 : -1
  })

  return {
    element,
    update(state) {
      for (const { el, item } of buttons) {
        if (item.active) el.setAttribute('aria-pressed', String(item.active(state)))
        const enabled = item.enabled ? item.enabled(state) : isCommand(item) ? item.run(state) : true
        if (enabled) el.removeAttribute('aria-disabled')
        else el.setAttribute('aria-disabled', 'true')
      }
    },
  }
}
