import { bodyText, leadImageOf, type Article, type Correction, type ImageBlock } from '../articles/index.ts'
import type { Author } from '../authors/index.ts'
import type { PictureSources } from '../media/index.ts'
import type { Section, Tag } from '../sections/index.ts'
import type { SiteSettings } from '../settings/index.ts'
import { DomainError } from '../shared/errors.ts'
import { parsePageNumber } from '../shared/pagination.ts'
import { bodyHtml, urls } from '../site/index.ts'
import type { Source } from '../sources/index.ts'
import { correctionsHtml, FEED_SIZE, imageTypeOf, publicOrigin, resolveScope, type FeedDeps } from './build.tsx'
import { laterOf } from './later-of.ts'

/**
 * IPTC ninjs 2.1 ("news in JSON") for partners: every published story as one
 * ninjs object, and the same list queries as the feeds as paged documents of
 * them. Only what the story's public page shows goes out: no desk notes,
 * working copies, workflow fields or who edited what.
 *
 * The mapping (ninjs 2.1 property ← Masthead):
 * - `uri` ← `urn:masthead:article:<id>`, the feeds' item id, so a partner can match both;
 *   `version` ← the revision number; `firstcreated` ← first publication;
 *   `versioncreated` ← the last public update (a minor fix bumps `version` only);
 *   `contentcreated` ← when the story was started.
 * - `headlines` ← headline (`main`) and dek (`subheadline`); `descriptions` ← dek (`summary`).
 * - `bodies` ← the blocks rendered by the site (`text/html`) and as plain text, each with corrections.
 * - `by` and `people` (rel `author`) ← the byline in order.
 * - `infosources` ← the credit line's source as `originator` (`literal` is its short
 *   credit, "ACP"), then the paper as `distributor`; staff copy names the paper as originator.
 * - `subjects` ← sections (rel `section`, primary first) and tags (rel `tag`), with their page URLs.
 * - `located` ← the dateline; `slugline` ← the slug; `renditions` ← the public page (`text/html`).
 * - `associations` ← the featured picture as a `picture` with every served rendition.
 * - `copyrightnotice`, `usageterms` ← the site settings of those names, when set.
 */

/** The ninjs version written, and the IPTC schema it validates against. */
export const NINJS_STANDARD = { name: 'ninjs', version: '2.1', schema: 'http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json#' } as const

/**
 * ninjs has no registered media type; documents go out as JSON, with the
 * schema named in a `Link: <…>; rel="describedby"` header (JSON Schema's own
 * convention) so a program can tell what the JSON is.
 */
export const NINJS_CONTENT_TYPE = 'application/json; charset=utf-8'

/** Stories in one page of a ninjs feed: as many as the other feeds carry. */
export const NINJS_PAGE_SIZE = FEED_SIZE

/** A ninjs 2.1 object, as plain JSON. */
export type NinjsObject = Record<string, unknown>

/** A page of a ninjs feed: not itself ninjs, a wrapper around a list of ninjs objects. */
export interface NinjsFeed {
  title: string
  description: string
  /** The HTML page the feed mirrors. */
  home: string
  self: string
  first: string
  next: string | null
  previous: string | null
  page: number
  /** The newest `versioncreated` on this page; null when empty. */
  updated: string | null
  standard: typeof NINJS_STANDARD
  items: NinjsObject[]
}

/** Which stories a ninjs feed lists: the whole site or a section with its sub-sections. */
export type NinjsScope = { kind: 'site' } | { kind: 'section'; slug: string }

/** What is at a story's ninjs address. */
export type NinjsStoryLookup =
  | { kind: 'story'; ninjs: NinjsObject; versionCreated: string }
  /** It was published once and is not now: partners should take it down (410). */
  | { kind: 'gone'; withdrawnNote: string | null }
  | { kind: 'missing' }

export interface NinjsDeps extends FeedDeps {
  /** Library pictures by id, with their variants' addresses (the media service). */
  pictures: { sourcesByIds(ids: readonly string[]): Promise<Map<string, PictureSources>> }
}

/** Everything turning stories into ninjs needs, looked up once per document. */
interface Lookups {
  origin: string
  site: SiteSettings
  sections: ReadonlyMap<string, Section>
  authors: ReadonlyMap<string, Author>
  tags: ReadonlyMap<string, Tag>
  sources: ReadonlyMap<string, Source>
  corrections: ReadonlyMap<string, readonly Correction[]>
  pictures: ReadonlyMap<string, PictureSources>
}

const present = <T>(value: T | undefined): value is T => value !== undefined

/** "A", "A and B", "A, B and C": the byline as a sentence, as the page shows it. */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? ''
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

/** A URL the schema's `format: uri` accepts (absolute, with a scheme), else undefined. */
function asUri(value: string | null | undefined): string | undefined {
  if (!value) return undefined
  try {
    return new URL(value).href
  } catch {
    return undefined
  }
}

function absolute(origin: string, href: string): string {
  return href.startsWith('/') && !href.startsWith('//') ? origin + href : href
}

function correctionsText(corrections: readonly Correction[]): string {
  return corrections.map((c) => `Correction (${c.createdAt.slice(0, 10)}): ${c.text}`).join('\n\n')
}

/** The renditions of a picture: every served variant when it is in the library, else its one address. */
function pictureRenditions(image: ImageBlock, sources: PictureSources | undefined, origin: string): NinjsObject[] {
  if (sources && sources.fallback.length > 0) {
    const largest = sources.fallback.at(-1)!
    const rendition = (v: PictureSources['fallback'][number], name: string) => ({
      name,
      href: absolute(origin, v.url),
      contenttype: mimeOf(v.format),
      width: v.width,
      height: v.height,
      sizeinbytes: v.byteLength,
    })
    // The full-size JPEG or PNG first, named so a receiving wire desk takes it as the picture.
    return [
      rendition(largest, 'baseimage'),
      ...[...sources.fallback.slice(0, -1), ...sources.webp, ...sources.avif].map((v) => rendition(v, `${v.format}-${v.width}`)),
    ]
  }
  const contenttype = imageTypeOf(image.src)
  return [{ name: 'baseimage', href: absolute(origin, image.src), ...(contenttype ? { contenttype } : {}), width: image.width, height: image.height }]
}

function mimeOf(format: string): string {
  return format === 'jpeg' ? 'image/jpeg' : `image/${format}`
}

/** The story's featured picture as a ninjs association, or null when it has none. */
function featuredPicture(article: Article, look: Lookups): NinjsObject | null {
  const image = leadImageOf(article)
  if (!image) return null
  const sources = image.mediaId ? look.pictures.get(image.mediaId) : undefined
  const descriptions = [
    ...(image.caption ? [{ role: 'caption', contenttype: 'text/plain', value: image.caption }] : []),
    ...(image.alt ? [{ role: 'alttext', contenttype: 'text/plain', value: image.alt }] : []),
  ]
  return {
    name: 'featureimage',
    uri: image.mediaId ? `urn:masthead:media:${image.mediaId}` : absolute(look.origin, image.src),
    type: 'picture',
    representationtype: 'full',
    ...(image.caption ? { headlines: [{ role: 'main', contenttype: 'text/plain', value: image.caption }] } : {}),
    ...(descriptions.length > 0 ? { descriptions } : {}),
    ...(image.credit ? { by: image.credit } : {}),
    renditions: pictureRenditions(image, sources, look.origin),
  }
}

/**
 * One published story as a ninjs 2.1 object. Reads only the story's public
 * fields; every string stays a JSON string (the HTML body is the site's own
 * escaped rendering), so nothing a writer typed can become markup here.
 */
export function toNinjs(article: Article, look: Lookups): NinjsObject {
  const { origin, site } = look
  const publishedAt = article.publishedAt!
  const authors = article.authorIds.map((id) => look.authors.get(id)).filter(present)
  const source = article.sourceId ? look.sources.get(article.sourceId) : undefined
  const corrections = look.corrections.get(article.id) ?? []
  const html = bodyHtml(article.body, origin, site.timeZone) + correctionsHtml(corrections, site.timeZone)
  const text = [bodyText(article.body), correctionsText(corrections)].filter(Boolean).join('\n\n')
  const words = text.split(/\s+/).filter(Boolean).length
  const paper = { name: site.siteName, ...(asUri(origin) ? { uri: asUri(origin) } : {}) }
  const infosources =
    source && source.kind !== 'staff'
      ? [
          { name: source.name, role: 'originator', literal: source.credit, ...(asUri(source.url) ? { uri: asUri(source.url) } : {}) },
          { ...paper, role: 'distributor', literal: site.siteName },
        ]
      : [{ ...paper, role: 'originator', literal: site.siteName }]
  const sections = article.sectionIds.map((id) => look.sections.get(id)).filter(present)
  const tags = article.tagIds.map((id) => look.tags.get(id)).filter(present)
  const picture = featuredPicture(article, look)
  return {
    uri: `urn:masthead:article:${article.id}`,
    type: 'text',
    representationtype: 'full',
    standard: NINJS_STANDARD,
    version: String(article.revision),
    firstcreated: publishedAt,
    versioncreated: article.updatedAt ?? publishedAt,
    contentcreated: article.createdAt < publishedAt ? article.createdAt : publishedAt,
    pubstatus: 'usable',
    language: site.language,
    ...(site.copyrightNotice ? { copyrightnotice: site.copyrightNotice } : {}),
    ...(site.usageTerms ? { usageterms: site.usageTerms } : {}),
    slugline: article.slug,
    headlines: [
      { role: 'main', contenttype: 'text/plain', value: article.title },
      ...(article.dek ? [{ role: 'subheadline', contenttype: 'text/plain', value: article.dek }] : []),
    ],
    ...(article.dek ? { descriptions: [{ role: 'summary', contenttype: 'text/plain', value: article.dek }] } : {}),
    bodies: [
      { role: 'main', contenttype: 'text/html', value: html },
      { role: 'main', contenttype: 'text/plain', value: text, charcount: text.length, wordcount: words },
    ],
    ...(authors.length > 0
      ? {
          by: joinNames(authors.map((a) => a.name)),
          people: authors.map((a) => ({ name: a.name, rel: 'author', uri: origin + urls.author(a.slug), literal: a.slug })),
        }
      : {}),
    infosources,
    ...(article.dateline ? { located: article.dateline } : {}),
    ...(sections.length + tags.length > 0
      ? {
          subjects: [
            ...sections.map((s) => ({ name: s.name, rel: 'section', uri: origin + urls.section(s.slug), literal: s.slug })),
            ...tags.map((t) => ({ name: t.name, rel: 'tag', uri: origin + urls.tag(t.slug), literal: t.slug })),
          ],
        }
      : {}),
    altids: [{ role: 'masthead-id', value: article.id }],
    renditions: [{ name: 'web', href: origin + urls.article(article.slug), contenttype: 'text/html', title: article.title }],
    ...(picture ? { associations: [picture] } : {}),
  }
}

/**
 * Builds ninjs documents from the domain services: one story by id, or a page
 * of the site's or a section's stories from the same published-stories query
 * as the feeds (`resolveScope`), newest first.
 */
export function createNinjsBuilder(deps: NinjsDeps) {
  const { articles, sections, authors, sources, settings } = deps

  async function lookupsFor(origin: string, site: SiteSettings, all: readonly Section[], stories: readonly Article[]): Promise<Lookups> {
    const mediaIds = [...new Set(stories.map((s) => leadImageOf(s)?.mediaId).filter((id): id is string => id !== undefined))]
    const [authorRows, sourceRows, tagRows, corrections, pictures] = await Promise.all([
      authors.byIds([...new Set(stories.flatMap((s) => s.authorIds))]),
      sources.byIds([...new Set(stories.map((s) => s.sourceId).filter((id): id is string => id !== null))]),
      sections.tagsByIds([...new Set(stories.flatMap((s) => s.tagIds))]),
      articles.listCorrectionsFor(stories.map((s) => s.id)),
      mediaIds.length > 0 ? deps.pictures.sourcesByIds(mediaIds) : Promise.resolve(new Map<string, PictureSources>()),
    ])
    return {
      origin,
      site,
      sections: new Map(all.map((s) => [s.id, s])),
      authors: new Map(authorRows.map((a) => [a.id, a])),
      tags: new Map(tagRows.map((t) => [t.id, t])),
      sources: new Map(sourceRows.map((s) => [s.id, s])),
      corrections,
      pictures,
    }
  }

  /** The story with this id as ninjs, if the public may see it; `gone` once it was unpublished. */
  async function story(id: string, requestOrigin: string): Promise<NinjsStoryLookup> {
    if (!/^art_[0-9a-z]{1,64}$/.test(id)) return { kind: 'missing' }
    const [article] = await articles.loadPublishedMany([id])
    if (!article) {
      // Drafts, stories in review and scheduled ones are as unknown as ids nobody made.
      const any = await articles.findById(id)
      return any?.status === 'unpublished' ? { kind: 'gone', withdrawnNote: any.withdrawnNote } : { kind: 'missing' }
    }
    const [site, all] = await Promise.all([settings.get(), sections.listSections()])
    const origin = publicOrigin(site, deps.baseUrl, requestOrigin)
    const ninjs = toNinjs(article, await lookupsFor(origin, site, all, [article]))
    return { kind: 'story', ninjs, versionCreated: ninjs.versioncreated as string }
  }

  /**
   * One page of a ninjs feed, with its surrogate keys. An unknown section is FEED_NOT_FOUND, a page
   * past the last NINJS_NOT_FOUND, a malformed page number PAGE_INVALID.
   */
  async function feed(scope: NinjsScope, rawPage: unknown, requestOrigin: string): Promise<{ document: NinjsFeed; keys: string[] }> {
    const page = parsePageNumber(rawPage)
    const [site, all] = await Promise.all([settings.get(), sections.listSections()])
    const origin = publicOrigin(site, deps.baseUrl, requestOrigin)
    const { filter, pagePath, title, description, keys } = await resolveScope(deps, scope, all, site)
    const list = await articles.listPublished(filter, { page, perPage: NINJS_PAGE_SIZE })
    if (page > 1 && list.items.length === 0) {
      throw new DomainError('not_found', 'NINJS_NOT_FOUND', `This ninjs feed has no page ${page}; its pages run out before it.`)
    }
    // loadPublishedMany does not promise the list's order; put the stories back in it.
    const loaded = new Map((await articles.loadPublishedMany(list.items.map((s) => s.id))).map((a) => [a.id, a]))
    const stories = list.items.map((s) => loaded.get(s.id)).filter(present)
    const look = await lookupsFor(origin, site, all, stories)
    const items = stories.map((s) => toNinjs(s, look))
    const path = origin + (scope.kind === 'site' ? urls.ninjsSite() : urls.ninjsSection(scope.slug))
    const at = (n: number) => (n > 1 ? `${path}?page=${n}` : path)
    const newestItem = items.reduce<string | null>((max, i) => {
      const v = i.versioncreated as string
      return max === null || v > max ? v : max
    }, null)
    // A story taken down changes the feed too (it drops out), though no remaining item says so.
    const updated = laterOf(newestItem, await deps.articles.lastTakedown())
    const document: NinjsFeed = {
      title,
      description,
      home: origin + pagePath,
      self: at(page),
      first: at(1),
      next: list.hasNext ? at(page + 1) : null,
      previous: page > 1 ? at(page - 1) : null,
      page,
      updated,
      standard: NINJS_STANDARD,
      items,
    }
    // The surrogate keys of the document: its scope's list and every story on the page.
    return { document, keys: [...keys, ...stories.map((s) => `story:${s.id}`)] }
  }

  return { story, feed }
}

export type NinjsBuilder = ReturnType<typeof createNinjsBuilder>
