import { inlineText, leadImageOf, type Article, type Correction } from '../articles/index.ts'
import type { Author } from '../authors/index.ts'
import type { QuoteEntry, Speaker } from '../quotes/index.ts'
import type { Section } from '../sections/index.ts'
import type { Source } from '../sources/index.ts'
import { urls } from './urls.ts'

/**
 * schema.org objects for the public pages' JSON-LD (rendered by
 * views/json-ld.tsx). Built only from what readers already see on the page:
 * published fields, public corrections, bylines and credit; never working
 * copies, desk notes or anything else from the newsroom.
 */

type Ld = Record<string, unknown>

/** The paper as publisher, with its wordmark as the logo. */
export function publisherLd(origin: string, siteName: string): Ld {
  return {
    '@type': 'NewsMediaOrganization',
    name: siteName,
    url: `${origin}/`,
    logo: { '@type': 'ImageObject', url: origin + urls.logo(), width: LOGO_SIZE.width, height: LOGO_SIZE.height },
  }
}

/** Size of the generated wordmark (`/logo.svg`). */
export const LOGO_SIZE = { width: 600, height: 60 } as const

function personOrDesk(origin: string, author: Author): Ld {
  return {
    '@type': author.kind === 'person' ? 'Person' : 'Organization',
    name: author.name,
    url: origin + urls.author(author.slug),
    ...(author.kind === 'person' && author.jobTitle ? { jobTitle: author.jobTitle } : {}),
  }
}

/** NewsArticle for an article page. */
export function newsArticleLd(input: {
  origin: string
  siteName: string
  article: Article
  sections: readonly Section[]
  authors: readonly Author[]
  source: Source | null
  corrections: readonly Correction[]
  /** Ledger keys of quoted speakers; each quote becomes a Quotation linked to its speaker's page. */
  speakerKeys?: ReadonlyMap<string, string>
  /** The featured picture from the media library, at an absolute address; else the body's first picture is used. */
  image?: { url: string; width: number; height: number } | null
}): Ld {
  const { origin, article, source } = input
  const url = origin + urls.article(article.slug)
  const publishedAt = article.publishedAt!
  const image = leadImageOf(article)
  const isWire = source !== null && (source.kind === 'agency' || source.kind === 'partner')
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.title.slice(0, 110),
    ...(article.dek ? { description: article.dek } : {}),
    url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    datePublished: publishedAt,
    dateModified: article.updatedAt ?? publishedAt,
    ...(input.image
      ? { image: [{ '@type': 'ImageObject', url: input.image.url, width: input.image.width, height: input.image.height }] }
      : image
        ? { image: [{ '@type': 'ImageObject', url: image.src.startsWith('/') ? origin + image.src : image.src, width: image.width, height: image.height, ...(image.caption ? { caption: image.caption } : {}) }] }
        : {}),
    articleSection: input.sections.map((s) => s.name),
    author: input.authors.map((a) => personOrDesk(origin, a)),
    ...(article.dateline ? { contentLocation: { '@type': 'Place', name: article.dateline } } : {}),
    ...(isWire
      ? {
          sourceOrganization: { '@type': 'Organization', name: source.name, ...(source.url ? { url: source.url } : {}) },
          // Wire copy: the story rests on the agency's report, credited on the page.
          isBasedOn: {
            '@type': 'NewsArticle',
            name: `${source.credit} report`,
            publisher: { '@type': 'Organization', name: source.name, ...(source.url ? { url: source.url } : {}) },
          },
        }
      : {}),
    ...(input.corrections.length > 0
      ? { correction: input.corrections.map((c) => ({ '@type': 'CorrectionComment', text: c.text, datePublished: c.createdAt })) }
      : {}),
    ...quotationsLd(origin, article, input.speakerKeys),
    publisher: publisherLd(origin, input.siteName),
  }
}

/** The story's quote blocks as schema.org Quotations (hasPart), each attributed to its speaker. */
function quotationsLd(origin: string, article: Article, keys: ReadonlyMap<string, string> | undefined): Ld {
  const quotes = article.body.flatMap((b) => (b.type === 'quote' ? [b] : []))
  if (quotes.length === 0) return {}
  return {
    hasPart: quotes.map((q) => {
      const key = keys?.get(q.attribution.speaker)
      return {
        '@type': 'Quotation',
        text: inlineText(q.content),
        spokenByCharacter: { '@type': 'Person', name: q.attribution.speaker, ...(key ? { url: origin + urls.speaker(key) } : {}) },
        ...(q.attribution.date ? { dateCreated: q.attribution.date } : {}),
      }
    }),
  }
}

/** BreadcrumbList for a section trail (top section first), ending with the page itself when given. */
export function breadcrumbLd(origin: string, trail: readonly Section[], last?: { name: string; path: string }): Ld {
  const items = [...trail.map((s) => ({ name: s.name, path: urls.section(s.slug) })), ...(last ? [last] : [])]
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: items.map((item, i) => ({ '@type': 'ListItem', position: i + 1, name: item.name, item: origin + item.path })),
  }
}

/** WebSite with a SearchAction, for the home page. */
export function websiteLd(origin: string, siteName: string, description: string): Ld {
  return {
    '@context': 'https://schema.org',
    '@type': 'WebSite',
    name: siteName,
    url: `${origin}/`,
    ...(description ? { description } : {}),
    publisher: publisherLd(origin, siteName),
    potentialAction: {
      '@type': 'SearchAction',
      target: { '@type': 'EntryPoint', urlTemplate: `${origin}${urls.search()}?q={search_term_string}` },
      'query-input': 'required name=search_term_string',
    },
  }
}

/** ProfilePage about a person or a desk, for an author page. */
export function authorLd(origin: string, author: Author, siteName: string): Ld {
  return {
    '@context': 'https://schema.org',
    '@type': 'ProfilePage',
    url: origin + urls.author(author.slug),
    mainEntity: {
      ...personOrDesk(origin, author),
      ...(author.bio ? { description: author.bio } : {}),
      ...(author.kind === 'person' ? { worksFor: { '@type': 'NewsMediaOrganization', name: siteName, url: `${origin}/` } } : { parentOrganization: { '@type': 'NewsMediaOrganization', name: siteName, url: `${origin}/` } }),
    },
  }
}

/** A wordmark of the site name, used as the publisher logo: no uploaded logo is needed for valid structured data. */
export function logoSvg(siteName: string): string {
  const escaped = siteName.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LOGO_SIZE.width}" height="${LOGO_SIZE.height}" viewBox="0 0 ${LOGO_SIZE.width} ${LOGO_SIZE.height}" role="img" aria-label="${escaped}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    `<text x="50%" y="50%" dominant-baseline="central" text-anchor="middle" font-family="Georgia, serif" font-size="34" font-weight="bold" fill="#1b1b1b" textLength="${LOGO_SIZE.width - 40}" lengthAdjust="spacingAndGlyphs">${escaped}</text></svg>\n`
  )
}

/**
 * A quotes ledger page: a ProfilePage about the quoted Person, whose parts are
 * the page's quotes as Quotations, each spoken by that Person and part of the
 * published story it appeared in. Only what the page lists (one page of it).
 */
export function speakerLd(
  origin: string,
  speaker: Pick<Speaker, 'key' | 'name'>,
  entries: readonly Pick<QuoteEntry, 'text' | 'speakerName' | 'saidOn' | 'article'>[],
  pagePath: string,
): Ld {
  const personUrl = origin + urls.speaker(speaker.key)
  const person = { '@type': 'Person', '@id': `${personUrl}#person`, name: speaker.name, url: personUrl }
  return {
    '@context': 'https://schema.org',
    '@type': 'ProfilePage',
    url: origin + pagePath,
    mainEntity: person,
    hasPart: entries.map((entry) => ({
      '@type': 'Quotation',
      text: entry.text,
      spokenByCharacter: person,
      // The day the words were said, when the story gave it; never guessed from the story's date.
      ...(entry.saidOn ? { dateCreated: entry.saidOn } : {}),
      isPartOf: { '@type': 'NewsArticle', headline: entry.article.title.slice(0, 110), url: origin + urls.article(entry.article.slug), datePublished: entry.article.publishedAt },
    })),
  }
}
