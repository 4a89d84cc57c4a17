import type { ArticleSummary } from '../../articles/index.ts'
import type { Author } from '../../authors/index.ts'
import type { Section } from '../../sections/index.ts'
import type { Source } from '../../sources/index.ts'
import { formatDate } from '../format.ts'
import { urls } from '../urls.ts'

/** Lookups a story list needs to show section labels, credits and bylines. */
export interface Lookups {
  sections: ReadonlyMap<string, Section>
  authors: ReadonlyMap<string, Author>
  sources: ReadonlyMap<string, Source>
  timeZone: string
}

/** One story in a list: section label, headline link, dek, date and byline or credit. */
export function StoryCard({ story, lookups, headingLevel = 3 }: { story: ArticleSummary; lookups: Lookups; headingLevel?: 2 | 3 }) {
  const section = story.primarySectionId ? lookups.sections.get(story.primarySectionId) : undefined
  const source = story.sourceId ? lookups.sources.get(story.sourceId) : undefined
  const names = story.authorIds.map((id) => lookups.authors.get(id)?.name).filter((n): n is string => Boolean(n))
  const Heading = headingLevel === 2 ? 'h2' : 'h3'
  return (
    <article class="story-card">
      {section ? (
        <p class="kicker">
          <a href={urls.section(section.slug)}>{section.name}</a>
        </p>
      ) : null}
      <Heading class="story-card-title">
        <a href={urls.article(story.slug)}>{story.title}</a>
      </Heading>
      {story.dek ? <p class="dek">{story.dek}</p> : null}
      <p class="meta">
        <time datetime={story.publishedAt}>{formatDate(story.publishedAt, lookups.timeZone)}</time>
        {source && (source.kind === 'agency' || source.kind === 'partner') ? ` · Source: ${source.credit}` : names.length > 0 ? ` · ${names.join(', ')}` : null}
      </p>
    </article>
  )
}

/** A list of story cards, or a sentence when there are none. */
export function StoryList({ stories, lookups, headingLevel }: { stories: ArticleSummary[]; lookups: Lookups; headingLevel?: 2 | 3 }) {
  if (stories.length === 0) return <p class="empty">No stories yet.</p>
  return (
    <ol class="story-list">
      {stories.map((story) => (
        <li>
          <StoryCard story={story} lookups={lookups} headingLevel={headingLevel} />
        </li>
      ))}
    </ol>
  )
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
