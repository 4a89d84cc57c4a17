import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditAccessibility, launchBrowser, signInAs } from '../support/browser.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'
import { vnuErrors } from '../support/vnu.ts'

const EDITOR = { email: 'tips.desk@example.org', password: 'a tips desk password' }

/**
 * A tipster sends a tip and writes down the reference and passphrase; an
 * editor replies on the tip's follow-up page from the inbox; the tipster opens
 * the page with the two, reads the reply and adds information with a file; the
 * editor sees it. The tipster's browser holds no cookie at any point. Every
 * page on the way, including the error and declined variants, must be valid
 * HTML and pass axe.
 */
describe("a tip's follow-up page in the browser", () => {
  let server: TestServer
  let browser: Browser
  let tipsterContext: BrowserContext
  let tipster: Page
  let editor: Page
  const seen: { name: string; html: string }[] = []

  async function check(page: Page, name: string) {
    seen.push({ name, html: await page.content() })
    expect(await auditAccessibility(page), name).toEqual([])
  }

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer('sqlite', { wirePollSeconds: 0, pageCache: false, readerForms: { minSeconds: 0, perAddress: 100, perHour: 1000 } }), launchBrowser()])
    await server.server.container.auth.createUser({ ...EDITOR, name: 'Tips Desk', role: 'editor' })
    // Public and admin pages forbid scripts; the audit injects axe, so the test lifts CSP for itself only.
    tipsterContext = await browser.newContext({ bypassCSP: true })
    tipster = await tipsterContext.newPage()
    editor = await (await browser.newContext({ bypassCSP: true })).newPage()
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('tip, reply in the inbox, reading it with reference and passphrase, more information back to the editor', async () => {
    await tipster.goto(`${server.url}/contact/tip`)
    await tipster.getByLabel('What do you know?').fill('The depot sells its diesel at night.')
    await tipster.getByRole('button', { name: 'Send the tip' }).click()
    await tipster.getByRole('heading', { level: 1, name: 'Thank you: we have your tip' }).waitFor()
    await check(tipster, 'tip receipt with passphrase')
    const reference = (await tipster.locator('.reference').first().textContent())!.trim()
    const passphrase = (await tipster.locator('.passphrase').textContent())!.trim()
    expect(passphrase.split(' ')).toHaveLength(8)

    await signInAs(editor, server.url, EDITOR)
    await editor.goto(`${server.url}/admin/inbox?kind=tip`)
    await editor.getByRole('link', { name: reference }).click()
    await editor.getByRole('heading', { level: 1, name: `Tip ${reference}` }).waitFor()
    await editor.getByRole('button', { name: 'Post the reply' }).click()
    await editor.getByText('Write the reply.').first().waitFor()
    await check(editor, 'tip with a reply error')
    await editor.getByLabel('Reply on the follow-up page').fill('Which depot?\nThe one on the ring road?')
    await editor.getByRole('button', { name: 'Post the reply' }).click()
    await editor.getByText('The reply is on the tip’s follow-up page').waitFor()
    await check(editor, 'tip with a follow-up reply')

    await tipster.getByRole('link', { name: 'follow-up page' }).click()
    await tipster.getByRole('heading', { level: 1, name: 'Follow up on a tip' }).waitFor()
    await check(tipster, 'follow-up look-up')
    await tipster.getByLabel('Reference').fill(reference)
    await tipster.getByLabel('Passphrase').fill('acorn acorn acorn acorn acorn acorn acorn acorn')
    await tipster.getByRole('button', { name: 'Open the follow-up page' }).click()
    await tipster.getByText('That reference and passphrase do not open a tip.').waitFor()
    await check(tipster, 'follow-up look-up refused')
    expect(await tipster.getByLabel('Reference').inputValue()).toBe(reference)
    await tipster.getByLabel('Passphrase').fill(passphrase)
    await tipster.getByRole('button', { name: 'Open the follow-up page' }).click()
    await tipster.getByRole('heading', { level: 1, name: `Your tip ${reference}` }).waitFor()
    // The reply's line break shows as one (the public stylesheet keeps reader text's breaks, like the admin's).
    expect(await tipster.locator('.reader-text').filter({ hasText: 'Which depot?' }).innerText()).toBe('Which depot?\nThe one on the ring road?')
    await check(tipster, 'follow-up page with a reply')

    await tipster.getByRole('button', { name: 'Send the information' }).click()
    await tipster.getByText('Write what you would like to add.').first().waitFor()
    await check(tipster, 'follow-up page with a problem')
    await tipster.getByLabel('More information').fill('Yes, the ring road. The lorries come at 2 a.m.')
    await tipster.getByLabel('Documents or pictures').setInputFiles({ name: 'timetable.txt', mimeType: 'text/plain', buffer: Buffer.from('02:00 lorry\n02:40 lorry\n') })
    await tipster.getByRole('button', { name: 'Send the information' }).click()
    await tipster.getByText('Thank you: the newsroom has your new information.').waitFor()
    await check(tipster, 'follow-up page after adding')
    expect(await tipster.getByText('The lorries come at 2 a.m.').count()).toBe(0)
    expect(await tipsterContext.cookies()).toEqual([])

    await editor.reload()
    await editor.getByText('More from the tipster').waitFor()
    expect(await editor.getByText('Yes, the ring road. The lorries come at 2 a.m.').count()).toBe(1)
    expect(await editor.getByRole('link', { name: 'timetable.txt' }).count()).toBe(1)
    await check(editor, 'tip with information from the tipster')

    // The inbox's other variants: a decline without a reason, then declined.
    await editor.getByLabel('Decline').check()
    await editor.getByRole('button', { name: 'Save the state' }).click()
    await editor.getByText('Say why it is declined').first().waitFor()
    await check(editor, 'tip decline without a reason')
    await editor.getByLabel('Decline').check()
    await editor.getByLabel('Reason for declining').fill('Could not confirm.')
    await editor.getByRole('button', { name: 'Save the state' }).click()
    await editor.getByText('The state was saved.').waitFor()
    await check(editor, 'declined tip')
    await editor.goto(`${server.url}/admin/inbox?kind=tip&state=declined`)
    await check(editor, 'declined tips in the inbox')

    expect(await vnuErrors(seen)).toEqual({})
  }, 300_000)
})
