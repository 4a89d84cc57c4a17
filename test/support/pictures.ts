import sharp from 'sharp'

/** A drawing with some shapes, so encoders have real work; `width` × `height` pixels. */
function drawing(width: number, height: number, alpha = false): Buffer {
  const background = alpha ? '' : `<rect width="${width}" height="${height}" fill="url(#g)"/>`
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g"><stop offset="0" stop-color="#135"/><stop offset="1" stop-color="#fc6"/></linearGradient></defs>${background}<circle cx="${width / 3}" cy="${height / 2}" r="${Math.min(width, height) / 4}" fill="#c33"/><rect x="${width / 2}" y="${height / 4}" width="${width / 4}" height="${height / 3}" fill="#2a7" opacity="0.8"/></svg>`,
  )
}

export type TestFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif'

/** Real picture bytes made by sharp, in any format the library takes. */
export async function makePicture(format: TestFormat, width = 1000, height = 700, options: { alpha?: boolean } = {}): Promise<Uint8Array> {
  const image = sharp(drawing(width, height, options.alpha))
  const out = format === 'jpeg' ? image.jpeg() : format === 'png' ? image.png() : format === 'webp' ? image.webp() : format === 'avif' ? image.avif({ effort: 0 }) : image.gif()
  return new Uint8Array(await out.toBuffer())
}

/** A JPEG whose EXIF holds a GPS position (51°30′N 0°7′W), a camera make and an orientation. */
export async function makeJpegWithGps(width = 900, height = 600): Promise<Uint8Array> {
  const bytes = await sharp(drawing(width, height))
    .jpeg()
    .withExif({
      IFD0: { Make: 'Harbour Camera Co', Model: 'Test 1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
    })
    .toBuffer()
  return new Uint8Array(bytes)
}

/** True when an EXIF block holds a GPS IFD pointer (tag 0x8825), in either byte order. */
export function exifHasGps(exif: Buffer | undefined): boolean {
  if (!exif) return false
  return exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]))
}
