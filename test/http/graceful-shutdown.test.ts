import { writeFileSync, mkdirSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startServe, type ServeProcess } from '../support/cli.ts'
import { DIALECTS } from '../support/dialects.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts'

/** Far more than the loopback socket buffers hold, so a client that stops reading keeps the response in flight. */
const BIG_FILE_BYTES = 64 * 1024 * 1024

/** One GET on a connection of its own (no keep-alive pool), so each try is a new connection. */
function getFresh(url: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (c: string) => (body += c))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
      response.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }))
    })
    request.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }))
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

for (const dialect of DIALECTS) {
  describe(`${dialect}: masthead serve stops gracefully on SIGTERM`, () => {
    let database: TestDatabase
    let server: ServeProcess | undefined
    afterAll(async () => {
      await server?.stop().catch(() => {})
      await database?.drop()
    })

    it('answers 503 on /readyz, stops accepting, lets a download in flight finish with 200, and exits 0', async () => {
      database = await createTestDatabase(dialect)
      mkdirSync(path.join(database.dataDir, 'media'), { recursive: true })
      writeFileSync(path.join(database.dataDir, 'media', 'big.bin'), Buffer.alloc(BIG_FILE_BYTES, 'masthead '))
      server = await startServe({ ...database.env, MASTHEAD_DEMO: 'false', SHUTDOWN_DELAY_SECONDS: '2', SHUTDOWN_GRACE_SECONDS: '60' }, 120_000)
      const { url } = server
      expect(await getFresh(`${url}/readyz`)).toMatchObject({ status: 200 })

      // A slow reader: takes the response's head, then stops reading.
      const download = await new Promise<http.IncomingMessage>((resolve, reject) => {
        http.get(`${url}/media/big.bin`, { agent: false }, resolve).on('error', reject)
      })
      download.pause()
      expect(download.statusCode).toBe(200)
      await sleep(200)
      expect(download.socket.bytesRead).toBeLessThan(BIG_FILE_BYTES)

      const exited = server.stop()
      server = undefined

      // Draining: readiness fails at once while the server still answers new connections for the delay.
      let ready: Awaited<ReturnType<typeof getFresh>> = { error: 'none yet' }
      for (let i = 0; i < 100 && !('status' in ready && ready.status === 503); i++) {
        ready = await getFresh(`${url}/readyz`)
        if (!('status' in ready && ready.status === 503)) await sleep(20)
      }
      expect(ready).toEqual({ status: 503, body: JSON.stringify({ status: 'draining' }) })
      expect(await getFresh(`${url}/healthz`)).toMatchObject({ status: 200 })

      // After the delay, no new connection is accepted, while the download is still open.
      let refused: Awaited<ReturnType<typeof getFresh>> = { error: 'none yet' }
      for (let i = 0; i < 200 && !('error' in refused && refused.error === 'ECONNREFUSED'); i++) {
        await sleep(50)
        refused = await getFresh(`${url}/healthz`)
      }
      expect(refused).toEqual({ error: 'ECONNREFUSED' })
      expect(download.complete).toBe(false)

      // The reader goes on and gets every byte.
      let received = 0
      await new Promise<void>((resolve, reject) => {
        download.on('data', (c: Buffer) => (received += c.length))
        download.on('end', resolve)
        download.on('error', reject)
        download.resume()
      })
      expect(received).toBe(BIG_FILE_BYTES)
      expect(download.complete).toBe(true)

      expect(await exited).toBe(0)
    }, 180_000)
  })
}
