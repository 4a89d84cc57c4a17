import type { Kysely } from 'kysely'
import type { Database } from '../db/database.ts'
import { DomainError } from '../shared/errors.ts'
import { WireDeskErrors } from './ingest-errors.ts'
import type { FeedFetcher, FolderReader } from './polling.ts'
import { WireItem, type WirePicture } from './wire-item.ts'

/** A picture of a wire item, fetched from the agency, with the agency's words for it. */
export interface FetchedWirePicture {
  bytes: Uint8Array
  /** What the agency's server said the type was; the media library checks the bytes. */
  contentType: string | null
  /** The rendition's address as the item gave it, or `file:<name>` (the library remembers it, so a picture is taken once). */
  href: string
  /** The last part of the address, e.g. `harbour-cranes.jpg`. */
  fileName: string
  picture: WirePicture
}

/** The last path segment of a URL, decoded, as a file name; `picture` when there is none. */
export function fileNameOf(href: string): string {
  try {
    const last = new URL(href).pathname.split('/').filter(Boolean).pop() ?? ''
    const name = decodeURIComponent(last).replace(/[^\p{L}\p{N}._ -]+/gu, '-').slice(-200)
    return name || 'picture'
  } catch {
    return 'picture'
  }
}

/** The `index`-th picture of an item's current version, or a not_found DomainError. */
export async function pictureOf(db: Kysely<Database>, itemId: string, index: number): Promise<{ picture: WirePicture; wireSourceId: string | null }> {
  const row = await db
    .selectFrom('wire_items')
    .innerJoin('wire_item_versions', (join) => join.onRef('wire_item_versions.item_id', '=', 'wire_items.id').onRef('wire_item_versions.number', '=', 'wire_items.current_version'))
    .select(['wire_item_versions.item', 'wire_items.wire_source_id'])
    .where('wire_items.id', '=', itemId)
    .executeTakeFirst()
  if (!row) throw new DomainError('not_found', WireDeskErrors.WIRE_ITEM_NOT_FOUND, `No wire item with id ${itemId}.`)
  const picture = WireItem.parse(JSON.parse(row.item)).pictures[index]
  if (!picture) throw new DomainError('not_found', WireDeskErrors.WIRE_PICTURE_NOT_FOUND, `The current version of this item has no picture number ${index + 1}.`)
  return { picture, wireSourceId: row.wire_source_id }
}

/**
 * Fetches one picture of a wire item from the agency, under the same rules as
 * the item's wire source: private and loopback addresses only when that
 * source allows them (copy uploaded by hand has no source, so never), with
 * the fetcher's time, size and redirect caps. Remote trouble is an
 * `unavailable` DomainError naming the reason.
 */
export async function fetchWirePicture(deps: { db: Kysely<Database>; fetchFeed: FeedFetcher; folders: FolderReader }, itemId: string, index: number, maxBytes: number): Promise<FetchedWirePicture> {
  const { picture, wireSourceId } = await pictureOf(deps.db, itemId, index)
  const source = wireSourceId ? await deps.db.selectFrom('wire_sources').select(['allow_private_network', 'kind', 'folder']).where('id', '=', wireSourceId).executeTakeFirst() : undefined
  const failed = (reason: string) => new DomainError('unavailable', WireDeskErrors.WIRE_PICTURE_FETCH_FAILED, reason)
  if (picture.file !== undefined) {
    // A rendition named without an address was delivered beside the copy: only a drop folder has such files.
    if (source?.kind !== 'folder' || !source.folder) {
      throw failed(`The picture is the file “${picture.file}” that should have come with the copy, but this copy did not come through a drop folder, so there is nowhere to read it from.`)
    }
    const bytes = await deps.folders.readBeside(source.folder, picture.file, maxBytes)
    if (bytes === null) throw failed(`The picture file “${picture.file}” is not in the drop folder ${source.folder}.`)
    if (bytes === 'too-large') throw failed(`The picture file “${picture.file}” is larger than the media library takes (${Math.round(maxBytes / 1024 / 1024)} MB).`)
    return { bytes, contentType: null, href: picture.href ?? `file:${picture.file}`, fileName: picture.file, picture }
  }
  const href = picture.href!
  const result = await deps.fetchFeed({ url: href, allowPrivateNetwork: source?.allow_private_network === 1, maxBytes })
  if (result.kind !== 'fetched') {
    const reason = result.kind === 'failed' ? result.reason : 'the agency answered "not modified"'
    throw failed(`The picture could not be fetched from ${new URL(href).host}: ${reason}.`)
  }
  return { bytes: result.bytes, contentType: result.contentType, href, fileName: fileNameOf(href), picture }
}

/** What identifies a picture of an item for the library: its address, or its file name beside the copy. */
export function pictureKey(picture: WirePicture): string {
  return picture.href ?? `file:${picture.file ?? ''}`
}
