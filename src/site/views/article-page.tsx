import type { Article, ArticleSummary, Correction } from '../../articles/index.ts'
import type { Author } from '../../authors/index.ts'
import type { Section, Tag } from '../../sections/index.ts'
import type { Source } from '../../sources/index.ts'
import { formatDateTime } from '../format.ts'
import { urls } from '../urls.ts'
import type { PictureSources } from '../../media/index.ts'
import { articleBody, libraryPicture, type PictureLookup } from './article-body.tsx'
import { jsonLd } from './json-ld.tsx'
import { breadcrumbLd, newsArticleLd } from '../structured-data.ts'
import { layout, type Chrome } from './layout.tsx'
import { storyShareImage } from './share-meta.tsx'
import { storyList, type Lookups } from './story-list.tsx'
import { attr, html, type Html } from '../html.ts'

export interface ArticlePageProps {
  chrome: Chrome
  article: Article
  /** The article's sections in order, primary first. */
  sections: Section[]
  /** Byline authors in order. */
  authors: Author[]
  source: Source | null
  tags: Tag[]
  corrections: Correction[]
  /** The primary section's trail from the top, for the breadcrumb. */
  trail: Section[]
  /** The quotes ledger's key of each quoted speaker's name, for links and Quotation data. */
  speakerKeys: ReadonlyMap<string, string>
  related: ArticleSummary[]
  lookups: Lookups
  /** Library pictures the body places, by id. */
  pictures?: PictureLookup
  /** The featured picture, shown under the headline and offered to link previews; null when there is none. */
  featured?: PictureSources | null
}

/** The article page, element by element as DESIGN.md's model page has it. */
export function articlePage(props: ArticlePageProps): Html {
  const { chrome, article, sections, authors, source, tags, corrections, trail, speakerKeys, related, lookups } = props
  const tz = chrome.settings.timeZone
  const canonicalPath = urls.article(article.slug)
  const publishedAt = article.publishedAt!
  const description = article.dek ?? undefined
  const featured = props.featured ?? null
  // Link previews want a JPEG or PNG of about 1200 pixels at an absolute address: the featured picture, else the body's first.
  const shareImage = storyShareImage(chrome.origin, article, featured, props.pictures)
  const head = html`<meta property="article:published_time"${attr('content', publishedAt)}/>${
    article.updatedAt ? html`<meta property="article:modified_time"${attr('content', article.updatedAt)}/>` : null
  }${jsonLd(
    newsArticleLd({
      origin: chrome.origin,
      siteName: chrome.settings.siteName,
      article,
      sections,
      authors,
      source,
      corrections,
      speakerKeys,
      image: featured && shareImage ? { url: shareImage.url, width: shareImage.width, height: shareImage.height } : null,
    }),
  )}${trail.length > 0 ? jsonLd(breadcrumbLd(chrome.origin, trail, { name: article.title, path: canonicalPath })) : null}`

  const header = html`<header class="article-header">${
    sections.length > 0
      ? html`<nav aria-label="Article sections"><ul class="section-labels">${sections.map((section) => html`<li><a href="${urls.section(section.slug)}">${section.name}</a></li>`)}</ul></nav>`
      : null
  }<h1 id="article-title">${article.title}</h1>${article.dek ? html`<p class="dek">${article.dek}</p>` : null}${
    // Staff copy is credited by its byline; everything else names where it came from.
    source && source.kind !== 'staff' ? html`<p class="credit">Source: ${source.credit}</p>` : null
  }<p class="dates">Published <time${attr('datetime', publishedAt)}>${formatDateTime(publishedAt, tz)}</time>${
    article.updatedAt ? html`<span aria-hidden="true"> · </span>Updated <time${attr('datetime', article.updatedAt)}>${formatDateTime(article.updatedAt, tz)}</time>` : null
  }</p></header>`

  const featuredFigure = featured
    ? html`<figure class="image featured-image">${libraryPicture({ sources: featured, alt: featured.alt, isEager: true })}${
        featured.caption || featured.credit ? html`<figcaption>${featured.caption}${featured.credit ? html`<span class="image-credit"> ${featured.credit}</span>` : null}</figcaption>` : null
      }</figure>`
    : null

  const body = articleBody({
    body: article.body,
    timeZone: tz,
    pictures: props.pictures,
    isFirstPictureEager: !featured,
    speakerHref: (name) => {
      const key = speakerKeys.get(name)
      return key ? urls.speaker(key) : undefined
    },
  })

  const footer = html`<footer class="article-footer">${byline(authors)}${
    tags.length > 0 ? html`<p class="tags">Tags: ${tags.map((tag, i) => html`${i > 0 ? ', ' : null}<a href="${urls.tag(tag.slug)}">${tag.name}</a>`)}</p>` : null
  }${
    corrections.length > 0
      ? html`<section class="corrections" aria-labelledby="corrections-title"><h2 id="corrections-title">Corrections</h2><ul>${corrections.map(
          (c) => html`<li><time${attr('datetime', c.createdAt)}>${formatDateTime(c.createdAt, tz)}</time>: ${c.text}</li>`,
        )}</ul></section>`
      : null
  }${
    chrome.preview ? null : html`<p class="write-letter"><a href="${urls.contactForm('letter', article.slug)}">Write a letter about this story</a></p>`
  }<aside class="disclaimer" aria-label="About reader contributions"><p>${chrome.settings.disclaimer} Letters and tips can be sent through our <a href="${urls.contact()}">Contact Us</a> page.</p></aside></footer>`

  const main = html`<article class="article" aria-labelledby="article-title">${header}${featuredFigure}${body}${footer}</article>${
    related.length > 0 ? html`<section class="related" aria-labelledby="related-title"><h2 id="related-title">Related stories</h2>${storyList(related, lookups)}</section>` : null
  }`

  return layout(
    {
      chrome,
      title: `${article.seoTitle ?? article.title} | ${chrome.settings.siteName}`,
      description,
      canonicalPath,
      share: { type: 'article', title: article.title, description, image: shareImage },
    },
    head,
    main,
  )
}

/** "Hemisphere Ledger Staff", or "By A and B" linking to author pages. */
function byline(authors: readonly Author[]): Html | null {
  if (authors.length === 0) return null
  const links = authors.map((author) => html`<a href="${urls.author(author.slug)}">${author.name}</a>`)
  const joined = links.flatMap((link, i) => (i === 0 ? [link] : [i === links.length - 1 ? ' and ' : ', ', link]))
  const onlyDesks = authors.every((a) => a.kind === 'desk')
  return html`<p class="byline">${onlyDesks ? null : 'By '}${joined}</p>`
}
