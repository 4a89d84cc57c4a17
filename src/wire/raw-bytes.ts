import { promisify } from 'node:util'
import { brotliCompress, brotliDecompress, constants, gunzip } from 'node:zlib'

/**
 * Every input is kept as received (`wire_raw`), which made the raw copy a
 * third of what a backfill wrote. It is kept compressed when that pays, and
 * given back byte for byte; `byte_length` and `sha256` stay those of the bytes
 * as received. Compression runs on libuv's thread pool, beside the parse, so
 * the storing process's own thread only waits for it, if at all.
 *
 * New inputs are packed with Brotli at its fastest quality: on agency copy it
 * shrinks as much as gzip's fastest level (about threefold) in well under
 * half the CPU, which a backfill spends on every input. Inputs stored gzipped
 * by earlier versions are still read.
 */
export type RawEncoding = 'br' | 'gzip'

export interface PackedRaw {
  bytes: Buffer
  /** null: stored as received. */
  encoding: RawEncoding | null
}

const brotliAsync = promisify(brotliCompress)
const unbrotliAsync = promisify(brotliDecompress)
const gunzipAsync = promisify(gunzip)

/** Below this, compressing saves too little to be worth a trip to the thread pool. */
const PACK_FROM_BYTES = 2048

/** Never rejects: whatever goes wrong packing, the input is stored as received. */
export async function packRaw(bytes: Uint8Array): Promise<PackedRaw> {
  const asReceived = { bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding: null }
  if (bytes.byteLength < PACK_FROM_BYTES) return asReceived
  try {
    const packed = await brotliAsync(asReceived.bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 0, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength },
    })
    // Already compressed inputs (a picture, a zip) would only grow.
    return packed.byteLength < bytes.byteLength * 0.9 ? { bytes: packed, encoding: 'br' } : asReceived
  } catch {
    return asReceived
  }
}

/** The bytes as received, from what `packRaw` stored. */
export async function unpackRaw(stored: Uint8Array, encoding: string | null): Promise<Uint8Array> {
  if (encoding === null) return stored
  if (encoding === 'br') return new Uint8Array(await unbrotliAsync(stored))
  if (encoding === 'gzip') return new Uint8Array(await gunzipAsync(stored))
  throw new Error(`Unknown raw input encoding "${encoding}".`)
}
