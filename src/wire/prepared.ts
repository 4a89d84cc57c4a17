import { createHash } from 'node:crypto'
import { bodyText } from '../articles/index.ts'
import { fingerprintOfText } from './fingerprint.ts'
import type { WireItem } from './wire-item.ts'

/**
 * What storing an item needs worked out from it, computed by the parser
 * process beside its parse (parser-process-entry.mjs) so the storing process,
 * the one that writes to the database, only writes: during a backfill the two
 * run on different cores. An item parsed inline is prepared when it is stored.
 */
export interface PreparedItem {
  /** The MinHash signature of headline and body text (`fingerprintOfText`) the duplicate finder groups by. */
  fingerprint: string
  /** `JSON.stringify(item)`, as stored in `wire_item_versions.item`. */
  json: string
  /** SHA-256 of `json`: the same copy delivered again is not a new version. */
  contentHash: string
  /** `searchTextOf(item)`, for `wire_items.search_text`. */
  searchText: string
}

/** The desk's text filter searches this: lower-case headline, slugline, summary, keywords and body text. */
export function searchTextOf(item: WireItem, text: string = bodyText(item.body)): string {
  return [item.headline, item.slugline, item.summary, item.keywords.join(' '), text]
    .filter(Boolean)
    .join('\n')
    .toLowerCase()
    .slice(0, 20_000)
}

export function prepareItem(item: WireItem): PreparedItem {
  const json = JSON.stringify(item)
  // The body's text once, for both the fingerprint and the search text.
  const text = bodyText(item.body)
  return {
    fingerprint: fingerprintOfText(item.headline, text),
    json,
    contentHash: createHash('sha256').update(json).digest('hex'),
    searchText: searchTextOf(item, text),
  }
}
