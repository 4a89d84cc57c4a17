import { DeleteObjectsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { isMediaKey, type MediaStore } from '../service.ts'

/** Where the S3 store writes and where readers fetch from (Config's `mediaStore` when its kind is `s3`). */
export interface S3StoreOptions {
  bucket: string
  region: string
  /** An S3-compatible service's address (MinIO, R2, Ceph…); null for AWS itself. */
  endpoint: string | null
  /** `endpoint/bucket/key` instead of `bucket.endpoint/key` (MinIO and most self-hosted services want this). */
  forcePathStyle: boolean
  /** Null leaves the SDK to find credentials (AWS_* variables, a profile, an instance or task role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null
  /** The address readers load files from, ending in `/`: a CDN or the bucket's public address. */
  publicUrl: string
}

/** A key is written once and never rewritten (a new upload is a new picture), so caches may keep files a year. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable'

/** DeleteObjects takes at most this many keys per call. */
const DELETE_BATCH = 1000

function mustBeKey(key: string): string {
  if (!isMediaKey(key)) throw new Error(`Not a media key: ${key}`)
  return key
}

/** One S3 client for the options; the store and the tests' bucket setup share the settings. */
export function createS3Client(options: S3StoreOptions): S3Client {
  return new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // Since 3.729 the SDK adds CRC32 checksums to every upload and asks for them on reads, which several
    // S3-compatible services refuse or mis-sign; off AWS, checksums go only where S3 requires them (DeleteObjects).
    ...(options.endpoint ? { requestChecksumCalculation: 'WHEN_REQUIRED' as const, responseChecksumValidation: 'WHEN_REQUIRED' as const } : {}),
    // Two tries after the first, as the SDK's default; uploads are small variants.
    maxAttempts: 3,
  })
}

/**
 * The MediaStore on an S3-compatible bucket, so several nodes share one set of
 * pictures. Files are written with their Content-Type and a one-year immutable
 * Cache-Control; readers fetch them from `publicUrl` (the bucket made public,
 * or a CDN in front of it), never through Masthead. The bucket itself is
 * created and made readable by whoever runs the site.
 */
export function createS3Store(options: S3StoreOptions, client: S3Client = createS3Client(options)): MediaStore {
  const base = options.publicUrl.replace(/\/?$/, '/')
  return {
    async put(key, bytes, contentType) {
      await client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: mustBeKey(key),
          Body: bytes,
          ContentType: contentType,
          ContentLength: bytes.length,
          CacheControl: IMMUTABLE_CACHE_CONTROL,
        }),
      )
    },
    async remove(keys) {
      const unique = [...new Set(keys.map(mustBeKey))]
      for (let start = 0; start < unique.length; start += DELETE_BATCH) {
        const batch = unique.slice(start, start + DELETE_BATCH)
        const answer = await client.send(
          new DeleteObjectsCommand({ Bucket: options.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
        )
        // S3 counts deleting a missing key as done; some compatible services report NoSuchKey instead, which is just as fine.
        const failed = (answer.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey')
        if (failed.length > 0) {
          const first = failed[0]
          throw new Error(`S3 could not delete ${failed.length} of ${batch.length} files from ${options.bucket}, first ${first?.Key ?? '?'}: ${first?.Code ?? 'unknown'} ${first?.Message ?? ''}`.trim())
        }
      }
    },
    url(key) {
      return base + mustBeKey(key).split('/').map(encodeURIComponent).join('/')
    },
  }
}
