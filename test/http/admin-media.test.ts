import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paragraph } from '../../src/articles/index.ts'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { parseHtml, textOf } from '../support/html.ts'
import { makePicture, type TestFormat } from '../support/pictures.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'
import { wireFixturePath } from '../support/wire-fixtures.ts'

const EDITOR = { email: 'picture.editor@example.org', password: 'a picture editor password' }
const CONTRIBUTOR = { email: 'stringer@example.org', password: 'a stringer password' }
const AUTHOR = { email: 'columnist@example.org', password: 'a columnist password' }

/** Sends the upload form as a browser does: the CSRF token first, then the words, then the file. */
async function uploadPicture(client: AdminClient, baseUrl: string, file: { name: string; bytes: Uint8Array; type?: string } | null, words: Record<string, string> = {}) {
  const csrf = await client.csrfFrom('/admin/media/upload')
  const form = new FormData()
  form.append('_csrf', csrf)
  for (const [k, v] of Object.entries(words)) form.append(k, v)
  if (file) form.append('file', new Blob([Buffer.from(file.bytes)], { type: file.type ?? 'application/octet-stream' }), file.name)
  const response = await fetch(`${baseUrl}/admin/media/upload`, { method: 'POST', redirect: 'manual', headers: { cookie: client.cookieHeader() }, body: form })
  const html = await response.text()
  return { response, html, $: parseHtml(html) }
}

/** A small server standing in for an agency's picture host, on loopback. */
async function agencyHost(): Promise<{ server: Server; port: number; hits: string[] }> {
  const jpeg = Buffer.from(await makePicture('jpeg', 1200, 800))
  const png = Buffer.from(await makePicture('png', 1024, 768))
  const hits: string[] = []
  const server = createServer((req, res) => {
    hits.push(req.url ?? '')
    if (req.url === '/acp/harbour-cranes.jpg') res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg)
    else if (req.url === '/meridian/ferry.png') res.writeHead(200, { 'content-type': 'image/png' }).end(png)
    else res.writeHead(404).end('missing')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as AddressInfo).port, hits }
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: the media library in the admin`, () => {
    let t: TestServer
    let agency: Awaited<ReturnType<typeof agencyHost>>
    beforeAll(async () => {
      ;[t, agency] = await Promise.all([startTestServer(dialect, { wirePollSeconds: 0, mediaMaxBytes: 1024 * 1024, pageCache: false }), agencyHost()])
      const { auth } = t.server.container
      await auth.createUser({ ...EDITOR, name: 'Picture Editor', role: 'editor' })
      await auth.createUser({ ...CONTRIBUTOR, name: 'Stringer', role: 'contributor' })
      await auth.createUser({ ...AUTHOR, name: 'Columnist', role: 'author' })
    })
    afterAll(async () => {
      agency?.server.close()
      await t?.cleanup()
    })

    it('a contributor uploads each format, and the picture page shows its words and files', async () => {
      const contributor = new AdminClient(t.url)
      await contributor.signIn(CONTRIBUTOR.email, CONTRIBUTOR.password)
      const nav = await contributor.get('/admin/media')
      expect(nav.response.status).toBe(200)
      expect(nav.$('.admin-nav a').map((_, a) => nav.$(a).text()).get()).toContain('Media')
      for (const format of ['jpeg', 'png', 'webp', 'avif', 'gif'] as TestFormat[]) {
        const name = `quay.${format === 'jpeg' ? 'jpg' : format}`
        const sent = await uploadPicture(contributor, t.url, { name, bytes: await makePicture(format, 700, 500), type: `image/${format}` }, { alt: `The quay in ${format}`, caption: 'Boats at the quay.', credit: 'Photo: Stringer' })
        expect(sent.response.status, sent.html.slice(0, 300)).toBe(303)
        const page = await contributor.get(sent.response.headers.get('location')!)
        expect(textOf(page.$, 'h1')).toBe(`The quay in ${format}`)
        expect(textOf(page.$, '[role="status"]')).toBe('The picture was added to the library.')
        expect(page.$('#field-credit').attr('value')).toBe('Photo: Stringer')
        expect(page.$('tbody tr')).toHaveLength(9) // 320, 640, 700 in three formats
        const avif = page.$('tbody a').filter((_, a) => page.$(a).text() === 'AVIF').first().attr('href')!
        const file = await t.fetch(avif)
        expect(file.headers.get('content-type')).toBe('image/avif')
        expect(file.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
        expect(file.headers.get('content-security-policy')).toMatch(/sandbox/)
        expect((await sharp(Buffer.from(await file.arrayBuffer())).metadata()).width).toBe(320)
      }
      const library = await contributor.get('/admin/media?q=avif')
      expect(library.$('.media-grid li')).toHaveLength(1)
      expect(library.$('.media-grid img').attr('width')).toBe('200')
    })

    it('refuses mislabelled, foreign, oversize and missing files beside the file field, keeping the words typed', async () => {
      const contributor = new AdminClient(t.url)
      await contributor.signIn(CONTRIBUTOR.email, CONTRIBUTOR.password)
      const before = (await t.server.container.media.list({}, { page: 1, perPage: 100 })).items.length

      const mislabelled = await uploadPicture(contributor, t.url, { name: 'chart.png', bytes: await makePicture('jpeg', 300, 200), type: 'image/png' }, { alt: 'A chart', caption: 'Prices since March' })
      expect(mislabelled.response.status).toBe(422)
      expect(textOf(mislabelled.$, '#field-file-error')).toBe('“chart.png” is labelled as PNG but its bytes are a JPEG picture. Rename it with the right extension (.jpg) or export it again, then upload it.')
      expect(mislabelled.$('#field-file').attr('aria-invalid')).toBe('true')
      expect(mislabelled.$('#field-alt').text()).toBe('A chart')
      expect(mislabelled.$('#field-caption').text()).toBe('Prices since March')

      const foreign = await uploadPicture(contributor, t.url, { name: 'photo.jpg', bytes: new TextEncoder().encode('<!doctype html><title>x</title>'), type: 'image/jpeg' })
      expect(foreign.response.status).toBe(422)
      expect(textOf(foreign.$, '#field-file-error')).toBe('“photo.jpg” is an HTML page, not a picture. Upload a JPEG, PNG, WebP, AVIF or GIF file.')

      const damaged = await makePicture('png', 300, 200)
      const cut = await uploadPicture(contributor, t.url, { name: 'cut.png', bytes: damaged.subarray(0, 200) })
      expect(cut.response.status).toBe(422)
      expect(textOf(cut.$, '#field-file-error')).toMatch(/^“cut.png” starts like a PNG picture but cannot be read/)

      const oversize = new Uint8Array(2 * 1024 * 1024)
      oversize.set(damaged)
      const big = await uploadPicture(contributor, t.url, { name: 'huge.png', bytes: oversize }, { alt: 'Huge' })
      expect(big.response.status).toBe(413)
      expect(textOf(big.$, '#field-file-error')).toBe('The file is larger than 1 MB, the most a picture may be. Nothing was kept; export a smaller copy and upload that.')

      const none = await uploadPicture(contributor, t.url, null, { alt: 'Nothing' })
      expect(none.response.status).toBe(422)
      expect(textOf(none.$, '#field-file-error')).toBe('Choose a picture file to upload.')
      expect(none.$('#field-alt').text()).toBe('Nothing')

      expect((await t.server.container.media.list({}, { page: 1, perPage: 100 })).items.length).toBe(before)
    })

    it('answers the editor picker with JSON pages for staff, and 401 problem+json to anyone else', async () => {
      const editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      const png = await makePicture('png', 400, 300)
      for (let i = 0; i < 14; i++) {
        await t.server.container.media.upload({ bytes: png, fileName: `lighthouse-${i}.png`, declaredType: null, alt: `Lighthouse ${i}`, caption: `Night ${i}`, credit: 'Photo: ACP' }, { userId: null })
      }
      const get = (path: string) => fetch(t.url + path, { headers: { cookie: editor.cookieHeader(), accept: 'application/json' } })
      let response = await get('/admin/media.json?q=lighthouse&page=1')
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^application\/json/)
      const first = (await response.json()) as { items: Record<string, unknown>[]; hasMore: boolean }
      expect(first.hasMore).toBe(true)
      expect(first.items).toHaveLength(12)
      expect(first.items[0]).toEqual({ id: expect.stringMatching(/^med_/), src: expect.stringMatching(/^\/media\/library\/med_[a-z0-9]+\/400\.png$/), width: 400, height: 300, alt: 'Lighthouse 13', caption: 'Night 13', credit: 'Photo: ACP' })
      response = await get('/admin/media.json?q=lighthouse&page=2')
      const second = (await response.json()) as { items: { alt: string }[]; hasMore: boolean }
      expect([second.items.map((i) => i.alt), second.hasMore]).toEqual([['Lighthouse 1', 'Lighthouse 0'], false])
      const picked = await t.fetch(first.items[0]!.src as string)
      expect(picked.headers.get('content-type')).toBe('image/png')

      response = await get('/admin/media.json?page=zero')
      expect(response.status).toBe(400)
      expect(((await response.json()) as { code: string }).code).toBe('PAGE_INVALID')

      const anonymous = await fetch(`${t.url}/admin/media.json?q=lighthouse`, { headers: { accept: 'application/json' } })
      expect(anonymous.status).toBe(401)
      expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    })

    it('offers library pictures as featured pictures, and the article page serves <picture> with srcset, sizes, size and lazy loading', async () => {
      const { container } = t.server
      const editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      const lead = await container.media.upload({ bytes: await makePicture('jpeg', 1600, 900), fileName: 'talks.jpg', declaredType: null, alt: 'Delegations at the table', caption: 'The first round.', credit: 'Photo: ACP' }, { userId: null })
      const inline = await container.media.upload({ bytes: await makePicture('png', 800, 600), fileName: 'map.png', declaredType: null, alt: 'Map of the bay', credit: 'Graphic: Ledger' }, { userId: null })
      const sections = await container.sections.listSections()
      const [authors, credits] = await Promise.all([container.authors.listAll(), container.sources.listAll()])
      const story = await container.articles.createDraft(
        {
          title: 'Harbour talks open with a map on the table',
          dek: 'Both sides brought charts.',
          sectionIds: [sections[0]!.id],
          authorIds: [authors[0]!.id],
          sourceId: credits[0]!.id,
          featuredMediaId: lead.id,
          body: [
            paragraph('The delegations met on Monday.'),
            { type: 'image', mediaId: inline.id, src: '/media/old-address.png', alt: 'Map of the bay, marked', width: 800, height: 600, caption: 'The disputed grounds.', credit: 'Graphic: Ledger' },
            paragraph('They will meet again.'),
          ],
        },
        { userId: null },
      )
      const form = await editor.get(`/admin/stories/${story.id}`)
      expect(form.$('#field-featuredMediaId option').map((_, o) => form.$(o).text()).get()).toContain('Delegations at the table (1600 × 900)')
      expect(form.$('#field-featuredMediaId option[selected]').attr('value')).toBe(lead.id)

      await container.articles.publish(story.id, {}, { userId: null })
      const page = await t.fetch(`/articles/${story.slug}`)
      expect(page.status).toBe(200)
      const $ = parseHtml(await page.text())

      const featured = $('.featured-image picture')
      expect(featured.find('source').map((_, s) => $(s).attr('type')).get()).toEqual(['image/avif', 'image/webp'])
      const featuredImg = featured.find('img')
      expect(featuredImg.attr('loading')).toBeUndefined()
      expect(featuredImg.attr('fetchpriority')).toBe('high')
      expect([featuredImg.attr('width'), featuredImg.attr('height'), featuredImg.attr('alt')]).toEqual(['1600', '900', 'Delegations at the table'])
      expect(featuredImg.attr('srcset')).toBe([320, 640, 960, 1280, 1600].map((w) => `/media/library/${lead.id}/${w}.jpg ${w}w`).join(', '))
      expect(featuredImg.attr('src')).toBe(`/media/library/${lead.id}/1280.jpg`)
      expect(textOf($, '.featured-image figcaption')).toBe('The first round. Photo: ACP')
      expect($('meta[property="og:image"]').attr('content')).toBe(`${t.url}/media/library/${lead.id}/1280.jpg`)
      expect($('meta[property="og:image:width"]').attr('content')).toBe('1280')
      expect($('meta[property="og:image:alt"]').attr('content')).toBe('Delegations at the table')

      const body = $('.article-body figure.image')
      const sources = body.find('source')
      expect(sources.eq(0).attr('srcset')).toBe([320, 640, 800].map((w) => `/media/library/${inline.id}/${w}.avif ${w}w`).join(', '))
      expect(sources.eq(1).attr('srcset')).toBe([320, 640, 800].map((w) => `/media/library/${inline.id}/${w}.webp ${w}w`).join(', '))
      for (const el of [sources.eq(0), sources.eq(1), body.find('img')]) expect(el.attr('sizes')).toBe('(min-width: 44rem) 42rem, calc(100vw - 2rem)')
      const img = body.find('img')
      expect([img.attr('width'), img.attr('height'), img.attr('loading'), img.attr('alt')]).toEqual(['800', '600', 'lazy', 'Map of the bay, marked'])
      expect(img.attr('src')).toBe(`/media/library/${inline.id}/800.png`)
      expect(textOf($, '.article-body figcaption')).toBe('The disputed grounds. Graphic: Ledger')

      // Every address the page names is served.
      for (const url of [featuredImg.attr('src')!, img.attr('src')!, ...sources.eq(0).attr('srcset')!.split(', ').map((s) => s.split(' ')[0]!)]) {
        expect((await t.fetch(url)).status, url).toBe(200)
      }
    })

    it('refuses to delete a picture a published story shows, naming it; contributors may delete only their own', async () => {
      const { container } = t.server
      const editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      const contributor = new AdminClient(t.url)
      await contributor.signIn(CONTRIBUTOR.email, CONTRIBUTOR.password)
      const shown = (await container.media.list({ q: 'talks.jpg' }, { page: 1, perPage: 1 })).items[0]!

      // Not theirs: the contributor sees no delete button and is refused if they try.
      const page = await contributor.get(`/admin/media/${shown.id}`)
      expect(page.$('button.button-danger')).toHaveLength(0)
      const csrf = await contributor.csrfFrom(`/admin/media/${shown.id}`)
      const refused = await contributor.post(`/admin/media/${shown.id}/delete`, { _csrf: csrf })
      expect(refused.response.status).toBe(403)
      expect(textOf(refused.$, 'main p')).toContain('Only editors, and the person who uploaded a picture, may delete it.')

      const editorPage = await editor.get(`/admin/media/${shown.id}`)
      expect(editorPage.$('main li a').map((_, a) => editorPage.$(a).text()).get()).toContain('Harbour talks open with a map on the table')
      const token = editorPage.$(`form[action="/admin/media/${shown.id}/delete"] input[name="_csrf"]`).attr('value')!
      const inUse = await editor.post(`/admin/media/${shown.id}/delete`, { _csrf: token })
      expect(inUse.response.status).toBe(409)
      expect(textOf(inUse.$, '[role="alert"]')).toBe('This picture is on the site in a story: “Harbour talks open with a map on the table” (published). Take it out of that story first.')
      expect((await container.media.get(shown.id)).id).toBe(shown.id)

      // Their own, unused: gone, files and all.
      const own = await uploadPicture(contributor, t.url, { name: 'mine.webp', bytes: await makePicture('webp', 500, 400) }, { alt: 'Mine' })
      const ownPath = own.response.headers.get('location')!.split('?')[0]!
      const ownPage = await contributor.get(ownPath)
      const file = ownPage.$('tbody a').first().attr('href')!
      expect((await t.fetch(file)).status).toBe(200)
      const deleted = await contributor.post(`${ownPath}/delete`, { _csrf: ownPage.$(`form[action="${ownPath}/delete"] input[name="_csrf"]`).attr('value')! })
      expect(deleted.response.status).toBe(303)
      expect((await contributor.get(ownPath)).response.status).toBe(404)
      expect((await t.fetch(file)).status).toBe(404)
    })

    it('saves new words for a picture, with errors beside the field', async () => {
      const author = new AdminClient(t.url)
      await author.signIn(AUTHOR.email, AUTHOR.password)
      const picture = (await t.server.container.media.list({ q: 'map.png' }, { page: 1, perPage: 1 })).items[0]!
      const path = `/admin/media/${picture.id}`
      let csrf = await author.csrfFrom(path)
      const bad = await author.post(path, { _csrf: csrf, alt: 'x'.repeat(501), caption: 'Kept', credit: '' })
      expect(bad.response.status).toBe(422)
      expect(textOf(bad.$, '#field-alt-error')).toBe('Alt text may be at most 500 characters.')
      expect(bad.$('#field-caption').text()).toBe('Kept')
      csrf = await author.csrfFrom(path)
      const ok = await author.post(path, { _csrf: csrf, alt: 'Map of the bay with the fishing grounds', caption: 'Where the boats go.', credit: 'Graphic: Ledger' })
      expect(ok.response.status).toBe(303)
      expect((await t.server.container.media.get(picture.id)).alt).toBe('Map of the bay with the fishing grounds')
    })

    it('keeps ninjs and NewsML-G2 picture items on the desk and adds their pictures to the library with the agency’s words', async () => {
      const { container } = t.server
      const editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      const source = await container.wire.createSource({ slug: 'agency-photos', name: 'Agency photos', kind: 'manual', allowPrivateNetwork: true })
      const fixture = (name: string) => new TextEncoder().encode(readFileSync(wireFixturePath(name), 'utf8').replaceAll('PORT', String(agency.port)))
      for (const name of ['ninjs/v2-acp-harbour-picture.json', 'newsml-g2/meridian-ferry-picture.xml']) {
        const report = await container.wire.ingest({ bytes: fixture(name), origin: `test: ${name}`, wireSourceId: source.id })
        expect(report.rejected, name).toEqual([])
        expect(report.items, name).toHaveLength(1)
      }
      const desk = await editor.get('/admin/wire?q=ferry')
      const link = desk.$('a.item-title').first()
      expect(link.text()).toBe('The evening ferry leaves the harbour as the crossing reopens after the dispute.')
      const item = await editor.get(link.attr('href')!)
      expect(textOf(item.$, 'main h2:contains("This item is a picture")')).toBe('This item is a picture')
      const form = item.$('form[action$="/pictures/1"]')
      expect(form.find('button').text()).toBe('Add picture 1 to media library')
      const added = await editor.post(form.attr('action')!, { _csrf: form.find('input[name="_csrf"]').attr('value')! })
      expect(added.response.status, added.html.slice(0, 500)).toBe(303)
      const picturePath = added.response.headers.get('location')!
      const picture = await editor.get(picturePath)
      expect(textOf(picture.$, 'h1')).toBe('A white ferry sailing out past the harbour wall')
      expect(picture.$('#field-caption').text()).toBe('The evening ferry leaves the harbour as the crossing reopens after the dispute.')
      expect(picture.$('#field-credit').attr('value')).toBe('Photo: Meridian / Tomás Reyes')
      expect(textOf(picture.$, 'dl.facts')).toContain('ferry.png (PNG')
      expect(agency.hits).toContain('/meridian/ferry.png')

      // Taking it again finds the same picture instead of fetching it twice.
      const hits = agency.hits.length
      const again = await editor.post(form.attr('action')!, { _csrf: form.find('input[name="_csrf"]').attr('value')! })
      expect(again.response.headers.get('location')).toBe(`${picturePath.split('?')[0]}?existing=1`)
      expect(agency.hits.length).toBe(hits)

      const acp = (await container.wire.listDesk({ text: 'cranes' }, { page: 1, perPage: 5 })).items[0]!.items[0]!
      const acpPage = await editor.get(`/admin/wire/items/${acp.id}`)
      const acpForm = acpPage.$('form[action$="/pictures/1"]')
      const acpAdded = await editor.post(acpForm.attr('action')!, { _csrf: acpForm.find('input[name="_csrf"]').attr('value')! })
      const acpPicture = await container.media.get(acpAdded.response.headers.get('location')!.split('/').pop()!.split('?')[0]!)
      expect(acpPicture).toMatchObject({ origin: 'wire', wireItemId: acp.id, width: 1200, height: 800, alt: 'Harbour cranes against an orange evening sky', credit: 'Lena Ortiz', fileName: 'harbour-cranes.jpg' })
    })

    it('reads a picture delivered beside its ninjs in a drop folder, and leaves the picture file where it is until then', async () => {
      const { container } = t.server
      const editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      const folder = mkdtempSync(path.join(os.tmpdir(), 'masthead-drop-pictures-'))
      try {
        const item = { uri: 'urn:acp.example:photo:dawn-ferry', type: 'picture', by: 'Lena Ortiz', descriptions: [{ role: 'caption', value: 'The first ferry of the day.' }], renditions: [{ name: 'original', href: 'dawn-ferry.webp', contenttype: 'image/webp' }] }
        writeFileSync(path.join(folder, 'dawn-ferry.json'), JSON.stringify(item))
        writeFileSync(path.join(folder, 'dawn-ferry.webp'), await makePicture('webp', 900, 600))
        const old = new Date(Date.now() - 60_000)
        for (const name of ['dawn-ferry.json', 'dawn-ferry.webp']) utimesSync(path.join(folder, name), old, old)
        await container.wire.createSource({ slug: 'acp-photo-drop', name: 'ACP photo drop', kind: 'folder', folder })
        const outcomes = await container.wire.pollDue('test')
        expect(outcomes.find((o) => o.slug === 'acp-photo-drop')?.result).toBe('ingested')
        // The copy is done with; the picture waits beside it.
        expect(readdirSync(folder).sort()).toEqual(['dawn-ferry.webp', 'processed'])

        const stored = (await container.wire.listDesk({ text: 'first ferry' }, { page: 1, perPage: 5 })).items[0]!.items[0]!
        const page = await editor.get(`/admin/wire/items/${stored.id}`)
        expect(textOf(page.$, 'main li')).toContain('(file dawn-ferry.webp, delivered with the copy)')
        const form = page.$('form[action$="/pictures/1"]')
        const added = await editor.post(form.attr('action')!, { _csrf: form.find('input[name="_csrf"]').attr('value')! })
        expect(added.response.status, added.html.slice(0, 400)).toBe(303)
        const picture = await container.media.get(added.response.headers.get('location')!.split('/').pop()!.split('?')[0]!)
        expect(picture).toMatchObject({ fileName: 'dawn-ferry.webp', sourceFormat: 'webp', width: 900, height: 600, caption: 'The first ferry of the day.', credit: 'Lena Ortiz', wireHref: 'file:dawn-ferry.webp' })

        // The same item uploaded by hand names a file nobody delivered: a clear refusal, nothing read.
        const csrf = await editor.csrfFrom('/admin/wire/upload')
        await editor.upload('/admin/wire/upload', { _csrf: csrf }, [{ name: 'dawn-ferry.json', bytes: new TextEncoder().encode(JSON.stringify({ ...item, uri: 'urn:acp.example:photo:dawn-ferry-2' })) }])
        const manual = (await container.wire.listDesk({}, { page: 1, perPage: 100 })).items.flatMap((g) => g.items).find((i) => i.agencyItemId === 'urn:acp.example:photo:dawn-ferry-2')!
        const manualPage = await editor.get(`/admin/wire/items/${manual.id}`)
        const manualForm = manualPage.$('form[action$="/pictures/1"]')
        const refused = await editor.post(manualForm.attr('action')!, { _csrf: manualForm.find('input[name="_csrf"]').attr('value')! })
        expect(refused.response.status).toBe(503)
        expect(textOf(refused.$, '[role="alert"]')).toBe('The picture is the file “dawn-ferry.webp” that should have come with the copy, but this copy did not come through a drop folder, so there is nowhere to read it from.')
      } finally {
        rmSync(folder, { recursive: true, force: true })
      }
    })

    it('will not fetch an agency picture from a private address when the copy came without a source that allows it', async () => {
      const { container } = t.server
      const editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      const bare = JSON.stringify({ uri: 'urn:acp.example:photo:bare', type: 'picture', renditions: [{ name: 'original', href: `http://127.0.0.1:${agency.port}/acp/harbour-cranes.jpg`, contenttype: 'image/jpeg' }] })
      const report = await container.wire.ingest({ bytes: new TextEncoder().encode(bare), origin: 'upload: bare.json', wireSourceId: null })
      // A picture with no words at all is still kept, listed by its file name.
      expect(report.items).toHaveLength(1)
      const item = (await container.wire.listDesk({ text: 'harbour-cranes.jpg' }, { page: 1, perPage: 5 })).items[0]!.items[0]!
      expect(item.headline).toBe('Picture: harbour-cranes.jpg')
      const hits = agency.hits.length
      const page = await editor.get(`/admin/wire/items/${item.id}`)
      const form = page.$('form[action$="/pictures/1"]')
      const refused = await editor.post(form.attr('action')!, { _csrf: form.find('input[name="_csrf"]').attr('value')! })
      expect(refused.response.status).toBe(503)
      expect(textOf(refused.$, '[role="alert"]')).toContain('The picture could not be fetched from 127.0.0.1')
      expect(textOf(refused.$, '[role="alert"]')).toContain('private address')
      expect(agency.hits.length).toBe(hits)
    })
  })
}
