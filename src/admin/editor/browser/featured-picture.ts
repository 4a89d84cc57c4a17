import { button, createIds, h } from './dom.ts'
import { createMediaPicker, type MediaItem } from './media-picker.ts'

/**
 * The featured-picture field lists only the newest pictures (a select drawn
 * by the server). This adds "Find in the library…" beside it: the picker the
 * text uses for pictures, which searches the whole library. The chosen
 * picture becomes an option of the select and is selected, so the autosave
 * and the plain form save it like any other choice.
 */
export function enhanceFeaturedPicture(opts: { select: HTMLSelectElement; mediaUrl: string }): void {
  const { select } = opts
  const host = h('div', { class: 'mh-dialogs' })
  const picker = createMediaPicker({
    id: createIds('mh-featured'),
    host,
    mediaUrl: opts.mediaUrl,
    title: 'Choose the featured picture',
    onChoose: (item) => {
      if (![...select.options].some((o) => o.value === item.id)) select.append(h('option', { value: item.id }, labelOf(item)))
      select.value = item.id
      select.dispatchEvent(new Event('change', { bubbles: true }))
    },
    onClose: () => select.focus(),
  })
  select.after(button('Find in the library…', () => picker.open(), { class: 'mh-secondary mh-featured-find' }), host)
}

/** The same words as the server's options: alt text (or caption), size, and a warning when there is no alt text. */
function labelOf(item: MediaItem): string {
  const name = (item.alt || item.caption || item.id).slice(0, 80)
  return `${name} (${item.width} × ${item.height})${item.alt?.trim() ? '' : ', no alt text'}`
}
