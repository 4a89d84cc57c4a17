import { isSafeHref } from '../../../articles/links.ts'
import { button, createDialog, h, onEnter } from './dom.ts'

/**
 * The picture picker: searches the whole media library through
 * `GET {mediaUrl}?q=TEXT&page=N` (answer: `{ items: [{ id, src, width, height,
 * alt, caption, credit }], hasMore }`) and hands the chosen picture to
 * `onChoose`: the text inserts it with its library id, size, alt text, caption
 * and credit; the featured-picture field selects it.
 */

export interface MediaItem {
  id: string
  src: string
  width: number
  height: number
  alt?: string | null
  caption?: string | null
  credit?: string | null
}

function isMediaItem(value: unknown): value is MediaItem {
  const v = value as MediaItem
  return (
    !!v && typeof v.id === 'string' && typeof v.src === 'string' && isSafeHref(v.src) &&
    Number.isInteger(v.width) && v.width > 0 && Number.isInteger(v.height) && v.height > 0
  )
}

export function createMediaPicker(opts: { id: (name: string) => string; host: HTMLElement; mediaUrl: string; title?: string; onChoose: (item: MediaItem) => void; onClose: () => void }) {
  const d = createDialog({ id: opts.id, title: opts.title ?? 'Choose a picture', className: 'mh-media-dialog', onClose: opts.onClose })
  const searchId = opts.id('media-search')
  const search = h('input', { id: searchId, type: 'search', autocomplete: 'off' })
  const status = h('p', { role: 'status', class: 'hint mh-media-status' })
  const results = h('ul', { class: 'mh-media-results', 'aria-label': 'Pictures' })
  const more = button('Show more pictures', () => load(false), { class: 'mh-secondary' })
  more.hidden = true
  let page = 1
  let query = ''
  let request = 0
  let debounce: number | undefined

  async function load(fresh: boolean) {
    if (fresh) {
      page = 1
      query = search.value.trim()
    } else page += 1
    const mine = ++request
    status.textContent = 'Loading pictures…'
    try {
      const response = await fetch(`${opts.mediaUrl}?q=${encodeURIComponent(query)}&page=${page}`, {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      })
      if (mine !== request) return
      if (!response.ok) throw new Error(`status ${response.status}`)
      const data = (await response.json()) as { items?: unknown[]; hasMore?: boolean }
      if (mine !== request) return
      const items = (data.items ?? []).filter(isMediaItem)
      if (fresh) results.replaceChildren()
      for (const item of items) results.append(renderItem(item))
      more.hidden = !data.hasMore
      const count = results.childElementCount
      status.textContent = count === 0 ? (query ? `No pictures match “${query}”.` : 'The media library is empty.') : `${count} picture${count === 1 ? '' : 's'}${data.hasMore ? ', more available' : ''}.`
    } catch {
      if (mine !== request) return
      status.textContent = 'The media library could not be reached. Try again in a moment.'
    }
  }

  function renderItem(item: MediaItem): HTMLLIElement {
    const name = item.alt || item.caption || `Picture ${item.id}`
    const choose = h(
      'button',
      { type: 'button', class: 'mh-media-item' },
      h('img', { src: item.src, alt: '', width: item.width, height: item.height, loading: 'lazy' }),
      h('span', { class: 'mh-media-name' }, name),
      h('span', { class: 'mh-media-meta' }, `${item.width} × ${item.height}${item.alt ? '' : ', no alt text yet'}`),
    )
    choose.addEventListener('click', () => {
      opts.onChoose(item)
      d.close()
    })
    return h('li', {}, choose)
  }

  search.addEventListener('input', () => {
    window.clearTimeout(debounce)
    debounce = window.setTimeout(() => void load(true), 300)
  })
  onEnter(search, () => {
    window.clearTimeout(debounce)
    void load(true)
  })

  d.body.append(
    h('div', { class: 'field' }, h('label', { for: searchId }, 'Search the media library'), search),
    status,
    results,
    more,
  )
  d.actions.append(button('Cancel', () => d.close(), { class: 'mh-secondary' }))
  opts.host.append(d.dialog)

  return {
    open() {
      search.value = ''
      results.replaceChildren()
      d.open(search)
      void load(true)
    },
  }
}
