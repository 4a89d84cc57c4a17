import pg from 'pg'
import { outageReporter, parsePurgeMessage, type PurgeBus, type PurgeLog, type PurgeMessage } from './purge-bus.ts'

/** NOTIFY payloads stop at 8000 bytes; past this a purge becomes "everything" rather than be lost. */
const MAX_PAYLOAD = 7900
const RECONNECT_MS = 2000

/**
 * Purges through PostgreSQL LISTEN/NOTIFY, for several processes on one
 * database without Redis. Listening holds a connection of its own (a pooled
 * one would be handed back and stop hearing); `notify` sends through the pool.
 */
export function createPostgresPurgeBus(options: {
  connectionString: string
  channel: string
  notify: (channel: string, payload: string) => Promise<void>
  log: PurgeLog
}): PurgeBus {
  const { channel, log } = options
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`cache purges: ${channel} is not a PostgreSQL channel name`)
  const outage = outageReporter(log, 'PostgreSQL LISTEN')
  const handlers: ((message: PurgeMessage) => void)[] = []
  let client: pg.Client | null = null
  let timer: NodeJS.Timeout | null = null
  let closed = false
  let started: Promise<void> | null = null

  async function listen(): Promise<void> {
    if (closed) return
    const next = new pg.Client({ connectionString: options.connectionString })
    next.on('notification', (note) => {
      if (note.channel !== channel || !note.payload) return
      const message = parsePurgeMessage(note.payload)
      if (message) for (const handler of handlers) handler(message)
    })
    const lost = (error: unknown) => {
      if (client !== next) return
      client = null
      next.end().catch(() => {})
      outage.down(error)
      retry()
    }
    next.on('error', lost)
    next.on('end', () => lost(new Error('connection ended')))
    try {
      await next.connect()
      await next.query(`LISTEN "${channel}"`)
      if (closed) {
        await next.end()
        return
      }
      client = next
      outage.up()
    } catch (error) {
      next.end().catch(() => {})
      outage.down(error)
      retry()
    }
  }

  function retry() {
    if (closed || timer) return
    timer = setTimeout(() => {
      timer = null
      void listen()
    }, RECONNECT_MS)
    timer.unref()
  }

  return {
    kind: 'postgres',
    publish(message) {
      let payload = JSON.stringify(message)
      if (payload.length > MAX_PAYLOAD) payload = JSON.stringify({ ...message, keys: null })
      options.notify(channel, payload).then(
        () => {},
        (error: unknown) => outage.down(error),
      )
    },
    async subscribe(handler) {
      handlers.push(handler)
      await (started ??= listen())
    },
    async close() {
      closed = true
      if (timer) clearTimeout(timer)
      const current = client
      client = null
      await current?.end().catch(() => {})
    },
  }
}
