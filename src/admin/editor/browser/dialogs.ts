import type { EditorView } from 'prosemirror-view'
import { isEmbedUrl, isSafeHref } from '../../../articles/links.ts'
import { editorSchema } from '../schema.ts'
import { insertBlock, linkAround, removeLink, setLink } from './commands.ts'
import { button, createDialog, onEnter, textField } from './dom.ts'

/** The link dialog (Mod-K and the Link button): add, change or remove the link on the selection. */
export function createLinkDialog(opts: { view: () => EditorView; id: (name: string) => string; host: HTMLElement }) {
  const d = createDialog({ id: opts.id, title: 'Link', onClose: () => opts.view().focus() })
  const address = textField({
    id: opts.id,
    label: 'Link address',
    value: '',
    required: true,
    hint: 'A full https:// address, mailto:name@example.org, a page on this site starting with /, or #part-of-this-page.',
  })
  const apply = () => {
    const href = address.input.value.trim()
    if (!isSafeHref(href)) {
      address.setError('This address cannot be used: links must start with https://, http://, mailto:, a single / or #.')
      address.input.focus()
      return
    }
    const view = opts.view()
    setLink(href)(view.state, view.dispatch)
    d.close()
  }
  onEnter(address.input, apply)
  const remove = button('Remove link', () => {
    const view = opts.view()
    removeLink(view.state, view.dispatch)
    d.close()
  })
  d.body.append(address.wrapper)
  d.actions.append(button('Apply', apply, { class: 'mh-primary' }), remove, button('Cancel', () => d.close(), { class: 'mh-secondary' }))
  opts.host.append(d.dialog)

  return {
    open() {
      const view = opts.view()
      const around = linkAround(view.state)
      address.input.value = around?.href ?? ''
      address.setError(null)
      remove.hidden = !around
      d.open(address.input)
      address.input.select()
    },
  }
}

/** The embed dialog: address, title and provider of a video, map or post to link to. */
export function createEmbedDialog(opts: { view: () => EditorView; id: (name: string) => string; host: HTMLElement }) {
  const d = createDialog({ id: opts.id, title: 'Embed', onClose: () => opts.view().focus() })
  const url = textField({ id: opts.id, label: 'Address', type: 'url', value: '', required: true, hint: 'The full https:// address of the video, map or post.' })
  const title = textField({ id: opts.id, label: 'Title', value: '', required: true, hint: 'Readers see this as the link text.' })
  const provider = textField({ id: opts.id, label: 'Provider', value: '', hint: 'Optional, for example the video site’s name.' })
  const insert = () => {
    const href = url.input.value.trim()
    const name = title.input.value.trim()
    url.setError(isEmbedUrl(href) ? null : 'Give a full http:// or https:// address.')
    title.setError(name ? null : 'Give the embed a title.')
    if (!isEmbedUrl(href)) return url.input.focus()
    if (!name) return title.input.focus()
    const view = opts.view()
    insertBlock(editorSchema.nodes.embed.create({ url: href, title: name, provider: provider.input.value.trim() }))(view.state, view.dispatch)
    d.close()
  }
  for (const field of [url, title, provider]) onEnter(field.input, insert)
  d.body.append(url.wrapper, title.wrapper, provider.wrapper)
  d.actions.append(button('Insert embed', insert, { class: 'mh-primary' }), button('Cancel', () => d.close(), { class: 'mh-secondary' }))
  opts.host.append(d.dialog)

  return {
    open() {
      for (const field of [url, title, provider]) {
        field.input.value = ''
        field.setError(null)
      }
      d.open(url.input)
    },
  }
}
