import type { PurgeMessage } from '../cache/purge-bus.ts'

/**
 * What the primary and its workers say to each other over the cluster's IPC
 * channel. Every message carries `masthead` so that messages of other
 * libraries on the same channel (Node's own cluster traffic, prom-client)
 * pass by untouched. Requests carry an `id` that their answer repeats.
 */
export type WorkerToPrimary =
  /** Listening and done with start-up; `url` is where the site answers. */
  | { masthead: 'ready'; url: string }
  /** A purge made in this worker, for the primary to hand to every other worker. */
  | { masthead: 'purge'; message: PurgeMessage }
  /** One hit on a rate-limit window kept by the primary for every worker. */
  | { masthead: 'count'; id: number; key: string; windowMs: number }
  /** One hit taken back from such a window (no answer). */
  | { masthead: 'uncount'; key: string }
  /** Asks for the metrics of every worker, aggregated (a scrape of /metrics). */
  | { masthead: 'metrics'; id: number }
  /** This worker's own metrics (prom-client's JSON form), answering the primary's `gather`. */
  | { masthead: 'gathered'; id: number; metrics: unknown[] }

export type PrimaryToWorker =
  | { masthead: 'purge'; message: PurgeMessage }
  | { masthead: 'counted'; id: number; current: number; resetInMs: number }
  | { masthead: 'metrics'; id: number; contentType: string; body: string }
  /** Send your own metrics, as JSON, with this id. */
  | { masthead: 'gather'; id: number }

/** Whether something that came over IPC is one of ours (the shapes are checked where each kind is read). */
export function isClusterMessage(value: unknown): value is { masthead: string } {
  return typeof value === 'object' && value !== null && typeof (value as { masthead?: unknown }).masthead === 'string'
}
