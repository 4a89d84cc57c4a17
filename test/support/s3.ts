import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import S3rver from 's3rver'
import type { S3StoreOptions } from '../../src/media/stores/s3.ts'

/** A bucket on a real S3-compatible server (s3rver, files in a temporary folder) on a loopback port. */
export interface TestBucket {
  /** What createS3Store and Config's mediaStore take; the public address is the bucket's own, path style. */
  options: S3StoreOptions
  endpoint: string
  close(): Promise<void>
}

/**
 * Starts s3rver with one empty bucket. It refuses access key ids other than
 * its own (S3RVER) but does not check SigV4 signatures, so a wrong secret
 * goes unnoticed here. It serves objects anonymously over GET like a public
 * bucket, with the Content-Type and Cache-Control they were stored with.
 */
export async function startTestBucket(bucket = 'masthead-pictures'): Promise<TestBucket> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'masthead-s3-'))
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] })
  const { port } = await server.run()
  const endpoint = `http://127.0.0.1:${port}`
  return {
    endpoint,
    options: {
      bucket,
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      publicUrl: `${endpoint}/${bucket}/`,
    },
    async close() {
      await server.close()
      await rm(directory, { recursive: true, force: true })
    },
  }
}
