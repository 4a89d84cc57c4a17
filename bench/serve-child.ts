import cluster from 'node:cluster'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * One server under test, in its own process so the load generator never shares
 * its event loop and its memory is its own. Started by run.ts with an IPC
 * channel; the spec comes in BENCH_CHILD_SPEC.
 *
 * Protocol (IPC messages):
 *   child → parent  { type: 'ready', url, pid }   once listening
 *   parent → child  { type: 'memory' }            → { type: 'memory', rss, heapUsed }
 *   parent → child  { type: 'stop' }              closes and exits 0
 * The child also exits when the parent goes away (IPC disconnect), so a killed
 * bench never leaves servers behind.
 */

export type ChildSpec =
  /** `config`: more settings for defineConfig (PostgreSQL, Redis, the admin API's rate…), for the soak and crash runs. */
  | { kind: 'masthead'; dataDir: string; pageCache: boolean; config?: Record<string, unknown> }
  /** `pagesFile`: JSON of BarePage[]; bodies base64 so the bytes are exact. `workers`: processes on one port, as Masthead's `--workers`. */
  | { kind: 'bare'; pagesFile: string; workers?: number }

export interface BarePage {
  path: string
  contentType: string
  bodyBase64: string
  /** CPU time to burn before answering, in milliseconds: a framework-free server doing that much work per request. */
  workMs?: number
}

export type ChildMessage =
  | { type: 'ready'; url: string; pid: number }
  | { type: 'memory'; rss: number; heapUsed: number }
  | { type: 'error'; message: string }

export type ParentMessage = { type: 'memory' } | { type: 'stop' }

function send(message: ChildMessage): void {
  process.send?.(message)
}

/** The ceiling: Node's own http server answering from a Map, no framework, no work per request. */
async function startBare(pagesFile: string): Promise<{ url: string; close(): Promise<void> }> {
  const pages = new Map<string, { contentType: string; body: Buffer; workMs: number }>()
  for (const page of JSON.parse(readFileSync(pagesFile, 'utf8')) as BarePage[]) {
    pages.set(page.path, { contentType: page.contentType, body: Buffer.from(page.bodyBase64, 'base64'), workMs: page.workMs ?? 0 })
  }
  const server = http.createServer((req, res) => {
    const page = pages.get(req.url ?? '')
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    if (page.workMs > 0) {
      const until = performance.now() + page.workMs
      while (performance.now() < until) {
        // Spinning on purpose: the stand-in for a render's CPU time.
      }
    }
    res.writeHead(200, { 'content-type': page.contentType, 'content-length': page.body.length })
    res.end(page.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** The real server, as `masthead serve` starts it. Imported lazily so the bare server's RSS holds none of it. */
async function startMasthead(dataDir: string, pageCache: boolean, config: Record<string, unknown> = {}): Promise<{ url: string; close(): Promise<void> }> {
  const [{ defineConfig }, { startServer }] = await Promise.all([import('../src/server/config.ts'), import('../src/server/main.ts')])
  return startServer(defineConfig({ dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent', pageCache, ...config }), { logger: false })
}

/**
 * The bare server as several processes on one port (node:cluster), the
 * like-for-like reference for Masthead with `--workers`: this process forks
 * them, says ready once all listen, and stops them when told.
 */
function runBareCluster(workers: number): void {
  let listening = 0
  const stop = () => {
    setTimeout(() => process.exit(0), 3000).unref()
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM')
  }
  cluster.on('exit', () => {
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0)
  })
  for (let i = 0; i < workers; i++) {
    cluster.fork().on('message', (message: { type?: string; url?: string }) => {
      if (message.type === 'bare-listening' && ++listening === workers) send({ type: 'ready', url: message.url!, pid: process.pid })
    })
  }
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stop') stop()
    else if (message.type === 'memory') send({ type: 'memory', rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed })
  })
  process.on('disconnect', stop)
}

/** One process of the bare cluster: serves until its primary sends SIGTERM. */
async function runBareWorker(pagesFile: string): Promise<void> {
  const server = await startBare(pagesFile)
  process.on('SIGTERM', () => void server.close().finally(() => process.exit(0)))
  // A primary killed outright leaves no one to stop this process.
  process.on('disconnect', () => process.exit(0))
  process.send!({ type: 'bare-listening', url: server.url })
}

async function main(): Promise<void> {
  const raw = process.env.BENCH_CHILD_SPEC
  if (!raw || !process.send) throw new Error('serve-child.ts is started by bench/run.ts, with BENCH_CHILD_SPEC and an IPC channel.')
  const spec = JSON.parse(raw) as ChildSpec
  if (spec.kind === 'bare' && (spec.workers ?? 1) > 1) {
    if (cluster.isWorker) return runBareWorker(spec.pagesFile)
    return runBareCluster(spec.workers!)
  }

  const server = spec.kind === 'bare' ? await startBare(spec.pagesFile) : await startMasthead(spec.dataDir, spec.pageCache, spec.config)

  let stopping = false
  const stop = async (code: number) => {
    if (stopping) return
    stopping = true
    // Loaded keep-alive connections can hold close() open; don't wait on them forever.
    setTimeout(() => process.exit(code), 3000).unref()
    await server.close().catch(() => {})
    process.exit(code)
  }
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'memory') {
      const usage = process.memoryUsage()
      send({ type: 'memory', rss: usage.rss, heapUsed: usage.heapUsed })
    } else if (message.type === 'stop') void stop(0)
  })
  process.on('disconnect', () => void stop(0))
  send({ type: 'ready', url: server.url, pid: process.pid })
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) })
  process.exitCode = 1
  process.disconnect?.()
})
