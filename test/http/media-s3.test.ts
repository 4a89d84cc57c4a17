import { existsSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paragraph } from '../../src/articles/index.ts'
import { MIME } from '../../src/media/index.ts'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { parseHtml } from '../support/html.ts'
import { makePicture } from '../support/pictures.ts'
import { startTestBucket, type TestBucket } from '../support/s3.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const EDITOR = { email: 'bucket.editor@example.org', password: 'an editor with a bucket' }

for (const dialect of DIALECTS) {
  describe(`${dialect}: the media library with MEDIA_STORE=s3`, { timeout: 180_000 }, () => {
    let bucket: TestBucket
    let t: TestServer
    let editor: AdminClient
    beforeAll(async () => {
      bucket = await startTestBucket()
      t = await startTestServer(dialect, { wirePollSeconds: 0, pageCache: false, webhooks: { everySeconds: 0, allowPrivateNetwork: false }, mediaStore: { kind: 's3', ...bucket.options } })
      await t.server.container.auth.createUser({ ...EDITOR, name: 'Bucket Editor', role: 'editor' })
      editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
    }, 180_000)
    let bucketClosed = false
    afterAll(async () => {
      await t?.cleanup()
      if (!bucketClosed) await bucket?.close()
    })

    /** Uploads through the admin form as a browser does and answers the new picture's id. */
    async function upload(name: string, bytes: Uint8Array, alt: string): Promise<string> {
      const csrf = await editor.csrfFrom('/admin/media/upload')
      const sent = await editor.upload('/admin/media/upload', { _csrf: csrf, alt, caption: '', credit: 'Photo: Desk' }, [{ name, bytes }], 'file')
      expect(sent.response.status, sent.html.slice(0, 300)).toBe(303)
      return sent.response.headers.get('location')!.split('?')[0]!.split('/').pop()!
    }

    it('writes every variant of an upload to the bucket, not the disk, and the admin links to the public address', async () => {
      const id = await upload('quay.jpg', await makePicture('jpeg', 700, 500), 'Boats at the quay')
      const picture = await t.server.container.media.get(id)
      expect(picture.variants).toHaveLength(9) // 320, 640 and 700 in AVIF, WebP and JPEG
      for (const variant of picture.variants) {
        const response = await fetch(`${bucket.options.publicUrl}${variant.key}`)
        expect(response.status, variant.key).toBe(200)
        expect(response.headers.get('content-type'), variant.key).toBe(MIME[variant.format])
        expect(response.headers.get('cache-control'), variant.key).toBe('public, max-age=31536000, immutable')
        const bytes = Buffer.from(await response.arrayBuffer())
        expect(bytes.length, variant.key).toBe(variant.byteLength)
        const meta = await sharp(bytes).metadata()
        expect([meta.width, meta.height], variant.key).toEqual([variant.width, variant.height])
      }
      expect(existsSync(path.join(t.config.dataDir, 'media', 'library'))).toBe(false)
      // Masthead's own /media/ route knows nothing of it.
      expect((await t.fetch(`/media/${picture.variants[0]!.key}`)).status).toBe(404)

      const page = await editor.get(`/admin/media/${id}`)
      const links = page.$('tbody a').map((_, a) => page.$(a).attr('href')).get()
      expect(links).toHaveLength(9)
      for (const link of links) expect(link.startsWith(`${bucket.options.publicUrl}library/${id}/`), link).toBe(true)
    })

    it('the public page’s <img> and srcset point at S3_PUBLIC_URL, and the page lets those pictures in', async () => {
      const { container } = t.server
      const leadId = await upload('talks.png', await makePicture('png', 1000, 600), 'Delegations at the table')
      const inlineId = await upload('map.webp', await makePicture('webp', 640, 480), 'Map of the bay')
      const [sections, authors, credits] = await Promise.all([container.sections.listSections(), container.authors.listAll(), container.sources.listAll()])
      const draft = await container.articles.createDraft(
        {
          title: 'Harbour pictures come from the bucket',
          dek: 'Both sides brought charts.',
          sourceId: credits[0]!.id,
          sectionIds: [sections[0]!.id],
          authorIds: [authors[0]!.id],
          featuredMediaId: leadId,
          body: [paragraph('The delegations met.'), { type: 'image', mediaId: inlineId, src: '/media/old-address.png', alt: 'Map of the bay', width: 640, height: 480, caption: '', credit: '' }],
        },
        { userId: null },
      )
      await container.articles.publish(draft.id, {}, { userId: null })
      const response = await t.fetch(`/articles/${draft.slug}`)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-security-policy')).toContain(`img-src 'self' https: data: ${new URL(bucket.options.publicUrl).origin};`)
      const $ = parseHtml(await response.text())
      const base = bucket.options.publicUrl
      const featured = $('.featured-image img')
      expect(featured.attr('src')).toBe(`${base}library/${leadId}/1000.png`) // the variant nearest 1280 wide
      expect(featured.attr('srcset')).toBe([320, 640, 960, 1000].map((w) => `${base}library/${leadId}/${w}.png ${w}w`).join(', '))
      expect($('meta[property="og:image"]').attr('content')).toMatch(new RegExp(`^${base}library/${leadId}/\\d+\\.png$`))
      const inline = $('.article-body figure.image')
      expect(inline.find('img').attr('src')).toBe(`${base}library/${inlineId}/640.jpg`)
      const addresses = [
        featured.attr('src')!,
        ...$('picture source, picture img')
          .map((_, el) => ($(el).attr('srcset') ?? '').split(', ').map((c) => c.split(' ')[0]!))
          .get()
          .filter(Boolean),
      ]
      expect(addresses.length).toBeGreaterThan(10)
      for (const address of new Set(addresses)) {
        expect(address.startsWith(`${base}library/`), address).toBe(true)
        expect((await fetch(address)).status, address).toBe(200)
      }
    })

    it('deleting a picture deletes its files from the bucket', async () => {
      const id = await upload('gone.jpg', await makePicture('jpeg', 400, 300), 'Soon gone')
      const keys = (await t.server.container.media.get(id)).variants.map((v) => v.key)
      expect((await fetch(`${bucket.options.publicUrl}${keys[0]}`)).status).toBe(200)
      const page = await editor.get(`/admin/media/${id}`)
      const token = page.$(`form[action="/admin/media/${id}/delete"] input[name="_csrf"]`).attr('value')!
      const deleted = await editor.post(`/admin/media/${id}/delete`, { _csrf: token })
      expect(deleted.response.status).toBe(303)
      for (const key of keys) expect((await fetch(`${bucket.options.publicUrl}${key}`)).status, key).toBe(404)
    })

    // Last: it stops the bucket's server.
    it('with the bucket down, an upload answers 503 beside the file field, keeps the words and saves nothing', async () => {
      const before = (await t.server.container.media.list({}, { page: 1, perPage: 100 })).items.length
      await bucket.close()
      bucketClosed = true
      const csrf = await editor.csrfFrom('/admin/media/upload')
      const sent = await editor.upload('/admin/media/upload', { _csrf: csrf, alt: 'Cranes in the fog', caption: 'Kept words', credit: 'Photo: Desk' }, [{ name: 'fog.jpg', bytes: await makePicture('jpeg', 400, 300) }], 'file')
      expect(sent.response.status).toBe(503)
      expect(sent.$('#field-alt').text()).toBe('Cranes in the fog')
      expect(sent.$('#field-file').attr('aria-invalid')).toBe('true')
      expect(sent.html).toContain('The picture store did not take “fog.jpg”, so nothing was saved.')
      expect(sent.$('#field-file-error').text()).toContain('picture store')
      expect((await t.server.container.media.list({}, { page: 1, perPage: 100 })).items).toHaveLength(before)
    })
  })
}
