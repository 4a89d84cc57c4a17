import { createHash } from 'node:crypto'
import { itemFingerprint } from './fingerprint.ts'
import type { WireItem } from './wire-item.ts'

/**
 * What storing an item needs worked out from it, computed by the parser
 * process beside its parse (parser-process-entry.mjs) so the storing process,
 * the one that writes to the database, only writes: during a backfill the two
 * run on different cores.
 */
export interface PreparedItem {
  /** `itemFingerprint(item)`: the MinHash signature the duplicate finder groups by. */
  fingerprint: string
  /** `JSON.stringify(item)`, as stored in `wire_item_versions.item`. */
  json: string
  /** SHA-256 of `json`: the same copy delivered again is not a new version. */
  contentHash: string
}

export function prepareItem(item: WireItem): PreparedItem {
  const json = JSON.stringify(item)
  return { fingerprint: itemFingerprint(item), json, contentHash: createHash('sha256').update(json).digest('hex') }
}
