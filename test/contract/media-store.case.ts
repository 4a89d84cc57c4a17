import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MediaStore } from '../../src/media/index.ts'

/** A store under test and where its relative addresses are served from. */
export interface StoreUnderTest {
  store: MediaStore
  /** Prefixed to url() answers that are site paths (`/media/…`); absolute ones are fetched as they are. */
  origin: string
  cleanup(): Promise<void>
}

/**
 * What every MediaStore must do, checked over HTTP as a reader's browser
 * sees it: run by test/integration/media-stores.test.ts against the local
 * disk (served by Masthead's /media route) and against S3 (a real
 * S3-compatible server).
 */
export function runMediaStoreContract(options: { name: string; make: () => Promise<StoreUnderTest> }) {
  describe(`media store contract: ${options.name}`, () => {
    let s: StoreUnderTest
    beforeAll(async () => {
      s = await options.make()
    })
    afterAll(async () => s?.cleanup())

    /** Each test writes under its own folder, so tests do not meet each other's files. */
    const folder = () => `library/med_${randomBytes(6).toString('hex')}`
    const addressOf = (key: string) => {
      const url = s.store.url(key)
      return url.startsWith('/') ? s.origin + url : url
    }
    const fetchKey = (key: string) => fetch(addressOf(key))

    it('serves what was put at url(), byte for byte, with its Content-Type and a long-lived cache', async () => {
      const base = folder()
      const files = [
        { key: `${base}/320.avif`, type: 'image/avif' },
        { key: `${base}/320.webp`, type: 'image/webp' },
        { key: `${base}/320.jpg`, type: 'image/jpeg' },
        { key: `${base}/320.png`, type: 'image/png' },
      ].map((f) => ({ ...f, bytes: new Uint8Array(randomBytes(3000 + Math.floor(Math.random() * 500))) }))
      for (const f of files) await s.store.put(f.key, f.bytes, f.type)
      for (const f of files) {
        const response = await fetchKey(f.key)
        expect(response.status, f.key).toBe(200)
        expect(response.headers.get('content-type'), f.key).toBe(f.type)
        expect(response.headers.get('cache-control'), f.key).toMatch(/max-age=31536000/)
        expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(f.bytes)), f.key).toBe(true)
      }
    })

    it('takes keys with capitals, digits, dots, hyphens and underscores, and their addresses work', async () => {
      const base = folder()
      const keys = [`${base}/Harbour_Crane-01.v2.webp`, `${base}/deeper/still/1920.jpg`, `${base}/a..b.png`, `UPPER-top_level/x`]
      for (const [i, key] of keys.entries()) await s.store.put(key, new Uint8Array([i, 1, 2, 3]), 'image/png')
      for (const [i, key] of keys.entries()) {
        const response = await fetchKey(key)
        expect(response.status, key).toBe(200)
        expect([...new Uint8Array(await response.arrayBuffer())], key).toEqual([i, 1, 2, 3])
      }
      await s.store.remove(keys)
    })

    it('refuses keys that are not plain relative paths, writing nothing', async () => {
      const base = folder()
      for (const key of ['', '/absolute.png', `${base}/../escape.png`, `${base}/./here.png`, `${base}//double.png`, `${base}/with space.png`, `${base}/hash#.png`, `${base}/query?.png`, `${base}/per%2Fcent.png`, `${base}/é.png`, `${base}/back\\slash.png`, `.hidden/x.png`, `${base}/.hidden.png`, `${base}/${'x'.repeat(520)}.png`]) {
        await expect(s.store.put(key, new Uint8Array([1]), 'image/png'), JSON.stringify(key)).rejects.toThrow(/Not a media key/)
        expect(() => s.store.url(key), JSON.stringify(key)).toThrow(/Not a media key/)
      }
    })

    it('remove() makes the files answer 404 and leaves the others', async () => {
      const base = folder()
      const [gone, kept] = [`${base}/640.webp`, `${base}/640.jpg`]
      await s.store.put(gone, new Uint8Array([1, 2]), 'image/webp')
      await s.store.put(kept, new Uint8Array([3, 4]), 'image/jpeg')
      await s.store.remove([gone])
      expect((await fetchKey(gone)).status).toBe(404)
      expect((await fetchKey(kept)).status).toBe(200)
      await s.store.remove([kept])
      expect((await fetchKey(kept)).status).toBe(404)
    })

    it('removing keys that are missing, repeated or none at all is fine', async () => {
      const base = folder()
      const key = `${base}/960.png`
      await s.store.remove([])
      await s.store.remove([`${base}/never-written.png`, `library/med_nothing/1.jpg`])
      await s.store.put(key, new Uint8Array([9]), 'image/png')
      await s.store.remove([key, key, `${base}/missing.png`])
      expect((await fetchKey(key)).status).toBe(404)
      await s.store.remove([key])
    })

    it('removes more files at once than one S3 delete call takes (1000)', { timeout: 180_000 }, async () => {
      const base = folder()
      const keys = Array.from({ length: 1005 }, (_, i) => `${base}/${i}.webp`)
      for (let i = 0; i < keys.length; i += 25) await Promise.all(keys.slice(i, i + 25).map((key) => s.store.put(key, new Uint8Array([7]), 'image/webp')))
      expect((await fetchKey(keys[1004]!)).status).toBe(200)
      await s.store.remove(keys)
      for (const key of [keys[0]!, keys[999]!, keys[1000]!, keys[1004]!]) expect((await fetchKey(key)).status, key).toBe(404)
    })

    it('writing the same key again serves the new bytes (keys are never rewritten in use, but a store must not keep a stale copy)', async () => {
      const key = `${folder()}/1280.jpg`
      await s.store.put(key, new Uint8Array([1]), 'image/jpeg')
      await s.store.put(key, new Uint8Array([2, 2]), 'image/jpeg')
      const response = await fetchKey(key)
      expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([2, 2])
      await s.store.remove([key])
    })
  })
}
