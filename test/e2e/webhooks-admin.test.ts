import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditAccessibility, currentHtml, launchBrowser, signInAs } from '../support/browser.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'
import { vnuErrors } from '../support/vnu.ts'

const ADMIN = { email: 'hooks.browser@example.org', password: 'hooks browser password' }

/**
 * An admin registers a webhook in a browser (the pages are plain forms that
 * load no script, so they work without JavaScript), meets the private-address refusal (this server keeps the
 * default: no private networks), copies the secret, and opens the endpoint.
 * Every page must be valid HTML and pass the admin's accessibility audit.
 */
describe('webhooks in the browser', { timeout: 180_000 }, () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  const seen: { name: string; html: string }[] = []

  async function check(name: string) {
    seen.push({ name, html: await currentHtml(page) })
    expect(await auditAccessibility(page), name).toEqual([])
  }

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer('sqlite', { loadDemo: false, wirePollSeconds: 0, webhooks: { everySeconds: 0, allowPrivateNetwork: false } }), launchBrowser()])
    await server.server.container.auth.createUser({ ...ADMIN, name: 'Bea Browser', role: 'admin' })
    // axe runs as a script in the page, so scripts are on; the pages themselves load none (checked below).
    page = await browser.newPage({ bypassCSP: true, javaScriptEnabled: true })
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('registers an endpoint, is refused a private address at the field, sees the secret once and the endpoint page', async () => {
    await signInAs(page, server.url, ADMIN)

    await page.getByRole('link', { name: 'Integrations' }).click()
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor()
    await check('webhooks (empty)')
    await page.getByRole('link', { name: 'New endpoint' }).click()
    await page.getByRole('heading', { level: 1, name: 'New webhook endpoint' }).waitFor()
    await check('new endpoint')
    expect(await page.locator('script[src]').count()).toBe(0)

    await page.getByLabel('Address').fill('http://127.0.0.1:8080/hooks')
    await page.getByLabel('Description').fill('Intranet display')
    await page.getByRole('button', { name: 'Add the endpoint' }).click()
    await page.getByRole('heading', { name: 'The endpoint was not added' }).waitFor()
    expect(await page.locator('#field-url-error').textContent()).toContain('private, loopback or link-local network')
    expect(await page.getByLabel('Description').inputValue()).toBe('Intranet display')
    await check('new endpoint (private address refused)')

    await page.getByLabel('Address').fill('https://hooks.example.org/masthead')
    for (const box of await page.locator('input[name="events"]').all()) await box.uncheck()
    await page.getByRole('button', { name: 'Add the endpoint' }).click()
    await page.getByText('Choose at least one event to send.').first().waitFor()
    await check('new endpoint (no events)')

    await page.getByLabel(/^story\.corrected/).check()
    await page.getByRole('button', { name: 'Add the endpoint' }).click()
    await page.getByRole('heading', { level: 1, name: 'Endpoint added' }).waitFor()
    const secret = (await page.locator('#webhook-secret').textContent())!.trim()
    expect(secret).toMatch(/^whsec_/)
    await check('secret shown once')

    await page.getByRole('link', { name: 'Go to the endpoint and its deliveries' }).click()
    await page.getByRole('heading', { level: 1, name: 'Webhook: https://hooks.example.org/masthead' }).waitFor()
    expect(await page.content()).not.toContain(secret)
    expect(await page.getByLabel(/^story\.corrected/).isChecked()).toBe(true)
    await check('endpoint')

    // A delivery in the log (sending is off in this process, so it waits), with its "send again" button.
    await server.server.container.webhooks.enqueue('story.corrected', { id: 'art_x', url: 'https://news.example/articles/x', headline: 'X', status: 'published' })
    await page.reload()
    await page.getByRole('button', { name: /^Send again: story\.corrected delivery whd_\w+$/ }).click()
    await page.getByText('The delivery is queued to be sent again').waitFor()
    await check('endpoint (sent again)')

    await page.getByRole('button', { name: 'Issue a new secret' }).click()
    await page.getByRole('heading', { level: 1, name: 'New signing secret' }).waitFor()
    expect((await page.locator('#webhook-secret').textContent())!.trim()).not.toBe(secret)
    await check('new secret')

    await page.goto(`${server.url}/admin/webhooks`)
    await check('webhooks (one endpoint)')
    expect(await vnuErrors(seen)).toEqual({})
  })
})
