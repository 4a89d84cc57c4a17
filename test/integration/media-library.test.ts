import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paragraph } from '../../src/articles/index.ts'
import type { MediaService } from '../../src/media/index.ts'
import { DomainError } from '../../src/shared/errors.ts'
import { DIALECTS } from '../support/dialects.ts'
import { draftInput, EDITOR, makeWorld } from '../support/factories.ts'
import { exifHasGps, makeJpegWithGps, makePicture, type TestFormat } from '../support/pictures.ts'
import { buildTestContainer, type TestContainer } from '../support/test-context.ts'

const ADMIN = { userId: null, role: 'admin' as const }

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  if (!(error instanceof DomainError)) throw new Error(`Expected a DomainError, got ${String(error)}`)
  return error
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: media library`, () => {
    let t: TestContainer
    let media: MediaService
    const fileOf = (key: string) => path.join(t.database.dataDir, 'media', ...key.split('/'))

    beforeAll(async () => {
      t = await buildTestContainer(dialect, { config: { mediaMaxBytes: 2 * 1024 * 1024 } })
      media = t.container.media
    })
    afterAll(async () => t?.cleanup())

    it.each(['jpeg', 'png', 'webp', 'avif', 'gif'] as TestFormat[])('takes a %s upload and makes AVIF, WebP and fallback variants at each width', async (format) => {
      const bytes = await makePicture(format, 1000, 700)
      const name = `harbour.${format === 'jpeg' ? 'jpg' : format}`
      const picture = await media.upload({ bytes, fileName: name, declaredType: null, alt: 'Cranes over the harbour', caption: 'The quay at dusk.', credit: 'Photo: ACP' }, ADMIN)
      expect(picture).toMatchObject({ sourceFormat: format, width: 1000, height: 700, fileName: name, alt: 'Cranes over the harbour', byteLength: bytes.length })
      const fallback = format === 'jpeg' || format === 'webp' || format === 'avif' ? 'jpeg' : 'png'
      const byFormat = (f: string) => picture.variants.filter((v) => v.format === f).map((v) => [v.width, v.height])
      const sizes = [
        [320, 224],
        [640, 448],
        [960, 672],
        [1000, 700],
      ]
      expect(byFormat('avif')).toEqual(sizes)
      expect(byFormat('webp')).toEqual(sizes)
      expect(byFormat(fallback)).toEqual(sizes)
      for (const variant of picture.variants) {
        const file = await readFile(fileOf(variant.key))
        const meta = await sharp(file).metadata()
        expect(meta.format).toBe(variant.format === 'avif' ? 'heif' : variant.format)
        expect([meta.width, meta.height]).toEqual([variant.width, variant.height])
        expect(file.length).toBe(variant.byteLength)
      }
    })

    it('strips the EXIF block, GPS position and all, from every variant', async () => {
      const bytes = await makeJpegWithGps()
      expect(exifHasGps((await sharp(bytes).metadata()).exif)).toBe(true)
      const picture = await media.upload({ bytes, fileName: 'on-location.jpg', declaredType: 'image/jpeg' }, ADMIN)
      expect(picture.variants.length).toBeGreaterThan(0)
      for (const variant of picture.variants) {
        const file = await readFile(fileOf(variant.key))
        const meta = await sharp(file).metadata()
        expect(meta.exif, variant.key).toBeUndefined()
        expect(file.includes(Buffer.from('Harbour Camera Co')), variant.key).toBe(false)
      }
    })

    it('turns a picture upright from its EXIF orientation and records the upright size', async () => {
      const sideways = new Uint8Array(await sharp(await makePicture('png', 600, 400)).jpeg().withMetadata({ orientation: 6 }).toBuffer())
      const picture = await media.upload({ bytes: sideways, fileName: 'sideways.jpg', declaredType: null }, ADMIN)
      expect([picture.width, picture.height]).toEqual([400, 600])
      const largest = picture.variants.find((v) => v.format === 'jpeg' && v.width === 400)!
      const meta = await sharp(await readFile(fileOf(largest.key))).metadata()
      expect([meta.width, meta.height, meta.orientation]).toEqual([400, 600, undefined])
    })

    it('keeps a PNG with transparency transparent in its fallback', async () => {
      const picture = await media.upload({ bytes: await makePicture('png', 500, 300, { alpha: true }), fileName: 'logo.png', declaredType: 'image/png' }, ADMIN)
      expect(new Set(picture.variants.map((v) => v.format))).toEqual(new Set(['avif', 'webp', 'png']))
      expect(picture.variants.filter((v) => v.format === 'png').map((v) => v.width)).toEqual([320, 500])
    })

    it('refuses oversize, mislabelled, foreign and damaged files with messages about the file, keeping nothing', async () => {
      const before = (await media.list({}, { page: 1, perPage: 100 })).items.length
      const huge = await makePicture('png', 10, 10)
      const padded = new Uint8Array(3 * 1024 * 1024)
      padded.set(huge)
      let error = await refusal(media.upload({ bytes: padded, fileName: 'huge.png', declaredType: null }, ADMIN))
      expect([error.kind, error.code]).toEqual(['too_large', 'MEDIA_TOO_LARGE'])
      expect(error.message).toBe('“huge.png” is 3 MB; pictures may be at most 2 MB. Export a smaller copy and upload that.')
      expect(error.issues[0]!.path).toBe('file')

      const jpeg = await makePicture('jpeg', 200, 100)
      error = await refusal(media.upload({ bytes: jpeg, fileName: 'chart.png', declaredType: 'image/png' }, ADMIN))
      expect([error.kind, error.code]).toEqual(['invalid', 'MEDIA_MISLABELLED'])
      expect(error.message).toContain('“chart.png” is labelled as PNG but its bytes are a JPEG picture')
      // The declared type is a claim too, when the name says nothing.
      error = await refusal(media.upload({ bytes: jpeg, fileName: 'chart', declaredType: 'image/webp' }, ADMIN))
      expect(error.code).toBe('MEDIA_MISLABELLED')

      error = await refusal(media.upload({ bytes: new TextEncoder().encode('%PDF-1.7\n1 0 obj'), fileName: 'photo.jpg', declaredType: 'image/jpeg' }, ADMIN))
      expect(error.code).toBe('MEDIA_TYPE_UNSUPPORTED')
      expect(error.message).toBe('“photo.jpg” is a PDF document, not a picture. Upload a JPEG, PNG, WebP, AVIF or GIF file.')
      error = await refusal(media.upload({ bytes: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), fileName: 'map.svg', declaredType: 'image/svg+xml' }, ADMIN))
      expect(error.code).toBe('MEDIA_TYPE_UNSUPPORTED')
      expect(error.message).toContain('SVG')

      error = await refusal(media.upload({ bytes: jpeg.subarray(0, Math.floor(jpeg.length / 2)), fileName: 'cut.jpg', declaredType: null }, ADMIN))
      expect(error.code).toBe('MEDIA_UNREADABLE')
      expect(error.message).toContain('“cut.jpg” starts like a JPEG picture but cannot be read')

      error = await refusal(media.upload({ bytes: jpeg, fileName: 'x.jpg', declaredType: null, alt: 'a'.repeat(501) }, ADMIN))
      expect(error.code).toBe('MEDIA_INVALID')
      expect(error.issues[0]).toMatchObject({ path: 'alt', message: 'Alt text may be at most 500 characters.' })

      expect((await media.list({}, { page: 1, perPage: 100 })).items.length).toBe(before)
    })

    it('refuses a picture with more pixels than allowed, however small the file', async () => {
      const small = await buildTestContainer(dialect)
      try {
        const bomb = new Uint8Array(await sharp({ create: { width: 8000, height: 7000, channels: 3, background: '#fff' } }).png({ compressionLevel: 9 }).toBuffer())
        expect(bomb.length).toBeLessThan(2 * 1024 * 1024)
        const error = await refusal(small.container.media.upload({ bytes: bomb, fileName: 'blank.png', declaredType: null }, ADMIN))
        expect(error.code).toBe('MEDIA_TOO_MANY_PIXELS')
        expect(error.message).toBe('“blank.png” is 8000 × 7000 pixels; pictures may have at most 50 million pixels. Export a smaller copy.')
      } finally {
        await small.cleanup()
      }
    })

    it('searches alt text, captions, credits and file names, word by word, and pages newest first', async () => {
      const fresh = await buildTestContainer(dialect)
      try {
        const lib = fresh.container.media
        const png = await makePicture('png', 120, 80)
        const made = []
        for (let i = 0; i < 7; i++) {
          made.push(
            await lib.upload(
              { bytes: png, fileName: `quay-${i}.png`, declaredType: null, alt: i % 2 === 0 ? `Fishing boats ${i}` : `Ferry ${i}`, caption: i === 3 ? 'Evening 100% sold_out crossing' : '', credit: i < 2 ? 'Photo: Lena Ortiz' : 'Photo: ACP' },
              ADMIN,
            ),
          )
        }
        const ids = (page: { items: { id: string }[] }) => page.items.map((p) => p.id)
        const first = await lib.list({}, { page: 1, perPage: 3 })
        expect(first.hasNext).toBe(true)
        expect(ids(first)).toEqual(made.slice(-3).reverse().map((p) => p.id))
        const last = await lib.list({}, { page: 3, perPage: 3 })
        expect([ids(last), last.hasNext]).toEqual([[made[0]!.id], false])
        expect(ids(await lib.list({ q: 'fishing' }, { page: 1, perPage: 10 }))).toEqual([made[6]!.id, made[4]!.id, made[2]!.id, made[0]!.id])
        expect(ids(await lib.list({ q: 'FISHING ortiz' }, { page: 1, perPage: 10 }))).toEqual([made[0]!.id])
        expect(ids(await lib.list({ q: 'quay-5' }, { page: 1, perPage: 10 }))).toEqual([made[5]!.id])
        // LIKE wildcards in the query are plain characters.
        expect(ids(await lib.list({ q: '100%' }, { page: 1, perPage: 10 }))).toEqual([made[3]!.id])
        expect(ids(await lib.list({ q: 'sold_out' }, { page: 1, perPage: 10 }))).toEqual([made[3]!.id])
        expect(ids(await lib.list({ q: '%' }, { page: 1, perPage: 10 }))).toEqual([made[3]!.id])
        expect(await lib.list({ q: 'lighthouse' }, { page: 1, perPage: 10 })).toMatchObject({ items: [], hasNext: false })

        // Editing the words changes what search finds.
        await lib.updateText(made[1]!.id, { alt: 'The lighthouse', caption: '', credit: 'Photo: ACP' })
        expect(ids(await lib.list({ q: 'lighthouse' }, { page: 1, perPage: 10 }))).toEqual([made[1]!.id])
        expect((await lib.choices()).map((c) => c.label)[0]).toBe('Fishing boats 6 (120 × 80)')
      } finally {
        await fresh.cleanup()
      }
    })

    it('refuses to delete a picture a published story shows, naming the story; deletes it, files and all, once unused', async () => {
      const { articles } = t.container
      const picture = await media.upload({ bytes: await makePicture('jpeg', 700, 400), fileName: 'talks.jpg', declaredType: null, alt: 'Delegations at the table' }, ADMIN)
      const world = await makeWorld(t.container)
      const story = await articles.createDraft(
        draftInput(world, {
          title: 'Talks resume',
          body: [paragraph('The talks resumed.'), { type: 'image', mediaId: picture.id, src: `/media/${picture.variants[0]!.key}`, alt: 'Delegations at the table', width: 700, height: 400 }],
        }),
        EDITOR,
      )
      const draftOnly = await articles.createDraft(draftInput(world, { title: 'Unfinished', featuredMediaId: picture.id }), EDITOR)
      expect((await media.usesOf(picture.id)).map((u) => u.id).sort()).toEqual([story.id, draftOnly.id].sort())
      await articles.publish(story.id, {}, EDITOR)

      const error = await refusal(media.remove(picture.id, ADMIN))
      expect([error.kind, error.code]).toEqual(['conflict', 'MEDIA_IN_USE'])
      expect(error.message).toBe('This picture is on the site in a story: “Talks resume” (published). Take it out of that story first.')
      await stat(fileOf(picture.variants[0]!.key))

      // Someone who did not upload it may not delete it, even unused.
      await articles.unpublish(story.id, { note: 'Pulled for the test.' }, EDITOR)
      const other = await refusal(media.remove(picture.id, { userId: 'usr_someone', role: 'author' }))
      expect(other.code).toBe('MEDIA_FORBIDDEN')

      await media.remove(picture.id, ADMIN)
      expect((await refusal(media.get(picture.id))).code).toBe('MEDIA_NOT_FOUND')
      const log = await t.container.audit.list({}, { page: 1, perPage: 100 })
      expect(log.items.filter((e) => e.targetId === picture.id).map((e) => [e.action, e.summary])).toEqual([
        ['media.deleted', 'Deleted “talks.jpg” (Delegations at the table)'],
        ['media.added', 'Added “talks.jpg” by upload'],
      ])
      await expect(stat(fileOf(picture.variants[0]!.key))).rejects.toThrow(/ENOENT/)
      await expect(stat(path.dirname(fileOf(picture.variants[0]!.key)))).rejects.toThrow(/ENOENT/)
    })
  })
}
