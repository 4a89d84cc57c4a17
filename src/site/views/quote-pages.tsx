import type { Page } from '../../shared/pagination.ts'
import type { QuoteEntry, Speaker } from '../../quotes/index.ts'
import { formatDate } from '../format.ts'
import { urls } from '../urls.ts'
import { speakerLd } from '../structured-data.ts'
import { JsonLd } from './json-ld.tsx'
import { Layout, type Chrome } from './layout.tsx'
import { Pager } from './story-list.tsx'

/** "to ACP in an interview, via AN": whom the words were given to, and how they reached us. */
export function outletLine(entry: Pick<QuoteEntry, 'givenTo' | 'context' | 'via'>): string {
  const preposition = entry.context && /interview|conversation|talk/i.test(entry.context) ? 'with' : 'to'
  const how = [entry.context, entry.givenTo ? `${preposition} ${entry.givenTo}` : null].filter(Boolean).join(' ')
  return [how, entry.via ? `via ${entry.via}` : null].filter(Boolean).join(', ')
}

/** Everyone the paper has quoted, alphabetically, with how often. */
export function SpeakersPage({ chrome, speakers }: { chrome: Chrome; speakers: Speaker[] }) {
  return (
    <Layout
      chrome={chrome}
      title={`Who said what | ${chrome.settings.siteName}`}
      description="Everyone quoted in our stories, with what they were quoted as saying."
      canonicalPath={urls.quotes()}
      share={{ type: 'website', title: `Who said what | ${chrome.settings.siteName}`, description: 'Everyone quoted in our stories, with what they were quoted as saying.' }}
    >
      <header class="page-header">
        <h1>Who said what</h1>
        <p class="description">Everyone quoted in our stories, with what they were quoted as saying, to whom and where.</p>
      </header>
      {speakers.length === 0 ? (
        <p class="empty">No one has been quoted yet.</p>
      ) : (
        <ul class="speaker-list">
          {speakers.map((s) => (
            <li>
              <a href={urls.speaker(s.key)}>{s.name}</a> ({s.quoteCount === 1 ? '1 quote' : `${s.quoteCount} quotes`})
            </li>
          ))}
        </ul>
      )}
    </Layout>
  )
}

/** One speaker's quotes, newest story first, each with the outlet and the story it appeared in. */
export function SpeakerPage({ chrome, speaker, page }: { chrome: Chrome; speaker: Speaker; page: Page<QuoteEntry> }) {
  const tz = chrome.settings.timeZone
  return (
    <Layout
      chrome={chrome}
      title={`${speaker.name}: quotes${page.page > 1 ? `, page ${page.page}` : ''} | ${chrome.settings.siteName}`}
      description={`What ${speaker.name} was quoted as saying in ${chrome.settings.siteName}.`}
      canonicalPath={urls.speaker(speaker.key, page.page)}
      share={{ type: 'profile', title: `${speaker.name}: quotes | ${chrome.settings.siteName}`, description: `What ${speaker.name} was quoted as saying in ${chrome.settings.siteName}.` }}
      head={<JsonLd data={speakerLd(chrome.origin, speaker, page.items, urls.speaker(speaker.key, page.page))} />}
    >
      <header class="page-header">
        <p class="kicker">
          <a href={urls.quotes()}>Who said what</a>
        </p>
        <h1>{speaker.name}</h1>
        <p class="description">
          {speaker.quoteCount === 1 ? 'One quote' : `${speaker.quoteCount} quotes`} in our stories, newest first.
        </p>
      </header>
      <ol class="quote-ledger">
        {page.items.map((entry) => {
          const outlet = outletLine(entry)
          return (
            <li>
              <figure class="quote">
                <blockquote>
                  <p>{entry.text}</p>
                </blockquote>
                <figcaption>
                  — {entry.speakerName}
                  {entry.role ? `, ${entry.role}` : null}
                  {outlet ? `, ${outlet}` : null}
                  {entry.saidOn ? (
                    <>
                      , <time datetime={entry.saidOn}>{formatDate(`${entry.saidOn}T12:00:00Z`, tz)}</time>
                    </>
                  ) : null}
                </figcaption>
              </figure>
              <p class="meta">
                In <a href={urls.article(entry.article.slug)}>{entry.article.title}</a>, <time datetime={entry.article.publishedAt}>{formatDate(entry.article.publishedAt, tz)}</time>
              </p>
            </li>
          )
        })}
      </ol>
      <Pager page={page.page} hasNext={page.hasNext} href={(n) => urls.speaker(speaker.key, n)} labels={{ prev: 'Newer quotes', next: 'Older quotes' }} />
    </Layout>
  )
}
