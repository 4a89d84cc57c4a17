import type { ArticleSummary } from '../../articles/index.ts'
import type { Author } from '../../authors/index.ts'
import type { Section, Tag } from '../../sections/index.ts'
import type { Page } from '../../shared/pagination.ts'
import type preact from 'preact'
import { formatDateTime } from '../format.ts'
import { urls } from '../urls.ts'
import { Layout, type Chrome } from './layout.tsx'
import { JsonLd } from './json-ld.tsx'
import { authorLd, breadcrumbLd, websiteLd } from '../structured-data.ts'
import { Pager, StoryCard, StoryList, type Lookups } from './story-list.tsx'

/** The front page: the lead story, then the latest stories of each top-level section. */
export function HomePage(props: {
  chrome: Chrome
  lead: ArticleSummary | null
  blocks: { section: Section; stories: ArticleSummary[] }[]
  lookups: Lookups
}) {
  const { chrome, lead, blocks, lookups } = props
  return (
    <Layout
      chrome={chrome}
      title={chrome.settings.siteName}
      description={chrome.settings.tagline}
      canonicalPath={urls.home()}
      share={{ type: 'website', title: chrome.settings.siteName, description: chrome.settings.tagline }}
      feeds={{ pagePath: urls.home(), title: chrome.settings.siteName }}
      head={<JsonLd data={websiteLd(chrome.origin, chrome.settings.siteName, chrome.settings.tagline)} />}
    >
      <h1 class="visually-hidden">{chrome.settings.siteName}: latest news</h1>
      {lead ? (
        <section class="lead" aria-label="Lead story">
          <StoryCard story={lead} lookups={lookups} headingLevel={2} />
        </section>
      ) : (
        <p class="empty">Nothing has been published yet.</p>
      )}
      {blocks
        .filter((b) => b.stories.length > 0)
        .map(({ section, stories }) => (
          <section class="front-section" aria-labelledby={`front-${section.slug}`}>
            <h2 id={`front-${section.slug}`}>
              <a href={urls.section(section.slug)}>{section.name}</a>
            </h2>
            <StoryList stories={stories} lookups={lookups} />
          </section>
        ))}
    </Layout>
  )
}

/** A section front: description, sub-sections, then its and its sub-sections' stories. */
export function SectionPage(props: {
  chrome: Chrome
  section: Section
  trail: Section[]
  children: Section[]
  page: Page<ArticleSummary>
  lookups: Lookups
}) {
  const { chrome, section, trail, children, page, lookups } = props
  const path = urls.section(section.slug, page.page)
  return (
    <Layout
      chrome={chrome}
      title={`${section.name}${page.page > 1 ? `, page ${page.page}` : ''} | ${chrome.settings.siteName}`}
      description={section.description}
      canonicalPath={path}
      share={{ type: 'website', title: `${section.name} | ${chrome.settings.siteName}`, description: section.description }}
      currentPath={urls.section(section.slug)}
      head={trail.length > 1 ? <JsonLd data={breadcrumbLd(chrome.origin, trail)} /> : undefined}
      feeds={{ pagePath: urls.section(section.slug), title: `${section.name} | ${chrome.settings.siteName}` }}
    >
      {trail.length > 1 ? (
        <nav aria-label="Breadcrumb" class="breadcrumb">
          <ol>
            {trail.map((s, i) => (
              <li>
                {i === trail.length - 1 ? (
                  <a href={urls.section(s.slug)} aria-current="page">
                    {s.name}
                  </a>
                ) : (
                  <a href={urls.section(s.slug)}>{s.name}</a>
                )}
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      <header class="page-header">
        <h1>{section.name}</h1>
        {section.description ? <p class="description">{section.description}</p> : null}
        {children.length > 0 ? (
          <nav aria-label={`Within ${section.name}`}>
            <ul class="subsections">
              {children.map((child) => (
                <li>
                  <a href={urls.section(child.slug)}>{child.name}</a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </header>
      <StoryList stories={page.items} lookups={lookups} headingLevel={2} />
      <Pager page={page.page} hasNext={page.hasNext} href={(n) => urls.section(section.slug, n)} />
    </Layout>
  )
}

/** An author's or desk's page: who they are and what they wrote. */
export function AuthorPage(props: { chrome: Chrome; author: Author; page: Page<ArticleSummary>; lookups: Lookups }) {
  const { chrome, author, page, lookups } = props
  return (
    <Layout
      chrome={chrome}
      title={`${author.name}${page.page > 1 ? `, page ${page.page}` : ''} | ${chrome.settings.siteName}`}
      description={author.bio}
      canonicalPath={urls.author(author.slug, page.page)}
      share={{ type: 'profile', title: `${author.name} | ${chrome.settings.siteName}`, description: author.bio }}
      feeds={{ pagePath: urls.author(author.slug), title: `${author.name} | ${chrome.settings.siteName}` }}
      head={<JsonLd data={authorLd(chrome.origin, author, chrome.settings.siteName)} />}
    >
      <header class="page-header">
        <h1>{author.name}</h1>
        {author.jobTitle ? <p class="job-title">{author.jobTitle}</p> : null}
        {author.bio ? <p class="description">{author.bio}</p> : null}
      </header>
      <h2 class="list-heading">Stories</h2>
      <StoryList stories={page.items} lookups={lookups} />
      <Pager page={page.page} hasNext={page.hasNext} href={(n) => urls.author(author.slug, n)} />
    </Layout>
  )
}

/** Stories with one tag. */
export function TagPage(props: { chrome: Chrome; tag: Tag; page: Page<ArticleSummary>; lookups: Lookups }) {
  const { chrome, tag, page, lookups } = props
  return (
    <Layout
      chrome={chrome}
      title={`${tag.name}${page.page > 1 ? `, page ${page.page}` : ''} | ${chrome.settings.siteName}`}
      description={`Stories about ${tag.name} in ${chrome.settings.siteName}.`}
      canonicalPath={urls.tag(tag.slug, page.page)}
      share={{ type: 'website', title: `${tag.name} | ${chrome.settings.siteName}`, description: `Stories about ${tag.name} in ${chrome.settings.siteName}.` }}
      feeds={{ pagePath: urls.tag(tag.slug), title: `${tag.name} | ${chrome.settings.siteName}` }}
    >
      <header class="page-header">
        <p class="kicker">Tag</p>
        <h1>{tag.name}</h1>
      </header>
      <StoryList stories={page.items} lookups={lookups} headingLevel={2} />
      <Pager page={page.page} hasNext={page.hasNext} href={(n) => urls.tag(tag.slug, n)} />
    </Layout>
  )
}

/** The page people see for a missing page, bad input or a server fault. */
export function ErrorPage({ chrome, status, title, message }: { chrome: Chrome; status: number; title: string; message: string }) {
  return (
    <Layout chrome={chrome} title={`${title} | ${chrome.settings.siteName}`}>
      <header class="page-header">
        <h1>{title}</h1>
      </header>
      <p>{message}</p>
      <p>
        <a href={urls.home()}>Go to the front page</a>
        {status === 404 ? ' or pick a section from the menu above.' : '.'}
      </p>
    </Layout>
  )
}

/** What a withdrawn story's address shows (410 Gone): that it was withdrawn, when, and why. */
export function WithdrawnPage({ chrome, title, note, withdrawnAt }: { chrome: Chrome; title: string; note: string; withdrawnAt: string }) {
  return (
    <Layout chrome={chrome} title={`Withdrawn: ${title} | ${chrome.settings.siteName}`}>
      <header class="page-header">
        <h1>This story was withdrawn</h1>
      </header>
      <p>
        “{title}” was withdrawn on <time datetime={withdrawnAt}>{formatDateTime(withdrawnAt, chrome.settings.timeZone)}</time>.
      </p>
      <p>{note}</p>
      <p>
        <a href={urls.home()}>Go to the front page</a>
      </p>
    </Layout>
  )
}

/** One row of the feeds page: a page and its feed in each format. */
function FeedRow({ name, pagePath }: { name: string; pagePath: string }) {
  return (
    <li>
      <a href={pagePath}>{name}</a>: <a href={urls.feed(pagePath, 'rss')}>RSS</a>, <a href={urls.feed(pagePath, 'atom')}>Atom</a>,{' '}
      <a href={urls.feed(pagePath, 'json')}>JSON Feed</a>
    </li>
  )
}

/** Every feed the site offers: the whole site, each section (sub-sections nested), each author and tag; then partners' ninjs. */
export function FeedsPage(props: { chrome: Chrome; sections: Section[]; authors: Author[]; tags: Tag[] }) {
  const { chrome, sections, authors, tags } = props
  const childrenOf = (id: string | null) => sections.filter((s) => s.parentId === id)
  const tree = (parentId: string | null, depth: number): preact.ComponentChildren => {
    const level = childrenOf(parentId)
    if (level.length === 0 || depth > 8) return null
    return (
      <ul>
        {level.map((s) => (
          <>
            <FeedRow name={s.name} pagePath={urls.section(s.slug)} />
            {childrenOf(s.id).length > 0 ? <li class="feed-children">{tree(s.id, depth + 1)}</li> : null}
          </>
        ))}
      </ul>
    )
  }
  return (
    <Layout chrome={chrome} title={`Feeds | ${chrome.settings.siteName}`} canonicalPath={urls.feeds()} feeds={{ pagePath: urls.home(), title: chrome.settings.siteName }}>
      <header class="page-header">
        <h1>Feeds</h1>
        <p class="description">
          Follow {chrome.settings.siteName} in a feed reader. Every feed comes as RSS 2.0, Atom and JSON Feed and carries the latest stories.
        </p>
      </header>
      <h2>Everything</h2>
      <ul>
        <FeedRow name="All stories" pagePath={urls.home()} />
      </ul>
      <h2>Sections</h2>
      {tree(null, 0)}
      {authors.length > 0 ? (
        <>
          <h2>Authors and desks</h2>
          <ul>
            {authors.map((a) => (
              <FeedRow name={a.name} pagePath={urls.author(a.slug)} />
            ))}
          </ul>
        </>
      ) : null}
      {tags.length > 0 ? (
        <>
          <h2>Tags</h2>
          <ul>
            {tags.map((t) => (
              <FeedRow name={t.name} pagePath={urls.tag(t.slug)} />
            ))}
          </ul>
        </>
      ) : null}
      <h2 id="ninjs">For partners: ninjs</h2>
      <p>
        Partners who run our stories can read them as IPTC ninjs 2.1 JSON, newest first, 30 a page: <a href={urls.ninjsSite()}>all stories</a>, or one section (sub-sections
        included):
      </p>
      <ul class="ninjs-sections">
        {sections.map((s) => (
          <li>
            <a href={urls.ninjsSection(s.slug)}>{s.name} (ninjs)</a>
          </li>
        ))}
      </ul>
    </Layout>
  )
}
