import { z } from 'zod'

/**
 * A purge told to every process: the surrogate keys whose pages are out of
 * date, or null for everything (a settings change). `hard` drops the pages
 * instead of serving them stale while they are rendered again (a story taken
 * down). `from` names the process that sent it, which ignores its own.
 */
export interface PurgeMessage {
  from: string
  keys: string[] | null
  hard: boolean
}

const PurgeMessageSchema = z.object({
  from: z.string().min(1).max(200),
  keys: z.array(z.string().min(1).max(200)).max(10_000).nullable(),
  hard: z.boolean(),
})

/** Reads a message off the wire; null for anything that is not one (logged by the caller if at all). */
export function parsePurgeMessage(raw: string): PurgeMessage | null {
  try {
    const parsed = PurgeMessageSchema.safeParse(JSON.parse(raw))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/**
 * How purges reach the other processes serving the same site. Chosen in the
 * composition root: Redis pub/sub when REDIS_URL is set, else PostgreSQL
 * LISTEN/NOTIFY, else the cluster's primary for the workers of one
 * `masthead serve --workers N` (src/cluster), else nothing (one SQLite process
 * has no one to tell).
 * A transport that is down loses purges, never a request: the other
 * processes' pages then change when their cache entries expire.
 */
export interface PurgeBus {
  readonly kind: 'redis' | 'postgres' | 'cluster' | 'local'
  /** Sends to the other processes; returns at once and never throws (failures are logged). */
  publish(message: PurgeMessage): void
  /** Starts listening (the first call) and calls `handler` with every other process's message. */
  subscribe(handler: (message: PurgeMessage) => void): Promise<void>
  close(): Promise<void>
}

/** A single process: nobody else to tell. */
export function createLocalPurgeBus(): PurgeBus {
  return { kind: 'local', publish() {}, async subscribe() {}, async close() {} }
}

/** How the transports report trouble; the composition root passes its logger. */
export interface PurgeLog {
  error(message: string): void
  warn(message: string): void
  info(message: string): void
}

export const CONSOLE_PURGE_LOG: PurgeLog = {
  error: (message) => console.error(message),
  warn: (message) => console.warn(message),
  info: () => {},
}

/**
 * Remembers whether an outage was already reported, so one outage is one log
 * line however many retries it takes; an outage before the transport was
 * ever up is worded as the start-up failure it is.
 */
export function outageReporter(log: PurgeLog, transport: string) {
  let down = false
  let everUp = false
  return {
    down(error: unknown) {
      if (down) return
      down = true
      const reason = error instanceof Error ? error.message : String(error)
      if (!everUp) log.error(`cache purges: ${transport} cannot be reached (${reason}); other processes will see changes when their cached pages expire, and this process keeps retrying`)
      else log.warn(`cache purges: lost ${transport} (${reason}); other processes will see changes when their cached pages expire until it is back`)
    },
    up() {
      const was = down
      down = false
      everUp = true
      if (was) log.info(`cache purges: ${transport} is back`)
    },
  }
}
