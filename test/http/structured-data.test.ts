import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paragraph } from '../../src/articles/index.ts'
import { DEMO_CONTENT } from '../../src/db/seed/demo-content.ts'
import { EDITOR } from '../support/factories.ts'
import { parseHtml } from '../support/html.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const MODEL_SLUG = 'us-and-venezuelan-envoys-meet-in-barbados-for-talks-on-migration-and-oil'
const model = DEMO_CONTENT.articles.find((a) => a.slug === MODEL_SLUG)!
const corrected = DEMO_CONTENT.articles.find((a) => a.correction)!
const withImage = DEMO_CONTENT.articles.find((a) => a.body.some((b) => b.type === 'image'))!

type Ld = Record<string, any>

/** Structured data is about what the page shows; one dialect is enough (the page's data comes through the same services). */
describe('structured data (JSON-LD) on public pages', () => {
  let t: TestServer

  beforeAll(async () => {
    t = await startTestServer('sqlite')
  })
  afterAll(async () => t?.cleanup())

  async function ldOf(path: string): Promise<{ html: string; blocks: Ld[] }> {
    const response = await t.fetch(path)
    expect(response.status, path).toBe(200)
    const html = await response.text()
    const $ = parseHtml(html)
    const blocks = $('script[type="application/ld+json"]')
      .map((_, s) => JSON.parse($(s).html()!) as Ld)
      .get()
    return { html, blocks }
  }
  const ofType = (blocks: Ld[], type: string) => blocks.find((b) => b['@type'] === type)

  function expectPublisher(publisher: Ld) {
    expect(publisher['@type']).toBe('NewsMediaOrganization')
    expect(publisher.name).toBe('The Hemisphere Ledger')
    expect(publisher.logo).toMatchObject({ '@type': 'ImageObject', url: `${t.url}/logo.svg`, width: 600, height: 60 })
  }

  it('an article has a NewsArticle with the required and recommended properties, and a breadcrumb of its section trail', async () => {
    const { blocks } = await ldOf(`/articles/${MODEL_SLUG}`)
    const article = ofType(blocks, 'NewsArticle')!
    expect(article['@context']).toBe('https://schema.org')
    expect(article.headline).toBe(model.title)
    expect(article.description).toBe(model.dek)
    expect(article.datePublished).toBe(new Date(model.publishedAt).toISOString())
    expect(Date.parse(article.dateModified)).toBeGreaterThanOrEqual(Date.parse(article.datePublished))
    expect(article.mainEntityOfPage['@id']).toBe(`${t.url}/articles/${MODEL_SLUG}`)
    expect(article.articleSection).toEqual(['Latin America', 'Politics', 'USA'])
    for (const author of article.author) {
      expect(['Person', 'Organization']).toContain(author['@type'])
      expect(author.name).toBeTruthy()
      expect(author.url).toMatch(new RegExp(`^${t.url}/authors/`))
    }
    expectPublisher(article.publisher)
    // Wire copy says what it rests on.
    expect(article.isBasedOn).toMatchObject({ '@type': 'NewsArticle', publisher: { '@type': 'Organization' } })
    expect(article.sourceOrganization['@type']).toBe('Organization')

    const crumbs = ofType(blocks, 'BreadcrumbList')!
    expect(crumbs.itemListElement.map((i: Ld) => [i.position, i.name])).toEqual([
      [1, 'Latin America'],
      [2, model.title],
    ])
    expect(crumbs.itemListElement[0].item).toBe(`${t.url}/sections/latin-america`)
  })

  it('a corrected article lists each correction with its date; a pictured one has an image', async () => {
    const fixed = ofType((await ldOf(`/articles/${corrected.slug}`)).blocks, 'NewsArticle')!
    expect(fixed.correction).toEqual([{ '@type': 'CorrectionComment', text: corrected.correction!.text, datePublished: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }])
    const pictured = ofType((await ldOf(`/articles/${withImage.slug}`)).blocks, 'NewsArticle')!
    expect(pictured.image[0]).toMatchObject({ '@type': 'ImageObject', url: expect.stringMatching(new RegExp(`^${t.url}/media/`)), width: expect.any(Number), height: expect.any(Number) })
  })

  it('the home page has a WebSite with a SearchAction; author pages a Person or an Organization; sub-sections a breadcrumb', async () => {
    const site = ofType((await ldOf('/')).blocks, 'WebSite')!
    expect(site.url).toBe(`${t.url}/`)
    expect(site.potentialAction).toEqual({
      '@type': 'SearchAction',
      target: { '@type': 'EntryPoint', urlTemplate: `${t.url}/search?q={search_term_string}` },
      'query-input': 'required name=search_term_string',
    })
    const search = await t.fetch(site.potentialAction.target.urlTemplate.replace(t.url, '').replace('{search_term_string}', 'Barbados'))
    expect(search.status).toBe(200)

    const person = DEMO_CONTENT.authors.find((a) => a.kind === 'person')!
    const profile = ofType((await ldOf(`/authors/${person.slug}`)).blocks, 'ProfilePage')!
    expect(profile.mainEntity).toMatchObject({ '@type': 'Person', name: person.name, url: `${t.url}/authors/${person.slug}` })
    const desk = DEMO_CONTENT.authors.find((a) => a.kind === 'desk')!
    expect(ofType((await ldOf(`/authors/${desk.slug}`)).blocks, 'ProfilePage')!.mainEntity['@type']).toBe('Organization')

    const sub = DEMO_CONTENT.sections.find((s) => s.parent)!
    const crumbs = ofType((await ldOf(`/sections/${sub.slug}`)).blocks, 'BreadcrumbList')!
    expect(crumbs.itemListElement.at(-1).item).toBe(`${t.url}/sections/${sub.slug}`)

    const logo = await t.fetch('/logo.svg')
    expect(logo.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8')
    expect(await logo.text()).toContain('The Hemisphere Ledger')
  })

  it('every public page has complete Open Graph and Twitter card tags; a story without a featured picture offers its first body picture', async () => {
    const { container } = t.server
    const staff = (await container.authors.findBySlug('staff'))!
    const source = (await container.sources.findBySlug('staff'))!
    const politics = (await container.sections.listSections()).find((s) => s.slug === 'politics')!
    const draft = await container.articles.createDraft(
      {
        title: 'Harbour boats return',
        dek: 'The fleet is back.',
        body: [paragraph('They came back.'), { type: 'image', src: 'https://images.example.org/harbour.jpg', alt: 'Boats in the harbour', width: 1600, height: 900 }],
        sectionIds: [politics.id],
        authorIds: [staff.id],
        tagIds: [],
        sourceId: source.id,
      },
      EDITOR,
    )
    const pictured = await container.articles.publish(draft.id, {}, EDITOR)
    const speaker = parseHtml(await (await t.fetch('/quotes')).text())('.speaker-list a').first().attr('href')!
    const person = DEMO_CONTENT.authors.find((a) => a.kind === 'person')!
    const pages: { path: string; type: string; image?: string }[] = [
      { path: '/', type: 'website' },
      { path: '/sections/politics', type: 'website' },
      { path: `/authors/${person.slug}`, type: 'profile' },
      { path: `/tags/${DEMO_CONTENT.tags[0]!.slug}`, type: 'website' },
      { path: speaker, type: 'profile' },
      { path: '/quotes', type: 'website' },
      { path: `/articles/${MODEL_SLUG}`, type: 'article' },
      { path: `/articles/${pictured.slug}`, type: 'article', image: 'https://images.example.org/harbour.jpg' },
      // The demo's body pictures are SVG charts, which link previews cannot show: a summary card.
      { path: `/articles/${withImage.slug}`, type: 'article' },
    ]
    for (const page of pages) {
      const $ = parseHtml(await (await t.fetch(page.path)).text())
      const og = (name: string) => $(`meta[property="og:${name}"]`).attr('content')
      const tw = (name: string) => $(`meta[name="twitter:${name}"]`).attr('content')
      expect(og('type'), page.path).toBe(page.type)
      expect(og('title'), page.path).toBeTruthy()
      expect(og('url'), page.path).toBe($('link[rel="canonical"]').attr('href'))
      expect(og('site_name'), page.path).toBe('The Hemisphere Ledger')
      expect(tw('title'), page.path).toBe(og('title'))
      const description = $('meta[name="description"]').attr('content')
      expect(og('description'), page.path).toBe(description)
      expect(tw('description'), page.path).toBe(description)
      if (page.image) {
        expect(tw('card'), page.path).toBe('summary_large_image')
        expect(og('image'), page.path).toBe(page.image)
        expect(tw('image'), page.path).toBe(page.image)
        expect([og('image:width'), og('image:height'), og('image:alt')]).toEqual(['1600', '900', 'Boats in the harbour'])
        expect(tw('image:alt')).toBe('Boats in the harbour')
      } else {
        expect(tw('card'), page.path).toBe('summary')
        expect(og('image'), page.path).toBeUndefined()
        expect(tw('image'), page.path).toBeUndefined()
      }
    }
    // Every tag appears once.
    const $ = parseHtml(await (await t.fetch(`/articles/${pictured.slug}`)).text())
    for (const name of ['og:type', 'og:title', 'og:url', 'og:image']) expect($(`meta[property="${name}"]`), name).toHaveLength(1)
    expect($('meta[name="twitter:card"]')).toHaveLength(1)
  })

  it('has a dateline as contentLocation, and nothing from desk notes, unpublish reasons or unpublished changes', async () => {
    const { container } = t.server
    const staff = (await container.authors.findBySlug('staff'))!
    const politics = (await container.sections.listSections()).find((s) => s.slug === 'politics')!
    const source = (await container.sources.findBySlug('acp'))!
    const draft = await container.articles.createDraft(
      { title: 'Ledger test story', dateline: 'BRIDGETOWN', body: [paragraph('Public words only.')], sectionIds: [politics.id], authorIds: [staff.id], tagIds: [], sourceId: source.id },
      EDITOR,
    )
    await container.articles.submitForReview(draft.id, EDITOR)
    await container.articles.sendBack(draft.id, { note: 'SECRETDESKNOTE rewrite the top' }, EDITOR)
    const story = await container.articles.publish(draft.id, {}, EDITOR)
    await container.articles.unpublish(story.id, { note: 'SECRETUNPUBLISHREASON lawyers asked' }, EDITOR)
    const again = await container.articles.publish(story.id, {}, EDITOR)
    await container.articles.save(again.id, { baseVersion: again.editVersion, changes: { title: 'SECRETWORKINGTITLE', body: [paragraph('SECRETWORKINGBODY')] } }, EDITOR)

    const { html, blocks } = await ldOf(`/articles/${again.slug}`)
    const article = ofType(blocks, 'NewsArticle')!
    expect(article.headline).toBe('Ledger test story')
    expect(article.contentLocation).toEqual({ '@type': 'Place', name: 'BRIDGETOWN' })
    for (const secret of ['SECRETDESKNOTE', 'SECRETUNPUBLISHREASON', 'SECRETWORKINGTITLE', 'SECRETWORKINGBODY']) {
      expect(JSON.stringify(blocks), secret).not.toContain(secret)
      expect(html, secret).not.toContain(secret)
    }
  })
})
