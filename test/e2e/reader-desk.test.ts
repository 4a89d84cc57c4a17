import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditAccessibility, launchBrowser } from '../support/browser.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'
import { vnuErrors } from '../support/vnu.ts'

const EDITOR = { email: 'desk.editor@example.org', password: 'a desk editor password' }

/**
 * A reader writes a letter about a story from its page, meets a problem at a
 * field and sends it; an editor finds it in the inbox, reviews, accepts and
 * makes it a story; once published it shows with the disclaimer. Every page on
 * the way, public and admin, must be valid HTML and pass axe.
 */
describe('the reader desk in the browser', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  const seen: { name: string; html: string }[] = []

  async function check(name: string) {
    seen.push({ name, html: await page.content() })
    expect(await auditAccessibility(page), name).toEqual([])
  }

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer('sqlite', { wirePollSeconds: 0, pageCache: false, readerForms: { minSeconds: 0, perAddress: 100, perHour: 1000 } }), launchBrowser()])
    await server.server.container.auth.createUser({ ...EDITOR, name: 'Desk Editor', role: 'editor' })
    // Public and admin pages forbid scripts; the audit injects axe, so the test lifts CSP for itself only.
    page = await browser.newPage({ bypassCSP: true })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('a letter goes from an article page through the inbox to a published letter with the disclaimer', async () => {
    const { articles } = server.server.container
    const story = (await articles.listPublished({}, { page: 1, perPage: 1 })).items[0]!

    await page.goto(`${server.url}/contact`)
    await check('contact page')
    await page.goto(`${server.url}/contact/opinion`)
    await check('opinion form')
    await page.goto(`${server.url}/contact/tip`)
    await check('tip form')

    await page.goto(`${server.url}/articles/${story.slug}`)
    await page.getByRole('link', { name: 'Write a letter about this story' }).click()
    await page.getByRole('heading', { level: 1, name: 'Write a letter to the editor' }).waitFor()
    await check('letter form')
    expect(await page.getByText(`About: ${story.title}`).count()).toBe(1)
    await page.getByLabel('Your name').fill('Marta Kowalska')
    await page.getByLabel('Your email address').fill('marta@example.org')
    await page.getByLabel('Your letter').fill('The story forgot the ferry crews.\n\nThey deserve a mention.')
    await page.getByRole('button', { name: 'Send the letter' }).click()
    await page.getByText('Give the town you live in').waitFor()
    await check('letter form with a problem')
    expect(await page.getByLabel('Your letter').inputValue()).toBe('The story forgot the ferry crews.\n\nThey deserve a mention.')
    await page.getByLabel('Your town').fill('Gdańsk')
    await page.getByRole('button', { name: 'Send the letter' }).click()
    await page.getByRole('heading', { level: 1, name: 'Thank you: we have your letter' }).waitFor()
    await check('receipt')
    const reference = (await page.locator('.reference').textContent())!.trim()

    await page.goto(`${server.url}/admin/sign-in`)
    await page.getByLabel('Email').fill(EDITOR.email)
    await page.getByLabel('Password').fill(EDITOR.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { level: 1 }).first().waitFor()
    await page.getByRole('link', { name: 'Inbox', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor()
    await check('inbox')
    await page.getByRole('link', { name: reference }).click()
    await page.getByRole('heading', { level: 1, name: `Letter ${reference}` }).waitFor()
    await check('letter in the inbox')
    await page.getByLabel('Start review').check()
    await page.getByRole('button', { name: 'Save the state' }).click()
    await page.getByText('The state was saved.').waitFor()
    await page.getByLabel('Accept').check()
    await page.getByRole('button', { name: 'Save the state' }).click()
    await page.getByText('The state was saved.').waitFor()
    await page.getByLabel('Internal note').fill('Run it on Friday.')
    await page.getByRole('button', { name: 'Add the note' }).click()
    await page.getByText('The note was added.').waitFor()
    await check('accepted letter with a note')
    await page.getByRole('button', { name: 'Make it a story' }).click()
    await page.waitForURL(/\/admin\/stories\/art_/)
    const articleId = page.url().split('/').pop()!

    await articles.publish(articleId, {}, { userId: null })
    const published = await articles.findById(articleId)
    await page.goto(`${server.url}/articles/${published!.slug}`)
    await page.getByRole('heading', { level: 1, name: `Letter: ${story.title}` }).waitFor()
    expect(await page.getByText('They deserve a mention.').count()).toBe(1)
    expect(await page.locator('.byline').textContent()).toBe('By Marta Kowalska, Gdańsk')
    expect(await page.locator('.disclaimer').textContent()).toContain('do not necessarily reflect the views')
    await check('published letter')

    const tip = await server.server.container.submissions.submitTip({ text: '<script>alert(1)</script> The depot is closing.', name: '', email: '', contact: '' })
    await page.goto(`${server.url}/admin/inbox?kind=tip`)
    await check('tips tab')
    await page.getByRole('link', { name: tip.reference }).click()
    await page.getByRole('heading', { level: 1, name: `Tip ${tip.reference}` }).waitFor()
    await check('tip in the inbox')

    expect(await vnuErrors(seen)).toEqual({})
  }, 240_000)
})
