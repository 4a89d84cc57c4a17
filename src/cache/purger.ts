import type { PurgeBus, PurgeLog, PurgeMessage } from './purge-bus.ts'

/** What a purge needs of a story: its id, its addresses and the lists it is on. */
export interface StoryPlaces {
  id: string
  slug: string
  sectionIds: readonly string[]
  authorIds: readonly string[]
  tagIds: readonly string[]
}

/**
 * The surrogate keys a story change purges: its own pages (and every list
 * showing it, which carries `story:<id>`), and the lists it joins: the home
 * page and site feeds, its sections (a parent section's pages carry their
 * sub-sections' keys), bylines and tags, the sitemaps and the quotes ledger.
 * The lists it leaves carry its story key already.
 *
 * `home` (the home page, the site-wide feeds and ninjs) goes with every
 * public change of any story, not only of the stories the home page shows:
 * a new story is the home page's lead and tops the site feeds, and an update
 * can move a story into a section block on the home page (a new section) or
 * into the feeds' order; knowing it would not needs the other stories' state
 * at that moment, which a concurrent change on another node can make wrong.
 * The price is one render of the home page and feeds per public change.
 */
export function storyPurgeKeys(story: StoryPlaces, previousSlug?: string): string[] {
  return [
    ...new Set([
      `story:${story.id}`,
      `slug:${story.slug}`,
      ...(previousSlug ? [`slug:${previousSlug}`] : []),
      'home',
      'sitemap',
      'quotes',
      ...story.sectionIds.map((id) => `section:${id}`),
      ...story.authorIds.map((id) => `author:${id}`),
      ...story.tagIds.map((id) => `tag:${id}`),
    ]),
  ]
}

/** The part of a page cache a purge touches. */
export interface PurgeableCache {
  purge(keys: readonly string[], options?: { hard?: boolean }): number
  clear(): void
}

export interface Purger {
  /** Purges `keys` here at once, then tells the other processes and the CDN. */
  purge(keys: readonly string[], options?: { hard?: boolean }): void
  /** Empties every cache (settings, the section tree): here, on the other processes and at the CDN. */
  purgeEverything(): void
}

/**
 * Ties a process's page cache to the purge transport and the CDN: a change
 * made here is applied here synchronously (the editor's next page shows it),
 * sent to the others, and told to the CDN once, by the process that made it.
 */
export function createPurger(options: {
  cache: PurgeableCache
  bus: PurgeBus
  /** This process's name on the bus. */
  node: string
  /** Called for every purge of everything, here or from elsewhere (to forget remembered settings too). */
  onEverything?: () => void
  cdn?: ((keys: readonly string[] | null) => void) | null
  /** Hears every purge applied here, made here or heard from another process (for /metrics). */
  onApplied?: (source: 'local' | 'remote') => void
  log: PurgeLog
}): { purger: Purger; listening: Promise<void> } {
  const { cache, bus, node } = options
  function apply(message: Pick<PurgeMessage, 'keys' | 'hard'>, source: 'local' | 'remote') {
    options.onApplied?.(source)
    if (message.keys === null) {
      cache.clear()
      options.onEverything?.()
    } else cache.purge(message.keys, { hard: message.hard })
  }
  function send(keys: string[] | null, hard: boolean) {
    apply({ keys, hard }, 'local')
    bus.publish({ from: node, keys, hard })
    options.cdn?.(keys)
  }
  const listening = bus
    .subscribe((message) => {
      if (message.from !== node) apply(message, 'remote')
    })
    .catch((error: unknown) => options.log.error(`cache purges: could not listen (${error instanceof Error ? error.message : String(error)})`))
  return {
    purger: {
      purge: (keys, purgeOptions = {}) => send([...keys], purgeOptions.hard ?? false),
      purgeEverything: () => send(null, false),
    },
    listening,
  }
}
