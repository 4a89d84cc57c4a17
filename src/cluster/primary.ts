import cluster, { type Worker } from 'node:cluster'
import { createMemoryCounter } from '../rate-limits/index.ts'
import { isClusterMessage, type PrimaryToWorker, type WorkerToPrimary } from './messages.ts'

export interface PrimaryOptions {
  /** How many workers serve the site. */
  workers: number
  /** One line for the person running the server (start, a worker lost, stopping). */
  log(line: string): void
  /** Called once, when every worker listens. */
  onRunning(url: string, workers: number): void
}

/** The environment variable that tells a forked process which worker it is (1-based), for its log lines. */
export const WORKER_INDEX_VARIABLE = 'MASTHEAD_WORKER'

/** Unexpected exits within CRASH_WINDOW_MS that make the primary give up instead of starting yet another worker. */
const CRASH_LIMIT = 5
const CRASH_WINDOW_MS = 60_000
const RESTART_DELAY_MS = 1_000
/** How long a scrape waits for the workers' metrics before answering with those that came. */
const GATHER_TIMEOUT_MS = 2_000

/**
 * Runs the site as several worker processes on one port (node:cluster: the
 * primary accepts connections and hands each to a worker in turn). The
 * primary serves nothing itself. It starts the first worker alone, so that
 * migrations, the demo content and the first admin are made once, then the
 * others; it relays purges between them, keeps the rate-limit windows every
 * worker shares when there is no Redis, gathers their metrics for a scrape,
 * starts a worker again when one dies, and stops them all gracefully on
 * SIGTERM or Ctrl-C. Resolves with the exit code once every worker is gone.
 */
export function runPrimary(options: PrimaryOptions): Promise<number> {
  const counter = createMemoryCounter()
  const crashes: number[] = []
  const ready = new Set<number>()
  const byIndex = new Map<number, Worker>()
  let stopping = false
  let announced = false
  let failed = false
  let nextGather = 1
  const gathers = new Map<number, { parts: unknown[][]; pending: Set<number>; finish(): void }>()

  return new Promise<number>((resolve) => {
    const send = (worker: Worker, message: PrimaryToWorker) => {
      if (worker.isConnected()) worker.send(message)
    }
    const finishIfDone = () => {
      if (stopping && byIndex.size === 0) resolve(failed ? 1 : 0)
    }
    // SIGTERM rather than a message: a worker still loading its modules has no one listening for messages yet,
    // and one that has not set up its handlers yet has nothing to drain.
    const stopAll = () => {
      stopping = true
      for (const worker of byIndex.values()) worker.process.kill('SIGTERM')
      finishIfDone()
    }

    const fork = (index: number) => {
      const worker = cluster.fork({ [WORKER_INDEX_VARIABLE]: String(index) })
      byIndex.set(index, worker)
      worker.on('message', (raw: unknown) => {
        if (isClusterMessage(raw)) handle(index, worker, raw as WorkerToPrimary)
      })
      worker.on('exit', (code, signal) => {
        const wasReady = ready.delete(index)
        byIndex.delete(index)
        for (const gather of gathers.values()) if (gather.pending.delete(worker.id) && gather.pending.size === 0) gather.finish()
        if (stopping) {
          if (code !== 0 && wasReady) failed = true
          finishIfDone()
          return
        }
        if (!announced && index === 1) {
          // The first worker failed to start (it has said why): the others would fail the same way.
          options.log(`worker 1 could not start (exit ${signal ?? code}); stopping`)
          failed = true
          stopAll()
          return
        }
        const now = Date.now()
        crashes.push(now)
        while (crashes.length > 0 && crashes[0]! < now - CRASH_WINDOW_MS) crashes.shift()
        if (crashes.length >= CRASH_LIMIT) {
          options.log(`worker ${index} exited (${signal ?? `code ${code}`}); ${CRASH_LIMIT} workers have died within a minute, so the server stops`)
          failed = true
          stopAll()
          return
        }
        options.log(`worker ${index} exited (${signal ?? `code ${code}`}); starting another in ${RESTART_DELAY_MS / 1000} s`)
        setTimeout(() => {
          if (!stopping) fork(index)
        }, RESTART_DELAY_MS)
      })
    }

    const handle = (index: number, worker: Worker, message: WorkerToPrimary) => {
      switch (message.masthead) {
        case 'ready': {
          ready.add(index)
          if (index === 1 && !announced && byIndex.size === 1) for (let i = 2; i <= options.workers; i++) fork(i)
          if (!announced && ready.size === options.workers) {
            announced = true
            options.onRunning(String(message.url), options.workers)
          }
          return
        }
        case 'purge':
          for (const other of byIndex.values()) if (other !== worker) send(other, message)
          return
        case 'count': {
          const { id, key, windowMs } = message
          if (typeof key !== 'string' || !(Number.isFinite(windowMs) && windowMs > 0)) return
          void counter.count(key, windowMs).then((w) => send(worker, { masthead: 'counted', id, current: w.current, resetInMs: w.resetInMs }))
          return
        }
        case 'uncount':
          if (typeof message.key === 'string') void counter.uncount(message.key)
          return
        case 'metrics':
          gatherMetrics(worker, message.id)
          return
        case 'gathered': {
          const gather = gathers.get(message.id)
          if (!gather || !gather.pending.delete(worker.id)) return
          if (Array.isArray(message.metrics)) gather.parts.push(message.metrics)
          if (gather.pending.size === 0) gather.finish()
          return
        }
      }
    }

    /** Asks every worker for its metrics and answers `asker` with their sum (prom-client's aggregation: each metric's own rule). */
    const gatherMetrics = (asker: Worker, askerId: number) => {
      const id = nextGather++
      const pending = new Set([...byIndex.values()].filter((w) => w.isConnected()).map((w) => w.id))
      const parts: unknown[][] = []
      const timer = setTimeout(() => gathers.get(id)?.finish(), GATHER_TIMEOUT_MS)
      gathers.set(id, {
        parts,
        pending,
        finish() {
          clearTimeout(timer)
          gathers.delete(id)
          // prom-client is loaded on the first scrape: most sites never turn /metrics on.
          void import('prom-client')
            .then(async ({ AggregatorRegistry }) => {
              const registry = AggregatorRegistry.aggregate(parts as Parameters<typeof AggregatorRegistry.aggregate>[0])
              send(asker, { masthead: 'metrics', id: askerId, contentType: registry.contentType, body: await registry.metrics() })
            })
            .catch((error: unknown) => options.log(`metrics could not be gathered: ${error instanceof Error ? error.message : String(error)}`))
        },
      })
      for (const worker of byIndex.values()) send(worker, { masthead: 'gather', id })
    }

    let interrupted = false
    process.on('SIGTERM', () => {
      if (stopping) return
      options.log('stopping: every worker finishes its requests and jobs')
      stopAll()
    })
    process.on('SIGINT', () => {
      // A terminal's Ctrl-C reaches the workers too; they stop gracefully. A second one means now.
      if (interrupted) {
        for (const worker of byIndex.values()) worker.process.kill('SIGKILL')
        process.exit(1)
      }
      interrupted = true
      if (!stopping) {
        options.log('stopping: every worker finishes its requests and jobs (Ctrl-C again to stop at once)')
        stopAll()
      }
    })

    fork(1)
  })
}
