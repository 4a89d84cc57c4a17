import type SharpModule from 'sharp'
import type { ImageProcessor, Probe } from '../service.ts'

type Sharp = typeof SharpModule
// libvips is loaded with the first picture, not at start: a server that only serves pages never needs it.
let loading: Promise<Sharp> | null = null
const loadSharp = (): Promise<Sharp> => (loading ??= import('sharp').then((m) => m.default))

/** The widest variant the library makes (VARIANT_WIDTHS); nothing wider is ever needed from the original. */
const MASTER_WIDTH = 1920

/**
 * The ImageProcessor on sharp (libvips). Output never carries metadata:
 * sharp drops EXIF, XMP, IPTC and ICC data unless asked to keep them, and we
 * never ask, so a camera's GPS position cannot reach readers. `rotate()`
 * first applies the EXIF orientation to the pixels, so dropping the tag does
 * not tip the picture over. Only the first frame of an animated GIF or WebP
 * is kept.
 */
export function createSharpProcessor(options: { avifEffort?: number } = {}): ImageProcessor {
  const avifEffort = options.avifEffort ?? 2
  // The upright picture at most MASTER_WIDTH wide, decoded once per upload and shared by its fifteen
  // variants (decoding a 12-megapixel JPEG fifteen times was a third of an upload's time). Keyed by the
  // upload's bytes, so it goes when they do.
  const masters = new WeakMap<Uint8Array, Promise<{ data: Buffer; info: { width: number; height: number; channels: 1 | 2 | 3 | 4 } }>>()
  const masterOf = (sharp: Sharp, bytes: Uint8Array, maxPixels: number) => {
    let master = masters.get(bytes)
    if (!master) {
      master = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'truncated' })
        .rotate()
        .resize({ width: MASTER_WIDTH, withoutEnlargement: true })
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true })
        .then(({ data, info }) => ({ data, info: { width: info.width, height: info.height, channels: info.channels } }))
      masters.set(bytes, master)
      master.catch(() => masters.delete(bytes))
    }
    return master
  }
  return {
    async probe(bytes, { maxPixels }): Promise<Probe> {
      try {
        const sharp = await loadSharp()
        const meta = await sharp(bytes, { limitInputPixels: false }).metadata()
        if (!meta.width || !meta.height) return { kind: 'unreadable', reason: 'it states no size' }
        // EXIF orientations 5 to 8 turn the picture a quarter: the upright picture is the other way round.
        const isTurned = (meta.orientation ?? 1) >= 5
        const width = isTurned ? meta.height : meta.width
        const height = isTurned ? meta.width : meta.height
        if (width * height > maxPixels) return { kind: 'too-many-pixels', width, height }
        // Decode the whole picture once (statistics keep no pixels in memory), so a file cut short is found
        // now rather than halfway through its variants; an alpha channel opaque everywhere needs no PNG fallback.
        const stats = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'truncated' }).stats()
        return { kind: 'ok', width, height, hasAlpha: meta.hasAlpha === true && !stats.isOpaque }
      } catch (error) {
        return { kind: 'unreadable', reason: (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 200) }
      }
    },

    async render(bytes, { width, format, maxPixels }) {
      const sharp = await loadSharp()
      const source = await masterOf(sharp, bytes, maxPixels)
      let pipeline = sharp(source.data, { raw: source.info, limitInputPixels: false }).resize({ width, withoutEnlargement: true })
      if (format === 'avif') pipeline = pipeline.avif({ quality: 55, effort: avifEffort })
      else if (format === 'webp') pipeline = pipeline.webp({ quality: 78 })
      else if (format === 'jpeg') pipeline = pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 82, progressive: true, mozjpeg: true })
      else pipeline = pipeline.png({ compressionLevel: 9, palette: false })
      const { data, info } = await pipeline.toBuffer({ resolveWithObject: true })
      return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height }
    },
  }
}
