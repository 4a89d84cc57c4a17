import type { Browser, Page } from 'playwright-core'
import { wireFixturePath } from '../support/wire-fixtures.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditAccessibility, launchBrowser } from '../support/browser.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'
import { vnuErrors } from '../support/vnu.ts'

const EDITOR = { email: 'night.editor@example.org', password: 'night desk password' }

/**
 * An editor on the night desk signs in, uploads agency copy, finds the story
 * on the desk and turns it into a draft. Every admin page on the way must be
 * valid HTML and pass the same accessibility audit as the public site.
 */
describe('wire desk in the browser', { timeout: 180_000 }, () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  const seen: { name: string; html: string }[] = []

  async function check(name: string) {
    seen.push({ name, html: await page.content() })
    expect(await auditAccessibility(page), name).toEqual([])
  }

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer('sqlite', { wirePollSeconds: 0 }), launchBrowser()])
    await server.server.container.auth.createUser({ ...EDITOR, name: 'Night Editor', role: 'editor' })
    // The admin's CSP forbids scripts; the audit injects axe, so the test lifts CSP for itself only.
    page = await browser.newPage({ bypassCSP: true })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('an editor signs in, uploads copy and makes a draft credited to the agency', async () => {
    await page.goto(`${server.url}/admin`)
    await expect.poll(() => page.url()).toContain('/admin/sign-in')
    await check('sign-in')
    await page.getByLabel('Email').fill(EDITOR.email)
    await page.getByLabel('Password').fill(EDITOR.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor()
    await check('dashboard (empty)')
    await page.getByRole('link', { name: 'Wire desk' }).click()
    await page.getByRole('heading', { name: 'Wire desk' }).waitFor()
    await check('desk (empty)')

    await page.getByRole('link', { name: 'Upload copy' }).click()
    await page.getByLabel('Files').setInputFiles([
      wireFixturePath('newsml-g2/acp-harbour-talks-v1.xml'),
      wireFixturePath('ninjs/v3-an-election-count.json'),
      wireFixturePath('broken/malformed.xml'),
    ])
    await page.getByRole('button', { name: 'Upload' }).click()
    await page.getByRole('heading', { name: 'Results' }).waitFor()
    await check('upload results')

    await page.getByRole('link', { name: 'Wire desk' }).click()
    await page.getByLabel('Text').fill('harbour')
    await page.getByRole('button', { name: 'Filter' }).click()
    await check('desk (filtered)')
    await page.getByRole('link', { name: 'Coastal neighbours reopen talks on shared harbour' }).click()
    await page.getByRole('heading', { level: 1, name: 'Coastal neighbours reopen talks on shared harbour' }).waitFor()
    await check('wire item')

    await page.getByRole('button', { name: 'Create draft' }).click()
    await page.getByRole('heading', { level: 2, name: 'Workflow' }).waitFor()
    expect(await page.getByLabel('Credit').evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent)).toBe('Agence Continentale de Presse (Source: ACP)')
    await check('draft in the editor')

    // The editor files it and publishes it: the public page carries the agency's credit.
    await page.locator('#story-editor [contenteditable="true"]').waitFor()
    await page.getByLabel('Main section').selectOption({ label: 'Europe' })
    if ((await page.getByLabel('First name in the byline').inputValue()) === '') {
      await page.getByLabel('First name in the byline').selectOption({ label: 'Hemisphere Ledger Staff (desk)' })
    }
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByRole('button', { name: 'Publish now' }).click()
    const onSite = page.getByRole('link', { name: 'View on the site' })
    await onSite.waitFor()
    const reader = await browser.newPage()
    await reader.goto(server.url + (await onSite.getAttribute('href')))
    const article = reader.locator('main article.article')
    expect(await article.getByRole('heading', { level: 1 }).textContent()).toBe('Coastal neighbours reopen talks on shared harbour')
    expect(await article.textContent()).toContain('Source: ACP')
    await reader.close()

    await page.getByRole('link', { name: 'Wire desk' }).click()
    for (const [link, name] of [
      ['Wire sources', 'sources'],
      ['Routing rules', 'rules'],
      ['Quarantine', 'quarantine'],
    ] as const) {
      await page.getByRole('link', { name: link }).click()
      await page.getByRole('heading', { level: 1 }).waitFor()
      await check(name)
    }
    expect(await page.getByText('malformed.xml').count()).toBeGreaterThan(0)

    expect(await vnuErrors(seen)).toEqual({})
  })
})
