import { baseKeymap, chainCommands, setBlockType, toggleMark } from 'prosemirror-commands'
import { redo, undo } from 'prosemirror-history'
import { undoInputRule } from 'prosemirror-inputrules'
import type { Attrs, MarkType, Node as PMNode, NodeType } from 'prosemirror-model'
import { liftListItem, splitListItem, wrapInList } from 'prosemirror-schema-list'
import { NodeSelection, TextSelection, type Command, type EditorState } from 'prosemirror-state'
import { isSafeHref } from '../../../articles/links.ts'
import { editorSchema } from '../schema.ts'

/**
 * The editing commands behind the toolbar, the keyboard shortcuts and the
 * input rules, each a ProseMirror `Command` that answers "can I?" when called
 * without `dispatch`.
 */

const { nodes, marks } = editorSchema

/** Whether the mark covers all the selected text (or is stored for the next typed text). */
export function isMarkActive(state: EditorState, type: MarkType): boolean {
  const { from, $from, to, empty } = state.selection
  if (empty) return !!type.isInSet(state.storedMarks ?? $from.marks())
  let all = true
  let any = false
  state.doc.nodesBetween(from, to, (node) => {
    if (!node.isText) return
    any = true
    if (!type.isInSet(node.marks)) all = false
  })
  return any && all
}

/** The text block the selection starts in, or null when a whole node (a picture) is selected. */
function currentTextblock(state: EditorState): PMNode | null {
  const { $from } = state.selection
  return $from.parent.isTextblock ? $from.parent : null
}

/** Whether the cursor's text block is of this type (and these attributes). */
export function isBlockActive(state: EditorState, type: NodeType, attrs: Attrs = {}): boolean {
  const block = currentTextblock(state)
  return !!block && block.type === type && Object.entries(attrs).every(([key, value]) => block.attrs[key] === value)
}

/** The list around the cursor, with its position, or null. */
export function listAround(state: EditorState): { node: PMNode; pos: number } | null {
  const { $from } = state.selection
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth)
    if (node.type === nodes.list) return { node, pos: $from.before(depth) }
  }
  return null
}

// As in word processors: a partly bold selection becomes all bold; only an all-bold one loses it.
export const toggleBold = toggleMark(marks.bold, null, { removeWhenPresent: false })
export const toggleItalic = toggleMark(marks.italic, null, { removeWhenPresent: false })

/** Turns text blocks into the given type, or back into paragraphs when they already are. */
export function toggleBlock(type: NodeType, attrs: Attrs = {}): Command {
  return (state, dispatch) =>
    isBlockActive(state, type, attrs) ? setBlockType(nodes.paragraph)(state, dispatch) : setBlockType(type, attrs)(state, dispatch)
}

export const toggleHeading2 = toggleBlock(nodes.heading, { level: 2 })
export const toggleHeading3 = toggleBlock(nodes.heading, { level: 3 })
export const toggleQuote = toggleBlock(nodes.quote)

/** Wraps paragraphs in a list; in a list of that kind, lifts the items out; in the other kind, switches kind. */
export function toggleList(ordered: boolean): Command {
  return (state, dispatch) => {
    const list = listAround(state)
    if (list && list.node.attrs.ordered === ordered) return liftListItem(nodes.list_item)(state, dispatch)
    if (list) {
      dispatch?.(state.tr.setNodeMarkup(list.pos, null, { ordered }))
      return true
    }
    return wrapInList(nodes.list, { ordered })(state, dispatch)
  }
}

/** The position just after the top-level block holding the selection. */
function afterTopBlock(state: EditorState): number {
  const { selection } = state
  if (selection instanceof NodeSelection && selection.$from.depth === 0) return selection.to
  return selection.$from.after(1)
}

/**
 * Inserts a block after the top-level block at the cursor, or in place of the
 * cursor's paragraph when that is empty; the cursor goes inside the new block
 * when it holds text, otherwise the block is selected. A picture, embed or
 * divider at the very end gets an empty paragraph after it to type into.
 */
export function insertBlock(node: PMNode): Command {
  return (state, dispatch) => {
    const { $from } = state.selection
    const emptyParagraph = $from.depth === 1 && $from.parent.type === nodes.paragraph && $from.parent.content.size === 0
    const at = emptyParagraph ? $from.before(1) : afterTopBlock(state)
    const $at = state.doc.resolve(at)
    if (!$at.parent.canReplaceWith($at.index(), $at.index(), node.type)) return false
    if (!dispatch) return true
    const tr = state.tr
    if (emptyParagraph) tr.replaceWith(at, at + $from.parent.nodeSize, node)
    else tr.insert(at, node)
    if (node.isTextblock) tr.setSelection(TextSelection.create(tr.doc, at + 1 + node.content.size))
    else {
      const after = at + node.nodeSize
      if (after === tr.doc.content.size) tr.insert(after, nodes.paragraph.create())
      tr.setSelection(NodeSelection.create(tr.doc, at))
    }
    dispatch(tr.scrollIntoView())
    return true
  }
}

/** A pull quote, holding the selected text when some is selected within one block. */
export const insertPullquote: Command = (state, dispatch) => {
  const { from, to, empty, $from, $to } = state.selection
  const selected = !empty && $from.sameParent($to) ? state.doc.textBetween(from, to, ' ').trim() : ''
  const node = nodes.pullquote.create(null, selected ? editorSchema.text(selected) : null)
  return insertBlock(node)(state, dispatch)
}

export const insertDivider: Command = (state, dispatch) => insertBlock(nodes.divider.create())(state, dispatch)

/** The extent of the link around the cursor, if the cursor is in one. */
export function linkAround(state: EditorState): { from: number; to: number; href: string } | null {
  const { $from, from, to, empty } = state.selection
  const parent = $from.parent
  if (!parent.isTextblock || !$from.sameParent(state.selection.$to)) return null
  const start = $from.start()
  // Runs of text under one link, even where bold or italic change inside it.
  const runs: { from: number; to: number; href: string }[] = []
  parent.forEach((child, offset) => {
    const mark = marks.link.isInSet(child.marks)
    if (!mark) return
    const childFrom = start + offset
    const last = runs[runs.length - 1]
    if (last && last.to === childFrom && last.href === mark.attrs.href) last.to = childFrom + child.nodeSize
    else runs.push({ from: childFrom, to: childFrom + child.nodeSize, href: String(mark.attrs.href) })
  })
  return runs.find((run) => (empty ? from >= run.from && from <= run.to : from < run.to && to > run.from)) ?? null
}

/**
 * Puts a link on the selection (or on the link around the cursor); with an
 * empty selection outside a link, inserts the address itself as linked text.
 * Refuses addresses that break the body's rule.
 */
export function setLink(href: string): Command {
  return (state, dispatch) => {
    if (!isSafeHref(href)) return false
    const mark = marks.link.create({ href })
    const around = linkAround(state)
    const { from, to, empty } = state.selection
    if (!dispatch) return true
    const tr = state.tr
    if (around && (empty || (from >= around.from && to <= around.to))) {
      tr.removeMark(around.from, around.to, marks.link).addMark(around.from, around.to, mark)
    } else if (empty) {
      tr.insertText(href, from).addMark(from, from + href.length, mark)
    } else {
      tr.removeMark(from, to, marks.link).addMark(from, to, mark)
    }
    dispatch(tr.scrollIntoView())
    return true
  }
}

/** Removes the link from the selection, or the whole link around the cursor. */
export const removeLink: Command = (state, dispatch) => {
  const around = linkAround(state)
  const { from, to, empty } = state.selection
  if (!around && (empty || !state.doc.rangeHasMark(from, to, marks.link))) return false
  if (dispatch) {
    const range = empty && around ? around : { from, to }
    dispatch(state.tr.removeMark(range.from, range.to, marks.link))
  }
  return true
}

/** Whether links can go where the selection is (not in a pull quote, which is plain text). */
export const canLink: Command = (state) => {
  const block = currentTextblock(state)
  return !!block && block.type.allowsMarkType(marks.link)
}

/** In an empty list item, Enter leaves the list. */
const liftEmptyListItem: Command = (state, dispatch) => {
  const { $from, empty } = state.selection
  if (!empty || $from.parent.content.size > 0 || $from.depth < 2 || $from.node(-1).type !== nodes.list_item) return false
  return liftListItem(nodes.list_item)(state, dispatch)
}

/** In an empty heading, quote or pull quote, Enter turns it back into a paragraph. */
const emptyBlockToParagraph: Command = (state, dispatch) => {
  const { $from, empty } = state.selection
  const type = $from.parent.type
  if (!empty || $from.parent.content.size > 0 || !(type === nodes.heading || type === nodes.quote || type === nodes.pullquote)) return false
  return setBlockType(nodes.paragraph)(state, dispatch)
}

/**
 * Shift-Enter: the body has no line breaks inside a block, so Shift-Enter
 * leaves the block (or the whole list) and starts a paragraph after it.
 */
export const exitBlock: Command = (state, dispatch) => {
  const at = afterTopBlock(state)
  if (dispatch) {
    const tr = state.tr.insert(at, nodes.paragraph.create())
    dispatch(tr.setSelection(TextSelection.create(tr.doc, at + 1)).scrollIntoView())
  }
  return true
}

export const enter: Command = chainCommands(splitListItem(nodes.list_item), liftEmptyListItem, emptyBlockToParagraph, baseKeymap.Enter!)

export { redo, undo, undoInputRule }
