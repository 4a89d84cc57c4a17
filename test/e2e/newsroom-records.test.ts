import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditAccessibility, launchBrowser, signInAs } from '../support/browser.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'
import { vnuErrors } from '../support/vnu.ts'

const ADMIN = { email: 'records.admin@example.org', password: 'records admin password' }

/**
 * An admin runs the newsroom's records in a browser without JavaScript
 * trouble: every new page (and its error states) must be valid HTML and pass
 * the same accessibility audit as the rest of the admin.
 */
describe('newsroom records in the browser', () => {
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
    await server.server.container.auth.createUser({ ...ADMIN, name: 'Rhea Admin', role: 'admin' })
    page = await browser.newPage({ bypassCSP: true, javaScriptEnabled: true })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('an admin visits the dashboard, sections, tags, authors, sources, settings and quoted speakers, and meets their error messages', async () => {
    await signInAs(page, server.url, ADMIN)
    await check('dashboard')

    // Sections: the tree, a refused slug, then a section's own page with a refused deletion.
    await page.getByRole('link', { name: 'Records' }).click()
    await page.getByRole('heading', { level: 1, name: 'Sections' }).waitFor()
    await check('sections')
    await page.getByLabel('Name', { exact: true }).fill('Politics again')
    await page.getByLabel('Slug').fill('politics')
    await page.getByRole('button', { name: 'Create the section' }).click()
    await page.getByText('Another section already uses the slug "politics". Choose another.').first().waitFor()
    await check('sections (slug taken)')
    await page.getByRole('link', { name: 'Edit Politics' }).click()
    await page.getByRole('heading', { level: 1, name: 'Section: Politics' }).waitFor()
    await check('section')
    await page.getByRole('button', { name: 'Delete Politics' }).click()
    await page.getByText(/Choose the section they move to\./).first().waitFor()
    await check('section (delete refused)')

    // Tags: the list, one tag, a refused merge into itself.
    await page.getByRole('link', { name: 'Tags' }).click()
    await page.getByRole('heading', { level: 1, name: 'Tags' }).waitFor()
    await check('tags')
    await page.getByRole('link', { name: 'Climate', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Tag: Climate' }).waitFor()
    await check('tag')
    await page.getByLabel('Tag to keep').selectOption({ label: 'Climate (this tag)' })
    await page.getByRole('button', { name: /^Merge / }).click()
    await page.getByText('A tag cannot be merged into itself. Choose another tag to keep.').first().waitFor()
    await check('tag (merge refused)')

    // Authors and desks: the list, a new one with a bad link, then an existing one.
    await page.getByRole('link', { name: 'Authors & desks' }).click()
    await page.getByRole('heading', { level: 1, name: 'Authors and desks' }).waitFor()
    await check('authors')
    await page.getByRole('link', { name: 'New author or desk' }).click()
    await page.getByLabel('Name', { exact: true }).fill('Test Columnist')
    await page.getByLabel('Links').fill('Site ftp://files.example')
    await page.getByRole('button', { name: 'Create' }).click()
    await page.getByRole('heading', { name: 'The author was not created' }).waitFor()
    await check('new author (bad link)')
    await page.getByRole('link', { name: 'All authors and desks' }).click()
    await page.getByRole('link', { name: 'Jonas Wedekind' }).click()
    await page.getByRole('heading', { level: 1, name: 'Author: Jonas Wedekind' }).waitFor()
    await check('author')

    // Sources: the list, a new one, an existing one.
    await page.getByRole('link', { name: 'Sources', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Sources' }).waitFor()
    await check('sources')
    await page.getByRole('link', { name: 'New source' }).click()
    await page.getByLabel('Name').fill('Harbour Press Service')
    await page.getByLabel('Credit').fill('HPS')
    await page.getByLabel('Website').fill('https://hps.example')
    await page.getByRole('button', { name: 'Create' }).click()
    await page.getByRole('heading', { level: 1, name: 'Source: Harbour Press Service' }).waitFor()
    await check('source')

    // Settings: a bad zone and address, then a good save.
    await page.getByRole('link', { name: 'Settings' }).click()
    await page.getByRole('heading', { level: 1, name: 'Site settings' }).waitFor()
    await check('settings')
    await page.getByLabel('Time zone').fill('Atlantis/Capital')
    await page.getByLabel('Public address').fill('ftp://news.example.org')
    await page.getByRole('button', { name: 'Save the settings' }).click()
    await page.getByRole('heading', { name: 'Nothing was saved' }).waitFor()
    await check('settings (refused)')
    await page.getByLabel('Time zone').fill('Europe/Lisbon')
    await page.getByLabel('Public address').fill('')
    await page.getByRole('button', { name: 'Save the settings' }).click()
    await page.getByText('The settings are saved.').waitFor()
    expect((await server.server.container.settings.get()).timeZone).toBe('Europe/Lisbon')

    // Quoted speakers: the list, a merge refused (a speaker into itself), then a merge of two.
    await page.goto(`${server.url}/admin/quotes`)
    await page.getByRole('heading', { level: 1, name: 'Quoted speakers' }).waitFor()
    await check('quotes')
    await page.getByLabel('Merge this spelling').selectOption({ index: 1 })
    await page.getByLabel('into this speaker').selectOption({ index: 1 })
    await page.getByRole('button', { name: 'Merge speakers' }).click()
    await page.getByRole('heading', { name: 'Nothing was merged' }).waitFor()
    await check('quotes (merge refused)')
    await page.getByLabel('Merge this spelling').selectOption({ index: 1 })
    await page.getByLabel('into this speaker').selectOption({ index: 2 })
    await page.getByRole('button', { name: 'Merge speakers' }).click()
    await page.getByText('Speakers merged.').waitFor()
    await check('quotes (merged)')

    expect(await vnuErrors(seen)).toEqual({})
  }, 180_000)
})
