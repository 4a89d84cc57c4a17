/**
 * Rendered public pages kept in memory, keyed by path and query. Any content
 * change clears it (the composition root wires that), and entries expire
 * after `ttlMs` so settings changed elsewhere show up without a restart.
 */
export interface PageCache {
  get(key: string): string | undefined
  set(key: string, html: string): void
  clear(): void
}

export function createPageCache(options: { maxEntries: number; ttlMs: number; now?: () => number }): PageCache {
  const now = options.now ?? Date.now
  const entries = new Map<string, { html: string; expires: number }>()
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
      return entry.html
    },
    set(key, html) {
      entries.delete(key)
      entries.set(key, { html, expires: now() + options.ttlMs })
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
