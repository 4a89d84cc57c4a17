import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditAccessibility, launchBrowser, signInAs } from '../support/browser.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'
import { vnuErrors } from '../support/vnu.ts'

const ADMIN = { email: 'tokens.browser@example.org', password: 'tokens browser password' }

/**
 * An admin makes, uses and revokes an admin API token in a browser with
 * JavaScript off: every state of the page (empty, refused, the token shown
 * once, the list, revoked) is valid HTML and passes the accessibility audit.
 */
describe('admin API tokens in the browser', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  const seen: { name: string; html: string }[] = []

  /** Checks the page as served (no script ran) with axe in a scripted copy, and keeps its HTML for vnu. */
  async function check(name: string) {
    const html = await page.content()
    seen.push({ name, html })
    const audit = await browser.newPage({ bypassCSP: true, javaScriptEnabled: true })
    try {
      await audit.goto(`${server.url}/admin/assets/missing.css`).catch(() => {})
      await audit.setContent(html, { waitUntil: 'domcontentloaded' })
      expect(await auditAccessibility(audit), name).toEqual([])
    } finally {
      await audit.close()
    }
  }

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer('sqlite', { wirePollSeconds: 0, loadDemo: false }), launchBrowser()])
    await server.server.container.auth.createUser({ ...ADMIN, name: 'Bea Browser', role: 'admin' })
    page = await browser.newPage({ javaScriptEnabled: false })
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('makes a token, copies it once, sees it used, and revokes it', async () => {
    await signInAs(page, server.url, ADMIN)
    await page.getByRole('link', { name: 'Integrations' }).click()
    await page.getByRole('link', { name: 'API tokens' }).click()
    await page.getByRole('heading', { level: 1, name: 'Admin API tokens' }).waitFor()
    await check('tokens (none)')

    await page.getByLabel('Name').fill('Wire robot')
    await page.getByRole('button', { name: 'Make the token' }).click()
    await page.getByRole('heading', { name: 'The token was not made' }).waitFor()
    await check('tokens (refused)')

    await page.getByLabel('wire:import').check()
    await page.getByLabel('stories:read').check()
    await page.getByLabel('Expires').selectOption({ label: 'In 30 days' })
    await page.getByRole('button', { name: 'Make the token' }).click()
    await page.getByRole('heading', { name: 'Your new token “Wire robot”' }).waitFor()
    await check('tokens (made)')
    const token = await page.getByLabel('Token', { exact: true }).inputValue()
    expect((await server.fetch('/api/admin/v1/stories', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)

    await page.getByRole('link', { name: 'API tokens' }).click()
    const row = page.getByRole('row', { name: /Wire robot/ })
    await expect(row.getByRole('cell').nth(2).textContent()).resolves.not.toContain('Never')
    expect(await page.content()).not.toContain(token)
    await check('tokens (list)')

    await page.getByRole('button', { name: 'Revoke Wire robot' }).click()
    await page.getByText('The token is revoked').waitFor()
    await check('tokens (revoked)')
    expect((await server.fetch('/api/admin/v1/stories', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401)

    expect(await vnuErrors(seen)).toEqual({})
  }, 180_000)
})
