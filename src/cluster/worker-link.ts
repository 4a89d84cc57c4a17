import type { PurgeBus, PurgeMessage } from '../cache/purge-bus.ts'
import type { WindowCount, WindowCounter } from '../rate-limits/index.ts'
import type { SpentStore } from '../submissions/index.ts'
import { isClusterMessage, type PrimaryToWorker, type WorkerToPrimary } from './messages.ts'

/** The part of `process` a worker talks to its primary through (a fake in unit tests). */
export interface Channel {
  send?: ((message: WorkerToPrimary) => boolean) | undefined
  readonly connected?: boolean
  on(event: 'message', listener: (message: unknown) => void): unknown
}

/** How long a worker waits for the primary before counting on its own: the primary answers in microseconds when alive. */
const ANSWER_TIMEOUT_MS = 2_000

/**
 * A worker's line to the cluster's primary (src/cluster/primary.ts), which
 * keeps what every worker must share when no Redis does it: the purges, the
 * rate-limit windows and the spent proofs of work, and the metrics of all.
 */
export interface WorkerLink {
  /** Purges from the other workers, and this worker's to them. */
  readonly purgeBus: PurgeBus
  /** Windows counted by the primary for every worker; `space` keeps the limits apart. `fallback` counts while the primary cannot answer. */
  counter(space: string, fallback: WindowCounter): WindowCounter
  /** Proofs of work spent in any worker; `fallback` remembers them while the primary cannot answer. */
  spentStore(fallback: SpentStore): SpentStore
  /** Lets the primary gather this worker's metrics (prom-client's `getMetricsAsJSON`). */
  shareMetrics(own: () => Promise<unknown[]>): void
  /** The metrics of every worker, aggregated by the primary, as Prometheus text. */
  clusterMetrics(): Promise<{ contentType: string; body: string }>
  /** Tells the primary this worker serves at `url`. */
  ready(url: string): void
}

export function connectToPrimary(channel: Channel): WorkerLink {
  let nextId = 1
  const waiting = new Map<number, { resolve(answer: PrimaryToWorker): void; reject(error: Error): void; timer: NodeJS.Timeout }>()
  const purgeHandlers: ((message: PurgeMessage) => void)[] = []
  let ownMetrics: (() => Promise<unknown[]>) | null = null

  const send = (message: WorkerToPrimary): boolean => {
    if (!channel.send || channel.connected === false) return false
    try {
      return channel.send(message)
    } catch {
      // The channel closed between the check and the send (the primary is going away).
      return false
    }
  }
  const ask = (message: WorkerToPrimary & { id: number }, timeoutMs = ANSWER_TIMEOUT_MS): Promise<PrimaryToWorker> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(message.id)
        reject(new Error('the cluster primary did not answer'))
      }, timeoutMs)
      timer.unref()
      waiting.set(message.id, { resolve, reject, timer })
      if (!send(message)) {
        clearTimeout(timer)
        waiting.delete(message.id)
        reject(new Error('the cluster primary cannot be reached'))
      }
    })

  channel.on('message', (raw) => {
    if (!isClusterMessage(raw)) return
    const message = raw as PrimaryToWorker
    switch (message.masthead) {
      case 'purge':
        for (const handler of purgeHandlers) handler(message.message)
        return
      case 'gather': {
        const { id } = message
        const own = ownMetrics ?? (async () => [])
        own().then(
          (metrics) => send({ masthead: 'gathered', id, metrics }),
          () => send({ masthead: 'gathered', id, metrics: [] }),
        )
        return
      }
      case 'counted':
      case 'metrics': {
        const pending = waiting.get(message.id)
        if (!pending) return
        waiting.delete(message.id)
        clearTimeout(pending.timer)
        pending.resolve(message)
        return
      }
    }
  })

  /** One hit on the primary's window `key`; null when the primary cannot answer. */
  const countAtPrimary = async (key: string, windowMs: number): Promise<WindowCount | null> => {
    try {
      const answer = await ask({ masthead: 'count', id: nextId++, key, windowMs })
      return answer.masthead === 'counted' ? { current: answer.current, resetInMs: answer.resetInMs } : null
    } catch {
      // The primary is stopping or stuck: the caller falls back to this worker alone rather than failing the request.
      return null
    }
  }

  return {
    purgeBus: {
      kind: 'cluster',
      publish(message) {
        // Lost if the primary is gone: the other workers' pages then change when their entries expire, as with any bus.
        send({ masthead: 'purge', message })
      },
      async subscribe(handler) {
        purgeHandlers.push(handler)
      },
      async close() {
        purgeHandlers.length = 0
      },
    },
    counter(space, fallback) {
      return {
        async count(key, windowMs) {
          return (await countAtPrimary(`${space}:${key}`, windowMs)) ?? fallback.count(key, windowMs)
        },
        async uncount(key) {
          // Not answered. With the primary gone the hit was most likely counted here, so it is taken back here.
          if (!send({ masthead: 'uncount', key: `${space}:${key}` })) await fallback.uncount(key)
        },
      }
    },
    spentStore(fallback) {
      return {
        // A challenge is spent by the first hit on its window, which lasts as long as the challenge could be replayed.
        async spend(key, ttlMs) {
          const counted = await countAtPrimary(`spent:${key}`, ttlMs)
          return counted ? counted.current === 1 : fallback.spend(key, ttlMs)
        },
      }
    },
    shareMetrics(own) {
      ownMetrics = own
    },
    async clusterMetrics() {
      // The primary waits up to its own timeout for every worker; this waits a little longer for the primary.
      const answer = await ask({ masthead: 'metrics', id: nextId++ }, ANSWER_TIMEOUT_MS * 3)
      if (answer.masthead !== 'metrics') throw new Error('the cluster primary answered something else')
      return { contentType: answer.contentType, body: answer.body }
    },
    ready(url) {
      send({ masthead: 'ready', url })
    },
  }
}
