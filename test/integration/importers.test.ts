import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Article } from '../../src/articles/index.ts'
import { readGhost, readWordPress, type ImportBundle, type ImportReport } from '../../src/importers/index.ts'
import { createMediaFolder } from '../../src/importers/sources/media-folder.ts'
import { DomainError } from '../../src/shared/errors.ts'
import { DIALECTS } from '../support/dialects.ts'
import { buildTestContainer, type TestContainer } from '../support/test-context.ts'

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/import')
const temps: string[] = []
/** A copy of a fixture folder under another name, as an operator's copy of the uploads would be. */
function copyToTemp(folder: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'masthead-import-copy-'))
  temps.push(dir)
  cpSync(folder, dir, { recursive: true })
  return dir
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true })
})
const fixture = (name: string) => new Uint8Array(readFileSync(path.join(FIXTURES, name)))

function unreadable(read: () => unknown): DomainError {
  try {
    read()
  } catch (error) {
    if (error instanceof DomainError) return error
    throw error
  }
  throw new Error('expected the export to be refused')
}

describe('export readers refuse hostile and broken files with a clear error', () => {
  it('refuses a DOCTYPE with entities, a truncated file and bytes that are not UTF-8', () => {
    const entities = unreadable(() => readWordPress(fixture('hostile-entities.xml'), 'hostile-entities.xml'))
    expect(entities.code).toBe('IMPORT_UNREADABLE')
    expect(entities.message).toContain('WIRE_ENTITY_REFUSED')
    const whole = readFileSync(path.join(FIXTURES, 'wordpress-1.2.xml'), 'utf8')
    const truncated = unreadable(() => readWordPress(new TextEncoder().encode(whole.slice(0, Math.floor(whole.length * 0.6))), 'cut.xml'))
    expect(truncated.code).toBe('IMPORT_UNREADABLE')
    expect(truncated.message).toMatch(/not well-formed|line \d+/)
    const latin1 = new Uint8Array([...new TextEncoder().encode('<?xml version="1.0" encoding="UTF-8"?><rss><channel><title>Caf'), 0xe9, ...new TextEncoder().encode('</title></channel></rss>')])
    expect(unreadable(() => readWordPress(latin1, 'latin1.xml')).message).toContain('not valid UTF-8')
    expect(unreadable(() => readGhost(new TextEncoder().encode('{"db":[{"data":{"posts":[{"id":"1",'), 'cut.json')).message).toContain('not valid JSON')
    expect(unreadable(() => readGhost(new TextEncoder().encode('{"hello":1}'), 'other.json')).message).toContain('not a Ghost export')
    expect(unreadable(() => readWordPress(new TextEncoder().encode('<rss><channel><title>x</title></channel></rss>'), 'plain.xml')).message).toContain('not a WordPress export')
  })

  it('reads a WXR 1.1 file, a declared ISO-8859-1 encoding, and strips shortcodes to their text', () => {
    const bundle = readWordPress(fixture('wordpress-1.1-latin1.xml'), 'old.xml')
    expect(bundle.posts).toHaveLength(1)
    expect(bundle.posts[0]!.title).toBe('Café owners meet the mayor')
    expect(bundle.posts[0]!.html).toContain('Owners of twelve cafés')
    expect(bundle.posts[0]!.html).not.toContain('[embed')
  })
})

for (const dialect of DIALECTS) {
  describe(`${dialect}: importers`, () => {
    let t: TestContainer
    let wordpress: ImportBundle
    let first: ImportReport
    const byTitle = async (title: string): Promise<Article> => {
      const row = await t.container.database.db.selectFrom('articles').select('id').where('title', '=', title).executeTakeFirstOrThrow()
      return (await t.container.articles.findById(row.id))!
    }

    beforeAll(async () => {
      t = await buildTestContainer(dialect)
      wordpress = readWordPress(fixture('wordpress-1.2.xml'), 'wordpress-1.2.xml')
      first = await t.container.importer.run(wordpress, { findMedia: createMediaFolder(path.join(FIXTURES, 'wp-uploads')) })
    })
    afterAll(async () => t?.cleanup())

    it('imports WordPress posts with sections as a tree, tags, authors, dates in UTC and status', async () => {
      expect(first).toMatchObject({ imported: 6, unchanged: 0, pictures: 2 })
      expect(first.skipped.map((s) => s.code).sort()).toEqual(['IMPORT_COMMENTS_SKIPPED', 'IMPORT_KIND_SKIPPED', 'IMPORT_PAGE_SKIPPED'])
      expect(first.skipped.find((s) => s.code === 'IMPORT_COMMENTS_SKIPPED')!.message).toContain('2 comments')
      const sections = await t.container.sections.listSections()
      const news = sections.find((s) => s.slug === 'news')!
      expect(sections.find((s) => s.slug === 'harbour')).toMatchObject({ name: 'Harbour & Ports', parentId: news.id })
      expect(sections.find((s) => s.slug === 'council')?.parentId).toBe(news.id)

      const cranes = await byTitle('Harbour cranes to stay until autumn')
      expect(cranes).toMatchObject({ status: 'published', slug: 'harbour-cranes', publishedAt: '2024-05-03T07:15:00.000Z', updatedAt: '2024-05-04T08:00:00.000Z' })
      expect(cranes.sectionIds).toEqual([sections.find((s) => s.slug === 'harbour')!.id])
      const [author] = await t.container.authors.byIds(cranes.authorIds)
      expect(author?.name).toBe('Mira Okafor')
      const tags = await t.container.sections.tagsByIds(cranes.tagIds)
      expect(tags.map((tag) => tag.slug)).toEqual(['shipping'])
      expect(cranes.featuredMediaId).toMatch(/^med_/)
      const image = cranes.body.find((b) => b.type === 'image')
      expect(image).toMatchObject({ mediaId: cranes.featuredMediaId, alt: 'Two harbour cranes against a pale sky', caption: 'The east-quay cranes at dawn.', width: 80, height: 60 })
      expect(cranes.body.find((b) => b.type === 'quote')).toMatchObject({ attribution: { speaker: 'Port director Hana Lind' } })
      const text = JSON.stringify(cranes.body)
      expect(text).not.toContain('alert(1)')
      expect(text).not.toContain('wp:paragraph')
      // A link to the old site becomes a site path, which the legacy redirects answer.
      expect(text).toContain('"href":"/2024/04/quay-repairs/"')

      const wall = await byTitle('Council votes on the sea wall')
      expect(wall.sectionIds).toHaveLength(2)
      const wallText = JSON.stringify(wall.body)
      expect(wallText).toContain('[sic]')
      expect(wallText).toContain('It is the cheapest wall we will ever build.')
      expect(wallText).not.toMatch(/\[(gallery|pullquote|caption)/)
      expect(wall.body.find((b) => b.type === 'image')).toMatchObject({ alt: 'The council chamber', caption: 'The chamber during the vote.', width: 64, height: 64 })

      expect(await byTitle('Élections : le port vote')).toMatchObject({ slug: 'elections-le-port-vote', status: 'published' })
      // Drafts have no GMT date: their local date is read in the site's zone (+2 h in summer, as the published posts show).
      expect(await byTitle('港の夜')).toMatchObject({ slug: 'post-13', status: 'draft', publishedAt: null, createdAt: '2024-06-05T20:00:00.000Z' })
      expect((await byTitle('Ferry timetable changes')).createdAt).toBe('2024-06-07T07:00:00.000Z')
      expect((await byTitle('Notes for the desk')).status).toBe('draft')
      expect((await byTitle('Ferry timetable changes')).status).toBe('draft')
    })

    it('remembers each old permalink, and a second run changes nothing', async () => {
      const importer = t.container.importer
      expect(await importer.redirectFor('/2024/05/harbour-cranes/')).toBe('/articles/harbour-cranes')
      expect(await importer.redirectFor('/2024/05/harbour-cranes')).toBe('/articles/harbour-cranes')
      expect(await importer.redirectFor('/?p=10')).toBe('/articles/harbour-cranes')
      expect(await importer.redirectFor('/2024/06/%C3%A9lections-le-port-vote/')).toBe('/articles/elections-le-port-vote')
      expect(await importer.redirectFor('/2024/05/nothing-here/')).toBeNull()
      // Archives: a category by its whole path and by its own nicename, a tag (percent-encoded too), an author by nicename.
      expect(await importer.redirectFor('/category/news/harbour/')).toBe('/sections/harbour')
      expect(await importer.redirectFor('/category/harbour/')).toBe('/sections/harbour')
      expect(await importer.redirectFor('/category/news/')).toBe('/sections/news')
      expect(await importer.redirectFor('/tag/shipping/')).toBe('/tags/shipping')
      expect(await importer.redirectFor('/tag/%c3%a9lections/')).toBe('/tags/elections')
      expect(await importer.redirectFor('/author/mira/')).toBe('/authors/mira')
      expect(await importer.redirectFor('/author/tomas-r/')).toBe('/authors/tomas-r')
      // Pages are left out, and the report says their addresses are not redirected.
      expect(first.skipped.find((s) => s.code === 'IMPORT_PAGE_SKIPPED')?.message).toContain('Its old address is not redirected: /about/')
      expect(await importer.redirectFor('/about/')).toBeNull()

      const db = t.container.database.db
      const count = async (table: 'articles' | 'sections' | 'tags' | 'authors' | 'media' | 'legacy_redirects') =>
        Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
      const before = await Promise.all((['articles', 'sections', 'tags', 'authors', 'media', 'legacy_redirects'] as const).map(count))
      const again = await importer.run(readWordPress(fixture('wordpress-1.2.xml'), 'wordpress-1.2.xml'), { findMedia: createMediaFolder(path.join(FIXTURES, 'wp-uploads')) })
      expect(again).toMatchObject({ imported: 0, unchanged: 6, pictures: 0, redirects: 0 })
      expect(await Promise.all((['articles', 'sections', 'tags', 'authors', 'media', 'legacy_redirects'] as const).map(count))).toEqual(before)

      // The same site after a move to www and http (its guids unchanged), exported to another file name, and its uploads copied elsewhere.
      const moved = readFileSync(path.join(FIXTURES, 'wordpress-1.2.xml'), 'utf8').replace(/<(link|wp:base_site_url|wp:base_blog_url)>https:\/\/courier\.example<\//g, '<$1>http://www.courier.example</')
      expect(moved).toContain('<wp:base_site_url>http://www.courier.example</wp:base_site_url>')
      const uploads = copyToTemp(path.join(FIXTURES, 'wp-uploads'))
      const renamed = await importer.run(readWordPress(new TextEncoder().encode(moved), 'courier-renamed.xml'), { findMedia: createMediaFolder(uploads) })
      expect(renamed).toMatchObject({ imported: 0, unchanged: 6, pictures: 0, redirects: 0 })
      expect(await Promise.all((['articles', 'sections', 'tags', 'authors', 'media', 'legacy_redirects'] as const).map(count))).toEqual(before)
    })

    it('imports each item in its own transaction: a failing one leaves nothing behind and the rest go on', async () => {
      const good = wordpress.posts[2]!
      const bundle: ImportBundle = {
        ...wordpress,
        origin: 'wordpress:https://elsewhere.example/',
        sections: [{ sourceId: 'only-broken', slug: 'only-broken', name: 'Only broken', description: '', parentSourceId: null, oldPaths: ['/category/only-broken/'] }],
        posts: [
          { ...good, sourceId: 'bad', where: 'item[1]', title: 'Broken date', slug: 'broken-date', createdAt: 'not a date', sectionSourceIds: ['only-broken'] },
          { ...good, sourceId: 'good', where: 'item[2]', title: 'A second port vote', slug: 'a-second-port-vote', sectionSourceIds: [], oldPaths: ['/second/'] },
        ],
        skipped: [],
      }
      const report = await t.container.importer.run(bundle)
      expect(report.imported).toBe(1)
      expect(report.skipped).toEqual([expect.objectContaining({ where: 'item[1]', code: 'IMPORT_ITEM_FAILED' })])
      expect((await t.container.sections.listSections()).some((s) => s.slug === 'only-broken')).toBe(false)
      // The failed post's section archive went with it; the good post's permalink stayed.
      expect(await t.container.importer.redirectFor('/category/only-broken/')).toBeNull()
      expect(await t.container.importer.redirectFor('/second/')).toBe('/articles/a-second-port-vote')
      const rows = await t.container.database.db.selectFrom('articles').select('title').where('title', '=', 'Broken date').execute()
      expect(rows).toEqual([])
      // Published on the old site but without a section here: a draft, and the report says why.
      expect(report.keptAsDrafts).toBe(1)
      expect(report.notes.find((n) => n.code === 'IMPORT_KEPT_AS_DRAFT')?.message).toContain('section')
    })

    it('imports a Ghost export: lexical, mobiledoc and html bodies, authors in order, primary tag as section, internal tags left out', async () => {
      const bundle = readGhost(fixture('ghost-5.json'), 'ghost-5.json')
      const report = await t.container.importer.run(bundle, { findMedia: createMediaFolder(path.join(FIXTURES, 'ghost-images')) })
      // The featured picture and a different one in the text of the Lexical post.
      expect(report).toMatchObject({ imported: 3, pictures: 2 })
      expect(report.skipped.map((s) => s.code)).toEqual(['IMPORT_PAGE_SKIPPED'])

      const lexical = await byTitle('River bank repairs finished')
      expect(lexical.status).toBe('published')
      expect(lexical.publishedAt).toBe('2024-06-10T09:30:00.000Z')
      const authors = await t.container.authors.byIds(lexical.authorIds)
      expect(lexical.authorIds.map((id) => authors.find((a) => a.id === id)!.name)).toEqual(['Ines Duarte', 'Kofi Mensah'])
      const sections = await t.container.sections.listSections()
      expect(sections.find((s) => s.id === lexical.sectionIds[0])?.slug).toBe('environment')
      const tags = await t.container.sections.tagsByIds(lexical.tagIds)
      expect(tags.map((tag) => tag.slug).sort()).toEqual(['environment', 'rivers'])
      expect(lexical.featuredMediaId).toMatch(/^med_/)
      // Ghost 4+ writes its own address as __GHOST_URL__: the body picture is found in the folder, with Ghost's `alt`.
      const bodyImage = lexical.body.find((b) => b.type === 'image')
      expect(bodyImage).toMatchObject({ alt: 'New stones along the east bank', caption: 'The new stones, laid by hand.', width: 72, height: 48 })
      expect(bodyImage?.type === 'image' && bodyImage.mediaId).toMatch(/^med_/)
      expect(bodyImage?.type === 'image' && bodyImage.mediaId).not.toBe(lexical.featuredMediaId)
      expect(bodyImage?.type === 'image' && bodyImage.src).toMatch(/^\/media\//)
      // A link to the old site becomes a site path, which the legacy redirects answer.
      expect(JSON.stringify(lexical.body)).toContain('"href":"/ferry-strike-ends/"')
      expect(JSON.stringify(lexical.body)).toContain('The last stones were laid on Monday')
      expect(lexical.body.find((b) => b.type === 'heading')).toBeDefined()

      const mobiledoc = await byTitle('Ferry strike ends')
      expect(JSON.stringify(mobiledoc.body)).toContain('Crews return on Thursday')
      expect(mobiledoc.body.find((b) => b.type === 'list')).toBeDefined()
      expect(mobiledoc.status).toBe('published')

      const html = await byTitle('Draft: market hall plans')
      expect(html.status).toBe('draft')
      expect(JSON.stringify(html.body)).toContain('The market hall')
      expect((await t.container.sections.tagsByIds(html.tagIds)).some((tag) => tag.name.startsWith('#'))).toBe(false)
      expect(await t.container.importer.redirectFor('/river-bank-repairs/')).toBe('/articles/river-bank-repairs')
      expect(await t.container.importer.redirectFor('/tag/environment/')).toBe('/tags/environment')
      expect(await t.container.importer.redirectFor('/author/kofi/')).toBe('/authors/kofi')
      // Internal tags have no archive; pages are listed as not redirected.
      expect(await t.container.importer.redirectFor('/tag/hash-newsletter/')).toBeNull()
      expect(report.skipped[0]!.message).toContain('Its old address is not redirected: /contact/')

      const again = await t.container.importer.run(readGhost(fixture('ghost-5.json'), 'ghost-5.json'), { findMedia: createMediaFolder(path.join(FIXTURES, 'ghost-images')) })
      expect(again).toMatchObject({ imported: 0, unchanged: 3, pictures: 0 })

      // The site renamed, the export under another name, the images copied elsewhere: nothing is imported twice.
      const db = t.container.database.db
      const count = async (table: 'articles' | 'sections' | 'tags' | 'authors' | 'media' | 'legacy_redirects') =>
        Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
      const tables = ['articles', 'sections', 'tags', 'authors', 'media', 'legacy_redirects'] as const
      const before = await Promise.all(tables.map(count))
      const renamedJson = readFileSync(path.join(FIXTURES, 'ghost-5.json'), 'utf8').replace('"value": "The River Times"', '"value": "River Times Online"')
      expect(renamedJson).toContain('River Times Online')
      const renamed = await t.container.importer.run(readGhost(new TextEncoder().encode(renamedJson), '/elsewhere/river-times-2024.json'), { findMedia: createMediaFolder(copyToTemp(path.join(FIXTURES, 'ghost-images'))) })
      expect(renamed).toMatchObject({ imported: 0, unchanged: 3, pictures: 0, redirects: 0 })
      expect(await Promise.all(tables.map(count))).toEqual(before)
    })

    it('imports an export of Ghost before 1.0: the page flag, author_id, epoch dates, `image`, root-relative pictures', async () => {
      const bundle = readGhost(fixture('ghost-0.json'), 'ghost-0.json')
      const report = await t.container.importer.run(bundle, { findMedia: createMediaFolder(path.join(FIXTURES, 'ghost-images')) })
      expect(report).toMatchObject({ imported: 2, pictures: 1 })
      expect(report.skipped).toEqual([expect.objectContaining({ code: 'IMPORT_PAGE_SKIPPED', message: expect.stringContaining('not redirected: /about/') })])

      const story = await byTitle('Lighthouse keeper retires')
      expect(story).toMatchObject({ status: 'published', createdAt: '2015-03-25T08:00:00.000Z', publishedAt: '2015-03-26T08:00:00.000Z', updatedAt: '2015-03-26T10:00:00.000Z' })
      const [author] = await t.container.authors.byIds(story.authorIds)
      expect(author?.name).toBe('Ruth Abara')
      const sections = await t.container.sections.listSections()
      expect(sections.find((s) => s.id === story.sectionIds[0])?.slug).toBe('coast')
      expect((await t.container.sections.tagsByIds(story.tagIds)).map((tag) => tag.slug).sort()).toEqual(['coast', 'people'])
      // The featured picture (`image`) and the same file in the text: one library item, placed in the body.
      expect(story.featuredMediaId).toMatch(/^med_/)
      expect(story.body.find((b) => b.type === 'image')).toMatchObject({ mediaId: story.featuredMediaId, alt: 'The lighthouse at dusk' })
      expect(JSON.stringify(story.body)).toContain('"href":"/harbour-history/"')

      const draft = await byTitle('Harbour fees next year')
      expect(draft.status).toBe('draft')
      expect((await t.container.authors.byIds(draft.authorIds))[0]?.name).toBe('Sam Keel')
      expect(await t.container.importer.redirectFor('/lighthouse-keeper-retires/')).toBe('/articles/lighthouse-keeper-retires')
      expect(await t.container.importer.redirectFor('/author/ruth/')).toBe('/authors/ruth')
    })

    it('says in notes what a body lost: pictures not in the folder (one on the unnamed old Ghost site), a link that cannot be read', async () => {
      const html =
        '<p>Before.</p><figure><img src="__GHOST_URL__/content/images/2024/06/gone.jpg" alt="Gone"></figure>' +
        '<p>Inline <img src="https://elsewhere.example/inline.png" alt="x"> picture, and <a href="javascript:alert(1)">a bad link</a>.</p>'
      const exportJson = JSON.stringify({ db: [{ data: { posts: [{ id: 'n1', uuid: 'notes-1', title: 'Notes post', slug: 'notes-post', html, status: 'draft', created_at: '2024-06-12T08:00:00.000Z' }] } }] })
      const report = await t.container.importer.run(readGhost(new TextEncoder().encode(exportJson), 'notes.json'), { findMedia: createMediaFolder(path.join(FIXTURES, 'ghost-images')) })
      expect(report.imported).toBe(1)
      const notes = report.notes.map((n) => `${n.code} ${n.message}`)
      expect(notes).toContainEqual(expect.stringMatching(/^IMPORT_PICTURE_LEFT_OUT The picture \/content\/images\/2024\/06\/gone\.jpg was left out of the body: it is not in the uploads folder/))
      expect(notes).toContainEqual(expect.stringMatching(/^IMPORT_PICTURE_LEFT_OUT The picture https:\/\/elsewhere\.example\/inline\.png was left out of the body/))
      expect(notes).toContainEqual(expect.stringMatching(/^IMPORT_MARKUP_DROPPED .*javascript:alert\(1\)/))
      expect(report.notes.every((n) => n.where === 'posts[0] "Notes post"')).toBe(true)
      // The placeholder address of the old Ghost site never reaches a body.
      const stored = await byTitle('Notes post')
      expect(JSON.stringify(stored.body)).not.toContain('.invalid')
      expect(stored.body.some((b) => b.type === 'image')).toBe(false)
    })
  })
}
