import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paragraph } from '../../src/articles/index.ts'
import { auditAccessibility, launchBrowser } from '../support/browser.ts'
import { makePicture } from '../support/pictures.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'
import { vnuErrors } from '../support/vnu.ts'

const CONTRIBUTOR = { email: 'photo.stringer@example.org', password: 'a photo stringer password' }

/**
 * A contributor uploads a picture in the browser, meets a refusal at the file
 * field, finds the picture in the library and edits its words; the picture
 * then appears in a published story. Every page on the way, admin and
 * public, must be valid HTML and pass axe.
 */
describe('media library in the browser', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  let files: string
  const seen: { name: string; html: string }[] = []

  async function check(name: string) {
    seen.push({ name, html: await page.content() })
    expect(await auditAccessibility(page), name).toEqual([])
  }

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer('sqlite', { wirePollSeconds: 0, pageCache: false }), launchBrowser()])
    await server.server.container.auth.createUser({ ...CONTRIBUTOR, name: 'Photo Stringer', role: 'contributor' })
    // The admin's CSP forbids scripts; the audit injects axe, so the test lifts CSP for itself only.
    page = await browser.newPage({ bypassCSP: true })
    files = mkdtempSync(path.join(os.tmpdir(), 'masthead-media-e2e-'))
    writeFileSync(path.join(files, 'harbour.jpg'), await makePicture('jpeg', 1400, 900))
    writeFileSync(path.join(files, 'chart.png'), await makePicture('jpeg', 600, 400))
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
    if (files) rmSync(files, { recursive: true, force: true })
  })

  it('a contributor uploads a picture, is told about a mislabelled file, and the picture reaches a story', async () => {
    await page.goto(`${server.url}/admin/sign-in`)
    await page.getByLabel('Email').fill(CONTRIBUTOR.email)
    await page.getByLabel('Password').fill(CONTRIBUTOR.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('link', { name: 'Media', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Media library' }).waitFor()
    await check('library (empty)')

    await page.getByRole('link', { name: 'Upload picture' }).click()
    await page.getByRole('heading', { level: 1, name: 'Upload a picture' }).waitFor()
    await check('upload form')

    await page.getByLabel('Picture file').setInputFiles(path.join(files, 'chart.png'))
    await page.getByLabel('Alt text').fill('A price chart')
    await page.getByRole('button', { name: 'Upload' }).click()
    await page.getByText('is labelled as PNG but its bytes are a JPEG picture').waitFor()
    expect(await page.getByLabel('Alt text').inputValue()).toBe('A price chart')
    await check('upload refused')

    await page.getByLabel('Picture file').setInputFiles(path.join(files, 'harbour.jpg'))
    await page.getByLabel('Alt text').fill('Cranes over the harbour at dusk')
    await page.getByLabel('Caption').fill('The shared harbour on the eve of the talks.')
    await page.getByLabel('Credit').fill('Photo: Photo Stringer')
    await page.getByRole('button', { name: 'Upload' }).click()
    await page.getByRole('heading', { level: 1, name: 'Cranes over the harbour at dusk' }).waitFor()
    // The preview has loaded from the variants, at its stated size.
    await expect.poll(() => page.locator('.media-preview img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
    await check('picture page')

    await page.getByLabel('Alt text').fill('Cranes over the container quay at dusk')
    await page.getByRole('button', { name: 'Save words' }).click()
    await page.getByRole('status').filter({ hasText: 'The words were saved.' }).waitFor()

    await page.getByRole('link', { name: 'Library', exact: true }).click()
    await page.getByLabel('Search pictures').fill('quay')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByRole('link', { name: 'Cranes over the container quay at dusk' }).waitFor()
    await check('library (searched)')

    // In the story editor, the picture dialog finds the picture through /admin/media.json and places it with its words.
    const { container } = server.server
    const picture = (await container.media.list({ q: 'quay' }, { page: 1, perPage: 1 })).items[0]!
    await page.getByRole('link', { name: 'Stories', exact: true }).click()
    await page.getByRole('button', { name: 'New story' }).click()
    const storyText = page.getByRole('textbox', { name: 'Story text' })
    await storyText.waitFor()
    const draftId = new URL(page.url()).pathname.split('/').pop()!
    await storyText.click()
    await page.keyboard.type('The cranes stood still.')
    await page.getByRole('toolbar', { name: 'Story text formatting' }).getByRole('button', { name: 'Picture…', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Choose a picture' })
    await dialog.getByRole('searchbox', { name: 'Search the media library' }).fill('quay')
    await page.keyboard.press('Enter')
    const choices = dialog.getByRole('list', { name: 'Pictures' }).getByRole('button')
    await expect.poll(() => choices.count()).toBe(1)
    await choices.first().click()
    await dialog.waitFor({ state: 'hidden' })
    await expect
      .poll(async () => (await container.articles.open(draftId, { userId: null })).fields.body.find((b) => b.type === 'image'), { timeout: 20_000 })
      .toMatchObject({ type: 'image', mediaId: picture.id, alt: 'Cranes over the container quay at dusk', width: 1400, height: 900, caption: picture.caption, credit: picture.credit })

    // An editor places the picture in a published story.
    const [sections, authors, sources] = await Promise.all([container.sections.listSections(), container.authors.listAll(), container.sources.listAll()])
    const story = await container.articles.createDraft(
      {
        title: 'Cranes stand idle as harbour talks begin',
        sectionIds: [sections[0]!.id],
        authorIds: [authors[0]!.id],
        sourceId: sources[0]!.id,
        featuredMediaId: picture.id,
        body: [
          paragraph('Work on the quay stopped for the talks.'),
          { type: 'image', mediaId: picture.id, src: `/media/${picture.variants[0]!.key}`, alt: picture.alt, width: picture.width, height: picture.height, caption: picture.caption, credit: picture.credit },
          paragraph('The cranes will move again next week.'),
        ],
      },
      { userId: null },
    )
    await container.articles.publish(story.id, {}, { userId: null })
    await page.goto(`${server.url}/articles/${story.slug}`)
    await page.getByRole('heading', { level: 1, name: 'Cranes stand idle as harbour talks begin' }).waitFor()
    // The browser picked one of the modern formats from the <picture>.
    const chosen = await page.locator('.featured-image img').evaluate((img: HTMLImageElement) => img.currentSrc)
    expect(chosen).toMatch(/\/media\/library\/med_[a-z0-9]+\/\d+\.(avif|webp)$/)
    await check('article with pictures')

    expect(await vnuErrors(seen)).toEqual({})
    // About 17 s alone (a dozen pages, the editor bundle, uploads); more when the suite shares the machine.
  }, 120_000)
})
