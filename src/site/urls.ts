/** Public URL paths, in one place so links and routes cannot drift apart. */
export const urls = {
  home: () => '/',
  article: (slug: string) => `/articles/${slug}`,
  section: (slug: string, page = 1) => (page > 1 ? `/sections/${slug}?page=${page}` : `/sections/${slug}`),
  author: (slug: string, page = 1) => (page > 1 ? `/authors/${slug}?page=${page}` : `/authors/${slug}`),
  tag: (slug: string, page = 1) => (page > 1 ? `/tags/${slug}?page=${page}` : `/tags/${slug}`),
  contact: () => '/contact',
  /** A reader form on a page of its own; a letter may name the story it answers. */
  contactForm: (kind: 'letter' | 'opinion' | 'tip', aboutSlug?: string) => `/contact/${kind}${aboutSlug ? `?about=${encodeURIComponent(aboutSlug)}` : ''}`,
  /** A tip's follow-up page: the look-up form, and where more information is sent. */
  tipFollowUp: () => '/contact/tip/follow-up',
  tipFollowUpAdd: () => '/contact/tip/follow-up/add',
  /** The search page; `/api/search` answers the same in JSON. */
  search: () => '/search',
  searchApi: () => '/api/search',
  /** The paper's wordmark, the publisher logo in structured data. */
  logo: () => '/logo.svg',
  /** The quotes ledger: every speaker, and one speaker's quotes. */
  quotes: () => '/quotes',
  speaker: (key: string, page = 1) => (page > 1 ? `/quotes/${key}?page=${page}` : `/quotes/${key}`),
  /** The list of every feed. */
  feeds: () => '/feeds',
  /** IPTC ninjs 2.1 for partners: one published story by its id, the whole site, a section (each feed `?page=N`). */
  ninjsStory: (id: string) => `/ninjs/stories/${id}.json`,
  ninjsSite: () => '/ninjs/stories.json',
  ninjsSection: (slug: string) => `/ninjs/sections/${slug}.json`,
  /**
   * A page's feed: the page's path plus `/feed.<format>`, the site's at `/feed.<format>`.
   * @example urls.feed('/sections/politics', 'atom') // '/sections/politics/feed.atom'
   */
  feed: (pagePath: string, format: 'rss' | 'atom' | 'json') => `${pagePath === '/' ? '' : pagePath}/feed.${format}`,
}
