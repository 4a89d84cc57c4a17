import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditAccessibility, launchBrowser, currentHtml } from '../support/browser.ts'
import { editorReady, readBodyField } from '../support/editor-harness.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'
import { vnuErrors } from '../support/vnu.ts'

const AUTHOR = { email: 'rita@ledger.example', password: 'rita the reporter', name: 'Rita Reporter' }
const EDITOR = { email: 'ed@ledger.example', password: 'ed the night editor', name: 'Ed Editor' }

/**
 * The newsroom's story desk in Chromium against the real server and its
 * built editor bundle: a reporter writes and files a story, an editor
 * publishes, updates, corrects and unpublishes it; two people edit one
 * story at once; a session ends in the middle of writing. Every admin page
 * met on the way is checked by the Nu Html Checker and axe.
 */
describe('the story desk in the browser', { timeout: 180_000 }, () => {
  let server: TestServer
  let browser: Browser
  const seen: { name: string; html: string }[] = []

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer('sqlite', { wirePollSeconds: 0 }), launchBrowser()])
    const { auth } = server.server.container
    await auth.createUser({ ...AUTHOR, role: 'author' })
    await auth.createUser({ ...EDITOR, role: 'editor' })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  async function signedIn(who: { email: string; password: string }): Promise<{ context: BrowserContext; page: Page }> {
    // The axe audit injects a script, which the admin's CSP would refuse; the
    // editor runs under the real policy in story-editor.test.ts.
    const context = await browser.newContext({ bypassCSP: true })
    const page = await context.newPage()
    await signIn(page, who)
    return { context, page }
  }

  async function signIn(page: Page, who: { email: string; password: string }) {
    await page.goto(`${server.url}/admin/sign-in`)
    await page.getByLabel('Email').fill(who.email)
    await page.getByLabel('Password').fill(who.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { level: 1 }).waitFor()
  }

  async function check(page: Page, name: string) {
    seen.push({ name, html: await currentHtml(page) })
    expect(await auditAccessibility(page), name).toEqual([])
  }

  async function savedState(page: Page) {
    await expect.poll(() => page.locator('#save-state').textContent(), { timeout: 15_000 }).toMatch(/^Saved at/)
  }

  const isFocused = (locator: Locator) => locator.evaluate((el) => el === el.ownerDocument.activeElement)

  async function newStory(page: Page): Promise<Locator> {
    await page.goto(`${server.url}/admin/stories`)
    await page.getByRole('button', { name: 'New story' }).click()
    return editorReady(page)
  }

  it('a reporter writes a story, an editor publishes it, updates and corrects it, then takes it down', async () => {
    const { context, page } = await signedIn(AUTHOR)
    await check(page, 'stories list')
    const text = await newStory(page)
    await check(page, 'new story')
    await page.getByLabel('Headline').fill('Harbour pilots vote to end the overtime ban')
    await page.getByLabel('Standfirst').fill('Ships will move at night again from Monday.')
    await page.getByLabel('Main section').selectOption({ label: 'Business' })

    await text.focus()
    const type = (keys: string) => page.keyboard.type(keys)
    const press = (key: string) => page.keyboard.press(key)
    await type('Harbour pilots voted on Friday to end their overtime ban. Read the ')
    await type('ballot notice')
    for (let i = 0; i < 'ballot notice'.length; i++) await press('Shift+ArrowLeft')
    await press('Control+K')
    const linkDialog = page.getByRole('dialog', { name: 'Link' })
    await linkDialog.getByRole('textbox', { name: 'Link address (required)' }).fill('https://pilots.example/ballot')
    await press('Enter')
    await linkDialog.waitFor({ state: 'hidden' })
    await press('End')
    await type('.')
    await press('Enter')
    await type('## What changes')
    await press('Enter')
    await type('* night sailings return')
    await press('Enter')
    await type('overtime is paid at the new rate')
    await press('Enter')
    await press('Enter')
    await type('> We kept the port open for the ferries')
    const details = page.getByRole('group', { name: 'Quote: who said it' })
    await details.getByRole('textbox', { name: 'Speaker' }).fill('Mara Quint')
    await details.getByRole('textbox', { name: 'Role' }).fill('pilots’ union secretary')
    await details.getByRole('textbox', { name: 'Given to' }).fill('Harbour Radio')
    await check(page, 'editor with quote details')
    await savedState(page)

    const expected = [
      {
        type: 'paragraph',
        content: [
          { text: 'Harbour pilots voted on Friday to end their overtime ban. Read the ' },
          { text: 'ballot notice', marks: [{ type: 'link', href: 'https://pilots.example/ballot' }] },
          { text: '.' },
        ],
      },
      { type: 'heading', level: 2, content: [{ text: 'What changes' }] },
      { type: 'list', ordered: false, items: [[{ text: 'night sailings return' }], [{ text: 'overtime is paid at the new rate' }]] },
      {
        type: 'quote',
        content: [{ text: 'We kept the port open for the ferries' }],
        attribution: { speaker: 'Mara Quint', role: 'pilots’ union secretary', givenTo: 'Harbour Radio' },
      },
    ]
    expect(await readBodyField(page)).toEqual(expected)

    // What autosave stored survives a reload, with the fields beside the text.
    const storyUrl = page.url()
    await page.reload()
    await editorReady(page)
    expect(await readBodyField(page)).toEqual(expected)
    expect(await page.getByLabel('Headline').inputValue()).toBe('Harbour pilots vote to end the overtime ban')

    await page.getByRole('button', { name: 'Send for review' }).click()
    await page.getByText('in review', { exact: false }).first().waitFor()
    await context.close()

    // The editor finds it waiting, publishes, and the site shows every element.
    const desk = await signedIn(EDITOR)
    const ed = desk.page
    await ed.goto(`${server.url}/admin/stories?view=review`)
    await check(ed, 'review queue')
    await ed.getByRole('link', { name: 'Harbour pilots vote to end the overtime ban' }).click()
    await editorReady(ed)
    expect(ed.url()).toBe(storyUrl)
    await ed.getByRole('button', { name: 'Publish now' }).click()
    // Nobody set a byline or a credit: the page says so at the top, linked to the fields.
    const summary = ed.getByRole('alert').filter({ hasText: 'The story cannot go ahead yet' })
    await summary.waitFor()
    await check(ed, 'publish refused')
    await summary.getByRole('link', { name: 'Name at least one author or desk.' }).click()
    expect(await isFocused(ed.getByLabel('First name in the byline'))).toBe(true)
    await ed.getByLabel('First name in the byline').selectOption({ label: 'Hemisphere Ledger Staff (desk)' })
    await ed.getByLabel('Credit').selectOption({ label: 'The Hemisphere Ledger' })
    await ed.getByRole('button', { name: 'Save', exact: true }).click()
    await ed.getByRole('button', { name: 'Publish now' }).click()
    await ed.getByRole('link', { name: 'View on the site' }).waitFor()
    await check(ed, 'published story in the editor')
    const publicPath = await ed.getByRole('link', { name: 'View on the site' }).getAttribute('href')

    // A reader's browser keeps public pages for a minute, as it should; each
    // look after a change is a new visitor with an empty cache.
    let reader = await browser.newPage()
    const visit = async (path: string) => {
      await reader.close()
      reader = await browser.newPage()
      return reader.goto(server.url + path)
    }
    await reader.goto(server.url + publicPath)
    const article = reader.locator('main article.article')
    expect(await article.getByRole('heading', { level: 1 }).textContent()).toBe('Harbour pilots vote to end the overtime ban')
    expect(await article.getByRole('link', { name: 'ballot notice' }).getAttribute('href')).toBe('https://pilots.example/ballot')
    expect(await article.getByRole('heading', { level: 2, name: 'What changes' }).count()).toBe(1)
    expect(await article.getByRole('listitem').filter({ hasText: 'night sailings return' }).count()).toBe(1)
    expect(await article.locator('blockquote').textContent()).toContain('We kept the port open for the ferries')
    expect(await article.textContent()).toContain('Mara Quint')
    await article.getByRole('link', { name: 'Business', exact: true }).first().click()
    await reader.getByRole('heading', { level: 1, name: 'Business' }).waitFor()
    expect(await reader.getByRole('link', { name: 'Harbour pilots vote to end the overtime ban' }).count()).toBeGreaterThan(0)
    await reader.goto(server.url + '/')
    expect(await reader.getByRole('link', { name: 'Harbour pilots vote to end the overtime ban' }).count()).toBeGreaterThan(0)

    // A public update from a working copy, then a correction.
    await ed.bringToFront()
    await ed.getByLabel('Standfirst').fill('Ships will move at night again from Monday, the port says.')
    await savedState(ed)
    await ed.getByRole('button', { name: 'Publish changes as an update' }).click()
    await ed.getByRole('status').filter({ hasText: 'The changes are public.' }).waitFor()
    await ed.getByLabel('Correction').fill('An earlier version gave the wrong day of the vote.')
    await ed.getByRole('button', { name: 'Publish the correction' }).click()
    await ed.getByRole('status').filter({ hasText: 'The correction is public.' }).waitFor()
    await visit(publicPath!)
    const page2 = await reader.locator('main').textContent()
    expect(page2).toContain('Updated')
    expect(page2).toContain('the port says')
    expect(page2).toContain('An earlier version gave the wrong day of the vote.')

    // Taken down with a reason: gone from the site, kept in the history.
    await ed.getByLabel('Why take it down?').fill('Legal asked us to hold it.')
    await ed.getByRole('button', { name: 'Unpublish' }).click()
    await ed.getByRole('status').filter({ hasText: 'Unpublished.' }).waitFor()
    const gone = await visit(publicPath!)
    expect(gone?.status()).toBe(404)
    await ed.getByRole('link', { name: 'History' }).click()
    await ed.getByRole('heading', { level: 1 }).waitFor()
    expect(await ed.locator('main').textContent()).toContain('Legal asked us to hold it.')
    await check(ed, 'history')
    await reader.close()
    await desk.context.close()
  })

  it('two people save one story at once: the second sees the conflict and both texts are kept', async () => {
    const one = await signedIn(AUTHOR)
    const text = await newStory(one.page)
    await one.page.getByLabel('Headline').fill('Ferry timetable changes')
    await text.focus()
    await one.page.keyboard.type('The first crossing leaves at six.')
    await savedState(one.page)
    const url = one.page.url()

    const two = await signedIn(EDITOR)
    await two.page.goto(url)
    const theirs = await editorReady(two.page)
    await expect.poll(() => one.page.locator('#presence').textContent(), { timeout: 30_000 }).toContain('Ed Editor')

    await theirs.focus()
    await two.page.keyboard.press('Control+End')
    await two.page.keyboard.type(' The last returns at ten.')
    await savedState(two.page)

    await text.focus()
    await one.page.keyboard.press('Control+End')
    await one.page.keyboard.type(' Tickets cost more.')
    await expect.poll(() => one.page.locator('#save-state').textContent(), { timeout: 15_000 }).toContain('saved a newer version')
    const dialog = one.page.getByRole('dialog')
    await dialog.waitFor()
    expect(await dialog.textContent()).toContain('The last returns at ten.')
    expect(await dialog.textContent()).toContain('Tickets cost more.')
    await check(one.page, 'conflict dialog')
    await dialog.getByRole('button', { name: 'Keep my version' }).click()
    await savedState(one.page)

    // Mine is the story now; theirs is kept as a copy linked from the editor.
    await one.page.reload()
    await editorReady(one.page)
    expect(JSON.stringify(await readBodyField(one.page))).toContain('Tickets cost more.')
    const { articles } = server.server.container
    const id = url.split('/').at(-1)!
    const kept = [await articles.listSnapshots(id), await articles.listConflicts(id)]
    expect(JSON.stringify(kept)).toContain('The last returns at ten.')

    // The conflict copy's own page, the admin preview and the notifications page pass both checkers too.
    const copy = await server.server.container.database.db.selectFrom('article_conflicts').select('id').where('article_id', '=', id).executeTakeFirstOrThrow()
    await one.page.goto(`${url}/conflicts/${copy.id}`)
    await one.page.getByRole('heading', { level: 1 }).waitFor()
    await check(one.page, 'conflict copy')
    await one.page.goto(`${url}/preview`)
    expect(await one.page.locator('.preview-banner').textContent()).toContain('Preview')
    await check(one.page, 'admin preview')
    // Ed was told of the story sent for review in the first test.
    await two.page.goto(`${server.url}/admin/notifications`)
    expect(await two.page.locator('main').textContent()).toContain('for review')
    await check(two.page, 'notifications')
    await one.context.close()
    await two.context.close()
  })

  it('keeps what was typed when the session ends, and saves it after signing in again', async () => {
    const { context, page } = await signedIn(AUTHOR)
    const text = await newStory(page)
    await page.getByLabel('Headline').fill('Lighthouse keepers return')
    await savedState(page)

    // The session ends on the server, as it does when it expires or an admin deactivates someone.
    const user = await server.server.container.auth.findByEmail(AUTHOR.email)
    await server.server.container.database.db.deleteFrom('sessions').where('user_id', '=', user!.id).execute()
    await text.focus()
    await page.keyboard.type('Two keepers moved back to the rock this week.')
    await expect.poll(() => page.locator('#save-state').textContent(), { timeout: 15_000 }).toContain('your session ended')

    const again = await context.newPage()
    await signIn(again, AUTHOR)
    await again.close()
    await page.bringToFront()
    await page.evaluate(() => window.dispatchEvent(new Event('focus')))
    await savedState(page)
    await page.reload()
    await editorReady(page)
    expect(await readBodyField(page)).toEqual([{ type: 'paragraph', content: [{ text: 'Two keepers moved back to the rock this week.' }] }])
    await context.close()
  })

  it('every story page met on the way is valid HTML', async () => {
    expect(seen.length).toBeGreaterThan(5)
    expect(await vnuErrors(seen)).toEqual({})
  })
})
