import type { Browser, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditAccessibility, launchBrowser, signInAs } from '../support/browser.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'
import { vnuErrors } from '../support/vnu.ts'

const EDITOR = { email: 'scripts.editor@example.org', password: 'a scripts editor password' }
const MARKER = `MARKER${Math.random().toString(36).slice(2, 12)}`

/**
 * The reader forms' scripts in a real browser, under the site's own
 * Content-Security-Policy (not bypassed): the proof of work is solved while
 * the reader types, and a tip leaves the browser sealed with age. With
 * JavaScript off the forms still work, under the lower limit. The forms pass
 * vnu and axe (axe is injected on a page that lifts the policy for itself).
 */
describe('the reader forms with and without JavaScript', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  const seen: { name: string; html: string }[] = []

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([
      startTestServer('sqlite', { wirePollSeconds: 0, pageCache: false, readerForms: { minSeconds: 0, perAddress: 100, perHour: 1000, perAddressWithoutProof: 2 } }),
      launchBrowser(),
    ])
    await server.server.container.auth.createUser({ ...EDITOR, name: 'Scripts Editor', role: 'editor' })
    page = await browser.newPage()
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  async function solved(p: Page): Promise<number> {
    await p.locator('input[name="_proof_answer"][value]:not([value=""])').first().waitFor({ state: 'attached', timeout: 30_000 }).catch(() => {})
    await p.waitForFunction(() => (document.querySelector<HTMLInputElement>('input[name="_proof_answer"]')?.value ?? '') !== '', null, { timeout: 30_000 })
    return Number(await p.locator('form.reader-form').first().getAttribute('data-proof-ms'))
  }

  it('with JavaScript, the proof is solved while the reader types and the letter is accepted', async () => {
    // Script errors and CSP refusals show as console errors; failed loads are listed by address (the favicon does not exist).
    const errors: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text())
    })
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`)
    })
    await page.goto(`${server.url}/contact/letter`)
    await page.getByLabel('Your name').fill('Jonas Berg')
    await page.getByLabel('Your town').fill('Malmö')
    await page.getByLabel('Your email address').fill('jonas@example.org')
    await page.getByLabel('Your letter').fill('The bridge repairs are late again.')
    const ms = await solved(page)
    console.info(`proof of work (16 bits) solved in the browser in ${ms} ms`)
    expect(ms).toBeGreaterThan(0)
    let body = ''
    page.once('request', (r: Request) => {
      if (r.method() === 'POST') body = r.postData() ?? ''
    })
    await page.getByRole('button', { name: 'Send the letter' }).click()
    await page.getByRole('heading', { level: 1, name: 'Thank you: we have your letter' }).waitFor()
    expect(new URLSearchParams(body).get('_proof_answer')).toMatch(/^[0-9a-z]+$/)
    expect(errors).toEqual([])
  }, 120_000)

  it('with JavaScript, a tip leaves the browser as an age file, says so, and the inbox opens it', async () => {
    await page.goto(`${server.url}/contact/tip`)
    await page.getByLabel('What do you know?').fill(`The harbour master takes cash for berths. ${MARKER}`)
    await page.getByLabel('Another way to reach you').fill(`Signal ${MARKER}`)
    await page.locator('#tip-files').setInputFiles({ name: 'berths list.txt', mimeType: 'text/plain', buffer: Buffer.from('berth 4: paid in cash\n') })
    await solved(page)
    // What leaves the browser, read on the way out; the script seals first and sends after, so wait for it.
    let seeBody: (body: string) => void = () => {}
    const posted = new Promise<string>((resolve) => (seeBody = resolve))
    await page.route('**/contact/tip', async (route) => {
      seeBody(route.request().postDataBuffer()?.toString('latin1') ?? '(no body seen)')
      await route.continue()
    })
    await page.getByRole('button', { name: 'Send the tip' }).click()
    const raw = await posted
    expect(raw.length).toBeGreaterThan(100)
    expect(raw).not.toContain(MARKER)
    expect(raw).not.toContain('berths list')
    expect(raw).not.toContain('paid in cash')
    const sealed = /name="sealed"\r\n\r\n([A-Za-z0-9+/=]+)\r\n/.exec(raw)?.[1] ?? ''
    expect(Buffer.from(sealed, 'base64').subarray(0, 22).toString('latin1')).toBe('age-encryption.org/v1\n')
    expect(raw).toMatch(/filename="file-1\.age"/)
    expect(raw).toContain('age-encryption.org/v1\n-> X25519')
    await page.getByRole('heading', { level: 1, name: 'Thank you: we have your tip' }).waitFor()
    await page.unroute('**/contact/tip')
    expect(await page.locator('.sealed-in').textContent()).toContain('Your browser locked your words, contact details and files')
    seen.push({ name: 'receipt of a tip sealed in the browser', html: await page.content() })
    const reference = (await page.locator('.reference').first().textContent())!.trim()

    const editor = await (await browser.newContext()).newPage()
    await signInAs(editor, server.url, EDITOR)
    await editor.goto(`${server.url}/admin/inbox?kind=tip`)
    await editor.getByRole('link', { name: reference }).click()
    await editor.getByRole('heading', { level: 1, name: `Tip ${reference}` }).waitFor()
    expect(await editor.locator('.reader-body').textContent()).toBe(`The harbour master takes cash for berths. ${MARKER}`)
    expect(await editor.getByText(`Signal ${MARKER}`).count()).toBeGreaterThan(0)
    expect(await editor.getByRole('link', { name: 'berths list.txt' }).count()).toBe(1)
    await editor.context().close()
  }, 120_000)

  it('without JavaScript, a letter and a tip are still accepted, under the lower limit per address', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    const plain = await context.newPage()
    const sendLetter = async (text: string) => {
      await plain.goto(`${server.url}/contact/letter`)
      await plain.getByLabel('Your name').fill('Noor Haddad')
      await plain.getByLabel('Your town').fill('Leiden')
      await plain.getByLabel('Your email address').fill('noor@example.org')
      await plain.getByLabel('Your letter').fill(text)
      await plain.getByRole('button', { name: 'Send the letter' }).click()
    }
    await sendLetter('Without scripts, first.')
    await plain.getByRole('heading', { level: 1, name: 'Thank you: we have your letter' }).waitFor()
    await plain.goto(`${server.url}/contact/tip`)
    await plain.getByLabel('What do you know?').fill('The depot sells its diesel at night.')
    await plain.getByRole('button', { name: 'Send the tip' }).click()
    await plain.getByRole('heading', { level: 1, name: 'Thank you: we have your tip' }).waitFor()
    expect(await plain.locator('.sealed-in').textContent()).toContain('locked with the newsroom’s key on arrival')
    seen.push({ name: 'receipt of a tip sealed on arrival', html: await plain.content() })
    await sendLetter('Without scripts, third, kept.')
    await plain.getByText('did not work out the form’s check').waitFor()
    expect(await plain.getByLabel('Your letter').inputValue()).toBe('Without scripts, third, kept.')
    seen.push({ name: 'letter refused by the limit without a proof', html: await plain.content() })
    await context.close()
  }, 120_000)

  it('the forms, with their scripts, are valid HTML and pass axe', async () => {
    const audit = await (await browser.newContext({ bypassCSP: true })).newPage()
    for (const path of ['/contact', '/contact/letter', '/contact/opinion', '/contact/tip']) {
      await audit.goto(`${server.url}${path}`)
      await solved(audit)
      seen.push({ name: path, html: await audit.content() })
      expect(await auditAccessibility(audit), path).toEqual([])
    }
    expect(await vnuErrors(seen)).toEqual({})
  }, 180_000)
})
