import { hash } from 'node:crypto'

/** A rendered document (a page, a feed, a sitemap) and its entity tag, computed once when rendered. */
export interface CachedPage {
  html: string
  /**
   * The html's UTF-8 bytes, when encoded at render: the ETag and every send
   * use them. Encoding an 11 KB page takes tens of microseconds on Node 20,
   * and hashing and sending the text would each encode it again.
   */
  body?: Buffer
  etag: string
  /** 200 unless the page says otherwise (410 for a withdrawn story). */
  status?: number
  /** The media type, when not an HTML page (feeds, sitemaps). */
  contentType?: string
  /** An HTTP date for Last-Modified, when the document knows when its content last changed (feeds, sitemaps). */
  lastModified?: string
  /**
   * Surrogate keys: what the document shows (`story:<id>`, `section:<id>`,
   * `author:<id>`, `tag:<id>`, `home`, `sitemap`, `quotes`). A purge of any of
   * them purges the document, here and in a CDN (the Surrogate-Key header).
   */
  keys?: readonly string[]
}

/** What the cache holds for a key: the page, and whether a purge has marked it for a refresh. */
export interface CacheHit {
  page: CachedPage
  stale: boolean
}

/**
 * Rendered public pages kept in memory, keyed by what decides a page's
 * content (host, path and page number), and indexed by their surrogate keys.
 * A story change purges the pages carrying its keys (the composition root
 * wires that, on every process); entries also expire after `ttlMs` so a
 * purge that never arrived still shows up.
 *
 * A purge marks entries stale rather than dropping them: for `staleMs` the
 * stale copy is still handed out while one render refreshes it, so a purge
 * under load costs one render per page. A hard purge (a story taken down)
 * drops them at once.
 */
export interface PageCache {
  /** The fresh page for a key, or nothing. */
  get(key: string): CachedPage | undefined
  /** The page for a key, fresh or stale (within the stale window); nothing when neither. */
  lookup(key: string): CacheHit | undefined
  /**
   * Keeps a page. `since` is `generation()` when its render began: a render
   * that a purge overtook is kept as stale, so what it read before the purge
   * does not pass for fresh.
   */
  set(key: string, page: CachedPage, since?: number): void
  /** Drops one entry (a refresh that failed: the next request renders afresh). */
  delete(key: string): void
  /** Marks (or, hard, drops) every entry carrying one of `keys`; returns how many. */
  purge(keys: readonly string[], options?: { hard?: boolean }): number
  /** A number that grows with every purge and clear. */
  generation(): number
  clear(): void
}

/** The weak ETag of a page body, from its text or its bytes (the same tag for both). */
export function etagOf(html: string | Buffer): string {
  // The one-shot hash skips the Hash object createHash makes: a little less per page rendered.
  return `W/"${hash('sha1', html, 'base64url')}"`
}

/** The Surrogate-Key header of a cached document: its keys, space-separated, for a CDN to purge by. */
export function surrogateKeyOf(page: CachedPage): string | null {
  return page.keys && page.keys.length > 0 ? page.keys.join(' ') : null
}

/** How long a purged page may still be served while it is rendered again. */
export const STALE_WHILE_REVALIDATE_MS = 5000

interface Entry {
  page: CachedPage
  /** What the entry is counted as against `maxBytes`. */
  bytes: number
  expires: number
  /** When it was purged plus the stale window; null while fresh. */
  staleUntil: number | null
}

/**
 * What a cached page weighs in memory, roughly: its text, and the bytes it is
 * sent as (src/site/cache-hits.ts keeps those beside it), one byte a character
 * for the mostly-ASCII HTML we render.
 */
const weightOf = (page: CachedPage) => 2 * page.html.length

/**
 * `maxEntries` bounds the count, `maxBytes` (when given) the memory: a site's
 * pages run from 10 to 40 KB, so a count alone does not say how much of the
 * process's memory the cache may take. The least recently used go first.
 */
export function createPageCache(options: { maxEntries: number; maxBytes?: number; ttlMs: number; staleMs?: number; now?: () => number }): PageCache {
  const now = options.now ?? Date.now
  const staleMs = options.staleMs ?? STALE_WHILE_REVALIDATE_MS
  const maxBytes = options.maxBytes ?? Infinity
  let bytes = 0
  const entries = new Map<string, Entry>()
  // Surrogate key → cache keys of the entries carrying it.
  const index = new Map<string, Set<string>>()
  let generation = 0

  function unindex(key: string, entry: Entry) {
    for (const tag of entry.page.keys ?? []) {
      const holders = index.get(tag)
      if (!holders) continue
      holders.delete(key)
      if (holders.size === 0) index.delete(tag)
    }
  }

  function remove(key: string) {
    const entry = entries.get(key)
    if (!entry) return
    entries.delete(key)
    bytes -= entry.bytes
    unindex(key, entry)
  }

  function lookup(key: string): CacheHit | undefined {
    const entry = entries.get(key)
    if (!entry) return undefined
    const at = now()
    if (entry.expires <= at || (entry.staleUntil !== null && entry.staleUntil <= at)) {
      remove(key)
      return undefined
    }
    // Re-insert to keep Map order as least-recently-used first.
    entries.delete(key)
    entries.set(key, entry)
    return { page: entry.page, stale: entry.staleUntil !== null }
  }

  return {
    lookup,
    get(key) {
      const hit = lookup(key)
      return hit && !hit.stale ? hit.page : undefined
    },
    set(key, page, since) {
      remove(key)
      const at = now()
      const overtaken = since !== undefined && since < generation
      const weight = weightOf(page)
      entries.set(key, { page, bytes: weight, expires: at + options.ttlMs, staleUntil: overtaken ? at + staleMs : null })
      bytes += weight
      for (const tag of page.keys ?? []) {
        let holders = index.get(tag)
        if (!holders) index.set(tag, (holders = new Set()))
        holders.add(key)
      }
      while (entries.size > options.maxEntries || (bytes > maxBytes && entries.size > 1)) {
        const oldest = entries.keys().next().value
        if (oldest === undefined) break
        remove(oldest)
      }
    },
    delete: remove,
    purge(keys, purgeOptions = {}) {
      generation++
      const hit = new Set<string>()
      for (const tag of keys) for (const key of index.get(tag) ?? []) hit.add(key)
      const staleUntil = now() + staleMs
      for (const key of hit) {
        const entry = entries.get(key)
        if (!entry) continue
        if (purgeOptions.hard) remove(key)
        // An entry already stale keeps its earlier deadline: repeated purges do not stretch the window.
        else if (entry.staleUntil === null) entry.staleUntil = staleUntil
      }
      return hit.size
    },
    generation: () => generation,
    clear() {
      generation++
      entries.clear()
      index.clear()
      bytes = 0
    },
  }
}

/** A cache that keeps nothing, for `MASTHEAD_PAGE_CACHE=false` and for measuring uncached rendering. */
export const NO_PAGE_CACHE: PageCache = {
  get: () => undefined,
  lookup: () => undefined,
  set: () => {},
  delete: () => {},
  purge: () => 0,
  generation: () => 0,
  clear: () => {},
}

/**
 * The render-once, stale-while-revalidate read in front of a renderer. A
 * fresh page is returned as it is. Otherwise the first request renders (and
 * waits, so whoever asks right after a change, like the editor who published,
 * sees it); every request arriving while that render runs shares it, or, when
 * a purged copy is still in its stale window, gets that copy at once. A purge
 * under load so costs one render per page and keeps no reader waiting. A
 * result that is not a page (a redirect) is passed through, and a failed
 * render drops the stale copy, so the next request shows what is true now.
 */
export function createRenderer<T extends object>(cache: PageCache) {
  const inFlight = new Map<string, Promise<CachedPage | T>>()
  return function render(key: string, make: () => Promise<CachedPage | T>, isPage: (value: CachedPage | T) => value is CachedPage): Promise<CachedPage | T> {
    const hit = cache.lookup(key)
    if (hit && !hit.stale) return Promise.resolve(hit.page)
    const running = inFlight.get(key)
    if (running) return hit ? Promise.resolve(hit.page) : running
    const since = cache.generation()
    const pending = make()
      .then(
        (value) => {
          if (isPage(value)) cache.set(key, value, since)
          // Not a page any more (a redirect): the stale copy must not outlive it.
          else cache.delete(key)
          return value
        },
        (error: unknown) => {
          cache.delete(key)
          throw error
        },
      )
      .finally(() => inFlight.delete(key))
    inFlight.set(key, pending)
    return pending
  }
}
