import { Secret, TOTP } from 'otpauth'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditAccessibility, launchBrowser, currentHtml } from '../support/browser.ts'
import { startSmtp, type TestSmtp } from '../support/smtp.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'
import { vnuErrors } from '../support/vnu.ts'

const CHIEF = { email: 'chief@ledger.example', password: 'the chief password' }
const NEWCOMER = { email: 'paz@ledger.example', password: 'paz reports on ports', name: 'Paz Okafor' }

/**
 * Running the staff in Chromium, with mail through a real SMTP server: an
 * admin invites a reporter, the reporter joins from the emailed link, turns
 * on two-factor sign-in, signs in with a code, changes their name and email
 * (confirmed from a second mail) and resets a forgotten password. Every page
 * on the way passes axe and the Nu Html Checker.
 */
describe('staff accounts in the browser', { timeout: 180_000 }, () => {
  let smtp: TestSmtp
  let server: TestServer
  let browser: Browser
  const seen: { name: string; html: string }[] = []

  beforeAll(async () => {
    smtp = await startSmtp()
    ;[server, browser] = await Promise.all([startTestServer('sqlite', { wirePollSeconds: 0, smtpUrl: smtp.url, mailFrom: 'Ledger <newsroom@ledger.example>' }), launchBrowser()])
    await server.server.container.auth.createUser({ ...CHIEF, name: 'Chief Editor', role: 'admin' })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
    await smtp?.close()
  })

  async function check(page: Page, name: string) {
    seen.push({ name, html: await currentHtml(page) })
    expect(await auditAccessibility(page), name).toEqual([])
  }

  async function freshPage(): Promise<Page> {
    const context = await browser.newContext({ bypassCSP: true })
    return context.newPage()
  }

  async function signInWithPassword(page: Page, who: { email: string; password: string }) {
    await page.goto(`${server.url}/admin/sign-in`)
    await page.getByLabel('Email').fill(who.email)
    await page.getByLabel('Password').fill(who.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { level: 1 }).waitFor()
  }

  /** The one link into the admin in the latest mail to `to`. */
  async function linkInMail(to: string, count: number): Promise<string> {
    const mails = await smtp.waitFor(count)
    const mail = mails.filter((m) => JSON.stringify(m.to).includes(to)).at(-1)
    expect(mail, `a mail to ${to}`).toBeDefined()
    const link = mail!.text?.match(/https?:\/\/\S+\/admin\/\S+/)?.[0]
    expect(link, mail!.text).toBeDefined()
    return link!
  }

  let totp: TOTP

  it('an admin invites a reporter, who joins from the mail and turns on two-factor sign-in', async () => {
    const chief = await freshPage()
    await signInWithPassword(chief, CHIEF)
    await chief.getByRole('link', { name: 'Staff', exact: true }).click()
    await chief.getByRole('heading', { level: 1, name: 'Staff' }).waitFor()
    await chief.getByLabel('Email').fill(CHIEF.email)
    await chief.getByRole('button', { name: 'Send the invitation' }).click()
    expect(await chief.locator('#field-email-error').textContent()).toBe('An account has this address already.')
    await check(chief, 'staff page with an error')
    await chief.getByLabel('Email').fill(NEWCOMER.email)
    await chief.getByLabel('Role', { exact: true }).selectOption({ label: 'Author' })
    await chief.getByRole('button', { name: 'Send the invitation' }).click()
    await chief.getByRole('status').waitFor()
    await check(chief, 'staff page')

    const invitation = await linkInMail(NEWCOMER.email, 1)
    const paz = await freshPage()
    await paz.goto(invitation)
    await check(paz, 'invitation')
    await paz.getByLabel('Your name').fill(NEWCOMER.name)
    await paz.getByLabel('Password').fill(NEWCOMER.password)
    await paz.getByRole('button', { name: 'Join' }).click()
    await paz.getByRole('heading', { level: 1 }).waitFor()
    // The link worked once.
    const reused = await freshPage()
    await reused.goto(invitation)
    expect(await reused.locator('main').textContent()).toContain('expired or was already used')
    await reused.context().close()

    await paz.goto(`${server.url}/admin/account`)
    await check(paz, 'own account')
    await paz.getByRole('link', { name: 'Set it up with an authenticator app' }).click()
    await paz.getByRole('button', { name: 'Start the setup' }).click()
    await paz.getByRole('heading', { level: 1, name: 'Two-factor sign-in' }).waitFor()
    await check(paz, 'two-factor setup')
    // The QR code is drawn on this page only (its library loads on the first visit).
    expect(await paz.getByRole('img', { name: /QR code for your authenticator app/ }).getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/)
    const secret = (await paz.locator('code.secret').textContent())!.replace(/\s/g, '')
    totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 })
    await paz.getByLabel('The six digits the app shows').fill('123456' === totp.generate() ? '654321' : '123456')
    await paz.getByRole('button', { name: 'Turn on' }).click()
    expect(await paz.locator('[aria-invalid="true"]').count()).toBe(1)
    await paz.getByLabel('The six digits the app shows').fill(totp.generate())
    await paz.getByRole('button', { name: 'Turn on' }).click()
    await paz.getByRole('heading', { level: 2, name: 'Your recovery codes' }).waitFor()
    expect(await paz.locator('main code').count()).toBe(10)
    await check(paz, 'recovery codes')
    await paz.context().close()

    // The admin sees it on the staff list, and in the audit log.
    await chief.reload()
    const row = chief.getByRole('row').filter({ hasText: NEWCOMER.name })
    expect(await row.textContent()).toMatch(/Author/)
    await chief.getByRole('link', { name: 'Audit log' }).click()
    await chief.getByRole('heading', { level: 1 }).waitFor()
    const log = await chief.locator('main').textContent()
    expect(log).toContain('Invited paz@ledger.example as author')
    expect(log).toContain('Turned on two-factor sign-in')
    await check(chief, 'audit log')
    await chief.context().close()
  })

  it('the reporter signs in with a code, changes name and email, and resets a forgotten password', async () => {
    const paz = await freshPage()
    await signInWithPassword(paz, NEWCOMER)
    await paz.getByRole('heading', { level: 1, name: 'Enter your code' }).waitFor()
    await check(paz, 'code step')
    // The code that turned it on is spent; the next one is not.
    await paz.getByLabel('Code from your authenticator app').fill(totp.generate({ timestamp: Date.now() + 30_000 }))
    await paz.getByRole('button', { name: 'Sign in' }).click()
    // Signed in: the newsroom's landing page, not the code step again.
    await paz.waitForURL((url) => !url.pathname.startsWith('/admin/sign-in'))
    await paz.getByRole('link', { name: 'Notifications' }).waitFor()

    await paz.goto(`${server.url}/admin/account`)
    await paz.getByRole('textbox', { name: 'Name', exact: true }).fill('Paz A. Okafor')
    await paz.getByRole('button', { name: 'Save the name' }).click()
    await paz.getByRole('status').waitFor()
    expect(await paz.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('Paz A. Okafor')

    const before = smtp.messages.length
    await paz.getByLabel('New address').fill('paz.okafor@ledger.example')
    await paz.getByLabel('Your password').first().fill(NEWCOMER.password)
    await paz.getByRole('button', { name: 'Send the confirmation link' }).click()
    await paz.getByRole('status').waitFor()
    const confirm = await linkInMail('paz.okafor@ledger.example', before + 1)
    await paz.goto(confirm)
    // Opening the link only asks (mail scanners open links too); the button confirms.
    await paz.getByRole('heading', { level: 1, name: 'Confirm your new address' }).waitFor()
    await check(paz, 'email confirmation')
    await paz.getByRole('button', { name: 'Confirm the address' }).click()
    await paz.getByRole('heading', { level: 1, name: 'Address confirmed' }).waitFor()
    await check(paz, 'email confirmed')
    expect(await server.server.container.auth.findByEmail('paz.okafor@ledger.example')).not.toBeNull()
    await paz.context().close()

    // Forgotten password: the same answer for any address, a link by mail, and then a new password works.
    const anon = await freshPage()
    await anon.goto(`${server.url}/admin/password-reset`)
    await anon.getByLabel('Email').fill('nobody@ledger.example')
    await anon.getByRole('button', { name: 'Send the link' }).click()
    const unknownAnswer = await anon.locator('main').textContent()
    await anon.goto(`${server.url}/admin/password-reset`)
    await check(anon, 'password reset request')
    const mailsBefore = smtp.messages.length
    await anon.getByLabel('Email').fill('paz.okafor@ledger.example')
    await anon.getByRole('button', { name: 'Send the link' }).click()
    expect((await anon.locator('main').textContent())?.replace('paz.okafor@', 'nobody@')).toBe(unknownAnswer)
    const reset = await linkInMail('paz.okafor@ledger.example', mailsBefore + 1)
    await anon.goto(reset)
    await check(anon, 'new password')
    await anon.getByLabel('New password').fill('a different long password')
    await anon.getByRole('button', { name: 'Set the password' }).click()
    await anon.getByRole('heading', { level: 1 }).waitFor()
    await signInWithPassword(anon, { email: 'paz.okafor@ledger.example', password: 'a different long password' })
    await anon.getByRole('heading', { level: 1, name: 'Enter your code' }).waitFor()
    await anon.context().close()
  })

  it('every page on the way is valid HTML', async () => {
    expect(seen.length).toBeGreaterThan(8)
    expect(await vnuErrors(seen)).toEqual({})
  })
})
