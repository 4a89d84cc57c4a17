import type { ArticleService, PublishedKey } from '../articles/index.ts'
import type { AuthorService } from '../authors/index.ts'
import { descendantIds, type SectionService } from '../sections/index.ts'
import type { SettingsService, SiteSettings } from '../settings/index.ts'
import { urls } from '../site/index.ts'
import { DomainError } from '../shared/errors.ts'
import { el } from './xml.ts'
import { laterOf } from './later-of.ts'

/**
 * Sitemaps (sitemaps.org protocol 0.9) and robots.txt. Article sitemaps hold
 * at most `chunkSize` URLs (the protocol's limit is 50,000) and are written
 * while the rows are read in keyset pages, so a million stories never sit in
 * memory; the index lists every chunk with its newest change.
 */

export const SITEMAP_LIMIT = 50_000
/** Stories in the news sitemap: the last two days, at most 1,000 (the news extension's limits). */
export const NEWS_WINDOW_MS = 48 * 60 * 60 * 1000
export const NEWS_LIMIT = 1000
/** Rows read per query while writing an article sitemap. */
const BATCH = 1000

const URLSET_OPEN = '<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
const NEWS_URLSET_OPEN =
  '<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'

export interface SitemapDeps {
  articles: ArticleService
  sections: SectionService
  authors: AuthorService
  settings: SettingsService
  baseUrl: string | null
  /** URLs per article sitemap; SITEMAP_LIMIT unless a test wants small chunks. */
  chunkSize?: number
  now?: () => Date
}

/** Paths the sitemaps live at. */
export const sitemapUrls = {
  index: () => '/sitemap.xml',
  articles: (n: number) => `/sitemaps/articles-${n}.xml`,
  sections: () => '/sitemaps/sections.xml',
  authors: () => '/sitemaps/authors.xml',
  tags: () => '/sitemaps/tags.xml',
  news: () => '/sitemaps/news.xml',
}

/** Paths no crawler should follow: the newsroom, private previews and search results (endless, thin pages). */
export const DISALLOWED_PATHS = ['/admin', '/preview/', '/search', '/api/search']

function urlEntry(loc: string, lastmod: string | null): string {
  return `<url>${el('loc', loc)}${el('lastmod', lastmod)}</url>\n`
}

/** The news extension's language: an ISO 639 code, with zh-cn and zh-tw as the only regional forms. */
export function newsLanguage(language: string): string {
  const lower = language.toLowerCase()
  return lower === 'zh-cn' || lower === 'zh-tw' ? lower : (lower.split('-')[0] ?? 'en')
}

export function createSitemaps(deps: SitemapDeps) {
  const { articles, sections, authors, settings } = deps
  const chunkSize = deps.chunkSize ?? SITEMAP_LIMIT
  const now = deps.now ?? (() => new Date())

  /**
   * The latest takedown that changed an article chunk ending at `upTo` (null: the last chunk). A
   * story taken down anywhere before a chunk's end shifts that chunk's URLs by one, so every such
   * takedown counts, and one of a recent story touches only the last chunk.
   */
  async function takenDownUpTo(upTo: PublishedKey | null): Promise<string | null> {
    return deps.articles.lastTakedown(upTo)
  }

  function originOf(site: SiteSettings, requestOrigin: string): string {
    return (site.baseUrl ?? deps.baseUrl ?? requestOrigin).replace(/\/+$/, '')
  }

  /** robots.txt: everything public may be crawled except DISALLOWED_PATHS; names the sitemap index. */
  async function robots(requestOrigin: string): Promise<string> {
    const origin = originOf(await settings.get(), requestOrigin)
    return ['User-agent: *', ...DISALLOWED_PATHS.map((p) => `Disallow: ${p}`), '', `Sitemap: ${origin}${sitemapUrls.index()}`, ''].join('\n')
  }

  /**
   * The article chunks: each one's last key and newest change. Walks the
   * publication order `chunkSize` index entries at a time.
   */
  async function chunks(): Promise<{ lastModified: string }[]> {
    const out: { lastModified: string }[] = []
    let previous: PublishedKey | null = null
    for (;;) {
      const last: PublishedKey | null = await articles.publishedKeyAfter(previous, chunkSize - 1)
      const newest = await articles.lastModifiedBetween({ after: previous, upTo: last })
      if (newest === null) break
      out.push({ lastModified: laterOf(newest, await takenDownUpTo(last))! })
      if (!last) break
      previous = last
    }
    return out
  }

  /** The sitemap index, and the newest change it knows of (for Last-Modified). */
  async function index(requestOrigin: string): Promise<{ xml: string; lastModified: string | null }> {
    const origin = originOf(await settings.get(), requestOrigin)
    const [articleChunks, newest] = await Promise.all([chunks(), articles.lastModifiedByLink('section')])
    const latest = articleChunks.reduce<string | null>((max, c) => (max === null || c.lastModified > max ? c.lastModified : max), null)
    const entries = [
      ...articleChunks.map((c, i) => ({ loc: origin + sitemapUrls.articles(i + 1), lastmod: c.lastModified })),
      { loc: origin + sitemapUrls.sections(), lastmod: [...newest.values()].sort().at(-1) ?? null },
      { loc: origin + sitemapUrls.authors(), lastmod: latest },
      { loc: origin + sitemapUrls.tags(), lastmod: latest },
      { loc: origin + sitemapUrls.news(), lastmod: latest },
    ]
    const xml =
      '<?xml version="1.0" encoding="utf-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
      entries.map((e) => `<sitemap>${el('loc', e.loc)}${el('lastmod', e.lastmod)}</sitemap>\n`).join('') +
      '</sitemapindex>\n'
    return { xml, lastModified: latest }
  }

  /**
   * Article sitemap number `n` (from 1), written as the rows are read; null
   * when there is no such chunk. `lastModified` is the chunk's newest change.
   */
  async function articleChunk(requestOrigin: string, n: number): Promise<{ lastModified: string; body: AsyncIterable<string> } | null> {
    if (!Number.isSafeInteger(n) || n < 1) return null
    const origin = originOf(await settings.get(), requestOrigin)
    // The chunk starts after the last key of the chunk before it.
    let start: PublishedKey | null = null
    for (let i = 1; i < n; i++) {
      start = await articles.publishedKeyAfter(start, chunkSize - 1)
      if (!start) return null
    }
    const end = await articles.publishedKeyAfter(start, chunkSize - 1)
    const newest = await articles.lastModifiedBetween({ after: start, upTo: end })
    if (newest === null) return null
    const lastModified = laterOf(newest, await takenDownUpTo(end))!
    const from = start
    async function* body(): AsyncIterable<string> {
      yield URLSET_OPEN
      let cursor = from
      let written = 0
      while (written < chunkSize) {
        const limit = Math.min(BATCH, chunkSize - written)
        const rows = await articles.listPublishedRefs({ from: cursor, limit })
        if (rows.length === 0) break
        yield rows.map((r) => urlEntry(origin + urls.article(r.slug), r.lastModifiedAt)).join('')
        written += rows.length
        // A short page was the last one: no need to ask again for nothing.
        if (rows.length < limit) break
        const last = rows.at(-1)!
        cursor = { publishedAt: last.publishedAt, id: last.id }
      }
      yield '</urlset>\n'
    }
    return { lastModified, body: body() }
  }

  /** The sitemap of section fronts (with the home page), author pages or tag pages, each with its newest story's date. */
  async function pages(requestOrigin: string, kind: 'sections' | 'authors' | 'tags'): Promise<string> {
    const origin = originOf(await settings.get(), requestOrigin)
    let entries: { loc: string; lastmod: string | null }[]
    if (kind === 'sections') {
      const [all, newest] = await Promise.all([sections.listSections(), articles.lastModifiedByLink('section')])
      const latestOf = (ids: readonly string[]) => ids.map((id) => newest.get(id)).filter((d): d is string => d !== undefined).sort().at(-1) ?? null
      entries = [
        { loc: origin + urls.home(), lastmod: [...newest.values()].sort().at(-1) ?? null },
        // A section front lists its sub-sections' stories too.
        ...all.map((s) => ({ loc: origin + urls.section(s.slug), lastmod: latestOf(descendantIds(all, s.id)) })),
      ]
    } else if (kind === 'authors') {
      const [all, newest] = await Promise.all([authors.listAll(), articles.lastModifiedByLink('author')])
      entries = all.filter((a) => newest.has(a.id)).map((a) => ({ loc: origin + urls.author(a.slug), lastmod: newest.get(a.id) ?? null }))
    } else {
      const [all, newest] = await Promise.all([sections.listTags(), articles.lastModifiedByLink('tag')])
      entries = all.filter((t) => newest.has(t.id)).map((t) => ({ loc: origin + urls.tag(t.slug), lastmod: newest.get(t.id) ?? null }))
    }
    // An empty <urlset> is not valid against the schema; a site without stories still has its front page.
    if (entries.length === 0) entries = [{ loc: origin + urls.home(), lastmod: null }]
    return URLSET_OPEN + entries.map((e) => urlEntry(e.loc, e.lastmod)).join('') + '</urlset>\n'
  }

  /** The news sitemap: stories of the last 48 hours with publication name and language, date and title. */
  async function news(requestOrigin: string): Promise<string> {
    const site = await settings.get()
    const origin = originOf(site, requestOrigin)
    const since = new Date(now().getTime() - NEWS_WINDOW_MS).toISOString()
    const recent = await articles.listPublishedSince(since, NEWS_LIMIT)
    const language = newsLanguage(site.language)
    const entries = recent.map(
      (r) =>
        `<url>${el('loc', origin + urls.article(r.slug))}<news:news><news:publication>${el('news:name', site.siteName)}${el('news:language', language)}</news:publication>` +
        `${el('news:publication_date', r.publishedAt)}${el('news:title', r.title)}</news:news></url>\n`,
    )
    // With nothing recent, the front page keeps the document valid (a urlset needs one url) without claiming news.
    const body = entries.length > 0 ? entries.join('') : urlEntry(origin + urls.home(), null)
    return NEWS_URLSET_OPEN + body + '</urlset>\n'
  }

  return { robots, index, articleChunk, pages, news }
}

export type Sitemaps = ReturnType<typeof createSitemaps>

/** The error for a sitemap number past the last chunk. */
export function sitemapNotFound(): DomainError {
  return new DomainError('not_found', 'SITEMAP_NOT_FOUND', 'There is no sitemap with that number.')
}
