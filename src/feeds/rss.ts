import type { Feed, FeedItem } from './feed.ts'
import { attrs, el } from './xml.ts'

/** RFC 822 date, as RSS 2.0 asks: "Tue, 03 Feb 2026 16:20:00 GMT". */
function rfc822(iso: string): string {
  return new Date(iso).toUTCString()
}

function item(entry: FeedItem): string {
  const parts = [
    el('title', entry.title),
    el('link', entry.url),
    el('guid', entry.id, { isPermaLink: 'false' }),
    el('pubDate', rfc822(entry.publishedAt)),
    // RSS has no "updated"; Atom's element in the item is the common extension readers understand.
    el('atom:updated', entry.updatedAt),
    ...entry.authors.map((a) => el('dc:creator', a.name)),
    el('dc:source', entry.credit),
    ...entry.categories.map((c) => el('category', c.label, { domain: c.scheme })),
    el('description', entry.summary ?? entry.title),
    el('content:encoded', entry.contentHtml),
  ]
  if (entry.image) {
    // The length is unknown for a picture we do not host a copy of; the RSS profile says to give 0 then.
    parts.push(`<enclosure${attrs({ url: entry.image.url, length: 0, type: entry.image.type })}/>`)
    parts.push(
      `<media:content${attrs({ url: entry.image.url, medium: 'image', type: entry.image.type, width: entry.image.width, height: entry.image.height })}>${el('media:description', entry.image.alt)}</media:content>`,
    )
  }
  return `<item>${parts.join('')}</item>`
}

/** Writes a feed as RSS 2.0 with the content, Dublin Core, Atom and Media RSS extensions. */
export function renderRss(feed: Feed): string {
  const channel = [
    el('title', feed.title),
    el('link', feed.pageUrl),
    el('description', feed.description),
    el('language', feed.language),
    `<atom:link${attrs({ href: feed.urls.rss, rel: 'self', type: 'application/rss+xml' })}/>`,
    el('lastBuildDate', feed.updatedAt ? rfc822(feed.updatedAt) : null),
    el('generator', 'Masthead'),
    el('docs', 'https://www.rssboard.org/rss-specification'),
    ...feed.items.map(item),
  ]
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">' +
    `<channel>${channel.join('')}</channel></rss>\n`
  )
}
