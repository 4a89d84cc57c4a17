import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'

/** One request a receiver got. */
export interface Received {
  headers: IncomingHttpHeaders
  body: string
}

/** How the receiver answers the next request: a status (with an optional body and headers), or never ('hang'). */
export type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'hang'

/**
 * A webhook receiver on loopback that records what it gets and answers as the
 * test scripts: each request takes the next scripted answer, then `fallback`.
 */
export async function startReceiver(fallback: Answer = { status: 200, body: 'ok' }) {
  const received: Received[] = []
  const script: Answer[] = []
  const hanging = new Set<import('node:http').ServerResponse>()
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      const answer = script.shift() ?? fallback
      if (answer === 'hang') {
        hanging.add(res)
        return
      }
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers }).end(answer.body ?? '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** Answers for the next requests, in order. */
    answer(...answers: Answer[]) {
      script.push(...answers)
    },
    /** Drops the answers not used yet. */
    forget() {
      script.length = 0
    },
    async stop() {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>

/** Waits until `check` is true (events are queued a moment after the change that announced them). */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
  }
}
