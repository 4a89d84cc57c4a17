import type { Feed, FeedItem } from './feed.ts'

/** The JSON Feed version this writer follows. */
export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1'

function item(entry: FeedItem): Record<string, unknown> {
  return {
    id: entry.id,
    url: entry.url,
    title: entry.title,
    ...(entry.summary ? { summary: entry.summary } : {}),
    content_html: entry.contentHtml,
    ...(entry.image ? { image: entry.image.url } : {}),
    date_published: entry.publishedAt,
    date_modified: entry.updatedAt,
    authors: entry.authors.map((a) => ({ name: a.name, url: a.url })),
    tags: entry.categories.map((c) => c.label),
    ...(entry.image ? { attachments: [{ url: entry.image.url, mime_type: entry.image.type, title: entry.image.alt }] } : {}),
    // Extensions start with an underscore (JSON Feed 1.1, "Extensions").
    _masthead: {
      credit: entry.credit,
      sections: entry.categories.filter((c) => c.scheme.endsWith('/sections/')).map((c) => c.term),
      corrections: entry.corrections.map((c) => ({ text: c.text, date: c.at })),
    },
  }
}

/** Writes a feed as JSON Feed 1.1. */
export function renderJsonFeed(feed: Feed): string {
  return JSON.stringify(
    {
      version: JSON_FEED_VERSION,
      title: feed.title,
      home_page_url: feed.pageUrl,
      feed_url: feed.urls.json,
      description: feed.description,
      language: feed.language,
      items: feed.items.map(item),
    },
    null,
    1,
  )
}
