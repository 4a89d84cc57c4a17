import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Body } from '../../src/articles/index.ts'
import { auditAccessibility, launchBrowser } from '../support/browser.ts'
import { editorReady, readBodyField, startEditorHarness, type Answer, type EditorHarness } from '../support/editor-harness.ts'
import { presenceText } from '../../src/admin/stories/editor-page.tsx'

/**
 * The autosave, conflict and presence client against the contract in
 * src/admin/editor/README.md, with the server side played by the harness,
 * whose answers each test scripts. Short delays (set through the page's data
 * attributes) keep the tests quick; nothing asserts on timing.
 */

const MINE: Body = [{ type: 'paragraph', content: [{ text: 'Ministers met on Tuesday.' }] }]
const THEIRS: Body = [
  { type: 'paragraph', content: [{ text: 'Ministers met on Tuesday in the port city.' }] },
  { type: 'quote', content: [{ text: 'We are ready.' }], attribution: { speaker: 'Ana Pérez' } },
]
const FIELDS = {
  title: 'Coastal neighbours reopen talks',
  dek: 'Ministers meet for the first time in a year.',
  slug: 'coastal-talks',
  sectionIds: ['sec_1', 'sec_2'],
  primarySectionId: 'sec_1',
  tagIds: ['tag_1'],
  sourceId: 'src_acp',
}
const SAVED_AT = '2026-02-03T14:05:00.000Z'
const hhmm = (iso: string) => {
  const d = new Date(iso)
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}
const problem = (status: number, json: Record<string, unknown>): Answer => ({ status, json: { type: 'about:blank', title: 'Problem', status, ...json } })

describe('story autosave', () => {
  let harness: EditorHarness
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let text: Locator
  let stories = 0
  let storyId = ''

  beforeAll(async () => {
    ;[harness, browser] = await Promise.all([startEditorHarness(), launchBrowser()])
  })
  afterAll(async () => {
    await browser?.close()
    await harness?.close()
  })
  afterEach(async () => {
    await context?.close()
    harness.onDraft = (payload) => ({ status: 200, json: { version: Number(payload.baseVersion) + 1, savedAt: new Date().toISOString() } })
    harness.onPresence = () => ({ status: 200, json: { others: [] } })
  })

  async function open(options: { body?: Body; data?: Record<string, string>; id?: string; newContext?: boolean; presence?: { text: string; timeZone: string } } = {}) {
    if (options.newContext !== false) context = await browser.newContext({ bypassCSP: true })
    page = await context.newPage()
    if (!options.id) storyId = `save_${++stories}`
    await page.goto(harness.story({ id: options.id ?? storyId, body: options.body ?? MINE, ...(options.data ? { data: options.data } : {}), ...(options.presence ? { presence: options.presence } : {}) }))
    text = await editorReady(page)
  }
  const statusText = async () => (await page.locator('#save-state').textContent()) ?? ''
  const draftsForStory = () => harness.drafts().filter((r) => r.path === `/admin/stories/${storyId}/draft`)
  /** Adds words at the end of the text in one input event, so no autosave can fall between two keystrokes. */
  async function typeAtEnd(words: string) {
    await text.focus()
    await page.keyboard.press('Control+End')
    await page.keyboard.insertText(words)
  }

  it('saves soon after typing stops, with every field, and says when', async () => {
    await open()
    harness.onDraft = (payload) => ({ status: 200, json: { version: Number(payload.baseVersion) + 1, savedAt: SAVED_AT } })
    await typeAtEnd(' More soon.')
    await expect.poll(() => draftsForStory().length).toBe(1)
    const [first] = draftsForStory()
    expect(first!.headers['content-type']).toBe('application/json')
    expect(first!.headers['x-csrf-token']).toBe(`csrf-${storyId}`)
    expect(first!.body).toEqual({ baseVersion: 1, fields: FIELDS, body: [{ type: 'paragraph', content: [{ text: 'Ministers met on Tuesday. More soon.' }] }] })
    await expect.poll(statusText).toBe(`Saved at ${hhmm(SAVED_AT)}`)
    expect(await page.getByRole('status').filter({ hasText: 'Saved at' }).count()).toBe(1)
    expect(await page.locator('input[name="baseVersion"]').first().inputValue()).toBe('2')

    // Side fields count too, and each save builds on the version the server gave the one before.
    await page.getByLabel('Headline').fill('Neighbours reopen harbour talks')
    await page.getByLabel('Fishing').check()
    await expect.poll(() => draftsForStory().at(-1)!.body.fields.tagIds).toEqual(['tag_1', 'tag_2'])
    expect(draftsForStory().at(-1)!.body).toMatchObject({ fields: { title: 'Neighbours reopen harbour talks' } })
    expect(draftsForStory().map((d) => d.body.baseVersion)).toEqual(draftsForStory().map((_d, i) => i + 1))
    expect(await auditAccessibility(page)).toEqual([])
  })

  describe('when someone else saved first', () => {
    const conflict = (): Answer =>
      problem(409, {
        code: 'ARTICLE_VERSION_CONFLICT',
        current: { version: 7, fields: { ...FIELDS, title: 'Their headline', sectionIds: ['sec_3'] }, body: THEIRS, savedBy: { name: 'Lena Ortiz' }, savedAt: SAVED_AT },
        conflictCopyId: 'art_copy_1',
      })
    async function openConflict() {
      await open()
      let answered = 0
      harness.onDraft = (payload) => (answered++ === 0 ? conflict() : { status: 200, json: { version: Number(payload.baseVersion) + 1, savedAt: SAVED_AT } })
      await typeAtEnd(' Mine.')
      const dialog = page.getByRole('dialog', { name: 'Someone else saved this story' })
      await dialog.waitFor()
      return dialog
    }

    it('shows both versions side by side with the fields that differ, and keeps mine on request', async () => {
      const dialog = await openConflict()
      expect(await dialog.getByText(`Lena Ortiz saved this story at ${hhmm(SAVED_AT)}`).count()).toBe(1)
      expect(await dialog.getByText('your version has also been kept as a separate copy').count()).toBe(1)
      const theirs = dialog.getByRole('region', { name: `Their version (Lena Ortiz, ${hhmm(SAVED_AT)})` })
      const mine = dialog.getByRole('region', { name: 'Your version' })
      expect(await theirs.textContent()).toContain('Ministers met on Tuesday in the port city.')
      expect(await theirs.textContent()).toContain('“We are ready.” — Ana Pérez')
      expect(await mine.textContent()).toContain('Ministers met on Tuesday. Mine.')
      const row = dialog.getByRole('table', { name: 'Other fields that differ' }).getByRole('row', { name: /Headline/ })
      expect(await row.getByRole('cell').allTextContents()).toEqual(['Their headline', 'Coastal neighbours reopen talks'])
      // Choices are shown by their names, not their ids; fields that agree are not listed.
      const sections = dialog.getByRole('row', { name: /Sections/ })
      expect(await sections.getByRole('cell').allTextContents()).toEqual(['Business', 'Politics, Latin America'])
      expect(await dialog.getByRole('row').count()).toBe(3)
      expect(await statusText()).toContain('Not saved: Lena Ortiz saved a newer version.')
      expect(await auditAccessibility(page)).toEqual([])

      await dialog.getByRole('button', { name: 'Keep my version' }).click()
      await expect.poll(() => draftsForStory().length).toBe(2)
      expect(draftsForStory()[1]!.body).toMatchObject({ baseVersion: 7, body: [{ type: 'paragraph', content: [{ text: 'Ministers met on Tuesday. Mine.' }] }] })
      await expect.poll(statusText).toBe(`Saved at ${hhmm(SAVED_AT)}`)
    })

    it('takes their version into the editor and the fields, and undo brings mine back', async () => {
      const dialog = await openConflict()
      await dialog.getByRole('button', { name: 'Use their version' }).click()
      expect(await readBodyField(page)).toEqual(THEIRS)
      expect(await page.getByLabel('Headline').inputValue()).toBe('Their headline')
      expect(await page.getByLabel('Sections').evaluate((el: any) => [...el.selectedOptions].map((o: any) => o.value))).toEqual(['sec_3'])
      expect(await page.locator('input[name="baseVersion"]').first().inputValue()).toBe('7')
      expect(await statusText()).toContain('Now showing the version Lena Ortiz saved')
      expect(draftsForStory()).toHaveLength(1)
      await text.focus()
      await page.keyboard.press('Control+Z')
      expect(await readBodyField(page)).toEqual([{ type: 'paragraph', content: [{ text: 'Ministers met on Tuesday. Mine.' }] }])
    })

    it('adds their text below mine and saves both on top of their version', async () => {
      const dialog = await openConflict()
      await dialog.getByRole('button', { name: 'Add their text below mine' }).click()
      await expect.poll(() => draftsForStory().length).toBe(2)
      expect(draftsForStory()[1]!.body).toMatchObject({
        baseVersion: 7,
        body: [{ type: 'paragraph', content: [{ text: 'Ministers met on Tuesday. Mine.' }] }, { type: 'divider' }, ...THEIRS],
      })
    })

    it('lets the writer decide later, without saving over their version meanwhile', async () => {
      const dialog = await openConflict()
      await page.keyboard.press('Escape')
      await dialog.waitFor({ state: 'hidden' })
      await typeAtEnd(' Still typing.')
      expect(await statusText()).toContain('Not saved: Lena Ortiz saved a newer version.')
      await page.getByRole('button', { name: 'Compare the versions' }).click()
      await dialog.waitFor()
      expect(await dialog.getByRole('region', { name: 'Your version' }).textContent()).toContain('Mine. Still typing.')
      expect(draftsForStory()).toHaveLength(1)
    })
  })

  it('keeps the work in this browser when the session ends, and saves it once signed in again', async () => {
    await open()
    let signedIn = false
    harness.onDraft = (payload) =>
      signedIn ? { status: 200, json: { version: Number(payload.baseVersion) + 1, savedAt: SAVED_AT } } : problem(401, { code: 'AUTH_REQUIRED', detail: 'Sign in first.' })
    await typeAtEnd(' Written while signed out.')
    await expect.poll(statusText).toBe('Not saved: your session ended. Sign in again (opens in a new tab) and your work will be saved.')
    const signIn = page.getByRole('link', { name: 'Sign in again (opens in a new tab)' })
    expect(await signIn.getAttribute('href')).toBe('/admin/sign-in')
    expect(await signIn.getAttribute('target')).toBe('_blank')
    const kept = await page.evaluate((key) => (globalThis as any).localStorage.getItem(key), `masthead:story:${storyId}:v1`)
    expect(JSON.parse(kept)).toMatchObject({ storyId, baseVersion: 1, fields: FIELDS, body: [{ type: 'paragraph', content: [{ text: 'Ministers met on Tuesday. Written while signed out.' }] }] })
    expect(await auditAccessibility(page)).toEqual([])

    signedIn = true
    await expect.poll(statusText).toBe(`Saved at ${hhmm(SAVED_AT)}`)
    expect(await page.evaluate((key) => (globalThis as any).localStorage.getItem(key), `masthead:story:${storyId}:v1`)).toBeNull()
  })

  /** Types ' Left behind.' into a new story whose save is refused for an ended session, and closes the page: the work stays in this browser only. */
  async function leaveWorkBehind() {
    await open()
    harness.onDraft = () => problem(401, { code: 'AUTH_REQUIRED' })
    await typeAtEnd(' Left behind.')
    await expect.poll(statusText).toContain('your session ended')
    await page.close()
  }

  it('offers work left in the browser from an earlier visit, and saves it when restored', async () => {
    await leaveWorkBehind()

    harness.onDraft = (payload) => ({ status: 200, json: { version: Number(payload.baseVersion) + 1, savedAt: SAVED_AT } })
    await open({ id: storyId, newContext: false })
    await expect.poll(() => page.getByText('This browser kept changes to this story that were not saved').count()).toBe(1)
    expect(await readBodyField(page)).toEqual(MINE)
    expect(await auditAccessibility(page)).toEqual([])
    const before = draftsForStory().length
    await page.getByRole('button', { name: 'Restore and save them' }).click()
    await expect.poll(() => draftsForStory().length).toBe(before + 1)
    expect(draftsForStory().at(-1)!.body).toMatchObject({ baseVersion: 1, body: [{ type: 'paragraph', content: [{ text: 'Ministers met on Tuesday. Left behind.' }] }] })
    await expect.poll(statusText).toBe(`Saved at ${hhmm(SAVED_AT)}`)

    // Nothing is offered again once saved.
    await page.reload()
    await editorReady(page)
    expect(await page.getByText('This browser kept changes').count()).toBe(0)
  })

  it('on a story the writer can no longer change, shows the text read-only and offers kept work only to discard', async () => {
    await leaveWorkBehind()

    page = await context.newPage()
    await page.goto(harness.story({ id: storyId, body: MINE, data: { 'read-only': 'true' } }))
    const readOnlyText = page.getByRole('textbox', { name: 'Story text' }).and(page.locator('#story-editor [contenteditable="false"]'))
    await readOnlyText.waitFor()
    expect(await readOnlyText.getAttribute('aria-readonly')).toBe('true')
    expect(await readOnlyText.textContent()).toBe('Ministers met on Tuesday.')
    await expect.poll(() => page.getByText('You cannot change this story now, so they stay in this browser until you can').count()).toBe(1)
    expect(await page.getByRole('button', { name: 'Restore and save them' }).count()).toBe(0)
    expect(await auditAccessibility(page)).toEqual([])
    await page.getByRole('button', { name: 'Discard them' }).click()
    await expect.poll(statusText).toBe('Discarded the changes kept in this browser.')
  })

  it('shows what the server refused, beside the field or with a way to the block', async () => {
    await open({ body: [...MINE, { type: 'quote', content: [{ text: 'Unattributed.' }], attribution: { speaker: 'X' } }] })
    harness.onDraft = () =>
      problem(422, {
        code: 'ARTICLE_INVALID',
        issues: [
          { path: 'title', message: 'A headline is at most 200 characters.' },
          { path: 'body[1].attribution.speaker', message: 'Say who said it.' },
        ],
      })
    await typeAtEnd(' Edit.')
    await expect.poll(statusText).toContain('Not saved: some things need fixing first')
    const headline = page.getByLabel('Headline')
    expect(await headline.getAttribute('aria-invalid')).toBe('true')
    const describedBy = (await headline.getAttribute('aria-describedby')) ?? ''
    expect(await page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).textContent()).toBe('A headline is at most 200 characters.')
    expect(await page.getByText('Story text, block 2: Say who said it.').count()).toBe(1)
    expect(await auditAccessibility(page)).toEqual([])
    await page.getByRole('button', { name: 'Go to block 2' }).click()
    expect(await text.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true)
    expect(await page.getByRole('group', { name: 'Quote: who said it' }).isVisible()).toBe(true)

    // Fixed: the next save clears the messages.
    harness.onDraft = (payload) => ({ status: 200, json: { version: Number(payload.baseVersion) + 1, savedAt: SAVED_AT } })
    await headline.fill('Short headline')
    await expect.poll(statusText).toBe(`Saved at ${hhmm(SAVED_AT)}`)
    expect(await headline.getAttribute('aria-invalid')).toBeNull()
    expect(await page.getByText('A headline is at most 200 characters.').count()).toBe(0)
  })

  it('shows any refusal that names a field the same way, such as a slug already taken', async () => {
    await open()
    harness.onDraft = () => problem(409, { code: 'ARTICLE_SLUG_TAKEN', issues: [{ path: 'slug', message: 'Another story uses this slug.' }] })
    await typeAtEnd(' Edit.')
    await expect.poll(statusText).toContain('Not saved: some things need fixing first')
    expect(await page.getByLabel('Slug').getAttribute('aria-invalid')).toBe('true')
    expect(await page.getByText('Slug: Another story uses this slug.').count()).toBe(1)
    expect(await page.getByRole('dialog').count()).toBe(0)
  })

  it('tells a writer whose story an editor published meanwhile where their text went', async () => {
    await open()
    harness.onDraft = () =>
      problem(403, { code: 'ARTICLE_HANDED_OVER', detail: 'You cannot change this story any more: an editor has it now (it is scheduled or public). What you wrote is kept on the story as a copy for the desk.' })
    await typeAtEnd(' Late words.')
    await expect.poll(statusText).toBe(
      'Not saved: an editor has scheduled or published this story, so it can no longer be changed here. What you wrote is kept on the story as a copy for the desk, and in this browser. See the story as it is now',
    )
    const link = page.locator('#save-state').getByRole('link', { name: 'See the story as it is now' })
    expect(new URL((await link.getAttribute('href'))!).pathname).toBe(new URL(page.url()).pathname)
  })

  it('says it is offline and retries until the network is back', async () => {
    await open()
    let online = false
    let calls = 0
    harness.onDraft = (payload) => (++calls, online ? { status: 200, json: { version: Number(payload.baseVersion) + 1, savedAt: SAVED_AT } } : 'drop')
    await typeAtEnd(' Offline words.')
    await expect.poll(statusText).toBe('Not saved: offline, retrying.')
    await expect.poll(() => calls).toBeGreaterThanOrEqual(2)
    online = true
    await expect.poll(statusText).toBe(`Saved at ${hhmm(SAVED_AT)}`)
    expect(draftsForStory().at(-1)!.body.body).toEqual([{ type: 'paragraph', content: [{ text: 'Ministers met on Tuesday. Offline words.' }] }])
  })

  it('saves before a publishing form is sent, and that form carries the saved version', async () => {
    await open({ data: { 'autosave-delay-ms': '60000' } })
    await typeAtEnd(' Last words.')
    await page.getByRole('button', { name: 'Publish' }).click()
    await page.getByRole('heading', { name: 'Form received' }).waitFor()
    const mine = harness.requests.filter((r) => r.path.startsWith(`/admin/stories/${storyId}/`) && r.method !== 'POST' || r.path === `/admin/stories/${storyId}/publish`)
    expect(mine.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /admin/stories/${storyId}/draft`, `POST /admin/stories/${storyId}/publish`])
    expect(mine[0]!.body.body).toEqual([{ type: 'paragraph', content: [{ text: 'Ministers met on Tuesday. Last words.' }] }])
    expect(new URLSearchParams(mine[1]!.body as string).get('baseVersion')).toBe('2')
  })

  it('saves when the page is hidden and warns before leaving with unsaved work', async () => {
    await open({ data: { 'autosave-delay-ms': '60000' } })
    await text.focus()
    await page.keyboard.press('Control+End')
    await page.keyboard.type(' Unsaved.') // real key presses: a leave-page prompt needs the writer to have used the page
    const prompts: string[] = []
    page.on('dialog', (dialog) => {
      prompts.push(dialog.type())
      void dialog.dismiss()
    })
    await page.close({ runBeforeUnload: true })
    await expect.poll(() => prompts).toEqual(['beforeunload'])
    await context.close() // the dismissed prompt kept that page open

    await open({ data: { 'autosave-delay-ms': '60000' } })
    await typeAtEnd(' Hidden.')
    await page.evaluate(() => {
      const g = globalThis as any
      Object.defineProperty(g.document, 'visibilityState', { value: 'hidden', configurable: true })
      g.document.dispatchEvent(new g.Event('visibilitychange'))
    })
    await expect.poll(() => draftsForStory().length).toBe(1)
    expect(draftsForStory()[0]!.body.body).toEqual([{ type: 'paragraph', content: [{ text: 'Ministers met on Tuesday. Hidden.' }] }])
  })

  it('shows who else has the story open, politely', async () => {
    harness.onPresence = () => ({ status: 200, json: { others: [{ name: 'Lena Ortiz', since: SAVED_AT }, { name: 'Sam Reyes', since: SAVED_AT }] } })
    await open({ data: { 'presence-interval-ms': '200' } })
    const presence = page.locator('#presence')
    await expect.poll(() => presence.textContent()).toBe(`Also open by: Lena Ortiz (since ${hhmm(SAVED_AT)}), Sam Reyes (since ${hhmm(SAVED_AT)}).`)
    expect(await presence.getAttribute('aria-live')).toBe('polite')
    const ping = harness.requests.find((r) => r.path === `/admin/stories/${storyId}/presence`)!
    expect(ping.method).toBe('POST')
    expect(ping.headers['x-csrf-token']).toBe(`csrf-${storyId}`)
    harness.onPresence = () => ({ status: 200, json: { others: [] } })
    await expect.poll(() => presence.textContent()).toBe('')
  })

  it('leaves the server\'s presence text alone while the same people stay, so nothing is announced again', async () => {
    // Opened at 14:05 UTC, 15:05 in Madrid; the browser's own zone must not matter.
    const others = [{ name: 'Lena Ortiz', since: SAVED_AT }]
    const drawn = presenceText(others, 'Europe/Madrid')
    expect(drawn).toBe('Also open by: Lena Ortiz (since 15:05).')
    harness.onPresence = () => ({ status: 200, json: { others } })
    await open({ data: { 'presence-interval-ms': '100' }, presence: { text: drawn, timeZone: 'Europe/Madrid' } })
    await page.evaluate(() => {
      const g = globalThis as any
      g.presenceChanges = 0
      new g.MutationObserver((records: unknown[]) => (g.presenceChanges += records.length)).observe(g.document.getElementById('presence'), { childList: true, characterData: true, subtree: true })
    })
    const pings = () => harness.requests.filter((r) => r.path === `/admin/stories/${storyId}/presence`).length
    const before = pings()
    await expect.poll(pings).toBeGreaterThan(before + 3)
    expect(await page.evaluate(() => (globalThis as any).presenceChanges)).toBe(0)
    expect(await page.locator('#presence').textContent()).toBe(drawn)
    // Someone arrives: the text changes once, in the same words and zone.
    harness.onPresence = () => ({ status: 200, json: { others: [...others, { name: 'Sam Reyes', since: '2026-02-03T14:20:00.000Z' }] } })
    await expect.poll(() => page.locator('#presence').textContent()).toBe('Also open by: Lena Ortiz (since 15:05), Sam Reyes (since 15:20).')
    const afterArrival = await page.evaluate(() => (globalThis as any).presenceChanges)
    const now = pings()
    await expect.poll(pings).toBeGreaterThan(now + 3)
    expect(await page.evaluate(() => (globalThis as any).presenceChanges)).toBe(afterArrival)
  })
})
