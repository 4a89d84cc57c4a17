import { promisify } from 'node:util'
import { constants, gunzip, gzip } from 'node:zlib'

/**
 * Every input is kept as received (`wire_raw`), which made the raw copy a
 * third of what a backfill wrote. It is kept gzipped when that pays, and given
 * back byte for byte; `byte_length` and `sha256` stay those of the bytes as
 * received. Compression runs on libuv's thread pool, beside the parse, so the
 * storing process's own thread only waits for it, if at all.
 */
export type RawEncoding = 'gzip'

export interface PackedRaw {
  bytes: Buffer
  /** null: stored as received. */
  encoding: RawEncoding | null
}

const gzipAsync = promisify(gzip)
const gunzipAsync = promisify(gunzip)

/** Below this, compressing saves too little to be worth a trip to the thread pool. */
const PACK_FROM_BYTES = 2048

/** Never rejects: whatever goes wrong packing, the input is stored as received. */
export async function packRaw(bytes: Uint8Array): Promise<PackedRaw> {
  const asReceived = { bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding: null }
  if (bytes.byteLength < PACK_FROM_BYTES) return asReceived
  try {
    // The fastest level: agency copy is text and shrinks about threefold even so.
    const packed = await gzipAsync(asReceived.bytes, { level: constants.Z_BEST_SPEED })
    // Already compressed inputs (a picture, a zip) would only grow.
    return packed.byteLength < bytes.byteLength * 0.9 ? { bytes: packed, encoding: 'gzip' } : asReceived
  } catch {
    return asReceived
  }
}

/** The bytes as received, from what `packRaw` stored. */
export async function unpackRaw(stored: Uint8Array, encoding: string | null): Promise<Uint8Array> {
  if (encoding === null) return stored
  if (encoding === 'gzip') return new Uint8Array(await gunzipAsync(stored))
  throw new Error(`Unknown raw input encoding "${encoding}".`)
}
