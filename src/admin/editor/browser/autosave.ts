import type { Body } from '../../../articles/body.ts'
import { addDescribedBy, button, clockTime, h, removeDescribedBy } from './dom.ts'
import { applyFields, collectFields, controls, fieldLabel, NOT_FIELDS, type Control, type Fields } from './fields.ts'

/**
 * The autosave client. The contract with the server is written down in
 * ../README.md ("Autosave"); in short:
 *
 *   PUT {form action}/draft   { baseVersion, fields, body }
 *   200 { version, savedAt }                          saved
 *   409 { code: 'ARTICLE_VERSION_CONFLICT', current, conflictCopyId }
 *   401 session ended   422 { issues: [{ path, message }] }   else: retried
 *
 * Every change bumps `seq`; a save remembers the `seq` it carried, so a change
 * made while a save is on its way is never mistaken for saved. Unsaved work is
 * also kept in localStorage (per story and base version) until the server has
 * it, so a closed tab or an ended session loses nothing.
 */

export type { Fields } from './fields.ts'

/** What the server answers with 409. */
export interface ConflictProblem {
  code: 'ARTICLE_VERSION_CONFLICT'
  current: { version: number; fields: Fields; body: Body; savedBy: { name: string }; savedAt: string }
  conflictCopyId?: string | null
}

/** Work kept in the browser until the server has it. */
export interface Backup {
  storyId: string
  baseVersion: number | string
  savedLocallyAt: string
  fields: Fields
  body: Body
}

export interface AutosaveDeps {
  form: HTMLFormElement
  bodyInput: HTMLInputElement
  status: HTMLElement
  /** Where messages that need more than a line go (issues, buttons): right after the status. */
  extra: HTMLElement
  storyId: string
  draftUrl: string
  signInUrl: string
  /** Answers `{ token }`, this session's CSRF token (see refreshCsrf). */
  csrfUrl: string
  delayMs: number
  retryBaseMs: number
  sessionRetryMs: number
  storage: Storage | null
  getBody(): Body
  setBody(body: Body): void
  appendBody(body: Body): void
  focusBlock(index: number): void
  /** Opens the conflict dialog; the autosaver pauses until one of the choices is made. */
  showConflict(problem: ConflictProblem, mine: { fields: Fields; body: Body }, choices: ConflictChoices): void
}

export interface ConflictChoices {
  keepMine(): void
  takeTheirs(): void
  appendTheirs(): void
  later(): void
}

function versionValue(raw: string): number | string {
  return /^\d+$/.test(raw) ? Number(raw) : raw
}

async function readProblem(response: Response): Promise<Record<string, unknown>> {
  try {
    return (await response.json()) as Record<string, unknown>
  } catch {
    return {}
  }
}

type State = 'saved' | 'saving' | 'offline' | 'server-error' | 'session' | 'invalid' | 'refused' | 'conflict'

export interface Autosaver {
  /** Call after every change to the text or a field. */
  changed(): void
  /** Saves now if anything is unsaved; true when everything is saved afterwards. */
  flush(): Promise<boolean>
  /** Whether there is work the server does not have yet. */
  isDirty(): boolean
  /** Offers work kept in this browser from an earlier visit, if there is any the page does not already show; to restore only where the person may save (`canSave`). */
  offerBackup(options: { canSave: boolean }): void
}

export function createAutosaver(deps: AutosaveDeps): Autosaver {
  const { form, status, extra, storage } = deps
  const versionInput = form.querySelector<HTMLInputElement>('input[name="baseVersion"]')
  const csrfInput = form.querySelector<HTMLInputElement>('input[name="_csrf"]')
  const prefix = `masthead:story:${deps.storyId}:v`

  let seq = 0
  let savedSeq = 0
  let state: State = 'saved'
  let inflight: Promise<boolean> | null = null
  let timer: number | undefined
  let retryTimer: number | undefined
  let retries = 0
  let backupKey: string | null = null
  const fieldErrors: { el: Control; error: HTMLElement }[] = []

  const baseVersion = () => versionValue(versionInput?.value ?? '')

  function setStatus(...content: (Node | string)[]) {
    status.replaceChildren(...content)
  }

  function clearExtra() {
    extra.replaceChildren()
    for (const { el, error } of fieldErrors.splice(0)) {
      removeDescribedBy(el, error.id)
      el.removeAttribute('aria-invalid')
      error.remove()
    }
  }

  // --- Work kept in the browser ---

  function writeBackup(fields: Fields, body: Body) {
    if (!storage) return
    const key = `${prefix}${baseVersion()}`
    const backup: Backup = { storyId: deps.storyId, baseVersion: baseVersion(), savedLocallyAt: new Date().toISOString(), fields, body }
    try {
      if (backupKey && backupKey !== key) storage.removeItem(backupKey)
      storage.setItem(key, JSON.stringify(backup))
      backupKey = key
    } catch {
      // A full or disabled storage must not stop the save itself.
    }
  }

  function dropBackup() {
    if (!storage || !backupKey) return
    try {
      storage.removeItem(backupKey)
    } catch {
      // Nothing to do: the copy is only a safety net.
    }
    backupKey = null
  }

  function storedBackups(): { key: string; backup: Backup }[] {
    if (!storage) return []
    const out: { key: string; backup: Backup }[] = []
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i)
      if (!key?.startsWith(prefix)) continue
      try {
        const backup = JSON.parse(storage.getItem(key) ?? '') as Backup
        if (backup && Array.isArray(backup.body) && backup.fields) out.push({ key, backup })
      } catch {
        storage.removeItem(key)
      }
    }
    return out.sort((a, b) => b.backup.savedLocallyAt.localeCompare(a.backup.savedLocallyAt))
  }

  // --- Saving ---

  function schedule(ms: number) {
    window.clearTimeout(timer)
    timer = window.setTimeout(() => void save(), ms)
  }

  function retryLater() {
    window.clearTimeout(retryTimer)
    const ms = Math.min(deps.retryBaseMs * 2 ** Math.min(retries, 5), 60_000)
    retries++
    retryTimer = window.setTimeout(() => void save(), ms)
  }

  function payload() {
    const fields = collectFields(form)
    const body = deps.getBody()
    deps.bodyInput.value = JSON.stringify(body)
    return { fields, body, json: JSON.stringify({ baseVersion: baseVersion(), fields, body }) }
  }

  function save(keepalive = false): Promise<boolean> {
    if (inflight) return inflight.then(() => (seq === savedSeq ? true : state === 'conflict' ? false : save(keepalive)))
    if (seq === savedSeq) return Promise.resolve(true)
    if (state === 'conflict') return Promise.resolve(false)
    window.clearTimeout(timer)
    window.clearTimeout(retryTimer)
    inflight = send(keepalive).finally(() => {
      inflight = null
    })
    return inflight
  }

  /**
   * Puts this session's CSRF token in every form of the page. Tokens belong to
   * a session, so after the writer signs in again (in another tab) the page's
   * old token is refused; without this the work would wait for a reload.
   */
  async function refreshCsrf(): Promise<boolean> {
    try {
      const response = await fetch(deps.csrfUrl, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      if (!response.ok) return false
      const token = ((await readProblem(response)) as { token?: unknown }).token
      if (typeof token !== 'string' || !token) return false
      for (const input of document.querySelectorAll<HTMLInputElement>('input[name="_csrf"]')) input.value = token
      return true
    } catch {
      return false
    }
  }

  async function send(keepalive: boolean, csrfRefreshed = false): Promise<boolean> {
    if (state === 'session' && !csrfRefreshed) csrfRefreshed = await refreshCsrf()
    const sentSeq = seq
    const { fields, body, json } = payload()
    writeBackup(fields, body)
    if (state !== 'session' && state !== 'offline') setStatus('Saving…')
    state = 'saving'
    let response: Response
    try {
      response = await fetch(deps.draftUrl, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', accept: 'application/json, application/problem+json', 'x-csrf-token': csrfInput?.value ?? '' },
        body: json,
        credentials: 'same-origin',
        // A save started as the page is hidden should outlive it; browsers cap such requests at 64 KiB.
        keepalive: keepalive && json.length < 60_000,
      })
    } catch {
      state = 'offline'
      setStatus('Not saved: offline, retrying.')
      retryLater()
      return false
    }

    if (response.ok) {
      const answer = (await readProblem(response)) as { version?: number; savedAt?: string }
      if (versionInput && answer.version !== undefined) versionInput.value = String(answer.version)
      savedSeq = Math.max(savedSeq, sentSeq)
      retries = 0
      state = 'saved'
      clearExtra()
      dropBackup()
      if (seq === savedSeq) setStatus(`Saved at ${clockTime(answer.savedAt ?? new Date())}`)
      else {
        writeBackup(collectFields(form), deps.getBody())
        schedule(deps.delayMs)
      }
      return seq === savedSeq
    }

    const problem = await readProblem(response)
    if (response.status === 403 && problem.code === 'ADMIN_CSRF_INVALID' && !csrfRefreshed && (await refreshCsrf())) return send(keepalive, true)
    if (response.status === 409 && problem.code === 'ARTICLE_VERSION_CONFLICT' && problem.current) {
      state = 'conflict'
      onConflict(problem as unknown as ConflictProblem)
      return false
    }
    if (response.status === 401) {
      state = 'session'
      setStatus(
        'Not saved: your session ended. ',
        h('a', { href: deps.signInUrl, target: '_blank', rel: 'noopener' }, 'Sign in again (opens in a new tab)'),
        ' and your work will be saved.',
      )
      window.clearTimeout(retryTimer)
      retryTimer = window.setTimeout(() => void save(), deps.sessionRetryMs)
      return false
    }
    // A 422, or any refusal that names what to fix (a slug already taken, say), is shown issue by issue.
    if (response.status === 422 || (Array.isArray(problem.issues) && problem.issues.length > 0 && response.status < 500)) {
      state = 'invalid'
      showIssues(Array.isArray(problem.issues) ? (problem.issues as { path?: unknown; message?: unknown }[]) : [], String(problem.detail ?? ''))
      return false
    }
    if (response.status >= 500 || response.status === 429 || response.status === 408) {
      state = 'server-error'
      setStatus(`Not saved: the server could not save it (error ${response.status}), retrying.`)
      retryLater()
      return false
    }
    state = 'refused'
    if (response.status === 403 && problem.code === 'ARTICLE_HANDED_OVER') {
      // Reloading would only show a page the writer can no longer change: say where their text went instead.
      setStatus(
        'Not saved: an editor has scheduled or published this story, so it can no longer be changed here. What you wrote is kept on the story as a copy for the desk, and in this browser. ',
        h('a', { href: window.location.href }, 'See the story as it is now'),
      )
      return false
    }
    const detail = typeof problem.detail === 'string' && problem.detail ? problem.detail : `the server refused it (error ${response.status})`
    setStatus(`Not saved: ${detail.replace(/\.$/, '')}. Your work is kept in this browser; reload the page to go on.`)
    return false
  }

  function showIssues(issues: { path?: unknown; message?: unknown }[], detail: string) {
    clearExtra()
    setStatus('Not saved: some things need fixing first (listed below the save status).')
    const list = h('ul', { class: 'mh-save-issues' })
    for (const issue of issues) {
      const path = String(issue.path ?? '').replace(/^fields\./, '')
      const message = String(issue.message ?? 'This is not valid.')
      const name = path.split(/[.[]/)[0] ?? ''
      const blockMatch = /^body\[(\d+)\]/.exec(path)
      if (blockMatch) {
        const index = Number(blockMatch[1])
        list.append(h('li', {}, `Story text, block ${index + 1}: ${message} `, button(`Go to block ${index + 1}`, () => deps.focusBlock(index), { class: 'link-button' })))
        continue
      }
      const el = name ? controls(form).find((c) => c.name === name) : undefined
      if (el) {
        const error = h('p', { class: 'field-error mh-autosave-error', id: `mh-autosave-error-${name}` }, message)
        const anchor = el.closest('.field') ?? el
        if (anchor === el) el.after(error)
        else anchor.append(error)
        addDescribedBy(el, error.id)
        el.setAttribute('aria-invalid', 'true')
        fieldErrors.push({ el, error })
      }
      list.append(h('li', {}, path ? `${name ? fieldLabel(form, name) : path}: ${message}` : message))
    }
    if (!issues.length && detail) list.append(h('li', {}, detail))
    extra.append(list)
  }

  // --- Conflicts ---

  function onConflict(problem: ConflictProblem) {
    setStatus(`Not saved: ${problem.current.savedBy?.name ?? 'someone else'} saved a newer version. Choose what to keep.`)
    extra.replaceChildren(h('p', {}, button('Compare the versions', () => openDialog(), { class: 'link-button' })))
    const openDialog = () =>
      deps.showConflict(problem, { fields: collectFields(form), body: deps.getBody() }, {
        keepMine() {
          // Saved on top of their version, so mine becomes the draft; theirs was a saved version before it.
          if (versionInput) versionInput.value = String(problem.current.version)
          state = 'saving'
          clearExtra()
          void save()
        },
        takeTheirs() {
          if (versionInput) versionInput.value = String(problem.current.version)
          applying = true
          applyFields(form, problem.current.fields)
          applying = false
          deps.setBody(problem.current.body)
          dropBackup()
          savedSeq = seq
          state = 'saved'
          clearExtra()
          setStatus(`Now showing the version ${problem.current.savedBy?.name ?? 'someone else'} saved at ${clockTime(problem.current.savedAt)}. Undo in the text brings yours back.`)
        },
        appendTheirs() {
          if (versionInput) versionInput.value = String(problem.current.version)
          state = 'saving'
          clearExtra()
          deps.appendBody(problem.current.body)
          void save()
        },
        later() {
          // The notice and its button stay; autosave waits for a decision.
        },
      })
    openDialog()
  }

  // --- Events ---

  let applying = false
  form.addEventListener('input', onFieldEvent)
  form.addEventListener('change', onFieldEvent)
  function onFieldEvent(event: Event) {
    const target = event.target as Element | null
    if (applying || !target || !(target as Control).name || NOT_FIELDS.has((target as Control).name)) return
    changed()
  }

  function changed() {
    seq++
    if (state === 'conflict') {
      writeBackup(collectFields(form), deps.getBody())
      return
    }
    if (state === 'session' || state === 'offline' || state === 'refused' || state === 'server-error') writeBackup(collectFields(form), deps.getBody())
    schedule(deps.delayMs)
  }

  const retryNow = () => {
    if ((state === 'session' || state === 'offline' || state === 'server-error') && seq !== savedSeq) void save()
  }
  window.addEventListener('focus', retryNow)
  window.addEventListener('online', retryNow)
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') return retryNow()
    if (seq !== savedSeq) {
      writeBackup(collectFields(form), deps.getBody())
      if (state !== 'conflict') void save(true)
    }
  })

  let submitting = false
  window.addEventListener('beforeunload', (event) => {
    if (submitting || (seq === savedSeq && !inflight)) return
    writeBackup(collectFields(form), deps.getBody())
    event.preventDefault()
    // Older browsers need returnValue set to show the "leave page?" prompt.
    event.returnValue = ''
  })

  // Forms that act on the saved story (publish, submit for review) and the story form itself wait for the autosave.
  const released = new WeakSet<HTMLFormElement>()
  document.addEventListener(
    'submit',
    (event) => {
      const target = event.target
      if (!(target instanceof HTMLFormElement) || !(target === form || target.hasAttribute('data-flush-autosave'))) return
      deps.bodyInput.value = JSON.stringify(deps.getBody())
      const ready = released.has(target) || (seq === savedSeq && !inflight)
      released.delete(target)
      if (ready) {
        syncVersion(target)
        submitting = true
        window.clearTimeout(timer)
        return
      }
      event.preventDefault()
      const submitter = (event as SubmitEvent).submitter as HTMLElement | null
      setStatus('Saving before going on…')
      void save().then((ok) => {
        if (!ok) return
        released.add(target)
        target.requestSubmit(submitter instanceof HTMLButtonElement || submitter instanceof HTMLInputElement ? submitter : undefined)
      })
    },
    true,
  )

  /** A form posting elsewhere may carry its own baseVersion; it must be the one just saved. */
  function syncVersion(target: HTMLFormElement) {
    if (target === form || !versionInput) return
    const own = target.querySelector<HTMLInputElement>('input[name="baseVersion"]')
    if (own) own.value = versionInput.value
  }

  return {
    changed,
    flush: () => save(),
    isDirty: () => seq !== savedSeq || !!inflight,
    offerBackup({ canSave }) {
      const found = storedBackups()
      const newest = found[0]
      if (!newest) return
      const { backup } = newest
      const current = JSON.stringify({ fields: collectFields(form), body: deps.getBody() })
      if (JSON.stringify({ fields: backup.fields, body: backup.body }) === current) {
        for (const { key } of found) storage?.removeItem(key)
        return
      }
      const when = new Date(backup.savedLocallyAt)
      const restore = button('Restore and save them', () => {
        if (versionInput) versionInput.value = String(backup.baseVersion)
        applying = true
        applyFields(form, backup.fields)
        applying = false
        deps.setBody(backup.body)
        for (const { key } of found) storage?.removeItem(key)
        notice.remove()
        changed()
        void save()
      })
      const discard = button('Discard them', () => {
        for (const { key } of found) storage?.removeItem(key)
        notice.remove()
        setStatus('Discarded the changes kept in this browser.')
      }, { class: 'mh-secondary' })
      const kept = `This browser kept changes to this story that were not saved (from ${when.toLocaleDateString()} ${clockTime(when)}, based on version ${String(backup.baseVersion)}).`
      // A story the person can no longer change (the desk has it): restoring could only be refused again.
      const notice = canSave
        ? h('div', { class: 'notice notice-warn mh-backup-notice' }, h('p', {}, kept), h('p', { class: 'mh-backup-actions' }, restore, ' ', discard))
        : h(
            'div',
            { class: 'notice notice-warn mh-backup-notice' },
            h('p', {}, `${kept} You cannot change this story now, so they stay in this browser until you can, or until you discard them.`),
            h('p', { class: 'mh-backup-actions' }, discard),
          )
      extra.append(notice)
      setStatus('Unsaved changes from an earlier visit were found in this browser.')
    },
  }
}
