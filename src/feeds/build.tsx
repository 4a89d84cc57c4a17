import { renderToString } from 'preact-render-to-string'
import { leadImageOf, type Article, type ArticleService, type Correction, type ListFilter } from '../articles/index.ts'
import type { AuthorService } from '../authors/index.ts'
import { descendantIds, type Section, type SectionService, type Tag } from '../sections/index.ts'
import type { SettingsService, SiteSettings } from '../settings/index.ts'
import { bodyHtml, formatDateTime, urls } from '../site/index.ts'
import type { SourceService } from '../sources/index.ts'
import { DomainError } from '../shared/errors.ts'
import { FEED_FORMATS, type Feed, type FeedFormat, type FeedImage, type FeedItem } from './feed.ts'
import { laterOf } from './later-of.ts'

/** Whose stories a feed lists. */
export type FeedScope = { kind: 'site' } | { kind: 'section' | 'author' | 'tag'; slug: string }

export interface FeedDeps {
  articles: ArticleService
  sections: SectionService
  authors: AuthorService
  sources: SourceService
  settings: SettingsService
  /** Origin from configuration (BASE_URL); null means "use the request's host". */
  baseUrl: string | null
}

/** How many stories a feed carries. */
export const FEED_SIZE = 30

const IMAGE_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
}

/** The media type of a picture from its file name; null when the name does not say. */
export function imageTypeOf(src: string): string | null {
  const match = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(src)
  return match ? (IMAGE_TYPES[match[1]!.toLowerCase()] ?? null) : null
}

/** Makes a site path absolute; absolute URLs pass through. */
function absolute(origin: string, href: string): string {
  return href.startsWith('/') && !href.startsWith('//') ? origin + href : href
}

/**
 * The story's picture for feeds: the body image that is its featured media,
 * else the first picture in the body (the lead picture). Null when there is none
 * or its type cannot be told.
 */
export function featuredImage(article: Article, origin: string): FeedImage | null {
  const chosen = leadImageOf(article)
  if (!chosen) return null
  const type = imageTypeOf(chosen.src)
  if (!type) return null
  return { url: absolute(origin, chosen.src), type, width: chosen.width, height: chosen.height, alt: chosen.alt }
}

/** The corrections as HTML, for the end of a feed item or a ninjs body. */
export function correctionsHtml(corrections: readonly Correction[], timeZone: string): string {
  if (corrections.length === 0) return ''
  return renderToString(
    <section class="corrections">
      <h2>Corrections</h2>
      <ul>
        {corrections.map((c) => (
          <li>
            <time datetime={c.createdAt}>{formatDateTime(c.createdAt, timeZone)}</time>: {c.text}
          </li>
        ))}
      </ul>
    </section>,
  )
}

/** The origin links are made absolute with: the site setting, else BASE_URL, else the request's host. */
export function publicOrigin(site: SiteSettings, baseUrl: string | null, requestOrigin: string): string {
  return (site.baseUrl?.replace(/\/+$/, '') ?? baseUrl ?? requestOrigin).replace(/\/+$/, '')
}

function notFound(what: string): DomainError {
  return new DomainError('not_found', 'FEED_NOT_FOUND', `${what} was not found, so it has no feed.`)
}

/** What a scope lists and how its feeds are titled. */
export interface ResolvedScope {
  /** The published-stories filter of the scope's HTML page. */
  filter: ListFilter
  pagePath: string
  title: string
  description: string
  /** The surrogate keys of the scope's list: `home`, `section:<id>` (with its sub-sections'), `author:<id>` or `tag:<id>`. */
  keys: string[]
}

/**
 * The list filter, page and titles of a scope: the one place that turns a
 * section (with its sub-sections), author or tag into the query its HTML
 * page, its feeds and its ninjs feed all run. A not_found DomainError
 * (FEED_NOT_FOUND) for an unknown slug.
 */
export async function resolveScope(
  deps: Pick<FeedDeps, 'authors' | 'sections'>,
  scope: FeedScope,
  all: readonly Section[],
  site: SiteSettings,
): Promise<ResolvedScope> {
  const { authors, sections } = deps
  switch (scope.kind) {
    case 'site':
      return { filter: {}, pagePath: urls.home(), title: site.siteName, description: site.tagline || `The latest stories from ${site.siteName}.`, keys: ['home'] }
    case 'section': {
      const found = all.find((s) => s.slug === scope.slug)
      if (!found) throw notFound('That section')
      return {
        filter: { sectionId: found.id },
        keys: descendantIds(all, found.id).map((id) => `section:${id}`),
        pagePath: urls.section(found.slug),
        title: `${found.name} | ${site.siteName}`,
        description: found.description || `The latest ${found.name} stories from ${site.siteName}.`,
      }
    }
    case 'author': {
      const found = await authors.findBySlug(scope.slug)
      if (!found) throw notFound('That author')
      return {
        filter: { authorId: found.id },
        keys: [`author:${found.id}`],
        pagePath: urls.author(found.slug),
        title: `${found.name} | ${site.siteName}`,
        description: `Stories by ${found.name} in ${site.siteName}.`,
      }
    }
    case 'tag': {
      const found = await sections.findTagBySlug(scope.slug)
      if (!found) throw notFound('That tag')
      return {
        filter: { tagId: found.id },
        keys: [`tag:${found.id}`],
        pagePath: urls.tag(found.slug),
        title: `${found.name} | ${site.siteName}`,
        description: `Stories tagged ${found.name} in ${site.siteName}.`,
      }
    }
  }
}

/**
 * Builds feeds from the domain services. Each feed is the first page of the
 * same published-stories query as its HTML page, so a story is in a feed
 * exactly when it is on the page.
 */
export function createFeedBuilder(deps: FeedDeps) {
  const { articles, sections, authors, sources, settings } = deps


  /** The feed of a scope; a not_found DomainError (FEED_NOT_FOUND) for an unknown section, author or tag. */
  async function build(scope: FeedScope, requestOrigin: string): Promise<Feed> {
    const [site, all] = await Promise.all([settings.get(), sections.listSections()])
    const origin = publicOrigin(site, deps.baseUrl, requestOrigin)
    const { filter, pagePath, title, description, keys } = await resolveScope(deps, scope, all, site)
    const page = await articles.listPublished(filter, { page: 1, perPage: FEED_SIZE })
    const stories = await articles.loadPublishedMany(page.items.map((s) => s.id))
    const authorIds = [...new Set(stories.flatMap((s) => s.authorIds))]
    const sourceIds = [...new Set(stories.map((s) => s.sourceId).filter((id): id is string => id !== null))]
    const tagIds = [...new Set(stories.flatMap((s) => s.tagIds))]
    const [authorRows, sourceRows, tagRows, corrections] = await Promise.all([
      authors.byIds(authorIds),
      sources.byIds(sourceIds),
      sections.tagsByIds(tagIds),
      articles.listCorrectionsFor(stories.map((s) => s.id)),
    ])
    const authorById = new Map(authorRows.map((a) => [a.id, a]))
    const sourceById = new Map(sourceRows.map((s) => [s.id, s]))
    const tagById = new Map<string, Tag>(tagRows.map((t) => [t.id, t]))
    const sectionById = new Map(all.map((s) => [s.id, s]))

    const items: FeedItem[] = stories.map((story) => {
      const source = story.sourceId ? sourceById.get(story.sourceId) : undefined
      const fixes = corrections.get(story.id) ?? []
      const summaryHtml = story.dek ? renderToString(<p>{story.dek}</p>) : ''
      const readOn = renderToString(
        <p>
          <a href={origin + urls.article(story.slug)}>Read the story on {site.siteName}</a>
        </p>,
      )
      const credit = source && source.kind !== 'staff' ? source.credit : null
      const creditHtml = credit ? renderToString(<p class="credit">Source: {credit}</p>) : ''
      const main = site.feedFullText ? bodyHtml(story.body, origin, site.timeZone) : summaryHtml + readOn
      return {
        id: `urn:masthead:article:${story.id}`,
        url: origin + urls.article(story.slug),
        title: story.title,
        summary: story.dek,
        contentHtml: creditHtml + main + correctionsHtml(fixes, site.timeZone),
        publishedAt: story.publishedAt!,
        updatedAt: story.updatedAt ?? story.publishedAt!,
        authors: story.authorIds
          .map((id) => authorById.get(id))
          .filter((a) => a !== undefined)
          .map((a) => ({ name: a.name, url: origin + urls.author(a.slug) })),
        credit,
        categories: [
          ...story.sectionIds
            .map((id) => sectionById.get(id))
            .filter((s): s is Section => s !== undefined)
            .map((s) => ({ term: s.slug, label: s.name, scheme: `${origin}/sections/` })),
          ...story.tagIds
            .map((id) => tagById.get(id))
            .filter((t): t is Tag => t !== undefined)
            .map((t) => ({ term: t.slug, label: t.name, scheme: `${origin}/tags/` })),
        ],
        image: featuredImage(story, origin),
        corrections: fixes.map((c) => ({ text: c.text, at: c.createdAt })),
      }
    })

    // A story taken down changes the feed too (it drops out), though no remaining item says so.
    const newestItem = items.reduce<string | null>((max, i) => (max === null || i.updatedAt > max ? i.updatedAt : max), null)
    const newest = laterOf(newestItem, await deps.articles.lastTakedown())
    const feedUrls = Object.fromEntries(FEED_FORMATS.map((f) => [f, origin + urls.feed(pagePath, f)])) as Record<FeedFormat, string>
    return {
      id: origin + urls.feed(pagePath, 'atom'),
      title,
      description,
      language: site.language,
      siteName: site.siteName,
      pageUrl: origin + pagePath,
      urls: feedUrls,
      updatedAt: newest,
      items,
      keys: [...keys, ...stories.map((s) => `story:${s.id}`)],
    }
  }

  return { build }
}

export type FeedBuilder = ReturnType<typeof createFeedBuilder>
