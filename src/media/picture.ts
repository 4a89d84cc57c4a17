import type { SourceFormat } from './tables.ts'

export type { SourceFormat }

/** The formats variants are written in: two modern ones and a fallback every browser shows. */
export type VariantFormat = 'avif' | 'webp' | 'jpeg' | 'png'

/** One resized copy of a picture, as stored. */
export interface Variant {
  format: VariantFormat
  width: number
  height: number
  /** Where the store keeps it, e.g. `library/med_…/640.webp`. */
  key: string
  byteLength: number
}

/** A picture in the media library. */
export interface Picture {
  id: string
  fileName: string
  sourceFormat: SourceFormat
  width: number
  height: number
  byteLength: number
  alt: string
  caption: string
  credit: string
  /** Every variant, smallest first within each format. */
  variants: Variant[]
  origin: 'upload' | 'wire'
  wireItemId: string | null
  wireHref: string | null
  createdAt: string
  createdBy: string | null
  modifiedAt: string
}

/** A variant with the address it is served at. */
export interface ServedVariant extends Variant {
  url: string
}

/** What a page needs to show a picture: sizes, and its variants by format with their addresses. */
export interface PictureSources {
  id: string
  width: number
  height: number
  alt: string
  caption: string
  credit: string
  /** Present only for formats that have variants; `fallback` always has at least one. */
  avif: ServedVariant[]
  webp: ServedVariant[]
  fallback: ServedVariant[]
}

/** Widths made for every picture (never wider than the picture itself, which always gets its own width). */
export const VARIANT_WIDTHS = [320, 640, 960, 1280, 1920] as const

/** MIME type of each format. */
export const MIME: Readonly<Record<SourceFormat | VariantFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
}

/** File extension of each variant format. */
export const EXTENSION: Readonly<Record<VariantFormat, string>> = { avif: 'avif', webp: 'webp', jpeg: 'jpg', png: 'png' }

/** How people name each format, for messages. */
export const FORMAT_NAME: Readonly<Record<SourceFormat, string>> = { jpeg: 'JPEG', png: 'PNG', webp: 'WebP', avif: 'AVIF', gif: 'GIF' }

const ascii = (bytes: Uint8Array, start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end))

/**
 * The picture format of some bytes, from their signature alone (never the
 * name or the declared type), or null when they are none we take.
 * AVIF is an ISO-BMFF file whose `ftyp` box names `avif` or `avis` as its
 * major or a compatible brand (AV1 Image File Format, section 6).
 */
export function detectImageFormat(bytes: Uint8Array): SourceFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  if (bytes.length >= 8 && ascii(bytes, 0, 8) === '\x89PNG\r\n\x1a\n') return 'png'
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(ascii(bytes, 0, 6))) return 'gif'
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp'
  if (bytes.length >= 16 && ascii(bytes, 4, 8) === 'ftyp') {
    const size = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0
    const end = Math.min(bytes.length, Math.max(16, size), 4096)
    for (let at = 8; at + 4 <= end; at += 4) {
      if (at === 12) continue // the minor version, not a brand
      const brand = ascii(bytes, at, at + 4)
      if (brand === 'avif' || brand === 'avis') return 'avif'
    }
  }
  return null
}

/** What some bytes look like when they are not a picture we take, for a clearer message. */
export function describeOtherBytes(bytes: Uint8Array): string {
  const head = ascii(bytes, 0, Math.min(bytes.length, 512)).trimStart().toLowerCase()
  if (bytes.length === 0) return 'an empty file'
  if (head.startsWith('%pdf')) return 'a PDF document'
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'an SVG drawing (not taken: it can carry scripts)'
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return 'an HTML page'
  if (head.startsWith('<')) return 'XML or HTML text'
  if (head.startsWith('pk\x03\x04')) return 'a ZIP archive (or an office document)'
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === 'ftyp') return `an ISO media file of brand "${ascii(bytes, 8, 12).trim()}" (HEIC or video, not AVIF)`
  if (bytes.length >= 4 && (ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*')) return 'a TIFF file'
  if (head.startsWith('bm')) return 'a BMP file'
  return 'not a picture we recognise'
}

const EXTENSIONS: Readonly<Record<string, SourceFormat>> = {
  jpg: 'jpeg',
  jpeg: 'jpeg',
  jpe: 'jpeg',
  jfif: 'jpeg',
  png: 'png',
  webp: 'webp',
  avif: 'avif',
  gif: 'gif',
}

/**
 * The format a file's name or declared type claims, or null when it claims
 * none we know (no extension, `application/octet-stream`): only a claim we
 * understand can be wrong.
 */
export function claimedFormat(fileName: string, declaredType: string | null): SourceFormat | null {
  const extension = /\.([a-z0-9]{1,5})$/i.exec(fileName)?.[1]?.toLowerCase()
  if (extension && extension in EXTENSIONS) return EXTENSIONS[extension]!
  const type = declaredType?.toLowerCase().split(';')[0]?.trim() ?? ''
  const fromType = Object.entries(MIME).find(([, mime]) => mime === type)?.[0]
  if (type === 'image/jpg' || type === 'image/pjpeg') return 'jpeg'
  return (fromType as SourceFormat | undefined) ?? null
}

/**
 * The address of a picture's `srcset`: each variant's URL and width.
 * @example srcsetOf([{ url: '/media/a/320.webp', width: 320 }]) // '/media/a/320.webp 320w'
 */
export function srcsetOf(variants: readonly { url: string; width: number }[]): string {
  return variants.map((v) => `${v.url} ${v.width}w`).join(', ')
}

/** The largest variant of a list no wider than `maxWidth`, else the smallest; for og:image and thumbnails. */
export function variantNear<T extends { width: number }>(variants: readonly T[], maxWidth: number): T | null {
  const fitting = variants.filter((v) => v.width <= maxWidth)
  if (fitting.length > 0) return fitting.reduce((a, b) => (b.width > a.width ? b : a))
  return variants.reduce<T | null>((a, b) => (a === null || b.width < a.width ? b : a), null)
}
