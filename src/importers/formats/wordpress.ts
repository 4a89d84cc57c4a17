import { DomainError } from '../../shared/errors.ts'
import { parseXml, XmlReadError, xmlAttr, xmlChildren, xmlTextOf, type XmlElement } from '../../wire/index.ts'
import type { ImportAuthor, ImportBundle, ImportImage, ImportIssue, ImportPost, ImportSection, ImportTag } from '../bundle.ts'
import { ImportErrors } from '../errors.ts'
import { autoParagraphs, decodeExport, pagesSkipped, slugFrom, stripShortcodes } from './text.ts'

/**
 * Reads a WordPress export (WXR 1.1 and 1.2: RSS 2.0 with the `wp:` namespace)
 * with the wire desk's XML reader, so a DOCTYPE that declares entities is
 * refused unread. Posts come with their categories (the tree kept), tags,
 * authors, dates, status and slugs; pages, comments, menu items and other
 * kinds are counted and left out. Returns a bundle; throws IMPORT_UNREADABLE
 * only when the file as a whole cannot be read.
 */

/** Elements are many in an export (every post meta is several): far more than a wire feed, still bounded. */
const LIMITS = { maxDepth: 64, maxElements: 5_000_000 }
/** The longest post body read; longer ones are reported, not imported. */
export const MAX_BODY_CHARS = 2_000_000

const WP_NS = /^http:\/\/wordpress\.org\/export\/1\.\d+\/$/
const isWp = (el: XmlElement) => WP_NS.test(el.ns)

function wp(parent: XmlElement, local: string): XmlElement | undefined {
  return xmlChildren(parent, local).find(isWp)
}
function wpText(parent: XmlElement, local: string): string {
  const el = wp(parent, local)
  return el ? xmlTextOf(el).trim() : ''
}
function plain(parent: XmlElement, local: string): string {
  const el = xmlChildren(parent, local).find((c) => c.ns === '')
  return el ? xmlTextOf(el).trim() : ''
}
function nsText(parent: XmlElement, local: string, ns: RegExp): string {
  const el = xmlChildren(parent, local).find((c) => ns.test(c.ns))
  return el ? xmlTextOf(el) : ''
}

/** `2024-05-03 07:15:00` as UTC; null for WordPress's zero date. */
function gmtDate(value: string): string | null {
  const ms = wallClock(value)
  return ms === null ? null : new Date(ms).toISOString()
}

/** A WordPress date's wall-clock reading, as milliseconds as if it were UTC; null for the zero date. */
function wallClock(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value.trim())
  if (!m || m[1] === '0000') return null
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`)
  return Number.isNaN(ms) ? null : ms
}

/**
 * Reads local dates (`post_date`) in the site's zone. WXR does not name the
 * zone, but every item with both a local and a GMT date shows the site's
 * offset at that moment; the sample nearest in time is used, so summer and
 * winter time each get their own. With no sample at all, local is taken as UTC.
 */
function siteZone(items: XmlElement[]): (local: string) => string | null {
  const samples: { at: number; offset: number }[] = []
  for (const item of items) {
    for (const [localName, gmtName] of [['post_date', 'post_date_gmt'], ['post_modified', 'post_modified_gmt']] as const) {
      const local = wallClock(wpText(item, localName))
      const gmt = wallClock(wpText(item, gmtName))
      // Offsets run from -12 to +14 hours; anything else is not a zone.
      if (local !== null && gmt !== null && Math.abs(local - gmt) <= 14 * 3_600_000) samples.push({ at: local, offset: local - gmt })
    }
  }
  return (value) => {
    const local = wallClock(value)
    if (local === null) return null
    let nearest: { at: number; offset: number } | null = null
    for (const sample of samples) if (!nearest || Math.abs(sample.at - local) < Math.abs(nearest.at - local)) nearest = sample
    return new Date(local - (nearest?.offset ?? 0)).toISOString()
  }
}

function rfc822(value: string): string | null {
  if (!value.trim() || /-0001/.test(value)) return null
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/** The folder a site is installed in (`/blog` of https://example.com/blog/), or ''. */
function sitePathOf(baseUrl: string): string {
  return new URL(baseUrl).pathname.replace(/\/+$/, '')
}

function pathOf(url: string): string | null {
  try {
    const parsed = new URL(url)
    return parsed.pathname + parsed.search
  } catch {
    return url.startsWith('/') ? url : null
  }
}

/** Reads the bytes of a WXR file into a bundle. */
export function readWordPress(bytes: Uint8Array, fileName: string): ImportBundle {
  const text = decodeExport(bytes, fileName)
  let root: XmlElement
  try {
    root = parseXml(text, LIMITS)
  } catch (error) {
    if (error instanceof XmlReadError) {
      throw new DomainError('invalid', ImportErrors.IMPORT_UNREADABLE, `${fileName} cannot be read as a WordPress export (${error.code}): ${error.message} Nothing was imported.`)
    }
    throw error
  }
  const channel = root.local === 'rss' ? xmlChildren(root, 'channel')[0] : undefined
  if (!channel || !wp(channel, 'wxr_version')) {
    throw new DomainError('invalid', ImportErrors.IMPORT_UNREADABLE, `${fileName} is not a WordPress export: it has no <rss><channel> with a wp:wxr_version. Export it from Tools → Export in WordPress.`)
  }
  const siteTitle = plain(channel, 'title')
  const link = wpText(channel, 'base_blog_url') || plain(channel, 'link') || wpText(channel, 'base_site_url')
  const baseUrl = URL.canParse(link) ? new URL(link).href : null
  // Items are remembered by what survives a move of the site (see postKey), not by its address.
  const origin = 'wordpress'
  const site = baseUrl ? new URL(baseUrl).host.replace(/^www\./, '') + sitePathOf(baseUrl) : `file:${fileName}`
  // A site installed in a folder (https://example.com/blog) has its archives under it.
  const sitePath = baseUrl ? sitePathOf(baseUrl) : ''
  const skipped: ImportIssue[] = []

  const sections: ImportSection[] = []
  for (const cat of xmlChildren(channel, 'category').filter(isWp)) {
    const nicename = wpText(cat, 'category_nicename')
    const name = wpText(cat, 'cat_name') || nicename
    if (!nicename) continue
    sections.push({
      sourceId: nicename,
      slug: slugFrom(nicename, name, `category-${wpText(cat, 'term_id')}`),
      name: name || nicename,
      description: wpText(cat, 'category_description'),
      parentSourceId: wpText(cat, 'category_parent') || null,
      oldPaths: [],
    })
  }
  const tags: ImportTag[] = []
  for (const tag of xmlChildren(channel, 'tag').filter(isWp)) {
    const nicename = wpText(tag, 'tag_slug')
    const name = wpText(tag, 'tag_name') || nicename
    if (nicename) tags.push({ sourceId: nicename, slug: slugFrom(nicename, name, `tag-${wpText(tag, 'term_id')}`), name, oldPaths: [`${sitePath}/tag/${nicename}/`] })
  }
  const authors: ImportAuthor[] = []
  for (const author of xmlChildren(channel, 'author').filter(isWp)) {
    const login = wpText(author, 'author_login')
    if (!login) continue
    const first = wpText(author, 'author_first_name')
    const last = wpText(author, 'author_last_name')
    const name = wpText(author, 'author_display_name') || [first, last].filter(Boolean).join(' ') || login
    authors.push({ sourceId: login, slug: slugFrom(login, name, `author-${wpText(author, 'author_id')}`), name, bio: null, oldPaths: authorPaths(sitePath, login) })
  }

  const items = xmlChildren(channel, 'item')
  const localDate = siteZone(items)
  const guids = new Map<string, number>()
  for (const item of items) {
    const guid = plain(item, 'guid')
    if (guid) guids.set(guid, (guids.get(guid) ?? 0) + 1)
  }
  /**
   * A post's key in the import map: its guid, which WordPress writes once
   * and never changes (not when the site moves to https or another domain,
   * not when the export is renamed); failing that (none, shared by several
   * items, or longer than any real one, which no index would hold), its id on
   * the site's host.
   */
  const postKey = (id: string, guid: string) => (guid && guid.length <= 500 && guids.get(guid) === 1 ? guid : `${site}/?p=${id}`)
  // Attachments first: posts refer to them for featured pictures.
  const attachments = new Map<string, ImportImage>()
  for (const item of items) {
    if (wpText(item, 'post_type') !== 'attachment') continue
    const url = wpText(item, 'attachment_url')
    if (!url) continue
    const meta = postMeta(item)
    attachments.set(wpText(item, 'post_id'), { url, alt: meta.get('_wp_attachment_image_alt') ?? '', caption: nsText(item, 'encoded', /excerpt/).trim() })
  }

  const posts: ImportPost[] = []
  const pages: string[] = []
  let comments = 0
  const otherKinds = new Map<string, number>()
  items.forEach((item, index) => {
    const title = plain(item, 'title')
    const where = `item[${index + 1}]${title ? ` "${title.slice(0, 60)}"` : ''}`
    try {
      const type = wpText(item, 'post_type') || 'post'
      if (type === 'attachment') return
      if (type === 'page') {
        const link = plain(item, 'link')
        pages.push((link ? pathOf(link) : null) ?? where)
        return
      }
      if (type !== 'post') {
        otherKinds.set(type, (otherKinds.get(type) ?? 0) + 1)
        return
      }
      comments += xmlChildren(item, 'comment').filter(isWp).length
      const status = wpText(item, 'status')
      if (status === 'trash' || status === 'auto-draft' || status === 'inherit') {
        skipped.push({ where, code: ImportErrors.IMPORT_KIND_SKIPPED, message: `A post in the state "${status}" is not imported.` })
        return
      }
      const id = wpText(item, 'post_id')
      if (!id) throw new DomainError('invalid', ImportErrors.IMPORT_ITEM_FAILED, 'The item has no wp:post_id.')
      const content = nsText(item, 'encoded', /^http:\/\/purl\.org\/rss\/1\.0\/modules\/content\/$/)
      if (content.length > MAX_BODY_CHARS) {
        skipped.push({ where, code: ImportErrors.IMPORT_FIELD_TOO_LARGE, message: `The body has ${content.length} characters; at most ${MAX_BODY_CHARS} are read.` })
        return
      }
      const excerpt = nsText(item, 'encoded', /excerpt/).replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim()
      // Dates: the GMT field is UTC. Drafts have a zero GMT date, so pubDate (RFC 822 with its offset)
      // comes next, then the local time read in the site's zone as the other items show it.
      const created = gmtDate(wpText(item, 'post_date_gmt')) ?? rfc822(plain(item, 'pubDate')) ?? localDate(wpText(item, 'post_date'))
      const modified = gmtDate(wpText(item, 'post_modified_gmt')) ?? localDate(wpText(item, 'post_modified'))
      const published = status === 'publish'
      const sectionIds: string[] = []
      const tagIds: string[] = []
      for (const category of xmlChildren(item, 'category').filter((c) => c.ns === '')) {
        const domain = xmlAttr(category, 'domain')
        const nicename = xmlAttr(category, 'nicename') ?? ''
        const name = xmlTextOf(category).trim()
        if (!nicename) continue
        if (domain === 'category') {
          if (!sections.some((s) => s.sourceId === nicename)) {
            sections.push({ sourceId: nicename, slug: slugFrom(nicename, name, 'category'), name: name || nicename, description: '', parentSourceId: null, oldPaths: [`${sitePath}/category/${nicename}/`] })
          }
          sectionIds.push(nicename)
        } else if (domain === 'post_tag') {
          if (!tags.some((t) => t.sourceId === nicename)) tags.push({ sourceId: nicename, slug: slugFrom(nicename, name, 'tag'), name: name || nicename, oldPaths: [`${sitePath}/tag/${nicename}/`] })
          tagIds.push(nicename)
        }
      }
      const creator = nsText(item, 'creator', /^http:\/\/purl\.org\/dc\/elements\/1\.1\/$/).trim()
      if (creator && !authors.some((a) => a.sourceId === creator)) {
        authors.push({ sourceId: creator, slug: slugFrom(creator, creator, 'author'), name: creator, bio: null, oldPaths: authorPaths(sitePath, creator) })
      }
      const meta = postMeta(item)
      const thumbnail = meta.get('_thumbnail_id')
      const oldPaths = new Set<string>()
      const itemLink = plain(item, 'link')
      const linkPath = itemLink ? pathOf(itemLink) : null
      if (linkPath) oldPaths.add(linkPath)
      const guid = plain(item, 'guid')
      const guidPath = guid ? pathOf(guid) : null
      if (guidPath && /[?&]p=\d+/.test(guidPath)) oldPaths.add(guidPath)
      oldPaths.add(`/?p=${id}`)
      posts.push({
        sourceId: postKey(id, guid),
        where,
        title: title || '(untitled)',
        slug: slugFrom(wpText(item, 'post_name'), title, `post-${id}`),
        html: autoParagraphs(stripShortcodes(content)),
        excerpt: excerpt || null,
        status: published ? 'published' : 'draft',
        createdAt: created ?? new Date(0).toISOString(),
        publishedAt: published ? created : null,
        updatedAt: modified,
        sectionSourceIds: sectionIds,
        tagSourceIds: tagIds,
        authorSourceIds: creator ? [creator] : [],
        featuredImage: thumbnail ? (attachments.get(thumbnail) ?? null) : null,
        oldPaths: [...oldPaths],
      })
    } catch (error) {
      skipped.push({ where, code: ImportErrors.IMPORT_ITEM_FAILED, message: error instanceof Error ? error.message : String(error) })
    }
  })
  if (pages.length > 0) skipped.push({ where: 'pages', code: ImportErrors.IMPORT_PAGE_SKIPPED, message: pagesSkipped(pages) })
  if (comments > 0) skipped.push({ where: 'comments', code: ImportErrors.IMPORT_COMMENTS_SKIPPED, message: `${comments} comment${comments === 1 ? ' was' : 's were'} left out: Masthead publishes letters, not comments.` })
  for (const [type, count] of otherKinds) {
    skipped.push({ where: `post_type ${type}`, code: ImportErrors.IMPORT_KIND_SKIPPED, message: `${count} item${count === 1 ? '' : 's'} of the kind "${type.slice(0, 40)}" left out.` })
  }
  for (const section of sections) section.oldPaths = categoryPaths(sections, section, sitePath)
  return { origin, siteTitle: siteTitle || 'Imported', baseUrl, sections, tags, authors, posts, skipped }
}

/**
 * A category's archive: `/category/news/harbour/` (its parents' nicenames
 * first), and `/category/harbour/`, which WordPress also answers.
 */
function categoryPaths(sections: ImportSection[], section: ImportSection, sitePath: string): string[] {
  const chain = [section.sourceId]
  let parent = section.parentSourceId
  while (parent && chain.length < 20 && !chain.includes(parent)) {
    chain.unshift(parent)
    parent = sections.find((s) => s.sourceId === parent)?.parentSourceId ?? null
  }
  const paths = [`${sitePath}/category/${chain.join('/')}/`]
  if (chain.length > 1) paths.push(`${sitePath}/category/${section.sourceId}/`)
  return paths
}

/**
 * An author's archive, `/author/<nicename>/`. WXR gives the login, not the
 * nicename; WordPress makes the nicename from the login as sanitize_title
 * does (lower case, dots to dashes, other signs dropped), which is what is
 * rebuilt here.
 */
function authorPaths(sitePath: string, login: string): string[] {
  const nicename = login
    .toLowerCase()
    .replace(/\./g, '-')
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/\s+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
  return nicename ? [`${sitePath}/author/${nicename}/`] : []
}

function postMeta(item: XmlElement): Map<string, string> {
  const meta = new Map<string, string>()
  for (const entry of xmlChildren(item, 'postmeta').filter(isWp)) {
    const key = wpText(entry, 'meta_key')
    if (key) meta.set(key, wpText(entry, 'meta_value'))
  }
  return meta
}
