import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '../../src/articles/index.ts'
import { PER_PAGE } from '../../src/site/pages.tsx'
import { urls } from '../../src/site/urls.ts'
import { axeViolationsOf, launchBrowser } from '../support/browser.ts'
import { parseHtml, textOf } from '../support/html.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'
import { vnuErrors } from '../support/vnu.ts'

/** One public page under test: why it is in the set, where it lives, what the server sent. */
interface FetchedPage {
  kind: string
  path: string
  status: number
  html: string
}

/**
 * Every kind of public page a reader can reach, taken from the demo paper by
 * following links the way a reader would, so the set follows the site as it
 * grows instead of a list of slugs kept by hand. Each page must be valid HTML
 * (Nu Html Checker, no errors) and pass axe-core's WCAG 2.2 AA and
 * best-practice rules in a real Chromium (DESIGN.md, "Quality bars").
 */
describe('public pages: valid HTML and accessible', () => {
  let server: TestServer
  let browser: Browser
  let context: BrowserContext
  const pages: FetchedPage[] = []
  const fetched = new Map<string, FetchedPage>()

  async function get(path: string): Promise<FetchedPage> {
    const known = fetched.get(path)
    if (known) return known
    const response = await server.fetch(path)
    const page: FetchedPage = { kind: '', path, status: response.status, html: await response.text() }
    fetched.set(path, page)
    return page
  }

  /** Adds a page to the set under test, once, under the first kind it was wanted for. */
  function use(kind: string, page: FetchedPage): void {
    if (pages.some((p) => p.path === page.path)) return
    pages.push({ ...page, kind })
  }

  function links(html: string, prefix: string): string[] {
    const $ = parseHtml(html)
    const hrefs = $(`a[href^="${prefix}"]`)
      .map((_, a) => $(a).attr('href') ?? '')
      .get()
    return [...new Set(hrefs)]
  }

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startTestServer('sqlite'), launchBrowser()])
    // Public pages forbid every script; axe is injected, so the audit lifts CSP for itself only.
    // The test below loads the pages under their real policy.
    context = await browser.newContext({ bypassCSP: true })

    // The pager is part of every list page, but the demo paper has no section
    // long enough for a second page; make one first, before anything is
    // fetched, so each page shows the same content to vnu and to Chromium.
    const pagedSection = await ensureSecondPage(server)

    const home = await get('/')
    expect(home.status).toBe(200)
    use('home', home)

    // Section fronts: every section the home page links to.
    const sectionPaths = links(home.html, '/sections/')
    expect(sectionPaths.length).toBeGreaterThan(0)
    const sections = await Promise.all(sectionPaths.map(get))
    for (const s of sections) expect(s.status, s.path).toBe(200)
    use('section', sections[0]!)

    // The model page: the ACP wire story filed under Latin America, Politics and USA.
    const usa = await get('/sections/usa')
    expect(usa.status).toBe(200)
    use('section (sub-section with breadcrumb)', usa)
    let model: FetchedPage | undefined
    for (const article of await Promise.all(links(usa.html, '/articles/').map(get))) {
      const $ = parseHtml(article.html)
      const sectionLinks = $('nav[aria-label="Article sections"] a')
        .map((_, a) => $(a).attr('href'))
        .get()
      const credits = $('main article header p')
        .map((_, p) => $(p).text().trim())
        .get()
      if (sectionLinks.join(' ') === '/sections/latin-america /sections/politics /sections/usa' && credits.includes('Source: ACP')) {
        model = article
        break
      }
    }
    if (!model) throw new Error('The model article (ACP, in Latin America, Politics and USA) is not linked from /sections/usa')
    use('article (model wire story)', model)

    // Every article linked from the home page and the section fronts, to find
    // one with a correction and one reader contribution.
    const articlePaths = new Set([home, ...sections].flatMap((p) => links(p.html, '/articles/')))
    const articles = await Promise.all([...articlePaths].map(get))
    for (const a of articles) expect(a.status, a.path).toBe(200)
    const corrected = articles.find((a) => parseHtml(a.html)('h2:contains("Corrections")').length > 0)
    if (!corrected) throw new Error('No article with a correction is linked from the home page or a section front')
    use('article (with a correction)', corrected)
    const letter = articles.find((a) => parseHtml(a.html)('nav[aria-label="Article sections"] a[href="/sections/letters"]').length > 0)
    if (letter) use('article (reader letter)', letter)

    // Author and tag pages, from the model article's byline and tag list.
    const authorPath = links(model.html, '/authors/')[0]
    const tagPath = links(model.html, '/tags/')[0]
    if (!authorPath || !tagPath) throw new Error('The model article links to no author or no tag')
    use('author', await get(authorPath))
    use('tag', await get(tagPath))

    // Page 2 of a section, by its pager's "Older stories" link.
    const front = await get(pagedSection)
    const next = parseHtml(front.html)('nav[aria-label="Pages"] a[rel="next"]').attr('href')
    if (!next) throw new Error(`${pagedSection} has no link to a second page`)
    use('section, page 2', await get(next))

    const contactPath = links(home.html, '/contact')[0]
    if (!contactPath) throw new Error('The home page does not link to the contact page')
    use('contact', await get(contactPath))

    const feedsPath = links(home.html, '/feeds')[0]
    if (!feedsPath) throw new Error('The home page does not link to the feeds page')
    use('feeds', await get(feedsPath))

    // The quotes ledger: the speakers list and the first quoted speaker of the model story.
    use('quotes', await get('/quotes'))
    const speakerPath = links(model.html, '/quotes/')[0]
    if (!speakerPath) throw new Error('The model story links to no speaker page')
    use('speaker', await get(speakerPath))

    // Search: from the footer's link, then with results, with none, and with a refused query.
    const searchPath = links(home.html, '/search')[0]
    if (!searchPath) throw new Error('The home page does not link to search')
    use('search (empty form)', await get(searchPath))
    use('search (results)', await get('/search?q=Whitcombe+licences&section=latin-america'))
    use('search (no results)', await get('/search?q=qwxzyplonk'))
    use('search (query too long)', await get(`/search?q=${'a'.repeat(300)}`))

    const missing = await get('/articles/no-such-story-anywhere')
    expect(missing.status).toBe(404)
    use('not found (404)', missing)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('covers every public page type', () => {
    expect(pages.map((p) => p.kind)).toEqual(
      expect.arrayContaining(['home', 'section', 'article (model wire story)', 'article (with a correction)', 'author', 'tag', 'contact', 'feeds', 'search (results)', 'search (no results)', 'search (query too long)', 'not found (404)']),
    )
    const refused: Record<string, number> = { 'not found (404)': 404, 'search (query too long)': 422 }
    for (const page of pages) expect(page.status, page.path).toBe(refused[page.kind] ?? 200)
  })

  it('passes the Nu Html Checker with no errors', async () => {
    expect(await vnuErrors(pages.map((p) => ({ name: p.path, html: p.html })))).toEqual({})
  })

  it('passes an axe-core audit (WCAG 2.2 AA and best practices) in Chromium', async () => {
    expect(await axeViolationsOf(context, server.url, pages)).toEqual({})
  })

  it('breaks nothing under its own Content-Security-Policy: no violation on any page', async () => {
    const strict = await browser.newContext()
    const tab = await strict.newPage()
    const violations: string[] = []
    tab.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) violations.push(message.text())
    })
    try {
      for (const page of pages) {
        await tab.goto(server.url + page.path)
        await tab.waitForLoadState('load')
        const styled = await tab.evaluate(() => getComputedStyle(document.body).margin)
        expect(styled, `${page.path} has its stylesheet`).toBeDefined()
      }
      const csp = (await (await tab.request.get(server.url + '/')).headersArray()).find((h) => h.name.toLowerCase() === 'content-security-policy')
      expect(csp?.value).toContain("script-src 'none'")
    } finally {
      await strict.close()
    }
    expect(violations).toEqual([])
  })

  it('prints an article without the site navigation but with its headline', async () => {
    const model = pages.find((p) => p.kind === 'article (model wire story)')!
    const tab = await context.newPage()
    try {
      await tab.goto(server.url + model.path)
      // includeHidden: a hidden nav must still be found, or "not visible" would pass vacuously.
      const nav = tab.getByRole('navigation', { name: 'Sections', exact: true, includeHidden: true })
      const headline = tab.getByRole('heading', { level: 1 })
      expect(await nav.count()).toBe(1)
      expect(await nav.isVisible()).toBe(true)

      await tab.emulateMedia({ media: 'print' })
      expect(await nav.isVisible()).toBe(false)
      expect(await headline.isVisible()).toBe(true)
      expect((await headline.textContent())?.trim()).toBe(textOf(parseHtml(model.html), 'h1'))
    } finally {
      await tab.close()
    }
  })
})

/**
 * Returns the path of a section front with a second page. When the demo paper
 * has none, publishes PER_PAGE short briefs into the home page's lead section
 * through the newsroom's own article service, dated long before the demo
 * stories so they sort after them and change no other page's first screen.
 */
async function ensureSecondPage(server: TestServer): Promise<string> {
  const { articles, sections } = server.server.container
  const all = await sections.listSections()
  for (const section of all) {
    const page = await articles.listPublished({ sectionIds: [section.id] }, { page: 2, perPage: PER_PAGE })
    if (page.items.length > 0) return urls.section(section.slug)
  }
  const [lead] = (await articles.listPublished({}, { page: 1, perPage: 1 })).items
  if (!lead) throw new Error('The demo paper has no published article')
  const model = await articles.findById(lead.id)
  const section = all.find((s) => s.id === model?.sectionIds[0])
  if (!model || !section) throw new Error('The lead article has no section')
  const newsroom: Actor = { userId: null }
  for (let i = 1; i <= PER_PAGE; i++) {
    const draft = await articles.createDraft(
      {
        title: `Archive brief ${i}: council minutes published`,
        slug: `archive-brief-${i}`,
        dek: 'A short item from the archive, kept for the pager test.',
        body: [{ type: 'paragraph', content: [{ text: `The minutes of meeting number ${i} are now available from the council office.` }] }],
        sectionIds: [section.id],
        authorIds: model.authorIds,
        sourceId: model.sourceId,
      },
      newsroom,
    )
    await articles.publish(draft.id, { at: new Date(Date.UTC(2020, 0, i, 12)).toISOString() }, newsroom)
  }
  return urls.section(section.slug)
}
