import './editor.css'
import type { Body } from '../../../articles/body.ts'
import { UnsupportedBodyError } from '../convert.ts'
import { createAutosaver } from './autosave.ts'
import { createConflictDialog } from './conflict.ts'
import { createIds, h } from './dom.ts'
import { fieldLabel, valueLabel } from './fields.ts'
import { createStoryEditor } from './editor.ts'
import { startPresence } from './presence.ts'
import { enhanceFeaturedPicture } from './featured-picture.ts'

/**
 * The editor bundle's entry: finds the server-rendered story page (see
 * ../README.md, "The page"), mounts the editor on #story-editor, and starts
 * the autosave and presence. Without the page's elements it does nothing, so
 * the script is harmless on any other page.
 */
function mount(): void {
  const root = document.getElementById('story-editor')
  const form = document.getElementById('story-form')
  const bodyInput = document.getElementById('story-body')
  const status = document.getElementById('save-state')
  if (!root || !(form instanceof HTMLFormElement) || !(bodyInput instanceof HTMLInputElement) || !status) return

  const num = (name: string, fallback: number) => {
    const value = Number(root.dataset[name])
    return Number.isFinite(value) && value > 0 ? value : fallback
  }
  const actionPath = new URL(form.getAttribute('action') ?? location.pathname, location.href).pathname.replace(/\/$/, '')
  const storyId = root.dataset.storyId || actionPath.split('/').pop() || 'story'
  const extra = h('div', { class: 'mh-save-extra' })
  status.after(extra)

  let body: Body
  try {
    body = JSON.parse(bodyInput.value || '[]') as Body
    if (!Array.isArray(body)) throw new UnsupportedBodyError('The body is not a list of blocks.')
  } catch (error) {
    status.textContent = `The story text could not be opened in the editor (${error instanceof Error ? error.message : 'unreadable'}). Reload the page; if this goes on, tell the web team.`
    return
  }

  // The server renders a story the person may not change now with its fields disabled; the text follows suit.
  const readOnly = root.dataset.readOnly === 'true'
  let autosave: ReturnType<typeof createAutosaver> | null = null
  let editor: ReturnType<typeof createStoryEditor>
  try {
    editor = createStoryEditor({
      host: root,
      labelId: root.dataset.labelId || 'story-text-label',
      body,
      mediaUrl: root.dataset.mediaUrl || '/admin/media.json',
      readOnly,
      onChange: () => {
        bodyInput.value = JSON.stringify(editor.getBody())
        autosave?.changed()
      },
    })
  } catch (error) {
    status.textContent = `The story text could not be opened in the editor (${error instanceof Error ? error.message : 'unreadable'}). Nothing was changed.`
    return
  }
  root.classList.add('mh-mounted')

  const featured = form.querySelector<HTMLSelectElement>('select[name="featuredMediaId"]')
  if (featured) enhanceFeaturedPicture({ select: featured, mediaUrl: root.dataset.mediaUrl || '/admin/media.json' })

  const id = createIds('mh-conflict')
  const conflict = createConflictDialog({
    id,
    host: root,
    labelOf: (name) => fieldLabel(form, name),
    valueOf: (name, value) => valueLabel(form, name, value),
  })

  autosave = createAutosaver({
    form,
    bodyInput,
    status,
    extra,
    storyId,
    draftUrl: `${actionPath}/draft`,
    signInUrl: root.dataset.signInUrl || '/admin/sign-in',
    csrfUrl: root.dataset.csrfUrl || '/admin/session/csrf',
    delayMs: num('autosaveDelayMs', 2000),
    retryBaseMs: num('retryBaseMs', 2000),
    sessionRetryMs: num('sessionRetryMs', 15_000),
    storage: (() => {
      try {
        return window.localStorage
      } catch {
        return null
      }
    })(),
    getBody: () => editor.getBody(),
    setBody: (b) => editor.setBody(b),
    appendBody: (b) => editor.appendBody(b),
    focusBlock: (index) => editor.focusBlock(index),
    showConflict: (problem, mine, choices) => conflict.open(problem, mine, choices),
  })
  autosave.offerBackup({ canSave: !readOnly })

  const presence = document.getElementById('presence')
  if (presence) {
    startPresence({
      url: `${actionPath}/presence`,
      element: presence,
      csrf: () => form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '',
      intervalMs: num('presenceIntervalMs', 20_000),
    })
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount)
else mount()
