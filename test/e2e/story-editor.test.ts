import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Body } from '../../src/articles/index.ts'
import { auditAccessibility, launchBrowser } from '../support/browser.ts'
import { editorReady, readBodyField, startEditorHarness, type EditorHarness } from '../support/editor-harness.ts'

/**
 * A writer edits a story's text with the keyboard, the toolbar and the
 * dialogs, in headless Chromium against the built bundle. Every state the
 * writer meets (dialogs open, details shown) passes the accessibility audit.
 */
describe('story editor', () => {
  let harness: EditorHarness
  let browser: Browser
  let page: Page
  let text: Locator
  let stories = 0

  beforeAll(async () => {
    ;[harness, browser] = await Promise.all([startEditorHarness(), launchBrowser()])
  })
  afterAll(async () => {
    await browser?.close()
    await harness?.close()
  })
  afterEach(async () => {
    await page?.close()
  })

  async function open(body: Body = [], options: { bypassCSP?: boolean; featured?: boolean } = {}) {
    page = await browser.newPage({ bypassCSP: options.bypassCSP ?? true })
    // Every CSP violation the page meets is kept, as the browser reports it to the page itself.
    await page.addInitScript(() => {
      const g = globalThis as any
      g.__cspViolations = []
      g.document.addEventListener('securitypolicyviolation', (e: any) => g.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`))
    })
    await page.goto(harness.story({ id: `ui_${++stories}`, body, data: { 'autosave-delay-ms': '60000' }, featured: options.featured ?? false }))
    text = await editorReady(page)
    await text.focus()
  }

  const isFocused = (locator: Locator) => locator.evaluate((el) => el === el.ownerDocument.activeElement)
  const button = (name: string) => page.getByRole('toolbar', { name: 'Story text formatting' }).getByRole('button', { name, exact: true })

  it('is a named, multi-line text box between a one-stop toolbar and the fields after it', async () => {
    await open([{ type: 'paragraph', content: [{ text: 'Ministers met on Tuesday.' }] }])
    expect(await text.getAttribute('aria-multiline')).toBe('true')
    const toolbar = page.getByRole('toolbar', { name: 'Story text formatting' })
    const buttons = toolbar.getByRole('button')
    expect(await buttons.count()).toBeGreaterThan(10)
    expect(await toolbar.locator('[tabindex="0"]').count()).toBe(1)

    // Tab leaves the text instead of being trapped in it; Shift-Tab goes back to the toolbar.
    await page.keyboard.press('Tab')
    expect(await isFocused(text)).toBe(false)
    expect(await isFocused(page.getByRole('button', { name: 'Save' }))).toBe(true)
    await text.focus()
    await page.keyboard.press('Shift+Tab')
    expect(await isFocused(button('Bold'))).toBe(true)
    await page.keyboard.press('ArrowRight')
    expect(await isFocused(button('Italic'))).toBe(true)
    await page.keyboard.press('End')
    expect(await isFocused(button('Redo'))).toBe(true)
    await page.keyboard.press('Home')
    expect(await isFocused(button('Bold'))).toBe(true)
    expect(await toolbar.locator('[tabindex="0"]').count()).toBe(1)
    expect(await auditAccessibility(page)).toEqual([])
  })

  it('formats with Mod-B and Mod-I, and the toolbar says what is on', async () => {
    await open()
    await page.keyboard.type('Talks ')
    await page.keyboard.press('Control+B')
    expect(await button('Bold').getAttribute('aria-pressed')).toBe('true')
    await page.keyboard.type('resume')
    await page.keyboard.press('Control+B')
    await page.keyboard.type(' in ')
    await page.keyboard.press('Control+I')
    await page.keyboard.type('port')
    expect(await button('Italic').getAttribute('aria-pressed')).toBe('true')
    expect(await button('Bold').getAttribute('aria-pressed')).toBe('false')
    expect(await readBodyField(page)).toEqual([
      { type: 'paragraph', content: [{ text: 'Talks ' }, { text: 'resume', marks: [{ type: 'bold' }] }, { text: ' in ' }, { text: 'port', marks: [{ type: 'italic' }] }] },
    ])
    // The toolbar buttons do the same, and give the focus back to the text.
    await page.keyboard.press('Shift+Home')
    await button('Bold').click()
    expect(await isFocused(text)).toBe(true)
    expect(await readBodyField(page)).toEqual([
      {
        type: 'paragraph',
        content: [{ text: 'Talks resume in ', marks: [{ type: 'bold' }] }, { text: 'port', marks: [{ type: 'bold' }, { type: 'italic' }] }],
      },
    ])
  })

  it('adds links with Mod-K, refusing addresses the body does not allow, and removes them', async () => {
    await open([{ type: 'paragraph', content: [{ text: 'Read the report today.' }] }])
    await page.keyboard.press('Control+Home')
    for (let i = 0; i < 'Read the '.length; i++) await page.keyboard.press('ArrowRight')
    for (let i = 0; i < 'report'.length; i++) await page.keyboard.press('Shift+ArrowRight')
    await page.keyboard.press('Control+K')
    const dialog = page.getByRole('dialog', { name: 'Link' })
    await dialog.waitFor()
    const address = dialog.getByRole('textbox', { name: 'Link address (required)' })
    expect(await isFocused(address)).toBe(true)
    expect(await auditAccessibility(page)).toEqual([])

    for (const unsafe of ['javascript:alert(1)', '//evil.example/x', 'data:text/html,hi']) {
      await address.fill(unsafe)
      await page.keyboard.press('Enter')
      expect(await dialog.isVisible()).toBe(true)
      expect(await address.getAttribute('aria-invalid')).toBe('true')
      expect(await dialog.getByText('This address cannot be used').count()).toBe(1)
    }
    await address.fill('https://example.org/report')
    await page.keyboard.press('Enter')
    await dialog.waitFor({ state: 'hidden' })
    expect(await isFocused(text)).toBe(true)
    expect(await readBodyField(page)).toEqual([
      { type: 'paragraph', content: [{ text: 'Read the ' }, { text: 'report', marks: [{ type: 'link', href: 'https://example.org/report' }] }, { text: ' today.' }] },
    ])

    // Inside the link, Mod-K edits it; Remove link takes it off.
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('Control+K')
    expect(await address.inputValue()).toBe('https://example.org/report')
    await dialog.getByRole('button', { name: 'Remove link' }).click()
    await dialog.waitFor({ state: 'hidden' })
    expect(await readBodyField(page)).toEqual([{ type: 'paragraph', content: [{ text: 'Read the report today.' }] }])
  })

  it('switches block types with the keyboard, and undoes and redoes', async () => {
    await open([{ type: 'paragraph', content: [{ text: 'Fishing rights' }] }])
    const first = async () => (await readBodyField(page))[0]
    await page.keyboard.press('Control+Alt+2')
    expect(await first()).toEqual({ type: 'heading', level: 2, content: [{ text: 'Fishing rights' }] })
    expect(await button('Heading').getAttribute('aria-pressed')).toBe('true')
    await page.keyboard.press('Control+Alt+3')
    expect(await first()).toMatchObject({ type: 'heading', level: 3 })
    await page.keyboard.press('Control+Alt+3')
    expect(await first()).toMatchObject({ type: 'paragraph' })
    await page.keyboard.press('Control+Shift+8')
    expect(await first()).toEqual({ type: 'list', ordered: false, items: [[{ text: 'Fishing rights' }]] })
    await page.keyboard.press('Control+Shift+7')
    expect(await first()).toEqual({ type: 'list', ordered: true, items: [[{ text: 'Fishing rights' }]] })
    expect(await button('Numbered list').getAttribute('aria-pressed')).toBe('true')
    await page.keyboard.press('Control+Shift+7')
    expect(await first()).toMatchObject({ type: 'paragraph' })
    await page.keyboard.press('Control+Shift+Period')
    expect(await first()).toEqual({ type: 'quote', content: [{ text: 'Fishing rights' }], attribution: { speaker: '' } })
    await page.keyboard.press('Control+Z')
    expect(await first()).toMatchObject({ type: 'paragraph' })
    await page.keyboard.press('Control+Y')
    expect(await first()).toMatchObject({ type: 'quote' })
    await page.keyboard.press('Control+Z')
    await page.keyboard.press('Control+Shift+Z')
    expect(await first()).toMatchObject({ type: 'quote' })
  })

  it('turns Markdown-like typing into blocks, and Enter and Shift-Enter leave them sensibly', async () => {
    await open()
    const type = (keys: string) => page.keyboard.type(keys)
    const press = (key: string) => page.keyboard.press(key)
    await type('## Talks')
    await press('Enter')
    await type('### Agenda')
    await press('Enter')
    await type('* quotas')
    await press('Enter')
    await type('fees')
    await press('Enter')
    await press('Enter') // an empty item leaves the list
    await type('1. meet')
    await press('Shift+Enter') // leaves the list at once
    await type('> Nothing is agreed')
    await press('Enter') // at the end of a quote: a new paragraph
    await type('---')
    await type('After the rule')
    await press('Enter')
    await type('- dash item')
    expect(await readBodyField(page)).toEqual([
      { type: 'heading', level: 2, content: [{ text: 'Talks' }] },
      { type: 'heading', level: 3, content: [{ text: 'Agenda' }] },
      { type: 'list', ordered: false, items: [[{ text: 'quotas' }], [{ text: 'fees' }]] },
      { type: 'list', ordered: true, items: [[{ text: 'meet' }]] },
      { type: 'quote', content: [{ text: 'Nothing is agreed' }], attribution: { speaker: '' } },
      { type: 'divider' },
      { type: 'paragraph', content: [{ text: 'After the rule' }] },
      { type: 'list', ordered: false, items: [[{ text: 'dash item' }]] },
    ])
    // Backspace right after a rule fired undoes it.
    await press('Control+End')
    await press('Enter')
    await press('Enter')
    await type('## ')
    await press('Backspace')
    await type('x')
    expect((await readBodyField(page)).at(-1)).toEqual({ type: 'paragraph', content: [{ text: '## x' }] })
  })

  it('inserts pull quotes, dividers and embeds, and edits their details in the panel', async () => {
    await open([{ type: 'paragraph', content: [{ text: 'We are ready to talk, the minister said.' }] }])
    await page.keyboard.press('Control+Home')
    for (let i = 0; i < 'We are ready to talk'.length; i++) await page.keyboard.press('Shift+ArrowRight')
    await button('Pull quote').click()
    const details = page.getByRole('group', { name: 'Pull quote' })
    await details.getByRole('textbox', { name: 'Speaker' }).fill('Ana Pérez')
    expect(await auditAccessibility(page)).toEqual([])
    await text.focus()
    await button('Divider').click()

    await button('Embed…').click()
    const dialog = page.getByRole('dialog', { name: 'Embed' })
    await dialog.waitFor()
    expect(await auditAccessibility(page)).toEqual([])
    await dialog.getByRole('textbox', { name: 'Address (required)' }).fill('ftp://files.example/video')
    await dialog.getByRole('textbox', { name: 'Title (required)' }).fill('The press conference')
    await dialog.getByRole('button', { name: 'Insert embed' }).click()
    expect(await dialog.getByText('Give a full http:// or https:// address.').count()).toBe(1)
    await dialog.getByRole('textbox', { name: 'Address (required)' }).fill('https://video.example/watch?v=7')
    await dialog.getByRole('button', { name: 'Insert embed' }).click()
    await dialog.waitFor({ state: 'hidden' })
    // The new embed is selected, so the panel shows its fields.
    await page.getByRole('group', { name: 'Embed' }).getByRole('textbox', { name: 'Provider' }).fill('Video Example')
    expect(await auditAccessibility(page)).toEqual([])

    expect(await readBodyField(page)).toEqual([
      { type: 'paragraph', content: [{ text: 'We are ready to talk, the minister said.' }] },
      { type: 'pullquote', text: 'We are ready to talk', speaker: 'Ana Pérez' },
      { type: 'divider' },
      { type: 'embed', url: 'https://video.example/watch?v=7', title: 'The press conference', provider: 'Video Example' },
    ])
  })

  it('puts a picture from the media library in the story and will not let its alt text be forgotten', async () => {
    await open([{ type: 'paragraph', content: [{ text: 'The harbour at dawn.' }] }])
    await page.keyboard.press('Control+End')
    await button('Picture…').click()
    const dialog = page.getByRole('dialog', { name: 'Choose a picture' })
    await dialog.waitFor()
    const pictures = dialog.getByRole('list', { name: 'Pictures' }).getByRole('button')
    await expect.poll(() => pictures.count()).toBe(4)
    expect(await dialog.getByRole('button', { name: 'Show more pictures' }).isVisible()).toBe(true)
    expect(await auditAccessibility(page)).toEqual([])
    await dialog.getByRole('button', { name: 'Show more pictures' }).click()
    await expect.poll(() => pictures.count()).toBe(8)

    await dialog.getByRole('searchbox', { name: 'Search the media library' }).fill('boats')
    await page.keyboard.press('Enter')
    await expect.poll(() => pictures.count()).toBe(1)
    expect(harness.requests.map((r) => r.path)).toContain('/admin/media.json?q=boats&page=1')
    await pictures.first().click()
    await dialog.waitFor({ state: 'hidden' })

    // The library had no alt text for it: the text, the summary and the field all say so.
    await expect.poll(() => text.getByText('Alt text missing').count()).toBe(1)
    expect(await page.getByText('Needs attention: 1 picture without alt text.').count()).toBe(1)
    const alt = page.getByRole('group', { name: 'Picture' }).getByRole('textbox', { name: 'Alt text (required)' })
    expect(await alt.getAttribute('aria-invalid')).toBe('true')
    expect(await auditAccessibility(page)).toEqual([])
    await alt.fill('Fishing boats moored along the harbour wall')
    expect(await text.getByText('Alt text missing').count()).toBe(0)
    expect(await alt.getAttribute('aria-invalid')).toBeNull()

    expect(await readBodyField(page)).toEqual([
      { type: 'paragraph', content: [{ text: 'The harbour at dawn.' }] },
      {
        type: 'image',
        mediaId: 'med_fleet',
        src: '/media/fishing-fleet.png',
        alt: 'Fishing boats moored along the harbour wall',
        width: 1600,
        height: 900,
        caption: 'Fishing boats moored at the harbour wall.',
        credit: 'Photo: Lena Ortiz',
      },
    ])
  })

  it('finds a featured picture anywhere in the library, not only among the newest listed', async () => {
    await open([{ type: 'paragraph', content: [{ text: 'The harbour at dawn.' }] }], { featured: true })
    const select = page.getByRole('combobox', { name: 'Featured picture' })
    expect(await select.locator('option[value="med_fleet"]').count()).toBe(0)
    await page.getByRole('button', { name: 'Find in the library…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Choose the featured picture' })
    await dialog.waitFor()
    await dialog.getByRole('searchbox', { name: 'Search the media library' }).fill('boats')
    await page.keyboard.press('Enter')
    const pictures = dialog.getByRole('list', { name: 'Pictures' }).getByRole('button')
    await expect.poll(() => pictures.count()).toBe(1)
    expect(await auditAccessibility(page)).toEqual([])
    await pictures.first().click()
    await dialog.waitFor({ state: 'hidden' })
    expect(await select.inputValue()).toBe('med_fleet')
    expect(await select.locator('option:checked').textContent()).toContain('no alt text')
    expect(await isFocused(select)).toBe(true)
    // Nothing went into the text.
    expect(await readBodyField(page)).toEqual([{ type: 'paragraph', content: [{ text: 'The harbour at dawn.' }] }])
  })

  it('runs under the admin’s Content-Security-Policy without a single violation', async () => {
    await open(
      [
        { type: 'image', mediaId: 'med_map', src: '/media/harbour-map.png', alt: 'Map of the bay', width: 1000, height: 1000 },
        { type: 'paragraph', content: [{ text: 'Below the map.' }] },
      ],
      { bypassCSP: false },
    )
    const violations: string[] = []
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text())
    })
    await page.keyboard.press('Control+End')
    await page.keyboard.type('Typed under CSP. ')
    await page.keyboard.press('Control+B')
    await page.keyboard.type('Bold.')
    await button('Picture…').click()
    await page.getByRole('dialog', { name: 'Choose a picture' }).getByRole('list', { name: 'Pictures' }).getByRole('button').first().click()
    await button('Embed…').click()
    await page.keyboard.press('Escape')
    expect((await readBodyField(page)).map((block) => block.type)).toEqual(['image', 'paragraph', 'image'])
    expect(await page.evaluate(() => (globalThis as any).__cspViolations)).toEqual([])
    expect(violations).toEqual([])
  })
})
