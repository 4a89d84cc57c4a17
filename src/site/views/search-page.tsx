import type { Author } from '../../authors/index.ts'
import type { SearchOutcome } from '../../search/index.ts'
import type { Section } from '../../sections/index.ts'
import type { Issue } from '../../shared/errors.ts'
import type { Source } from '../../sources/index.ts'
import { formatDate } from '../format.ts'
import { urls } from '../urls.ts'
import { Layout, type Chrome } from './layout.tsx'
import { Pager } from './story-list.tsx'

/** What the reader asked for, as typed, to fill the form again. */
export interface SearchForm {
  q: string
  section: string
  author: string
  credit: string
  from: string
  to: string
}

export interface SearchPageProps {
  chrome: Chrome
  form: SearchForm
  /** Null before anything was asked, or when the input was refused (see `problem`). */
  outcome: SearchOutcome | null
  /** Why the input was refused: a message and the fields it concerns. */
  problem: { message: string; issues: Issue[] } | null
  choices: { sections: Section[]; authors: Author[]; sources: Source[] }
}

/** The address of a search with these values and page. */
export function searchHref(form: SearchForm, page = 1): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(form)) if (value) params.set(key, value)
  if (page > 1) params.set('page', String(page))
  const query = params.toString()
  return query ? `${urls.search()}?${query}` : urls.search()
}

function FieldError({ id, issues, field }: { id: string; issues: Issue[]; field: string }) {
  const mine = issues.filter((i) => i.path === field)
  if (mine.length === 0) return null
  return (
    <p class="field-error" id={id}>
      {mine.map((i) => i.message).join(' ')}
    </p>
  )
}

/**
 * The search page: a plain GET form that works without JavaScript, the query
 * kept in the box, results with highlighted snippets (every part escaped by
 * Preact; matches wrapped in <mark>), and a clear sentence for no results or
 * refused input.
 */
export function SearchPage({ chrome, form, outcome, problem, choices }: SearchPageProps) {
  const issues = problem?.issues ?? []
  const errorFor = (field: string) => (issues.some((i) => i.path === field) ? `${field}-error` : undefined)
  const results = outcome?.kind === 'results' ? outcome : null
  const title = results ? `Search: ${results.query.text}` : 'Search'
  const tz = chrome.settings.timeZone
  const sectionById = new Map(choices.sections.map((s) => [s.id, s]))
  return (
    <Layout chrome={chrome} title={`${title} | ${chrome.settings.siteName}`} head={<meta name="robots" content="noindex" />}>
      <header class="page-header">
        <h1>Search</h1>
      </header>
      <form class="search-form" method="get" action={urls.search()} role="search" aria-label="Search the paper">
        {problem ? (
          <p class="form-problem" role="alert">
            {problem.message}
          </p>
        ) : null}
        <div class="field">
          <label for="search-q">Search for</label>
          <input
            id="search-q"
            type="search"
            name="q"
            value={form.q}
            maxLength={200}
            aria-invalid={errorFor('q') ? 'true' : undefined}
            aria-describedby={errorFor('q') ?? 'search-hint'}
          />
          <FieldError id="q-error" issues={issues} field="q" />
          <span class="hint" id="search-hint">
            Every word must appear; put a phrase in "double quotes".
          </span>
        </div>
        <fieldset class="search-filters">
          <legend>Narrow the search</legend>
          <div class="field">
            <label for="search-section">Section</label>
            <select id="search-section" name="section" aria-invalid={errorFor('section') ? 'true' : undefined} aria-describedby={errorFor('section')}>
              <option value="">All sections</option>
              {choices.sections.map((s) => (
                <option value={s.slug} selected={form.section === s.slug}>
                  {s.parentId ? `— ${s.name}` : s.name}
                </option>
              ))}
            </select>
            <FieldError id="section-error" issues={issues} field="section" />
          </div>
          <div class="field">
            <label for="search-author">Author</label>
            <select id="search-author" name="author" aria-invalid={errorFor('author') ? 'true' : undefined} aria-describedby={errorFor('author')}>
              <option value="">Anyone</option>
              {choices.authors.map((a) => (
                <option value={a.slug} selected={form.author === a.slug}>
                  {a.name}
                </option>
              ))}
            </select>
            <FieldError id="author-error" issues={issues} field="author" />
          </div>
          <div class="field">
            <label for="search-credit">Source</label>
            <select id="search-credit" name="credit" aria-invalid={errorFor('credit') ? 'true' : undefined} aria-describedby={errorFor('credit')}>
              <option value="">Any source</option>
              {choices.sources.map((s) => (
                <option value={s.slug} selected={form.credit === s.slug}>
                  {s.credit === s.name ? s.name : `${s.credit} (${s.name})`}
                </option>
              ))}
            </select>
            <FieldError id="credit-error" issues={issues} field="credit" />
          </div>
          <div class="field">
            <label for="search-from">Published from</label>
            <input id="search-from" type="date" name="from" value={form.from} aria-invalid={errorFor('from') ? 'true' : undefined} aria-describedby={errorFor('from')} />
            <FieldError id="from-error" issues={issues} field="from" />
          </div>
          <div class="field">
            <label for="search-to">Published until</label>
            <input id="search-to" type="date" name="to" value={form.to} aria-invalid={errorFor('to') ? 'true' : undefined} aria-describedby={errorFor('to')} />
            <FieldError id="to-error" issues={issues} field="to" />
          </div>
        </fieldset>
        <p>
          <button type="submit">Search</button>
        </p>
      </form>

      {outcome?.kind === 'none' && form.q.trim() !== '' ? (
        <p class="empty" role="status">
          There was nothing to search for in “{outcome.text}”: type one or more words.
        </p>
      ) : null}

      {results ? (
        <section class="search-results" aria-labelledby="results-title">
          <h2 id="results-title">
            {results.hits.length === 0
              ? results.page > 1
                ? 'No more results'
                : `No stories match “${results.query.text}”`
              : `Results for “${results.query.text}”${results.page > 1 ? `, page ${results.page}` : ''}`}
          </h2>
          {results.cut ? (
            <p class="search-cut" role="note">
              So many stories match that only the newest {results.cut.newest}, and older ones with these words in the headline, are shown. For older stories,{' '}
              <a href={searchHref({ ...form, to: results.cut.oldestDay }, 1)}>search up to {formatDate(`${results.cut.oldestDay}T12:00:00Z`, 'UTC')}</a> or set the dates above.
            </p>
          ) : null}
          {results.hits.length === 0 ? (
            <p class="empty" role="status">
              Try fewer or different words, check the spelling, or remove a filter.
            </p>
          ) : (
            <ol class="story-list">
              {results.hits.map(({ article, snippet }) => {
                const section = article.sectionIds[0] ? sectionById.get(article.sectionIds[0]) : undefined
                return (
                  <li>
                    <article class="story-card">
                      {section ? (
                        <p class="kicker">
                          <a href={urls.section(section.slug)}>{section.name}</a>
                        </p>
                      ) : null}
                      <h3 class="story-card-title">
                        <a href={urls.article(article.slug)}>{article.title}</a>
                      </h3>
                      {snippet.length > 0 ? (
                        <p class="snippet">{snippet.map((part) => (part.isMatch ? <mark>{part.text}</mark> : part.text))}</p>
                      ) : article.dek ? (
                        <p class="dek">{article.dek}</p>
                      ) : null}
                      <p class="meta">
                        <time datetime={article.publishedAt!}>{formatDate(article.publishedAt!, tz)}</time>
                      </p>
                    </article>
                  </li>
                )
              })}
            </ol>
          )}
          <Pager page={results.page} hasNext={results.hasNext} href={(n) => searchHref(form, n)} labels={{ prev: 'Previous results', next: 'More results' }} />
        </section>
      ) : null}
    </Layout>
  )
}
