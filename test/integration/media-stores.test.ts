import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalDiskStore } from '../../src/media/stores/local-disk.ts'
import { createS3Client, createS3Store, IMMUTABLE_CACHE_CONTROL } from '../../src/media/stores/s3.ts'
import { runMediaStoreContract } from '../contract/media-store.case.ts'
import { startTestBucket, type TestBucket } from '../support/s3.ts'
import { startTestServer } from '../support/test-context.ts'

// The local disk as the site serves it: files under DATA_DIR/media, read back through Masthead's own /media/ route.
runMediaStoreContract({
  name: 'local disk behind /media/',
  async make() {
    const t = await startTestServer('sqlite', { loadDemo: false, wirePollSeconds: 0, webhooks: { everySeconds: 0, allowPrivateNetwork: false } })
    return { store: createLocalDiskStore({ root: path.join(t.config.dataDir, 'media'), urlPrefix: '/media/' }), origin: t.url, cleanup: t.cleanup }
  },
})

// S3 as a node of a cluster uses it: a real S3-compatible server (s3rver) checking signatures, files read back from the bucket's public address.
runMediaStoreContract({
  name: 'S3 (s3rver)',
  async make() {
    const bucket = await startTestBucket()
    return { store: createS3Store(bucket.options), origin: bucket.endpoint, cleanup: bucket.close }
  },
})

describe('S3 store: what the contract cannot see over HTTP', () => {
  let bucket: TestBucket
  beforeAll(async () => {
    bucket = await startTestBucket('masthead-batches')
  })
  afterAll(async () => bucket?.close())

  it('deletes in batches of at most 1000 keys, once per key, quietly', async () => {
    const client = createS3Client(bucket.options)
    const batches: { size: number; quiet: boolean | undefined }[] = []
    client.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { Delete?: { Objects?: unknown[]; Quiet?: boolean } }
        if (input.Delete) batches.push({ size: input.Delete.Objects?.length ?? 0, quiet: input.Delete.Quiet })
        return next(args)
      },
      { step: 'initialize', name: 'countDeleteBatches' },
    )
    const store = createS3Store(bucket.options, client)
    const keys = Array.from({ length: 2001 }, (_, i) => `library/med_batch/${i}.webp`)
    await store.remove([...keys, ...keys.slice(0, 10)])
    expect(batches).toEqual([
      { size: 1000, quiet: true },
      { size: 1000, quiet: true },
      { size: 1, quiet: true },
    ])
    await store.remove([])
    expect(batches).toHaveLength(3)
  })

  it('off AWS (S3_ENDPOINT set), sends checksums only where S3 requires them', async () => {
    const client = createS3Client(bucket.options)
    const sent: { method: string; headers: string[] }[] = []
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { method: string; headers: Record<string, string> }
        sent.push({ method: request.method, headers: Object.keys(request.headers).map((h) => h.toLowerCase()) })
        return next(args)
      },
      { step: 'finalizeRequest', name: 'recordHeaders', priority: 'low' },
    )
    const store = createS3Store(bucket.options, client)
    await store.put('library/med_X3/320.webp', new Uint8Array([1, 2, 3]), 'image/webp')
    await store.remove(['library/med_X3/320.webp'])
    const [put, remove] = sent
    expect(put?.method).toBe('PUT')
    expect(put?.headers.filter((h) => h.startsWith('x-amz-checksum-') || h === 'x-amz-sdk-checksum-algorithm' || h === 'x-amz-trailer')).toEqual([])
    expect(remove?.method).toBe('POST')
    expect(remove?.headers.some((h) => h.startsWith('x-amz-checksum-') || h === 'content-md5')).toBe(true)
  })

  it('stores files with the immutable Cache-Control and an address under S3_PUBLIC_URL', async () => {
    const store = createS3Store({ ...bucket.options, publicUrl: 'https://cdn.example.org/pictures' })
    expect(store.url('library/med_X1/640.webp')).toBe('https://cdn.example.org/pictures/library/med_X1/640.webp')
    await createS3Store(bucket.options).put('library/med_X1/640.webp', new Uint8Array([1, 2, 3]), 'image/webp')
    const response = await fetch(`${bucket.options.publicUrl}library/med_X1/640.webp`)
    expect(response.headers.get('cache-control')).toBe(IMMUTABLE_CACHE_CONTROL)
  })

  it('fails loudly when the bucket is missing or the access key is unknown', async () => {
    await expect(createS3Store({ ...bucket.options, bucket: 'no-such-bucket' }).put('library/med_X2/1.png', new Uint8Array([1]), 'image/png')).rejects.toThrow(/bucket/i)
    // s3rver checks the access key id but not SigV4 signatures, so a wrong secret would pass here; AWS, MinIO and R2 refuse it.
    const wrongKey = createS3Store({ ...bucket.options, credentials: { accessKeyId: 'NOT-A-KEY', secretAccessKey: 'S3RVER' } })
    await expect(wrongKey.put('library/med_X2/1.png', new Uint8Array([1]), 'image/png')).rejects.toThrow(/access key/i)
    expect((await fetch(`${bucket.options.publicUrl}library/med_X2/1.png`)).status).toBe(404)
  })
})
