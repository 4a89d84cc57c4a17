import type { ArticleSummary } from '../../articles/index.ts'
import type { Author } from '../../authors/index.ts'
import type { Section } from '../../sections/index.ts'
import type { Source } from '../../sources/index.ts'
import { formatDate } from '../format.ts'
import { urls } from '../urls.ts'
import { attr, html, htmlNode, type Html } from '../html.ts'

/** Lookups a story list needs to show section labels, credits and bylines. */
export interface Lookups {
  sections: ReadonlyMap<string, Section>
  authors: ReadonlyMap<string, Author>
  sources: ReadonlyMap<string, Source>
  timeZone: string
}

/** One story in a list: section label, headline link, dek, date and byline or credit. */
export function storyCard(story: ArticleSummary, lookups: Lookups, headingLevel: 2 | 3 = 3): Html {
  const section = story.primarySectionId ? lookups.sections.get(story.primarySectionId) : undefined
  const source = story.sourceId ? lookups.sources.get(story.sourceId) : undefined
  const names = story.authorIds.map((id) => lookups.authors.get(id)?.name).filter((n): n is string => Boolean(n))
  const heading = headingLevel === 2 ? HEADINGS.h2 : HEADINGS.h3
  return html`<article class="story-card">${section ? html`<p class="kicker"><a href="${urls.section(section.slug)}">${section.name}</a></p>` : null}${heading.open}<a href="${urls.article(story.slug)}">${story.title}</a>${heading.close}${
    story.dek ? html`<p class="dek">${story.dek}</p>` : null
  }<p class="meta"><time${attr('datetime', story.publishedAt)}>${formatDate(story.publishedAt, lookups.timeZone)}</time>${
    source && (source.kind === 'agency' || source.kind === 'partner') ? ` · Source: ${source.credit}` : names.length > 0 ? ` · ${names.join(', ')}` : null
  }</p></article>`
}

const HEADINGS = {
  h2: { open: html`<h2 class="story-card-title">`, close: html`</h2>` },
  h3: { open: html`<h3 class="story-card-title">`, close: html`</h3>` },
}

/** A list of story cards, or a sentence when there are none. */
export function storyList(stories: readonly ArticleSummary[], lookups: Lookups, headingLevel?: 2 | 3): Html {
  if (stories.length === 0) return html`<p class="empty">No stories yet.</p>`
  return html`<ol class="story-list">${stories.map((story) => html`<li>${storyCard(story, lookups, headingLevel)}</li>`)}</ol>`
}

/** storyCard in a Preact view. */
export function StoryCard({ story, lookups, headingLevel }: { story: ArticleSummary; lookups: Lookups; headingLevel?: 2 | 3 }) {
  return htmlNode(storyCard(story, lookups, headingLevel))
}

/** storyList in a Preact view. */
export function StoryList({ stories, lookups, headingLevel }: { stories: ArticleSummary[]; lookups: Lookups; headingLevel?: 2 | 3 }) {
  return htmlNode(storyList(stories, lookups, headingLevel))
}

/** Previous/next links for a paginated list. */
export function Pager({ page, hasNext, href, labels = { prev: 'Newer stories', next: 'Older stories' } }: { page: number; hasNext: boolean; href: (page: number) => string; labels?: { prev: string; next: string } }) {
  if (page === 1 && !hasNext) return null
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          {labels.prev}
        </a>
      ) : null}
      <span class="pager-current">Page {page}</span>
      {hasNext ? (
        <a href={href(page + 1)} rel="next">
          {labels.next}
        </a>
      ) : null}
    </nav>
  )
}
