import { createHash } from 'node:crypto'

/** A rendered document (a page, a feed, a sitemap) and its entity tag, computed once when rendered. */
export interface CachedPage {
  html: string
  etag: string
  /** 200 unless the page says otherwise (410 for a withdrawn story). */
  status?: number
  /** The media type, when not an HTML page (feeds, sitemaps). */
  contentType?: string
  /** An HTTP date for Last-Modified, when the document knows when its content last changed (feeds, sitemaps). */
  lastModified?: string
}

/**
 * Rendered public pages kept in memory, keyed by what decides a page's
 * content (host, path and page number). Publishing, updating or unpublishing
 * clears it (the composition root wires that); entries also expire after
 * `ttlMs` so settings changed elsewhere show up without a restart.
 */
export interface PageCache {
  get(key: string): CachedPage | undefined
  set(key: string, page: CachedPage): void
  clear(): void
}

/** The weak ETag of a page body. */
export function etagOf(html: string): string {
  return `W/"${createHash('sha1').update(html).digest('base64url')}"`
}

export function createPageCache(options: { maxEntries: number; ttlMs: number; now?: () => number }): PageCache {
  const now = options.now ?? Date.now
  const entries = new Map<string, { page: CachedPage; expires: number }>()
  return {
    get(key) {
      const entry = entries.get(key)
      if (!entry) return undefined
      if (entry.expires <= now()) {
        entries.delete(key)
        return undefined
      }
      // Re-insert to keep Map order as least-recently-used first.
      entries.delete(key)
      entries.set(key, entry)
      return entry.page
    },
    set(key, page) {
      entries.delete(key)
      entries.set(key, { page, expires: now() + options.ttlMs })
      while (entries.size > options.maxEntries) {
        const oldest = entries.keys().next().value
        if (oldest === undefined) break
        entries.delete(oldest)
      }
    },
    clear() {
      entries.clear()
    },
  }
}

/** A cache that keeps nothing, for `MASTHEAD_PAGE_CACHE=false` and for measuring uncached rendering. */
export const NO_PAGE_CACHE: PageCache = { get: () => undefined, set: () => {}, clear: () => {} }
