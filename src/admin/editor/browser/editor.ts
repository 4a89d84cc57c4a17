import { dropCursor } from 'prosemirror-dropcursor'
import { gapCursor } from 'prosemirror-gapcursor'
import { closeHistory, history } from 'prosemirror-history'
import { InputRule, inputRules, textblockTypeInputRule, wrappingInputRule } from 'prosemirror-inputrules'
import { keymap } from 'prosemirror-keymap'
import { baseKeymap } from 'prosemirror-commands'
import { Fragment, type Node as PMNode } from 'prosemirror-model'
import { EditorState, NodeSelection, Selection, TextSelection, type Command, type Transaction } from 'prosemirror-state'
import { EditorView } from 'prosemirror-view'
import type { Body } from '../../../articles/body.ts'
import { bodyToDoc, docToBody } from '../convert.ts'
import { editorSchema } from '../schema.ts'
import {
  canLink,
  enter,
  exitBlock,
  insertBlock,
  redo,
  toggleBold,
  toggleHeading2,
  toggleHeading3,
  toggleItalic,
  toggleList,
  toggleQuote,
  undo,
  undoInputRule,
} from './commands.ts'
import { createDetailsPanel } from './details.ts'
import { createEmbedDialog, createLinkDialog } from './dialogs.ts'
import { createIds, h } from './dom.ts'
import { createMediaPicker } from './media-picker.ts'
import { cleanPastedHTML, createClipboardParser } from './paste.ts'
import { createToolbar } from './toolbar.ts'

const { nodes } = editorSchema

/** The story editor as the rest of the bundle sees it. */
export interface StoryEditor {
  view: EditorView
  /** The body as it stands, in canonical form. */
  getBody(): Body
  /** Replaces the whole text (one undoable step). */
  setBody(body: Body): void
  /** Adds blocks after the existing text, after a divider (one undoable step). */
  appendBody(body: Body): void
  /** Puts the cursor in (or selects) the block at this index of the body and focuses the editor. */
  focusBlock(index: number): void
}

/** Markdown-like shortcuts typed at the start of a block. */
function buildInputRules() {
  // "---" typed into an otherwise empty top-level paragraph becomes a divider, with a paragraph after it to go on in.
  const divider = new InputRule(/^---$/, (state, _match, start, end) => {
    const $start = state.doc.resolve(start)
    if ($start.depth !== 1 || $start.parent.type !== nodes.paragraph || $start.parent.content.size !== end - start) return null
    const from = $start.before(1)
    const tr = state.tr.replaceWith(from, $start.after(1), [nodes.divider.create(), nodes.paragraph.create()])
    return tr.setSelection(TextSelection.create(tr.doc, from + 2))
  })
  return inputRules({
    rules: [
      textblockTypeInputRule(/^##\s$/, nodes.heading, { level: 2 }),
      textblockTypeInputRule(/^###\s$/, nodes.heading, { level: 3 }),
      wrappingInputRule(/^\s*[*-]\s$/, nodes.list, { ordered: false }, (_match, node) => node.attrs.ordered === false),
      wrappingInputRule(/^\s*\d+[.)]\s$/, nodes.list, { ordered: true }, (_match, node) => node.attrs.ordered === true),
      textblockTypeInputRule(/^>\s$/, nodes.quote),
      divider,
    ],
  })
}

function buildKeymap(actions: { openLink: () => void }): Record<string, Command> {
  return {
    'Mod-b': toggleBold,
    'Mod-i': toggleItalic,
    'Mod-k': (state) => {
      // Not in a pull quote, which is plain text.
      if (!canLink(state)) return false
      actions.openLink()
      return true
    },
    'Mod-z': undo,
    'Mod-y': redo,
    'Shift-Mod-z': redo,
    'Mod-Alt-2': toggleHeading2,
    'Mod-Alt-3': toggleHeading3,
    'Shift-Mod-8': toggleList(false),
    'Shift-Mod-7': toggleList(true),
    'Shift-Mod-.': toggleQuote,
    Enter: enter,
    'Shift-Enter': exitBlock,
    Backspace: undoInputRule,
  }
}

/**
 * Builds the editor inside `host`: toolbar, a summary of what still needs
 * attention, the text (role textbox, named by the page's label), the block
 * details panel and the dialogs. `onChange` runs after every change to the text.
 */
export function createStoryEditor(opts: {
  host: HTMLElement
  labelId: string
  body: Body
  mediaUrl: string
  onChange: (view: EditorView) => void
  /** A story the person may read but not change now: the text is shown, not editable. */
  readOnly?: boolean
}): StoryEditor {
  const id = createIds('mh')
  const textId = id('text')
  const isMac = /Mac|iPhone|iPad/.test(navigator.platform)
  let view: EditorView | null = null
  const getView = () => view!

  const dialogHost = h('div', { class: 'mh-dialogs' })
  const linkDialog = createLinkDialog({ view: getView, id, host: dialogHost })
  const embedDialog = createEmbedDialog({ view: getView, id, host: dialogHost })
  const mediaPicker = createMediaPicker({
    id,
    host: dialogHost,
    mediaUrl: opts.mediaUrl,
    onChoose: (item) => {
      const node = editorSchema.nodes.image.create({
        mediaId: item.id,
        src: item.src,
        alt: item.alt ?? '',
        width: item.width,
        height: item.height,
        caption: item.caption ?? '',
        credit: item.credit ?? '',
      })
      insertBlock(node)(getView().state, getView().dispatch)
    },
    onClose: () => getView().focus(),
  })
  const toolbar = createToolbar({
    view: getView,
    controls: textId,
    isMac,
    actions: { openLink: () => linkDialog.open(), openEmbed: () => embedDialog.open(), openImage: () => mediaPicker.open() },
  })
  const checks = h('p', { class: 'mh-checks', id: id('checks') })
  checks.hidden = true
  const surface = h('div', { class: 'mh-surface' })
  const details = createDetailsPanel({ view: getView, id })
  opts.host.replaceChildren(h('div', { class: 'mh-editor' }, toolbar.element, checks, surface, details.element, dialogHost))

  const state = EditorState.create({
    doc: bodyToDoc(opts.body),
    plugins: [
      buildInputRules(),
      keymap(buildKeymap({ openLink: () => linkDialog.open() })),
      keymap(baseKeymap),
      history(),
      dropCursor({ class: 'mh-drop-cursor' }),
      gapCursor(),
    ],
  })

  const refresh = (s: EditorState) => {
    toolbar.update(s)
    details.update(s)
    updateChecks(s.doc, checks)
  }

  view = new EditorView(surface, {
    state,
    attributes: {
      id: textId,
      role: 'textbox',
      'aria-multiline': 'true',
      'aria-labelledby': opts.labelId,
      'aria-describedby': checks.id,
      class: 'mh-prose',
      spellcheck: 'true',
      ...(opts.readOnly ? { 'aria-readonly': 'true' } : {}),
    },
    editable: () => !opts.readOnly,
    clipboardParser: createClipboardParser(editorSchema),
    transformPastedHTML: (html) => cleanPastedHTML(html),
    dispatchTransaction(tr: Transaction) {
      const v = getView()
      v.updateState(v.state.apply(tr))
      refresh(v.state)
      if (tr.docChanged) opts.onChange(v)
    },
  })
  refresh(view.state)

  const replaceAll = (content: Fragment) => {
    const v = getView()
    // A step of its own in the history, so Undo brings back exactly what was there before.
    const tr = closeHistory(v.state.tr).replaceWith(0, v.state.doc.content.size, content)
    v.dispatch(tr.setSelection(Selection.atStart(tr.doc)).scrollIntoView())
  }

  return {
    view,
    getBody: () => docToBody(getView().state.doc),
    setBody: (body) => replaceAll(bodyToDoc(body).content),
    appendBody(body) {
      const mine = getView().state.doc.content
      const theirs = bodyToDoc(body).content
      replaceAll(mine.append(Fragment.from(nodes.divider.create())).append(theirs))
    },
    focusBlock(index) {
      const v = getView()
      // Body indexes skip empty paragraphs, which the body leaves out; count the same way.
      let seen = -1
      let target: { node: PMNode; pos: number } | null = null
      v.state.doc.forEach((node, pos) => {
        if (target) return
        const counts = !(node.isTextblock && node.content.size === 0) && !(node.type === nodes.list && node.textContent === '')
        if (counts && ++seen === index) target = { node, pos }
      })
      if (!target) return
      const { node, pos } = target as { node: PMNode; pos: number }
      const selection = node.isAtom ? NodeSelection.create(v.state.doc, pos) : TextSelection.near(v.state.doc.resolve(pos + 1))
      v.dispatch(v.state.tr.setSelection(selection).scrollIntoView())
      v.focus()
    },
  }
}

/** "Needs attention: 1 picture without alt text; 1 quote without a speaker." Empty and hidden when all is well. */
function updateChecks(doc: PMNode, el: HTMLElement) {
  let pictures = 0
  let quotes = 0
  let embeds = 0
  doc.forEach((node) => {
    if (node.type === nodes.image && String(node.attrs.alt).trim() === '') pictures++
    if (node.type === nodes.quote && node.content.size > 0 && String(node.attrs.speaker).trim() === '') quotes++
    if (node.type === nodes.embed && String(node.attrs.title).trim() === '') embeds++
  })
  const parts: string[] = []
  if (pictures) parts.push(`${pictures} picture${pictures === 1 ? '' : 's'} without alt text`)
  if (quotes) parts.push(`${quotes} quote${quotes === 1 ? '' : 's'} without a speaker`)
  if (embeds) parts.push(`${embeds} embed${embeds === 1 ? '' : 's'} without a title`)
  const message = parts.length ? `Needs attention: ${parts.join('; ')}.` : ''
  if (el.textContent !== message) el.textContent = message
  el.hidden = !message
}
