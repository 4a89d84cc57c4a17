import type { Kysely } from 'kysely'
import type { Database, Db } from '../db/database.ts'
import type { ArticleService, Block, Body, Inline } from '../articles/index.ts'
import { createAuthorService } from '../authors/index.ts'
import { variantNear, type MediaService, type Picture } from '../media/index.ts'
import { createSectionService } from '../sections/index.ts'
import { createSourceService } from '../sources/index.ts'
import type { Clock } from '../shared/clock.ts'
import { DomainError } from '../shared/errors.ts'
import { slugify } from '../shared/slug.ts'
import { htmlToBlocks } from '../html-to-blocks/index.ts'
import { UNKNOWN_SITE, type ImportBundle, type ImportImage, type ImportIssue, type ImportPost } from './bundle.ts'
import { ImportErrors } from './errors.ts'
import { normalizeLegacyPath } from './paths.ts'

/** Reads a picture the old site referred to from the folder the operator named; null when it is not there. */
export type MediaFinder = (url: string) => Promise<{ bytes: Uint8Array; fileName: string; key: string } | null>

export interface ImporterDeps {
  db: Kysely<Database>
  clock: Clock
  articles: ArticleService
  media: MediaService
}

/** What one run did. `skipped` makes the CLI exit with 2; `notes` are for the operator's eyes only. */
export interface ImportReport {
  imported: number
  /** Items a previous run already brought in: left as they are. */
  unchanged: number
  /** Published on the old site but kept as drafts here, with the reason in `notes`. */
  keptAsDrafts: number
  pictures: number
  redirects: number
  skipped: ImportIssue[]
  notes: ImportIssue[]
}

export interface RunOptions {
  /** Finds pictures in the uploads folder; without it no picture is copied. */
  findMedia?: MediaFinder | null
  /** Called after each post, for a progress bar. */
  onProgress?: (done: number, total: number, label: string) => void
}

const ACTOR = { userId: null }
/** What one post's transaction added, told to the report once it commits. */
type Tally = { redirects: number }
/** Converter notes told per post; the rest are counted, so one odd post does not bury the report. */
const MAX_WARNINGS = 5

/**
 * Writes a read export into Masthead. Every post goes in its own transaction
 * together with the sections, tags and authors it needs, its import-map row
 * and its old paths, so a failure leaves nothing of it behind and the next post
 * goes on. What an earlier run imported is found in the import map and left
 * alone, so running the same export twice changes nothing.
 * Returns a report and never throws for a bad item.
 */
export function createImporter(deps: ImporterDeps) {
  const { db, clock, articles, media } = deps
  const nowIso = () => clock.now().toISOString()

  async function mapped(trx: Db, origin: string, kind: string, sourceId: string): Promise<string | null> {
    const row = await trx
      .selectFrom('import_map')
      .select('target_id')
      .where('origin', '=', origin)
      .where('kind', '=', kind)
      .where('source_id', '=', sourceId)
      .executeTakeFirst()
    return row?.target_id ?? null
  }

  async function remember(trx: Db, origin: string, kind: string, sourceId: string, targetId: string): Promise<void> {
    await trx.insertInto('import_map').values({ origin, kind, source_id: sourceId, target_id: targetId, created_at: nowIso() }).execute()
  }

  /**
   * Old addresses that now answer 301 with `target`; one already taken (by an
   * earlier import, or another item of this one) keeps its first target.
   * Returns how many were added.
   */
  async function redirect(trx: Db, oldPaths: readonly string[], target: string): Promise<number> {
    let added = 0
    for (const old of oldPaths) {
      const path = normalizeLegacyPath(old)
      if (!path || path === target) continue
      const taken = await trx.selectFrom('legacy_redirects').select('path').where('path', '=', path).executeTakeFirst()
      if (taken) continue
      await trx.insertInto('legacy_redirects').values({ path, target, created_at: nowIso() }).execute()
      added += 1
    }
    return added
  }

  /** A section for a category, its parents first; an existing section with the same slug is taken over. Its old archive answers 301 with it. */
  async function ensureSection(trx: Db, bundle: ImportBundle, sourceId: string, tally: Tally, depth = 0): Promise<string | null> {
    const known = await mapped(trx, bundle.origin, 'section', sourceId)
    if (known) return known
    const section = bundle.sections.find((s) => s.sourceId === sourceId)
    if (!section || depth > 20) return null
    const sections = createSectionService({ db: trx })
    const parentId = section.parentSourceId ? await ensureSection(trx, bundle, section.parentSourceId, tally, depth + 1) : null
    const existing = (await sections.listSections()).find((s) => s.slug === section.slug)
    const made =
      existing ??
      (await sections.createSection({ slug: section.slug, name: section.name.slice(0, 120), description: section.description.slice(0, 1000), kind: 'topic', parentId }))
    await remember(trx, bundle.origin, 'section', sourceId, made.id)
    tally.redirects += await redirect(trx, section.oldPaths, `/sections/${made.slug}`)
    return made.id
  }

  async function ensureTag(trx: Db, bundle: ImportBundle, sourceId: string, tally: Tally): Promise<string | null> {
    const known = await mapped(trx, bundle.origin, 'tag', sourceId)
    if (known) return known
    const tag = bundle.tags.find((t) => t.sourceId === sourceId)
    if (!tag) return null
    const sections = createSectionService({ db: trx })
    const made = (await sections.findTagBySlug(tag.slug)) ?? (await sections.createTag({ slug: tag.slug, name: tag.name.slice(0, 120) }))
    await remember(trx, bundle.origin, 'tag', sourceId, made.id)
    tally.redirects += await redirect(trx, tag.oldPaths, `/tags/${made.slug}`)
    return made.id
  }

  async function ensureAuthor(trx: Db, bundle: ImportBundle, sourceId: string, tally: Tally): Promise<string | null> {
    const known = await mapped(trx, bundle.origin, 'author', sourceId)
    if (known) return known
    const author = bundle.authors.find((a) => a.sourceId === sourceId)
    if (!author) return null
    const authors = createAuthorService({ db: trx })
    const made =
      (await authors.findBySlug(author.slug)) ??
      (await authors.createAuthor({ slug: author.slug, name: author.name.slice(0, 160), kind: 'person', bio: author.bio?.slice(0, 4000) ?? null }))
    await remember(trx, bundle.origin, 'author', sourceId, made.id)
    tally.redirects += await redirect(trx, author.oldPaths, `/authors/${made.slug}`)
    return made.id
  }

  /** The credit line for imported stories: the paper's own staff source, made once when there is none. */
  async function staffSource(trx: Db, bundle: ImportBundle): Promise<string> {
    const sources = createSourceService({ db: trx })
    const staff = (await sources.listAll()).find((s) => s.kind === 'staff')
    if (staff) return staff.id
    const slug = slugify(bundle.siteTitle) || 'staff'
    const name = bundle.siteTitle.slice(0, 80).trim() || 'Staff'
    return (await sources.createSource({ slug, name, credit: name, kind: 'staff' })).id
  }

  /** Puts a picture into the library once per file; null when it is not in the folder (which `missing`, when given, is told instead of the report). */
  async function picture(bundle: ImportBundle, find: MediaFinder, image: ImportImage, report: ImportReport, where: string, missing?: Set<string>): Promise<Picture | null> {
    let found: Awaited<ReturnType<MediaFinder>>
    try {
      found = await find(image.url)
    } catch {
      found = null
    }
    if (!found) {
      if (missing) missing.add(image.url)
      else report.notes.push({ where, code: ImportErrors.IMPORT_PICTURE_NOT_FOUND, message: `The picture ${pathOf(image.url)} is not in the uploads folder; the story goes without it.` })
      return null
    }
    const known = await mapped(db, bundle.origin, 'media', found.key)
    if (known) {
      const [existing] = await media.byIds([known])
      if (existing) return existing
    }
    try {
      const uploaded = await media.upload({ bytes: found.bytes, fileName: found.fileName.slice(-255), alt: image.alt.slice(0, 500), caption: image.caption.slice(0, 2000), credit: '' }, ACTOR)
      if (known) await db.updateTable('import_map').set({ target_id: uploaded.id }).where('origin', '=', bundle.origin).where('kind', '=', 'media').where('source_id', '=', found.key).execute()
      else await remember(db, bundle.origin, 'media', found.key, uploaded.id)
      report.pictures += 1
      return uploaded
    } catch (error) {
      const message = error instanceof DomainError ? error.message : String(error)
      report.notes.push({ where, code: ImportErrors.IMPORT_PICTURE_REFUSED, message: `The picture ${found.fileName} was not taken into the library: ${message}` })
      return null
    }
  }

  /**
   * The body, with pictures from the uploads folder placed from the library.
   * What the converter dropped or set aside (a picture it could not place, a
   * link it could not read) becomes a note, so nothing is lost unsaid.
   */
  async function bodyOf(bundle: ImportBundle, post: ImportPost, find: MediaFinder | null, report: ImportReport): Promise<Body> {
    let html = post.html
    const placed = new Map<string, Picture>()
    /** Pictures not in the folder; what became of each is noted once the body is converted. */
    const missing = new Set<string>()
    /** Pictures already in a note, so each is told once. */
    const told = new Set<string>()
    const note = (code: string, message: string) => report.notes.push({ where: post.where, code, message })
    if (find) {
      for (const match of html.matchAll(/<img\b[^>]*>/gi)) {
        const src = srcOf(match[0])
        const url = src ? absolute(src, bundle.baseUrl) : null
        if (!url || placed.has(url) || missing.has(url) || told.has(url)) continue
        const found = await picture(bundle, find, { url, alt: altOf(match[0]), caption: '' }, report, post.where, missing)
        if (found) placed.set(url, found)
        else if (!missing.has(url)) told.add(url) // refused by the library, and noted so
      }
      // parse5 keeps the first of repeated attributes, so sizes put in front win over the old ones:
      // the converter then places the picture where it stood instead of setting it aside for want of a size.
      html = html.replace(/<img\b[^>]*>/gi, (tag) => {
        const src = srcOf(tag)
        const found = src ? placed.get(absolute(src, bundle.baseUrl) ?? '') : undefined
        return found ? `<img width="${found.width}" height="${found.height}"${tag.slice(4)}` : tag
      })
    }
    const converted = htmlToBlocks(html, { baseUrl: bundle.baseUrl })
    const oldOrigin = originOf(bundle.baseUrl)
    const unknownSite = oldOrigin === UNKNOWN_SITE
    const notThere = find ? 'it is not in the uploads folder' : 'no uploads folder was given (--media)'
    const blocks: Block[] = []
    for (const block of converted.body) {
      if (block.type !== 'image') {
        blocks.push(oldOrigin ? localLinks(block, oldOrigin) : block)
        continue
      }
      const found = placed.get(block.src)
      if (!found && !told.has(block.src)) {
        told.add(block.src)
        // An address on a site the export does not name cannot be shown: only the library's copy could be.
        if (unknownSite && originOf(block.src) === UNKNOWN_SITE) {
          note(ImportErrors.IMPORT_PICTURE_NOT_FOUND, `The picture ${pathOf(block.src)} was left out: ${notThere}.`)
          continue
        }
        note(ImportErrors.IMPORT_PICTURE_NOT_FOUND, `The picture ${block.src.slice(0, 200)} is shown from its old address: ${notThere}.`)
      } else if (!found && unknownSite && originOf(block.src) === UNKNOWN_SITE) continue
      const next = { ...block }
      if (found) {
        next.mediaId = found.id
        next.src = variantNear(media.sourcesOf(found).fallback, 1280)?.url ?? block.src
        next.width = found.width
        next.height = found.height
      }
      // Many old pictures have no alt text; a caption says at least what the writer said of it.
      if (next.alt.trim() === '' && next.caption) next.alt = next.caption.slice(0, 500)
      blocks.push(next)
    }
    for (const aside of converted.pictures) {
      const href = aside.href ?? ''
      if (told.has(href)) continue
      told.add(href)
      const shown = originOf(href) === UNKNOWN_SITE ? pathOf(href) : href.slice(0, 200)
      const why = !find ? notThere : missing.has(href) ? `${notThere}, so its size is unknown` : 'it stands inside running text'
      note(ImportErrors.IMPORT_PICTURE_LEFT_OUT, `The picture ${shown} was left out of the body: ${why}. Add it in the story editor if it matters.`)
    }
    const warnings = converted.warnings.map((w) => (unknownSite ? w.replaceAll(UNKNOWN_SITE, '') : w))
    for (const warning of warnings.slice(0, MAX_WARNINGS)) note(ImportErrors.IMPORT_MARKUP_DROPPED, warning)
    if (warnings.length > MAX_WARNINGS) note(ImportErrors.IMPORT_MARKUP_DROPPED, `…and ${warnings.length - MAX_WARNINGS} more such notes for this post.`)
    return blocks
  }

  async function importPost(bundle: ImportBundle, post: ImportPost, options: RunOptions, report: ImportReport): Promise<void> {
    if (await mapped(db, bundle.origin, 'post', post.sourceId)) {
      report.unchanged += 1
      return
    }
    const find = options.findMedia ?? null
    const body = await bodyOf(bundle, post, find, report)
    const featured = post.featuredImage && find ? await picture(bundle, find, post.featuredImage, report, post.where) : null
    if (post.featuredImage && !find) {
      report.notes.push({ where: post.where, code: ImportErrors.IMPORT_PICTURE_NOT_FOUND, message: 'The featured picture was left out: no uploads folder was given (--media).' })
    }
    const result = await db.transaction().execute(async (trx) => {
      // Counted here and added to the report only once the transaction holds.
      const tally: Tally = { redirects: 0 }
      const sectionIds: string[] = []
      for (const id of post.sectionSourceIds) {
        const section = await ensureSection(trx, bundle, id, tally)
        if (section && !sectionIds.includes(section)) sectionIds.push(section)
      }
      const tagIds: string[] = []
      for (const id of post.tagSourceIds) {
        const tag = await ensureTag(trx, bundle, id, tally)
        if (tag && !tagIds.includes(tag)) tagIds.push(tag)
      }
      const authorIds: string[] = []
      for (const id of post.authorSourceIds) {
        const author = await ensureAuthor(trx, bundle, id, tally)
        if (author && !authorIds.includes(author)) authorIds.push(author)
      }
      const imported = await articles.importStory(
        trx,
        {
          title: post.title.slice(0, 300),
          ...(post.slug ? { slug: post.slug } : {}),
          dek: post.excerpt ? post.excerpt.slice(0, 1000) : null,
          body,
          sectionIds: sectionIds.slice(0, 50),
          tagIds: tagIds.slice(0, 50),
          authorIds: authorIds.slice(0, 50),
          sourceId: await staffSource(trx, bundle),
          featuredMediaId: featured?.id ?? null,
          status: post.status,
          createdAt: post.createdAt,
          publishedAt: post.publishedAt,
          updatedAt: post.updatedAt,
        },
        ACTOR,
      )
      await remember(trx, bundle.origin, 'post', post.sourceId, imported.article.id)
      tally.redirects += await redirect(trx, post.oldPaths, `/articles/${imported.article.slug}`)
      return { ...imported, redirects: tally.redirects }
    })
    result.announce()
    report.imported += 1
    report.redirects += result.redirects
    if (result.problems.length > 0) {
      report.keptAsDrafts += 1
      report.notes.push({
        where: post.where,
        code: ImportErrors.IMPORT_KEPT_AS_DRAFT,
        message: `Published on the old site, kept as a draft here: ${result.problems.map((p) => p.message).join(' ')}`,
      })
    }
  }

  /** Imports every post of a read export; see createImporter. */
  async function run(bundle: ImportBundle, options: RunOptions = {}): Promise<ImportReport> {
    const report: ImportReport = { imported: 0, unchanged: 0, keptAsDrafts: 0, pictures: 0, redirects: 0, skipped: [...bundle.skipped], notes: [] }
    const total = bundle.posts.length
    for (const [index, post] of bundle.posts.entries()) {
      options.onProgress?.(index, total, post.title || post.where)
      try {
        await importPost(bundle, post, options, report)
      } catch (error) {
        const message =
          error instanceof DomainError
            ? [error.message, ...error.issues.map((i) => `${i.path}: ${i.message}`)].join(' ')
            : error instanceof Error
              ? error.message
              : String(error)
        report.skipped.push({ where: post.where, code: ImportErrors.IMPORT_ITEM_FAILED, message: message.slice(0, 500) })
      }
    }
    options.onProgress?.(total, total, 'done')
    return report
  }

  /** The new address for an old site's path, or null. */
  async function redirectFor(rawPath: string): Promise<string | null> {
    const path = normalizeLegacyPath(rawPath)
    if (!path) return null
    const row = await db.selectFrom('legacy_redirects').select('target').where('path', '=', path).executeTakeFirst()
    return row?.target ?? null
  }

  return { run, redirectFor }
}

export type Importer = ReturnType<typeof createImporter>

function srcOf(tag: string): string | null {
  const match = /\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag)
  const raw = match?.[1] ?? match?.[2] ?? match?.[3]
  return raw ? raw.replace(/&amp;/g, '&').trim() : null
}

function altOf(tag: string): string {
  const match = /\salt\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag)
  return (match?.[1] ?? match?.[2] ?? '').replace(/&amp;/g, '&').replace(/&quot;/g, '"').trim()
}

function absolute(src: string, base: string | null): string | null {
  try {
    return base ? new URL(src, base).href : new URL(src).href
  } catch {
    return null
  }
}

/** An address on the placeholder site as the path it had there, for the report. */
function pathOf(url: string): string {
  return (url.startsWith(UNKNOWN_SITE) ? url.slice(UNKNOWN_SITE.length) : url).slice(0, 200)
}

function originOf(url: string | null): string | null {
  if (!url) return null
  try {
    return new URL(url).origin
  } catch {
    return null
  }
}

/** Links to the old site become site paths, which the legacy redirects then answer. */
function localLinks(block: Block, oldOrigin: string): Block {
  const fix = (content: Inline[]): Inline[] =>
    content.map((run) => {
      if (!run.marks?.some((m) => m.type === 'link' && m.href.startsWith(`${oldOrigin}/`))) return run
      return {
        ...run,
        marks: run.marks.map((m) => (m.type === 'link' && m.href.startsWith(`${oldOrigin}/`) ? { ...m, href: m.href.slice(oldOrigin.length) } : m)),
      }
    })
  switch (block.type) {
    case 'paragraph':
    case 'heading':
    case 'quote':
      return { ...block, content: fix(block.content) }
    case 'list':
      return { ...block, items: block.items.map(fix) }
    default:
      return block
  }
}
