import type { Feed, FeedItem } from './feed.ts'
import { attrs, el } from './xml.ts'

function entry(item: FeedItem): string {
  const parts = [
    el('id', item.id),
    el('title', item.title),
    `<link${attrs({ rel: 'alternate', type: 'text/html', href: item.url })}/>`,
    el('published', item.publishedAt),
    el('updated', item.updatedAt),
    ...item.authors.map((a) => `<author>${el('name', a.name)}${el('uri', a.url)}</author>`),
    el('dc:source', item.credit),
    ...item.categories.map((c) => `<category${attrs({ term: c.term, label: c.label, scheme: c.scheme })}/>`),
    item.summary ? el('summary', item.summary) : '',
    el('content', item.contentHtml, { type: 'html' }),
  ]
  if (item.image) {
    parts.push(`<link${attrs({ rel: 'enclosure', type: item.image.type, href: item.image.url, title: item.image.alt })}/>`)
  }
  return `<entry>${parts.join('')}</entry>`
}

/** Writes a feed as Atom 1.0 (RFC 4287). */
export function renderAtom(feed: Feed): string {
  const parts = [
    el('id', feed.id),
    el('title', feed.title),
    el('subtitle', feed.description),
    // Atom requires an update time; an empty feed has no stories to take it from.
    el('updated', feed.updatedAt ?? new Date(0).toISOString()),
    `<link${attrs({ rel: 'self', type: 'application/atom+xml', href: feed.urls.atom })}/>`,
    `<link${attrs({ rel: 'alternate', type: 'text/html', href: feed.pageUrl })}/>`,
    // Every entry names its own authors; this covers the rule for any that would not.
    `<author>${el('name', feed.siteName)}</author>`,
    el('generator', 'Masthead'),
    ...feed.items.map(entry),
  ]
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"${attrs({ 'xml:lang': feed.language })}>${parts.join('')}</feed>\n`
  )
}
