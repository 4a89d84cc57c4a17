import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readGhost, readWordPress } from '../../src/importers/index.ts'
import { createMediaFolder } from '../../src/importers/sources/media-folder.ts'
import { urls } from '../../src/site/urls.ts'
import { axeViolationsOf, launchBrowser } from '../support/browser.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'
import { vnuErrors } from '../support/vnu.ts'

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/import')

interface FetchedPage {
  kind: string
  path: string
  html: string
}

/**
 * Stories moved in from WordPress and Ghost are public pages like any other:
 * each published one, and the section, tag and author pages they fill, must be
 * valid HTML (Nu Html Checker) and pass axe-core in Chromium, as the demo
 * paper's pages do (public-pages.test.ts). Imported bodies are where odd
 * markup comes from, so this is where it must be caught.
 */
describe('imported stories: valid HTML and accessible', () => {
  let server: TestServer
  let browser: Browser
  let context: BrowserContext
  const pages: FetchedPage[] = []

  async function use(kind: string, pagePath: string): Promise<void> {
    const response = await server.fetch(pagePath)
    expect(response.status, pagePath).toBe(200)
    pages.push({ kind, path: pagePath, html: await response.text() })
  }

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer('sqlite', { wirePollSeconds: 0, loadDemo: false }), launchBrowser()])
    context = await browser.newContext({ bypassCSP: true })
    const { importer, database } = server.server.container
    const wordpress = await importer.run(readWordPress(new Uint8Array(readFileSync(path.join(FIXTURES, 'wordpress-1.2.xml'))), 'wordpress-1.2.xml'), {
      findMedia: createMediaFolder(path.join(FIXTURES, 'wp-uploads')),
    })
    const ghost = await importer.run(readGhost(new Uint8Array(readFileSync(path.join(FIXTURES, 'ghost-5.json'))), 'ghost-5.json'), {
      findMedia: createMediaFolder(path.join(FIXTURES, 'ghost-images')),
    })
    const oldGhost = await importer.run(readGhost(new Uint8Array(readFileSync(path.join(FIXTURES, 'ghost-0.json'))), 'ghost-0.json'), {
      findMedia: createMediaFolder(path.join(FIXTURES, 'ghost-images')),
    })
    expect(wordpress.imported + ghost.imported + oldGhost.imported).toBe(11)

    const imported = await database.db
      .selectFrom('import_map')
      .innerJoin('articles', 'articles.id', 'import_map.target_id')
      .select(['import_map.origin', 'articles.slug', 'articles.status'])
      .where('import_map.kind', '=', 'post')
      .orderBy('articles.slug')
      .execute()
    const published = imported.filter((row) => row.status === 'published')
    // Three published WordPress posts, two from Ghost 5 and one from Ghost 0.x; drafts have no public page.
    expect(published.map((row) => row.origin).sort()).toEqual(['ghost', 'ghost', 'ghost', 'wordpress', 'wordpress', 'wordpress'])
    for (const row of published) await use(`${row.origin} story`, urls.article(row.slug))
    await use('section (WordPress category, with a parent)', urls.section('harbour'))
    await use('section (Ghost primary tag)', urls.section('environment'))
    await use('tag (WordPress)', urls.tag('shipping'))
    await use('tag (Ghost)', urls.tag('rivers'))
    await use('author (Ghost, with a bio)', urls.author('kofi'))
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('shows the imported pictures from the media library', () => {
    const river = pages.find((p) => p.path === urls.article('river-bank-repairs'))!
    expect(river.html).toContain('alt="New stones along the east bank"')
    expect(river.html).not.toContain('.invalid')
    const cranes = pages.find((p) => p.path === urls.article('harbour-cranes'))!
    expect(cranes.html).toContain('alt="Two harbour cranes against a pale sky"')
  })

  it('passes the Nu Html Checker with no errors', async () => {
    expect(await vnuErrors(pages.map((p) => ({ name: p.path, html: p.html })))).toEqual({})
  }, 120_000)

  it('passes an axe-core audit (WCAG 2.2 AA and best practices) in Chromium', async () => {
    expect(await axeViolationsOf(context, server.url, pages)).toEqual({})
  }, 120_000)
})
