import { sql, type Kysely } from 'kysely'
import { recordAudit } from '../audit/index.ts'
import type { Role } from '../auth/index.ts'
import type { Database, Db } from '../db/database.ts'
import type { Clock } from '../shared/clock.ts'
import { DomainError } from '../shared/errors.ts'
import { newId } from '../shared/ids.ts'
import { toPage, type Page, type PageRequest } from '../shared/pagination.ts'
import { parseInput } from '../shared/parse.ts'
import { MediaQuery, PictureText, UploadPicture } from './commands.ts'
import { MediaErrors } from './errors.ts'
import {
  claimedFormat,
  describeOtherBytes,
  detectImageFormat,
  EXTENSION,
  FORMAT_NAME,
  MIME,
  VARIANT_WIDTHS,
  type Picture,
  type PictureSources,
  type Variant,
  type VariantFormat,
} from './picture.ts'
import type { MediaTable } from './tables.ts'

/** What reading a picture's header found: its upright size, or why it cannot be used. */
export type Probe =
  | { kind: 'ok'; width: number; height: number; hasAlpha: boolean }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'too-many-pixels'; width: number; height: number }

/** Decodes and re-encodes pictures (sharp in production: images/sharp-processor.ts). */
export interface ImageProcessor {
  /** Reads the size without decoding every pixel. Never throws for bad bytes: they come back as `unreadable`. */
  probe(bytes: Uint8Array, options: { maxPixels: number }): Promise<Probe>
  /**
   * A copy at most `width` wide in `format`, turned upright, in sRGB, with no
   * metadata at all (EXIF with its GPS position, XMP, IPTC, comments) and the
   * first frame only. Throws when the bytes cannot be decoded.
   */
  render(bytes: Uint8Array, options: { width: number; format: VariantFormat; maxPixels: number }): Promise<{ bytes: Uint8Array; width: number; height: number }>
}

/**
 * A media key: a relative path of plain names made of ASCII letters, digits,
 * `_` and `-`, with dots inside names after the first folder (never leading,
 * so no `.`, `..` or hidden file). Nothing in it needs escaping in a URL or
 * means anything to a file system.
 */
const MEDIA_KEY = /^[a-z0-9_-]+(\/[a-z0-9_-][a-z0-9_.-]*)*$/i

/** Whether `key` is a key every MediaStore takes (the local disk and S3 alike). */
export function isMediaKey(key: string): boolean {
  return key.length <= 512 && MEDIA_KEY.test(key)
}

/**
 * Where picture files live: the local disk under DATA_DIR/media
 * (stores/local-disk.ts, the default) or an S3-compatible bucket
 * (stores/s3.ts). Keys are relative paths such as `library/med_…/640.webp`
 * (see isMediaKey); a key is written once and never rewritten, so stores may
 * tell caches to keep files for a year. The store knows the address readers
 * fetch them at.
 */
export interface MediaStore {
  /** Stores the file under `key`; throws for a key isMediaKey refuses. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>
  /** Removes files; keys that are already gone are fine. */
  remove(keys: readonly string[]): Promise<void>
  /** The address a browser loads the file from, e.g. `/media/library/med_…/640.webp`. */
  url(key: string): string
}

/** A story that places a picture (in its body or as its featured picture). */
export interface PictureUse {
  id: string
  title: string
  status: string
}

/** Who is acting on the library. */
export interface MediaActor {
  userId: string | null
  role?: Role
}

export interface MediaLimits {
  /** Largest file accepted, in bytes. */
  maxBytes: number
  /** Largest picture accepted, in pixels (width × height): a small file can decode to gigabytes. */
  maxPixels: number
}

export interface MediaServiceDeps {
  db: Kysely<Database>
  clock: Clock
  store: MediaStore
  images: ImageProcessor
  limits: MediaLimits
  /** The stories that place a picture, any state (the articles feature answers; passed in to keep the folders apart). */
  usage: (mediaId: string) => Promise<PictureUse[]>
  /** Called after a picture's words change or it is removed, so caches of public pages can be emptied. */
  onChanged?: (mediaId: string) => void
  /** Told when a deleted picture's files could not be removed from the store (the picture is gone; its files are left over). */
  onLeftoverFiles?: (keys: readonly string[], error: unknown) => void
}

/** Default limits: 20 MB and 50 megapixels, above any newsroom camera's output. */
export const DEFAULT_MEDIA_LIMITS: MediaLimits = Object.freeze({ maxBytes: 20 * 1024 * 1024, maxPixels: 50_000_000 })

/** The widest variant made; larger originals are not kept. */
const MAX_VARIANT_WIDTH = VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1] ?? 1920

/** Story states in which a picture is on the public site, or about to be. */
const PUBLIC_STATES = new Set(['published', 'scheduled'])

function toPicture(row: MediaTable): Picture {
  return {
    id: row.id,
    fileName: row.file_name,
    sourceFormat: row.source_format,
    width: row.width,
    height: row.height,
    byteLength: row.byte_length,
    alt: row.alt,
    caption: row.caption,
    credit: row.credit,
    variants: JSON.parse(row.variants) as Variant[],
    origin: row.origin,
    wireItemId: row.wire_item_id,
    wireHref: row.wire_href,
    createdAt: row.created_at,
    createdBy: row.created_by,
    modifiedAt: row.modified_at,
  }
}

function searchText(p: { fileName: string; alt: string; caption: string; credit: string }): string {
  return [p.fileName, p.alt, p.caption, p.credit].join('\n').toLowerCase().slice(0, 6000)
}

/** `search_text LIKE '%word%'` with LIKE's wildcards taken literally, alike on SQLite and PostgreSQL. */
function containsWord(word: string) {
  const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  return sql<boolean>`search_text like ${pattern} escape '\\'`
}

const fileIssue = (message: string, code: string) => [{ path: 'file', message, code }]

/** The widths made for a picture `width` pixels wide: the standard ones below it, and its own (capped). */
export function variantWidths(width: number): number[] {
  const top = Math.min(width, MAX_VARIANT_WIDTH)
  return [...new Set([...VARIANT_WIDTHS.filter((w) => w < top), top])]
}

/**
 * The media library: pictures uploaded by staff or taken from the wire, kept
 * as resized variants (AVIF, WebP and a JPEG or PNG fallback) with no
 * metadata, plus the alt text, caption and credit that go with them into
 * stories. Files go through a MediaStore and the picture work through an
 * ImageProcessor, both handed in.
 */
export function createMediaService(deps: MediaServiceDeps) {
  const { db, store, images, limits } = deps
  const nowIso = () => deps.clock.now().toISOString()

  async function mustLoad(id: string): Promise<MediaTable> {
    const row = await db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw new DomainError('not_found', MediaErrors.MEDIA_NOT_FOUND, 'That picture is not in the media library (it may have been deleted).')
    return row
  }

  /**
   * Checks the bytes before any work: size, real format against the claimed
   * one, and the decoded size. Throws `invalid` or `too_large` DomainErrors
   * whose one issue is on the field `file`.
   */
  async function vet(bytes: Uint8Array, fileName: string, declaredType: string | null) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MB`
    if (bytes.length === 0) {
      const message = `“${fileName}” is empty. Choose the picture file again.`
      throw new DomainError('invalid', MediaErrors.MEDIA_UNREADABLE, message, fileIssue(message, MediaErrors.MEDIA_UNREADABLE))
    }
    if (bytes.length > limits.maxBytes) {
      const message = `“${fileName}” is ${mb(bytes.length)}; pictures may be at most ${mb(limits.maxBytes)}. Export a smaller copy and upload that.`
      throw new DomainError('too_large', MediaErrors.MEDIA_TOO_LARGE, message, fileIssue(message, MediaErrors.MEDIA_TOO_LARGE))
    }
    const format = detectImageFormat(bytes)
    if (!format) {
      const message = `“${fileName}” is ${describeOtherBytes(bytes)}, not a picture. Upload a JPEG, PNG, WebP, AVIF or GIF file.`
      throw new DomainError('invalid', MediaErrors.MEDIA_TYPE_UNSUPPORTED, message, fileIssue(message, MediaErrors.MEDIA_TYPE_UNSUPPORTED))
    }
    const claimed = claimedFormat(fileName, declaredType)
    if (claimed && claimed !== format) {
      const message = `“${fileName}” is labelled as ${FORMAT_NAME[claimed]} but its bytes are a ${FORMAT_NAME[format]} picture. Rename it with the right extension (.${format === 'jpeg' ? 'jpg' : format}) or export it again, then upload it.`
      throw new DomainError('invalid', MediaErrors.MEDIA_MISLABELLED, message, fileIssue(message, MediaErrors.MEDIA_MISLABELLED))
    }
    const probe = await images.probe(bytes, { maxPixels: limits.maxPixels })
    if (probe.kind === 'unreadable') {
      const message = `“${fileName}” starts like a ${FORMAT_NAME[format]} picture but cannot be read (${probe.reason}). It may be cut short or damaged; export it again.`
      throw new DomainError('invalid', MediaErrors.MEDIA_UNREADABLE, message, fileIssue(message, MediaErrors.MEDIA_UNREADABLE))
    }
    if (probe.kind === 'too-many-pixels') {
      const message = `“${fileName}” is ${probe.width} × ${probe.height} pixels; pictures may have at most ${Math.round(limits.maxPixels / 1e6)} million pixels. Export a smaller copy.`
      throw new DomainError('too_large', MediaErrors.MEDIA_TOO_MANY_PIXELS, message, fileIssue(message, MediaErrors.MEDIA_TOO_MANY_PIXELS))
    }
    return { format, ...probe }
  }

  /**
   * Adds a picture: checks it, makes its variants, stores them, then records
   * it. A failure at any step leaves no file and no row behind.
   */
  async function upload(
    input: UploadPicture & { bytes: Uint8Array; wire?: { itemId: string; href: string } },
    actor: MediaActor,
    /** `inTransaction` runs in the transaction that records the picture, with its id (the admin API's commit mark). */
    change: { inTransaction?: (trx: Db, id: string) => Promise<void> } = {},
  ): Promise<Picture> {
    const meta = parseInput(UploadPicture, { fileName: input.fileName, declaredType: input.declaredType ?? null, alt: input.alt, caption: input.caption, credit: input.credit }, MediaErrors.MEDIA_INVALID)
    const probe = await vet(input.bytes, meta.fileName, meta.declaredType)
    const id = newId('med', deps.clock.now().getTime())
    const fallback: VariantFormat = probe.hasAlpha || probe.format === 'gif' || probe.format === 'png' ? 'png' : 'jpeg'
    const variants: Variant[] = []
    try {
      for (const format of ['avif', 'webp', fallback] as const) {
        for (const width of variantWidths(probe.width)) {
          const made = await images.render(input.bytes, { width, format, maxPixels: limits.maxPixels })
          const key = `library/${id}/${made.width}.${EXTENSION[format]}`
          try {
            await store.put(key, made.bytes, MIME[format])
          } catch (error) {
            const message = `The picture store did not take “${meta.fileName}”, so nothing was saved. Try again in a minute; if it keeps failing, tell whoever runs the site.`
            throw new DomainError('unavailable', MediaErrors.MEDIA_STORE_UNAVAILABLE, message, fileIssue(message, MediaErrors.MEDIA_STORE_UNAVAILABLE), { cause: error })
          }
          variants.push({ format, width: made.width, height: made.height, key, byteLength: made.bytes.length })
        }
      }
    } catch (error) {
      await store.remove(variants.map((v) => v.key)).catch(() => {})
      if (error instanceof DomainError) throw error
      const message = `“${meta.fileName}” could not be converted: ${error instanceof Error ? error.message : String(error)}. It may be damaged; export it again.`
      throw new DomainError('invalid', MediaErrors.MEDIA_UNREADABLE, message, fileIssue(message, MediaErrors.MEDIA_UNREADABLE), { cause: error })
    }
    const at = nowIso()
    const row: MediaTable = {
      id,
      file_name: meta.fileName,
      source_format: probe.format,
      width: probe.width,
      height: probe.height,
      byte_length: input.bytes.length,
      alt: meta.alt,
      caption: meta.caption,
      credit: meta.credit,
      variants: JSON.stringify(variants),
      search_text: searchText(meta),
      origin: input.wire ? 'wire' : 'upload',
      wire_item_id: input.wire?.itemId ?? null,
      wire_href: input.wire?.href ?? null,
      created_at: at,
      created_by: actor.userId,
      modified_at: at,
    }
    try {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('media').values(row).execute()
        const how = input.wire ? 'from the wire' : 'by upload'
        await recordAudit(trx, { actorId: actor.userId, action: 'media.added', targetType: 'media', targetId: id, summary: `Added “${meta.fileName}” ${how}`, at })
        await change.inTransaction?.(trx, id)
      })
    } catch (error) {
      await store.remove(variants.map((v) => v.key)).catch(() => {})
      throw error
    }
    return toPicture(row)
  }

  /** One picture, or a not_found DomainError. */
  async function get(id: string): Promise<Picture> {
    return toPicture(await mustLoad(id))
  }

  /** The pictures among `ids` that exist, in no particular order. */
  async function byIds(ids: readonly string[]): Promise<Picture[]> {
    const wanted = [...new Set(ids)].filter((id) => id.length <= 64)
    if (wanted.length === 0) return []
    const rows = await db.selectFrom('media').selectAll().where('id', 'in', wanted).execute()
    return rows.map(toPicture)
  }

  /** The library newest first; every word of `q` must appear in the file name, alt text, caption or credit. */
  async function list(query: { q?: string }, page: PageRequest): Promise<Page<Picture>> {
    const { q } = parseInput(MediaQuery, query, MediaErrors.MEDIA_INVALID)
    let select = db.selectFrom('media').selectAll()
    for (const word of q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8)) select = select.where(containsWord(word))
    const rows = await select
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.perPage + 1)
      .offset((page.page - 1) * page.perPage)
      .execute()
    const result = toPage(rows, page)
    return { ...result, items: result.items.map(toPicture) }
  }

  /** Changes the words that go with a picture. Stories that placed it keep the words they copied. */
  async function updateText(id: string, input: PictureText): Promise<Picture> {
    const text = parseInput(PictureText, input, MediaErrors.MEDIA_INVALID)
    const row = await mustLoad(id)
    const next = { ...row, ...text, modified_at: nowIso() }
    next.search_text = searchText({ fileName: row.file_name, ...text })
    await db.updateTable('media').set({ alt: next.alt, caption: next.caption, credit: next.credit, search_text: next.search_text, modified_at: next.modified_at }).where('id', '=', id).execute()
    deps.onChanged?.(id)
    return toPicture(next)
  }

  /** The stories that place a picture. */
  async function usesOf(id: string): Promise<PictureUse[]> {
    await mustLoad(id)
    return deps.usage(id)
  }

  /**
   * Deletes a picture and its files. Refused (MEDIA_IN_USE, naming the
   * stories) while a published or scheduled story places it, since readers
   * would meet a broken picture; drafts that place it keep their copy of the
   * words and lose the picture. Editors and admins may delete any picture,
   * everyone else only their own.
   */
  async function remove(id: string, actor: MediaActor): Promise<void> {
    const row = await mustLoad(id)
    const isDesk = actor.role === undefined || actor.role === 'admin' || actor.role === 'editor'
    if (!isDesk && (actor.userId === null || row.created_by !== actor.userId)) {
      throw new DomainError('forbidden', MediaErrors.MEDIA_FORBIDDEN, 'Only editors, and the person who uploaded a picture, may delete it.')
    }
    const uses = (await deps.usage(id)).filter((use) => PUBLIC_STATES.has(use.status))
    if (uses.length > 0) {
      const names = uses.map((u) => `“${u.title}” (${u.status})`).join(', ')
      throw new DomainError(
        'conflict',
        MediaErrors.MEDIA_IN_USE,
        `This picture is on the site in ${uses.length === 1 ? 'a story' : `${uses.length} stories`}: ${names}. Take it out of ${uses.length === 1 ? 'that story' : 'those stories'} first.`,
        uses.map((u) => ({ path: `stories.${u.id}`, message: u.title, code: MediaErrors.MEDIA_IN_USE })),
      )
    }
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('media').where('id', '=', id).execute()
      await recordAudit(trx, { actorId: actor.userId, action: 'media.deleted', targetType: 'media', targetId: id, summary: `Deleted “${row.file_name}” (${row.alt || row.caption || 'no alt text'})`, at: nowIso() })
    })
    // The row is gone already; a store that fails now leaves files nobody links to, which is reported, not an error for the person deleting.
    const keys = (JSON.parse(row.variants) as Variant[]).map((v) => v.key)
    await store.remove(keys).catch((error: unknown) => deps.onLeftoverFiles?.(keys, error))
    deps.onChanged?.(id)
  }

  /** The picture already taken from this wire item's rendition, if any. */
  async function findFromWire(wireItemId: string, href: string): Promise<Picture | null> {
    const row = await db.selectFrom('media').selectAll().where('wire_item_id', '=', wireItemId).where('wire_href', '=', href).executeTakeFirst()
    return row ? toPicture(row) : null
  }

  /** What pages need to show pictures: variants by format with their addresses. */
  function sourcesOf(picture: Picture): PictureSources {
    const served = (format: VariantFormat) =>
      picture.variants.filter((v) => v.format === format).sort((a, b) => a.width - b.width).map((v) => ({ ...v, url: store.url(v.key) }))
    const fallback = [...served('jpeg'), ...served('png')]
    return {
      id: picture.id,
      width: picture.width,
      height: picture.height,
      alt: picture.alt,
      caption: picture.caption,
      credit: picture.credit,
      avif: served('avif'),
      webp: served('webp'),
      fallback,
    }
  }

  /** Sources of the pictures among `ids` that exist, by id: one query for a whole page. */
  async function sourcesByIds(ids: readonly string[]): Promise<Map<string, PictureSources>> {
    return new Map((await byIds(ids)).map((p) => [p.id, sourcesOf(p)]))
  }

  /**
   * The newest pictures as choices for a select: id and a label (saying when
   * a picture has no alt text). `include` adds pictures already chosen that
   * are older than the newest `limit`, so a form does not drop them.
   */
  async function choices(limit = 200, include: readonly string[] = []): Promise<{ id: string; label: string }[]> {
    const columns = ['id', 'file_name', 'alt', 'caption', 'width', 'height'] as const
    const rows = await db.selectFrom('media').select(columns).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()
    const missing = [...new Set(include)].filter((id) => id.length <= 64 && !rows.some((r) => r.id === id))
    const older = missing.length > 0 ? await db.selectFrom('media').select(columns).where('id', 'in', missing).execute() : []
    return [...older, ...rows].map((r) => ({ id: r.id, label: `${(r.alt || r.caption || r.file_name).slice(0, 80)} (${r.width} × ${r.height})${r.alt.trim() ? '' : ', no alt text'}` }))
  }

  return { upload, get, byIds, list, updateText, usesOf, remove, findFromWire, sourcesOf, sourcesByIds, choices, limits }
}

export type MediaService = ReturnType<typeof createMediaService>
