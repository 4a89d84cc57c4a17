import type { Redis } from 'ioredis'
import { outageReporter, parsePurgeMessage, type PurgeBus, type PurgeLog, type PurgeMessage } from './purge-bus.ts'

/**
 * Purges through Redis pub/sub. `publisher` is the shared connection;
 * `subscriber` a connection of its own (a subscribed connection can do
 * nothing else), which ioredis reconnects and resubscribes after an outage.
 */
export function createRedisPurgeBus(options: { publisher: Redis; subscriber: Redis; channel: string; log: PurgeLog }): PurgeBus {
  const { publisher, subscriber, channel, log } = options
  const outage = outageReporter(log, 'Redis')
  let started: Promise<void> | null = null
  const handlers: ((message: PurgeMessage) => void)[] = []
  subscriber.on('error', (error: unknown) => outage.down(error))
  // A connection Redis closed cleanly (a restart, CLIENT KILL) says so only by reconnecting.
  subscriber.on('reconnecting', () => outage.down(new Error('the connection closed')))
  subscriber.on('ready', () => outage.up())
  subscriber.on('message', (from: string, raw: string) => {
    if (from !== channel) return
    const message = parsePurgeMessage(raw)
    if (message) for (const handler of handlers) handler(message)
  })
  return {
    kind: 'redis',
    publish(message) {
      publisher.publish(channel, JSON.stringify(message)).then(
        () => outage.up(),
        (error: unknown) => outage.down(error),
      )
    },
    async subscribe(handler) {
      handlers.push(handler)
      started ??= subscriber.connect().then(
        () => subscriber.subscribe(channel).then(() => {}),
        (error: unknown) => {
          outage.down(error)
          // Queued until ioredis has reconnected.
          subscriber.subscribe(channel).catch(() => {})
        },
      )
      await started
    },
    async close() {
      // QUIT would wait in the offline queue for a Redis that is not there.
      if (subscriber.status === 'ready') await subscriber.quit().catch(() => subscriber.disconnect())
      else subscriber.disconnect()
    },
  }
}
