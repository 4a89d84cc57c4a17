import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Body } from '../../src/articles/index.ts'
import { auditAccessibility, launchBrowser } from '../support/browser.ts'
import { editorReady, pasteInto, readBodyField, startEditorHarness, type EditorHarness } from '../support/editor-harness.ts'

/**
 * A writer pastes copy from a word processor, Google Docs or a web page into
 * the story editor: a real paste event with the clipboard HTML those programs
 * put there (test/fixtures/clipboard/), read back as the body the form sends.
 */

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'clipboard')
const clipboard = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8')

const bold = { type: 'bold' } as const
const italic = { type: 'italic' } as const
const link = (href: string) => ({ type: 'link', href }) as const

describe('pasting into the story editor', () => {
  let harness: EditorHarness
  let browser: Browser
  let page: Page
  let stories = 0

  beforeAll(async () => {
    ;[harness, browser] = await Promise.all([startEditorHarness(), launchBrowser()])
  })
  afterAll(async () => {
    await browser?.close()
    await harness?.close()
  })

  /** A fresh, empty story with the editor ready; autosave is left slow so it stays out of the way. */
  async function openEmptyStory(): Promise<Page> {
    await page?.close()
    page = await browser.newPage({ bypassCSP: true })
    await page.goto(harness.story({ id: `paste_${++stories}`, data: { 'autosave-delay-ms': '60000' } }))
    await editorReady(page)
    return page
  }

  it('keeps the structure of a Google Docs paste and drops its styling wrapper', async () => {
    await openEmptyStory()
    await pasteInto(page, clipboard('google-docs.html'))
    expect(await readBodyField(page)).toEqual([
      { type: 'heading', level: 2, content: [{ text: 'Harbour talks resume after a year' }] },
      {
        type: 'paragraph',
        content: [
          { text: 'The two governments met on ' },
          { text: 'Tuesday', marks: [bold] },
          { text: ' for the first time since the ' },
          { text: 'Sea Lion', marks: [italic] },
          { text: ' incident, according to ' },
          { text: 'our earlier report', marks: [link('https://www.example.org/news/harbour-incident')] },
          { text: '.' },
        ],
      },
      { type: 'heading', level: 2, content: [{ text: 'On the table' }] },
      // The nested item joins the one list a body can hold.
      { type: 'list', ordered: false, items: [[{ text: 'Fishing quotas' }], [{ text: 'Port fees', marks: [bold] }, { text: ' for foreign trawlers' }], [{ text: 'including the night tariff' }]] },
      { type: 'list', ordered: true, items: [[{ text: 'Agree the agenda' }], [{ text: 'Sign by March' }]] },
      { type: 'heading', level: 3, content: [{ text: 'Reaction' }] },
      // A link to a heading inside the Google document means nothing here: its text stays, the link goes.
      { type: 'paragraph', content: [{ text: 'See the timeline or write to ' }, { text: 'the desk', marks: [link('mailto:desk@meridian.example')] }, { text: '.' }] },
      // The pasted picture is dropped: pictures come from the media library. Bold and italic together stay.
      { type: 'paragraph', content: [{ text: 'Reporting by Lena Ortiz.', marks: [bold, italic] }] },
    ])
    expect(Body.safeParse(await readBodyField(page)).success).toBe(true)
  })

  it('turns Word’s list paragraphs into lists and its Quote style into a quote the writer must attribute', async () => {
    await openEmptyStory()
    await pasteInto(page, clipboard('word.html'))
    expect(await readBodyField(page)).toEqual([
      { type: 'paragraph', content: [{ text: 'Fishing fleets wait on harbour deal' }] },
      { type: 'heading', level: 2, content: [{ text: 'Background' }] },
      {
        type: 'paragraph',
        content: [
          { text: 'Skippers in the port say the dispute has cost them ' },
          { text: 'half a season', marks: [bold] },
          { text: '. Many now fish ' },
          { text: 'further south', marks: [italic] },
          { text: ', where fuel costs more.' },
        ],
      },
      // "mso-bidi-font-weight:normal" is not font-weight: the <b> still makes it bold. The empty <o:p>&nbsp;</o:p> paragraph is gone.
      { type: 'paragraph', content: [{ text: 'What skippers want:', marks: [bold] }] },
      { type: 'list', ordered: false, items: [[{ text: 'A fixed season' }], [{ text: 'Lower ' }, { text: 'port', marks: [italic] }, { text: ' fees' }], [{ text: 'One licence for both waters' }]] },
      { type: 'heading', level: 2, content: [{ text: 'Next steps' }] },
      { type: 'list', ordered: true, items: [[{ text: 'Ministers meet in March' }], [{ text: 'Parliaments vote by June' }]] },
      { type: 'quote', content: [{ text: '“We have waited long enough,” said the harbour master.' }], attribution: { speaker: '' } },
      // The javascript: link loses its link and keeps its words.
      { type: 'paragraph', content: [{ text: 'Read the ' }, { text: 'fisheries report', marks: [link('https://www.example.org/reports/fisheries-2025.pdf')] }, { text: ' and the campaign page.' }] },
      { type: 'heading', level: 3, content: [{ text: 'Contact' }] },
      { type: 'paragraph', content: [{ text: 'Email ' }, { text: 'the port office', marks: [link('mailto:port@example.org')] }, { text: '.' }] },
    ])

    // The quote says it needs a speaker, in the text and in the summary; the details panel takes it.
    const text = page.getByRole('textbox', { name: 'Story text' })
    await expect.poll(() => text.getByText('Speaker missing').count()).toBe(1)
    await expect.poll(() => page.getByText('Needs attention: 1 quote without a speaker.').count()).toBe(1)
    await text.getByText('We have waited long enough').click()
    const speaker = page.getByRole('textbox', { name: 'Speaker (required)' })
    expect(await speaker.getAttribute('aria-invalid')).toBe('true')
    await speaker.fill('Marta Quiroga')
    await page.getByRole('textbox', { name: 'Role' }).fill('harbour master')
    const body = await readBodyField(page)
    expect(body.find((b) => b.type === 'quote')).toMatchObject({ attribution: { speaker: 'Marta Quiroga', role: 'harbour master' } })
    expect(Body.safeParse(body).success).toBe(true)
    expect(await page.getByText('Needs attention').count()).toBe(0)
    expect(await auditAccessibility(page)).toEqual([])
  })

  it('reads LibreOffice copy: quotations, line breaks, tables and rules', async () => {
    await openEmptyStory()
    await pasteInto(page, clipboard('libreoffice.html'))
    expect(await readBodyField(page)).toEqual([
      { type: 'heading', level: 2, content: [{ text: 'Council approves ferry subsidy' }] },
      {
        type: 'paragraph',
        content: [
          { text: 'The council voted ' },
          { text: 'nine to four', marks: [bold] },
          { text: ' on Thursday to keep the evening ferry running, a decision the ' },
          { text: 'Harbour Users’ Association', marks: [italic] },
          { text: ' called “overdue”.' },
        ],
      },
      { type: 'quote', content: [{ text: 'Without the ferry, the island empties after six o’clock.' }], attribution: { speaker: '' } },
      // A body paragraph has no line breaks: each line becomes a paragraph.
      { type: 'paragraph', content: [{ text: 'Line one of an address' }] },
      { type: 'paragraph', content: [{ text: 'Line two of an address' }] },
      { type: 'heading', level: 3, content: [{ text: 'Costs' }] },
      { type: 'list', ordered: false, items: [[{ text: 'Fuel: ' }, { text: '€1.2 million', marks: [bold] }], [{ text: 'Crew: €0.8 million' }]] },
      // Table cells keep their text, one paragraph each.
      { type: 'paragraph', content: [{ text: 'Route' }] },
      { type: 'paragraph', content: [{ text: 'Sailings' }] },
      { type: 'paragraph', content: [{ text: 'Minutes at ' }, { text: 'council.example', marks: [link('https://council.example/minutes/2026-01-29')] }, { text: '.' }] },
      { type: 'divider' },
      { type: 'paragraph', content: [{ text: 'Additional reporting by the island correspondent.', marks: [italic] }] },
    ])
  })

  it('keeps the article of a news page and drops its scripts, frames, ads, hidden parts and unsafe links', async () => {
    await openEmptyStory()
    await pasteInto(page, clipboard('news-page.html'))
    expect(await readBodyField(page)).toEqual([
      // The headline's own bold weight is not a mark: headings are bold anyway.
      { type: 'heading', level: 2, content: [{ text: 'Storm closes the harbour for two days' }] },
      { type: 'paragraph', content: [{ text: 'By ' }, { text: 'Sam Reyes', marks: [link('https://news.example/authors/sam-reyes')] }] },
      {
        type: 'paragraph',
        content: [
          { text: 'High winds forced the port authority to ' },
          { text: 'close the harbour', marks: [bold] },
          { text: ' on Sunday, ' },
          { text: 'stranding', marks: [bold] },
          { text: ' some 40 vessels, the ' },
          { text: 'authority', marks: [link('https://news.example/tags/port-authority')] },
          { text: ' said.' },
        ],
      },
      // The picture goes; its caption is text and stays.
      { type: 'paragraph', content: [{ text: 'Waves over the harbour wall on Sunday.' }] },
      { type: 'heading', level: 2, content: [{ text: 'Ferries cancelled' }] },
      {
        type: 'paragraph',
        content: [{ text: 'All ' }, { text: 'ferry', marks: [italic] }, { text: ' sailings were cancelled. Share this The coast guard said it had ' }, { text: 'no reports', marks: [italic] }, { text: ' of injuries.' }],
      },
      // A quote of several paragraphs becomes one quote: the body holds a quote as one run of text.
      { type: 'quote', content: [{ text: 'We have not seen winds like this in twenty years. Everyone stayed in port. — the harbour master' }], attribution: { speaker: '' } },
      { type: 'heading', level: 3, content: [{ text: 'Related' }] },
      // A scheme-relative //host link is refused; its text stays.
      { type: 'list', ordered: false, items: [[{ text: 'Harbour wall repairs finished', marks: [link('https://news.example/2025/11/harbour-wall-repairs')] }], [{ text: 'Sponsored: cheap flights' }]] },
      { type: 'paragraph', content: [{ text: 'The harbour is due to reopen on Tuesday.' }] },
    ])
    const text = JSON.stringify(await readBodyField(page))
    for (const gone of ['Advertisement', 'Subscribe', 'Tweet', 'Home', 'dataLayer', 'javascript:', 'tracker.example', 'pixel.example']) expect(text).not.toContain(gone)
  })

  it('never runs or keeps anything active from hostile clipboard HTML', async () => {
    await openEmptyStory()
    await pasteInto(
      page,
      `<p>Look <a href="javascript:window.__pwned=1">here</a>, <a href=" data:text/html,<script>alert(1)</script>">there</a>,
       <a href="JaVaScRiPt:alert(1)">everywhere</a> and <a href="/politics/harbour">home</a>.<img src=x onerror="window.__pwned=2"></p>
       <script>window.__pwned=3</script><svg onload="window.__pwned=4"></svg><iframe srcdoc="<script>parent.__pwned=5</script>"></iframe>
       <blockquote data-speaker="Injected" onclick="window.__pwned=6">Quoted</blockquote>
       <figure data-mh="image" data-src="javascript:alert(1)" data-width="10" data-height="10"></figure>`,
    )
    expect(await readBodyField(page)).toEqual([
      { type: 'paragraph', content: [{ text: 'Look here, there, everywhere and ' }, { text: 'home', marks: [link('/politics/harbour')] }, { text: '.' }] },
      // Only the editor's own copied markup may carry an attribution; outside markup starts empty.
      { type: 'quote', content: [{ text: 'Quoted' }], attribution: { speaker: '' } },
    ])
    expect(await page.evaluate(() => (globalThis as any).__pwned ?? null)).toBeNull()
  })

  it('copies and pastes inside the editor without losing attribution, pictures or embeds', async () => {
    await page?.close()
    page = await browser.newPage({ bypassCSP: true })
    const original: Body = [
      { type: 'quote', content: [{ text: 'We are ready.' }], attribution: { speaker: 'Ana Pérez', role: 'Foreign Minister', givenTo: 'Meridian', context: 'in an interview', via: 'ACP', date: '2026-02-02' } },
      { type: 'image', mediaId: 'med_harbour', src: '/media/harbour-cranes.png', alt: 'Cranes over the quay', width: 1200, height: 800, caption: 'The harbour.', credit: 'Photo: ACP' },
      { type: 'embed', url: 'https://video.example/watch?v=1', title: 'The press conference', provider: 'Video Example' },
      { type: 'pullquote', text: 'Ready to talk', speaker: 'Ana Pérez' },
      { type: 'paragraph', content: [{ text: 'End.' }] },
    ]
    await page.goto(harness.story({ id: 'copy_1', body: original, data: { 'autosave-delay-ms': '60000' } }))
    const text = await editorReady(page)
    await text.focus()
    await page.keyboard.press('Control+A')
    // A real copy event: ProseMirror fills the DataTransfer with its HTML, which the test then pastes back.
    const copied = await page.evaluate(() => {
      const g = globalThis as any
      const data = new g.DataTransfer()
      g.document.activeElement.dispatchEvent(new g.ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }))
      return data.getData('text/html') as string
    })
    expect(copied).toContain('data-pm-slice')
    await page.keyboard.press('Control+End')
    // The editor takes a moved selection from the browser's selectionchange event, which comes a turn later:
    // a paste sent before it (a loaded machine) would replace the whole text, still selected, instead.
    await page.waitForFunction(() => (globalThis as any).document.getSelection()?.isCollapsed === true)
    await page.evaluate(() => new Promise((resolve) => (globalThis as any).requestAnimationFrame(() => setTimeout(resolve, 0))))
    await pasteInto(page, copied)
    expect(await readBodyField(page)).toEqual([...original, ...original])
  })

  it('pastes plain text as paragraphs', async () => {
    await openEmptyStory()
    await page.getByRole('textbox', { name: 'Story text' }).focus()
    await page.evaluate(() => {
      const g = globalThis as any
      const data = new g.DataTransfer()
      data.setData('text/plain', 'First line.\nSecond line.\n\nThird line.')
      g.document.activeElement.dispatchEvent(new g.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    })
    expect(await readBodyField(page)).toEqual([
      { type: 'paragraph', content: [{ text: 'First line.' }] },
      { type: 'paragraph', content: [{ text: 'Second line.' }] },
      { type: 'paragraph', content: [{ text: 'Third line.' }] },
    ])
  })
})
