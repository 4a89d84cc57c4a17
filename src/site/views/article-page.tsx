import type { Article, ArticleSummary, Correction } from '../../articles/index.ts'
import type { Author } from '../../authors/index.ts'
import type { Section, Tag } from '../../sections/index.ts'
import type { Source } from '../../sources/index.ts'
import { formatDateTime } from '../format.ts'
import { urls } from '../urls.ts'
import type { PictureSources } from '../../media/index.ts'
import { ArticleBody, LibraryPicture, type PictureLookup } from './article-body.tsx'
import { JsonLd } from './json-ld.tsx'
import { breadcrumbLd, newsArticleLd } from '../structured-data.ts'
import { Layout, type Chrome } from './layout.tsx'
import { storyShareImage } from './share-meta.tsx'
import { StoryList, type Lookups } from './story-list.tsx'

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
export function ArticlePage(props: ArticlePageProps) {
  const { chrome, article, sections, authors, source, tags, corrections, trail, speakerKeys, related, lookups } = props
  const tz = chrome.settings.timeZone
  const canonicalPath = urls.article(article.slug)
  const publishedAt = article.publishedAt!
  const description = article.dek ?? undefined
  const featured = props.featured ?? null
  // Link previews want a JPEG or PNG of about 1200 pixels at an absolute address: the featured picture, else the body's first.
  const shareImage = storyShareImage(chrome.origin, article, featured, props.pictures)
  return (
    <Layout
      chrome={chrome}
      title={`${article.seoTitle ?? article.title} | ${chrome.settings.siteName}`}
      description={description}
      canonicalPath={canonicalPath}
      share={{ type: 'article', title: article.title, description, image: shareImage }}
      head={
        <>
          <meta property="article:published_time" content={publishedAt} />
          {article.updatedAt ? <meta property="article:modified_time" content={article.updatedAt} /> : null}
          <JsonLd
            data={newsArticleLd({
              origin: chrome.origin,
              siteName: chrome.settings.siteName,
              article,
              sections,
              authors,
              source,
              corrections,
              speakerKeys,
              image: featured && shareImage ? { url: shareImage.url, width: shareImage.width, height: shareImage.height } : null,
            })}
          />
          {trail.length > 0 ? <JsonLd data={breadcrumbLd(chrome.origin, trail, { name: article.title, path: canonicalPath })} /> : null}
        </>
      }
    >
      <article class="article" aria-labelledby="article-title">
        <header class="article-header">
          {sections.length > 0 ? (
            <nav aria-label="Article sections">
              <ul class="section-labels">
                {sections.map((section) => (
                  <li>
                    <a href={urls.section(section.slug)}>{section.name}</a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          <h1 id="article-title">{article.title}</h1>
          {article.dek ? <p class="dek">{article.dek}</p> : null}
          {/* Staff copy is credited by its byline; everything else names where it came from. */}
          {source && source.kind !== 'staff' ? <p class="credit">Source: {source.credit}</p> : null}
          <p class="dates">
            Published <time datetime={publishedAt}>{formatDateTime(publishedAt, tz)}</time>
            {article.updatedAt ? (
              <>
                <span aria-hidden="true"> · </span>
                Updated <time datetime={article.updatedAt}>{formatDateTime(article.updatedAt, tz)}</time>
              </>
            ) : null}
          </p>
        </header>

        {featured ? (
          <figure class="image featured-image">
            <LibraryPicture sources={featured} alt={featured.alt} isEager />
            {featured.caption || featured.credit ? (
              <figcaption>
                {featured.caption}
                {featured.credit ? <span class="image-credit"> {featured.credit}</span> : null}
              </figcaption>
            ) : null}
          </figure>
        ) : null}

        <ArticleBody
          body={article.body}
          timeZone={tz}
          {...(props.pictures ? { pictures: props.pictures } : {})}
          isFirstPictureEager={!featured}
          speakerHref={(name) => {
            const key = speakerKeys.get(name)
            return key ? urls.speaker(key) : undefined
          }}
        />

        <footer class="article-footer">
          <Byline authors={authors} />
          {tags.length > 0 ? (
            <p class="tags">
              Tags:{' '}
              {tags.map((tag, i) => (
                <>
                  {i > 0 ? ', ' : null}
                  <a href={urls.tag(tag.slug)}>{tag.name}</a>
                </>
              ))}
            </p>
          ) : null}
          {corrections.length > 0 ? (
            <section class="corrections" aria-labelledby="corrections-title">
              <h2 id="corrections-title">Corrections</h2>
              <ul>
                {corrections.map((c) => (
                  <li>
                    <time datetime={c.createdAt}>{formatDateTime(c.createdAt, tz)}</time>: {c.text}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {chrome.preview ? null : (
            <p class="write-letter">
              <a href={urls.contactForm('letter', article.slug)}>Write a letter about this story</a>
            </p>
          )}
          <aside class="disclaimer" aria-label="About reader contributions">
            <p>
              {chrome.settings.disclaimer} Letters and tips can be sent through our <a href={urls.contact()}>Contact Us</a> page.
            </p>
          </aside>
        </footer>
      </article>

      {related.length > 0 ? (
        <section class="related" aria-labelledby="related-title">
          <h2 id="related-title">Related stories</h2>
          <StoryList stories={related} lookups={lookups} />
        </section>
      ) : null}
    </Layout>
  )
}

/** "Hemisphere Ledger Staff", or "By A and B" linking to author pages. */
function Byline({ authors }: { authors: Author[] }) {
  if (authors.length === 0) return null
  const links = authors.map((author) => <a href={urls.author(author.slug)}>{author.name}</a>)
  const joined = links.flatMap((link, i) => (i === 0 ? [link] : [i === links.length - 1 ? ' and ' : ', ', link]))
  const onlyDesks = authors.every((a) => a.kind === 'desk')
  return <p class="byline">{onlyDesks ? joined : <>By {joined}</>}</p>
}
