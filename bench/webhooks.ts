import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { defineConfig } from '../src/server/config.ts'
import { buildContainer, type Container } from '../src/server/container.ts'

/**
 * Webhook delivery benchmark: how many deliveries a second the worker sends
 * from an embedded SQLite database to a receiver on loopback that answers 204
 * at once, with one worker and with two app instances sharing the database
 * (each delivery still sent once). What it measures is our side: the claim,
 * the signed request, the attempt row and the delivery's update.
 *
 *   npm run bench -- --only webhooks
 */
export async function runWebhooksBench(options: { deliveries: number }): Promise<{ workers: number; deliveries: number; seconds: number; perSecond: number }[]> {
  let received = 0
  const receiver = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      received++
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`
  const rows = []
  try {
    for (const workers of [1, 2]) {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'masthead-bench-webhooks-'))
      const config = defineConfig({ dataDir, loadDemo: false, logLevel: 'silent', webhooks: { everySeconds: 0, allowPrivateNetwork: true } })
      const containers: Container[] = []
      try {
        containers.push(await buildContainer(config))
        const { error } = await containers[0]!.database.migrate()
        if (error) throw error
        while (containers.length < workers) containers.push(await buildContainer(config))
        const webhooks = containers[0]!.webhooks
        await webhooks.createEndpoint({ url, events: ['story.updated'] }, { userId: null })
        for (let i = 0; i < options.deliveries; i++) await webhooks.enqueue('story.updated', { id: `art_${i}`, url: `https://news.example/articles/${i}`, headline: `Story ${i}`, status: 'published' })
        received = 0
        const started = performance.now()
        // Each run takes at most 50; run every worker until the queue is empty.
        const drain = async (c: Container, owner: string) => {
          while ((await c.webhooks.deliverDue(owner)).length > 0) {
            /* next batch */
          }
        }
        await Promise.all(containers.map((c, i) => drain(c, `bench-${i}`)))
        const seconds = (performance.now() - started) / 1000
        if (received !== options.deliveries) throw new Error(`The receiver got ${received} requests for ${options.deliveries} deliveries.`)
        rows.push({ workers, deliveries: options.deliveries, seconds: Number(seconds.toFixed(2)), perSecond: Math.round(options.deliveries / seconds) })
      } finally {
        for (const c of containers) await c.close()
        rmSync(dataDir, { recursive: true, force: true })
      }
    }
  } finally {
    receiver.closeAllConnections()
    await new Promise<void>((resolve) => receiver.close(() => resolve()))
  }
  console.log('\nWebhook deliveries (SQLite, loopback receiver answering 204)')
  console.table(rows)
  return rows
}
