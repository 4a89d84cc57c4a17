import type { RawEncoding } from './raw-bytes.ts'

/** Tables owned by the wire desk. Timestamps are ISO 8601 UTC text; JSON columns hold id lists. */

export type WireSourceKind = 'feed' | 'folder' | 'manual'

/** A configured way agency copy arrives: a polled URL, a drop folder, or manual uploads and CLI imports. */
export interface WireSourcesTable {
  id: string
  slug: string
  name: string
  kind: WireSourceKind
  url: string | null
  folder: string | null
  interval_seconds: number
  /** The source (agency) articles made from this feed are credited to. */
  credit_source_id: string | null
  allow_private_network: number
  enabled: number
  etag: string | null
  last_modified: string | null
  last_polled_at: string | null
  last_success_at: string | null
  last_error_at: string | null
  last_error: string | null
  consecutive_failures: number
  next_poll_at: string | null
  /** Which process holds the right to poll now, and until when: polling runs once across processes. */
  lease_owner: string | null
  lease_until: string | null
  created_at: string
}

export type RawOutcome = 'accepted' | 'partial' | 'rejected'

/** Every input exactly as received. Rejected inputs stay here: this table is also the quarantine. */
export interface WireRawTable {
  id: string
  wire_source_id: string | null
  /** Where it came from: a URL, a file name, "upload". */
  origin: string
  content_type: string | null
  received_at: string
  byte_length: number
  /** Of the bytes as received. */
  sha256: string
  /** As received, or packed as `encoding` says (raw-bytes.ts). */
  bytes: Buffer
  encoding: RawEncoding | null
  format: string | null
  outcome: RawOutcome
  /** JSON array of `{ where, code, message }`: rejections and warnings. */
  issues: string
}

/** One agency story: the current state of all its versions. */
export interface WireItemsTable {
  id: string
  /** The agency as stated, or the wire source when the copy does not say. */
  agency_key: string
  agency_item_id: string
  wire_source_id: string | null
  agency_name: string | null
  headline: string
  language: string | null
  urgency: number | null
  pub_status: 'usable' | 'withdrawn' | 'canceled'
  embargo_until: string | null
  version_count: number
  current_version: number
  first_received_at: string
  last_received_at: string
  /** The process that stored the item first (see band-index.ts); null for items stored before it was recorded. */
  received_by: string | null
  /** The agency's version time, or when we received it: the desk sorts by this. */
  sort_at: string
  /** MinHash signature for near-duplicate grouping (see fingerprint.ts). */
  fingerprint: string
  /** Items about the same event share a group id: the id of the group's first item. */
  group_id: string
  section_ids: string
  tag_ids: string
  rule_ids: string
  /** Lower-case headline, slugline, keywords and text, for the desk's text filter. */
  search_text: string
  article_id: string | null
  /** Which version the article draft was made from, to tell editors a newer one arrived. */
  article_version: number | null
}

export interface WireItemVersionsTable {
  id: string
  item_id: string
  /** Our sequence, 1, 2, 3… in order of arrival. */
  number: number
  agency_version: number | null
  raw_id: string
  /** JSON of the normalized WireItem. */
  item: string
  content_hash: string
  pub_status: 'usable' | 'withdrawn' | 'canceled'
  received_at: string
}

/** Routing rule: every criterion given must match; a match adds its sections and tags. */
export interface WireRulesTable {
  id: string
  name: string
  priority: number
  agency: string | null
  subject_code: string | null
  keyword: string | null
  language: string | null
  section_ids: string
  tag_ids: string
  enabled: number
  created_at: string
}

export interface WireTables {
  wire_sources: WireSourcesTable
  wire_raw: WireRawTable
  wire_items: WireItemsTable
  wire_item_versions: WireItemVersionsTable
  wire_rules: WireRulesTable
}
