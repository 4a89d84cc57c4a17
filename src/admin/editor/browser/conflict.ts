import type { Block, Body } from '../../../articles/body.ts'
import type { ConflictChoices, ConflictProblem, Fields } from './autosave.ts'
import { button, clockTime, createDialog, h } from './dom.ts'

/**
 * The conflict dialog: someone else saved the story while this writer was
 * editing. It shows both texts side by side (plain, selectable text, so
 * anything can be copied from one to the other), lists the other fields that
 * differ, and offers: keep mine, use theirs, add their text below mine, or
 * decide later.
 */

/** One line of plain text per block, as a person would read it. */
function blockText(block: Block): string {
  const runs = (content: readonly { text: string }[]) => content.map((r) => r.text).join('')
  switch (block.type) {
    case 'paragraph':
      return runs(block.content)
    case 'heading':
      return runs(block.content)
    case 'quote':
      return `“${runs(block.content)}” — ${block.attribution.speaker || 'speaker not named'}`
    case 'pullquote':
      return `Pull quote: ${block.text}`
    case 'list':
      return block.items.map((item) => `• ${runs(item)}`).join('\n')
    case 'image':
      return `[Picture: ${block.alt || block.caption || 'no alt text'}]`
    case 'embed':
      return `[Embed: ${block.title}]`
    case 'divider':
      return '* * *'
  }
}

function renderText(id: string, heading: string, body: Body, other: Set<string>) {
  const headingId = `${id}-heading`
  const text = h('div', { class: 'mh-conflict-text', tabindex: 0, role: 'region', 'aria-labelledby': headingId })
  if (body.length === 0) text.append(h('p', { class: 'hint' }, 'No text.'))
  for (const block of body) {
    const line = blockText(block)
    const differs = !other.has(line)
    const tag = block.type === 'heading' ? 'h4' : 'p'
    text.append(
      h(tag, { class: differs ? 'mh-differs' : null }, differs ? h('span', { class: 'mh-visually-hidden' }, 'Only in this version: ') : null, line),
    )
  }
  return h('section', { class: 'mh-conflict-side' }, h('h3', { id: headingId }, heading), text)
}

function show(value: string | string[] | undefined, name: (v: string) => string = (v) => v): string {
  if (value === undefined) return '(none)'
  if (Array.isArray(value)) return value.length ? value.map(name).join(', ') : '(none)'
  return value === '' ? '(empty)' : name(value)
}

export function createConflictDialog(opts: {
  id: (name: string) => string
  host: HTMLElement
  /** A field's label, for the table of differences. */
  labelOf: (name: string) => string
  /** A value as a person reads it (an option's text rather than its id). */
  valueOf: (name: string, value: string) => string
}) {
  let choices: ConflictChoices | null = null
  let chosen = false
  const d = createDialog({
    id: opts.id,
    title: 'Someone else saved this story',
    className: 'mh-conflict-dialog',
    onClose: () => {
      if (!chosen) choices?.later()
    },
  })
  const choose = (pick: (c: ConflictChoices) => void) => () => {
    chosen = true
    const c = choices
    d.close()
    if (c) pick(c)
  }
  const keep = button('Keep my version', choose((c) => c.keepMine()), { class: 'mh-primary' })
  d.actions.append(
    keep,
    button('Use their version', choose((c) => c.takeTheirs())),
    button('Add their text below mine', choose((c) => c.appendTheirs())),
    button('Decide later', () => d.close(), { class: 'mh-secondary' }),
  )
  opts.host.append(d.dialog)

  return {
    open(problem: ConflictProblem, mine: { fields: Fields; body: Body }, next: ConflictChoices) {
      choices = next
      chosen = false
      const { current } = problem
      const name = current.savedBy?.name || 'Someone else'
      const theirLines = new Set(current.body.map(blockText))
      const myLines = new Set(mine.body.map(blockText))
      const names = [...new Set([...Object.keys(mine.fields), ...Object.keys(current.fields)])].filter(
        (key) => show(mine.fields[key]) !== show(current.fields[key]),
      )
      const fields = names.length
        ? h(
            'table',
            { class: 'mh-conflict-fields' },
            h('caption', {}, 'Other fields that differ'),
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Theirs'), h('th', { scope: 'col' }, 'Yours'))),
            h('tbody', {}, ...names.map((key) => h('tr', {}, h('th', { scope: 'row' }, opts.labelOf(key)), h('td', {}, show(current.fields[key], (v) => opts.valueOf(key, v))), h('td', {}, show(mine.fields[key], (v) => opts.valueOf(key, v)))))),
          )
        : h('p', {}, 'The other fields are the same in both versions.')
      d.body.replaceChildren(
        h(
          'p',
          {},
          `${name} saved this story at ${clockTime(current.savedAt)} while you were editing, so your last changes were not saved over theirs.`,
          problem.conflictCopyId ? ' Nothing is lost: your version has also been kept as a separate copy.' : '',
          ' Choose what to keep. You can also select and copy text from either side first.',
        ),
        h(
          'div',
          { class: 'mh-conflict-columns' },
          renderText(opts.id('theirs'), `Their version (${name}, ${clockTime(current.savedAt)})`, current.body, myLines),
          renderText(opts.id('mine'), 'Your version', mine.body, theirLines),
        ),
        fields,
      )
      d.open(keep)
    },
  }
}
