import { renderToString } from 'preact-render-to-string'
import type { Article, ArticleService, ArticleSummary, Correction, ListFilter } from '../articles/index.ts'
import type { Author, AuthorService } from '../authors/index.ts'
import { ancestry, descendantIds, type Section, type SectionService, type Tag } from '../sections/index.ts'
import { SiteSettings, type SettingsService } from '../settings/index.ts'
import type { Source, SourceService } from '../sources/index.ts'
import type { PictureSources } from '../media/index.ts'
import type { SearchService } from '../search/index.ts'
import type { QuoteService } from '../quotes/index.ts'
import { SpeakerPage, SpeakersPage } from './views/quote-pages.tsx'
import { SearchPage, type SearchForm } from './views/search-page.tsx'
import { DomainError } from '../shared/errors.ts'
import type { Chrome } from './views/layout.tsx'
import { urls } from './urls.ts'
import { logoSvg } from './structured-data.ts'
import { articlePage as articlePageHtml } from './views/article-page.tsx'
import { AuthorPage, ErrorPage, FeedsPage, HomePage, SectionPage, TagPage, WithdrawnPage } from './views/list-pages.tsx'
import type { Lookups } from './views/story-list.tsx'
import { ContactPage, ReaderFormPage, ReceiptPage, type ReaderFormKind, type ReaderFormState } from './views/contact-pages.tsx'
import { FollowUpLookupPage, FollowUpPage, type FollowUpLookupState, type FollowUpState } from './views/follow-up-pages.tsx'

export interface SiteDeps {
  articles: ArticleService
  sections: SectionService
  authors: AuthorService
  sources: SourceService
  settings: SettingsService
  /** Library pictures by id, with their variants' addresses (the media service). */
  pictures: { sourcesByIds(ids: readonly string[]): Promise<Map<string, PictureSources>> }
  search: SearchService
  quotes: QuoteService
  stylesheet: string
  /** Origin from configuration (BASE_URL); null means "use the request's host". */
  baseUrl: string | null
}

/** A rendered page, or where to send the reader instead. */
export type PageResult = { kind: 'html'; html: string; status?: number; keys?: readonly string[] } | { kind: 'redirect'; location: string }

/** The surrogate keys of a page: what it is (`home`, `section:<id>`…) and every story it shows. */
export function pageKeys(own: readonly string[], stories: readonly { id: string }[]): string[] {
  return [...new Set([...own, ...stories.map((s) => `story:${s.id}`)])]
}

export const PER_PAGE = 20
const HOME_PER_SECTION = 4
const RELATED_COUNT = 4
/** How stale the site name, settings and section tree on public pages may be. */
export const CHROME_TTL_MS = 5000

function html(node: Parameters<typeof renderToString>[0], status?: number, keys?: readonly string[]): PageResult {
  return { kind: 'html', html: `<!doctype html>${renderToString(node)}`, ...(status ? { status } : {}), ...(keys ? { keys } : {}) }
}

function notFound(what: string): DomainError {
  return new DomainError('not_found', 'PAGE_NOT_FOUND', `${what} was not found.`)
}

/**
 * Builds each public page from the domain services: the thin layer between
 * routes and views. Reads only; every list is one query plus batched lookups.
 */
export function createSitePages(deps: SiteDeps) {
  const { articles, sections, authors, sources, settings } = deps

  // Settings, the section tree, authors, sources and tags change rarely and
  // every page needs them: read them at most once per CHROME_TTL_MS rather
  // than on every render. An edit in the admin drops them at once (forgetSiteData).
  type SharedData = [SiteSettings, Section[], ReadonlyMap<string, Author>, ReadonlyMap<string, Source>, ReadonlyMap<string, Tag>]
  let shared: { at: number; value: Promise<SharedData> } | null = null
  function sharedData(): Promise<SharedData> {
    const now = Date.now()
    if (!shared || now - shared.at > CHROME_TTL_MS) {
      const value = Promise.all([settings.get(), sections.listSections(), authors.listAll(), sources.listAll(), sections.listTags()]).then(
        ([site, all, authorRows, sourceRows, tagRows]): SharedData => [
          site,
          all,
          new Map(authorRows.map((a) => [a.id, a])),
          new Map(sourceRows.map((s) => [s.id, s])),
          new Map(tagRows.map((t) => [t.id, t])),
        ],
      )
      shared = { at: now, value }
      // A failed read must not be remembered.
      value.catch(() => {
        if (shared?.value === value) shared = null
      })
    }
    return shared.value
  }

  async function siteData(): Promise<[SiteSettings, Section[]]> {
    const [site, all] = await sharedData()
    return [site, all]
  }

  /**
   * Records by id from the remembered map; ids it does not hold yet (a byline
   * added since it was read) are read from the database.
   */
  async function pick<T extends { id: string }>(known: ReadonlyMap<string, T>, ids: readonly string[], load: (ids: readonly string[]) => Promise<T[]>): Promise<T[]> {
    const found: T[] = []
    const missing: string[] = []
    for (const id of ids) {
      const record = known.get(id)
      if (record) found.push(record)
      else missing.push(id)
    }
    return missing.length > 0 ? [...found, ...(await load(missing))] : found
  }

  function authorsByIds(ids: readonly string[]): Promise<Author[]> {
    return sharedData().then(([, , known]) => pick(known, ids, (missing) => authors.byIds(missing)))
  }

  function sourcesByIds(ids: readonly string[]): Promise<Source[]> {
    return sharedData().then(([, , , known]) => pick(known, ids, (missing) => sources.byIds(missing)))
  }

  function tagsByIds(ids: readonly string[]): Promise<Tag[]> {
    return sharedData().then(([, , , , known]) => pick(known, ids, (missing) => sections.tagsByIds(missing)))
  }

  async function chrome(requestOrigin: string): Promise<{ chrome: Chrome; all: Section[] }> {
    const [site, all] = await siteData()
    return {
      all,
      chrome: {
        settings: site,
        nav: all.filter((s) => s.parentId === null),
        stylesheet: deps.stylesheet,
        origin: site.baseUrl?.replace(/\/+$/, '') ?? deps.baseUrl ?? requestOrigin,
      },
    }
  }

  async function lookupsFor(stories: readonly ArticleSummary[], all: Section[], timeZone: string): Promise<Lookups> {
    const authorIds = [...new Set(stories.flatMap((s) => s.authorIds))]
    const sourceIds = [...new Set(stories.map((s) => s.sourceId).filter((id): id is string => id !== null))]
    const [authorRows, sourceRows] = await Promise.all([authorsByIds(authorIds), sourcesByIds(sourceIds)])
    return {
      sections: new Map(all.map((s) => [s.id, s])),
      authors: new Map(authorRows.map((a) => [a.id, a])),
      sources: new Map(sourceRows.map((s) => [s.id, s])),
      timeZone,
    }
  }

  async function home(origin: string): Promise<PageResult> {
    const { chrome: c, all } = await chrome(origin)
    const front = await articles.listFrontPage(
      c.nav.map((s) => s.id),
      HOME_PER_SECTION,
    )
    const lead = front.lead
    const blocks = c.nav.map((section, i) => ({ section, stories: front.blocks[i] ?? [] }))
    const lookups = await lookupsFor([...(lead ? [lead] : []), ...blocks.flatMap((b) => b.stories)], all, c.settings.timeZone)
    const shown = [...(lead ? [lead] : []), ...blocks.flatMap((b) => b.stories)]
    return html(<HomePage chrome={c} lead={lead} blocks={blocks} lookups={lookups} />, undefined, pageKeys(['home'], shown))
  }

  async function section(origin: string, slug: string, pageNumber: number): Promise<PageResult> {
    const context = await chrome(origin)
    const all = context.all
    const found = all.find((s) => s.slug === slug)
    if (!found) {
      // A renamed or deleted section's old address answers with its new one.
      const moved = await sections.redirectFor('section', slug)
      if (moved) return { kind: 'redirect', location: urls.section(moved, pageNumber) }
      throw notFound('That section')
    }
    const { chrome: c, page, lookups } = await listing(context, { sectionId: found.id }, pageNumber)
    return html(
      <SectionPage
        chrome={c}
        section={found}
        trail={ancestry(all, found.id)}
        children={all.filter((s) => s.parentId === found.id)}
        page={page}
        lookups={lookups}
      />,
      undefined,
      // A section page lists its sub-sections' stories too, so it carries their keys: a purge of a sub-section reaches it.
      pageKeys(descendantIds(all, found.id).map((id) => `section:${id}`), page.items),
    )
  }

  async function article(origin: string, slug: string): Promise<PageResult> {
    const lookup = await articles.findPublishedBySlug(slug)
    if (lookup.kind === 'moved') return { kind: 'redirect', location: `/articles/${lookup.slug}` }
    if (lookup.kind === 'missing') throw notFound('That story')
    if (lookup.kind === 'withdrawn') {
      const { chrome: c } = await chrome(origin)
      return html(<WithdrawnPage chrome={c} title={lookup.title} note={lookup.note} withdrawnAt={lookup.withdrawnAt} />, 410, [`slug:${slug}`])
    }
    return articlePage(await chrome(origin), lookup.article, lookup.corrections)
  }

  /**
   * A story that is not public yet (or has pending changes), rendered with the
   * public templates for its preview: marked as a preview and never indexed.
   */
  async function preview(origin: string, story: Article, banner: string): Promise<string> {
    const context = await chrome(origin)
    const shown: Article = { ...story, publishedAt: story.publishedAt ?? story.scheduledAt ?? new Date().toISOString() }
    const result = await articlePage({ ...context, chrome: { ...context.chrome, preview: banner } }, shown, await articles.listCorrections(story.id))
    return result.kind === 'html' ? result.html : ''
  }

  /**
   * The preview behind a shared link, or null when the link is unknown or
   * expired. Shows what the newsroom is working on: a published story's
   * pending changes, a draft as it stands.
   */
  async function sharedPreview(origin: string, token: string): Promise<string | null> {
    const id = await articles.findByPreviewToken(token)
    if (!id) return null
    const story = await articles.open(id, { userId: null })
    return preview(origin, { ...story.article, ...story.fields }, 'Preview shared by the newsroom: not published, and it may still change.')
  }

  async function articlePage(context: { chrome: Chrome; all: Section[] }, story: Article, corrections: Correction[]): Promise<PageResult> {
    const { chrome: c, all } = context
    const speakerNames = story.body.flatMap((b) => (b.type === 'quote' ? [b.attribution.speaker] : []))
    const mediaIds = [...story.body.flatMap((b) => (b.type === 'image' && b.mediaId ? [b.mediaId] : [])), ...(story.featuredMediaId ? [story.featuredMediaId] : [])]
    const [authorRows, sourceRows, tags, related, pictures, speakerKeys] = await Promise.all([
      authorsByIds(story.authorIds),
      story.sourceId ? sourcesByIds([story.sourceId]) : Promise.resolve([]),
      tagsByIds(story.tagIds),
      articles.listRelated(story, RELATED_COUNT),
      mediaIds.length > 0 ? deps.pictures.sourcesByIds(mediaIds) : Promise.resolve(new Map<string, PictureSources>()),
      // Previews show stories not in the ledger yet; their speakers still link to where they will be.
      deps.quotes.keysFor(speakerNames),
    ])
    const byId = new Map(all.map((s) => [s.id, s]))
    const authorById = new Map(authorRows.map((a) => [a.id, a]))
    const lookups = await lookupsFor(related, all, c.settings.timeZone)
    const page = articlePageHtml({
      chrome: c,
      article: story,
      sections: story.sectionIds.map((id) => byId.get(id)).filter((s): s is Section => s !== undefined),
      authors: story.authorIds.map((id) => authorById.get(id)).filter((a) => a !== undefined),
      source: sourceRows[0] ?? null,
      tags: tags.sort((a, b) => a.name.localeCompare(b.name)),
      corrections,
      trail: story.sectionIds[0] ? ancestry(all, story.sectionIds[0]) : [],
      speakerKeys,
      related,
      lookups,
      pictures,
      featured: story.featuredMediaId ? (pictures.get(story.featuredMediaId) ?? null) : null,
    })
    return { kind: 'html', html: `<!doctype html>${page.value}`, keys: pageKeys([`story:${story.id}`, `slug:${story.slug}`], related) }
  }

  /** One page of a filtered story list with the lookups its cards need; past the last page is a 404. */
  async function listing(context: { chrome: Chrome; all: Section[] }, filter: ListFilter, pageNumber: number) {
    const { chrome: c, all } = context
    const page = await articles.listPublished(filter, { page: pageNumber, perPage: PER_PAGE })
    if (page.items.length === 0 && pageNumber > 1) throw notFound('That page')
    return { chrome: c, all, page, lookups: await lookupsFor(page.items, all, c.settings.timeZone) }
  }

  async function author(origin: string, slug: string, pageNumber: number): Promise<PageResult> {
    const found = await authors.findBySlug(slug)
    if (!found) throw notFound('That author')
    const { chrome: c, page, lookups } = await listing(await chrome(origin), { authorId: found.id }, pageNumber)
    return html(<AuthorPage chrome={c} author={found} page={page} lookups={lookups} />, undefined, pageKeys([`author:${found.id}`], page.items))
  }

  async function tag(origin: string, slug: string, pageNumber: number): Promise<PageResult> {
    const found = await sections.findTagBySlug(slug)
    if (!found) {
      // A renamed or merged tag's old address answers with the tag that carries its stories now.
      const moved = await sections.redirectFor('tag', slug)
      if (moved) return { kind: 'redirect', location: urls.tag(moved, pageNumber) }
      throw notFound('That tag')
    }
    const { chrome: c, page, lookups } = await listing(await chrome(origin), { tagId: found.id }, pageNumber)
    return html(<TagPage chrome={c} tag={found} page={page} lookups={lookups} />, undefined, pageKeys([`tag:${found.id}`], page.items))
  }

  /** Every quoted speaker. */
  async function speakers(origin: string): Promise<PageResult> {
    const { chrome: c } = await chrome(origin)
    return html(<SpeakersPage chrome={c} speakers={await deps.quotes.listSpeakers()} />, undefined, ['quotes'])
  }

  /** One speaker's quotes; a merged spelling redirects to the speaker it was merged into. */
  async function speaker(origin: string, key: string, pageNumber: number): Promise<PageResult> {
    const found = await deps.quotes.speaker(key, { page: pageNumber, perPage: PER_PAGE })
    if (found.kind === 'moved') return { kind: 'redirect', location: urls.speaker(found.key) }
    if (found.kind === 'missing' || (found.page.items.length === 0 && pageNumber > 1)) throw notFound('That speaker')
    const { chrome: c } = await chrome(origin)
    return html(<SpeakerPage chrome={c} speaker={found.speaker} page={found.page} />, undefined, ['quotes'])
  }

  /** The generated wordmark served at /logo.svg. */
  async function logo(): Promise<string> {
    const [site] = await siteData()
    return logoSvg(site.siteName)
  }

  async function feeds(origin: string): Promise<PageResult> {
    const { chrome: c, all } = await chrome(origin)
    const [authorRows, tagRows] = await Promise.all([authors.listAll(), sections.listTags()])
    return html(<FeedsPage chrome={c} sections={all} authors={authorRows} tags={tagRows} />)
  }

  /** The search page for raw query-string values; refused input is shown at its field with a 422. */
  async function search(origin: string, raw: Record<string, unknown>): Promise<PageResult> {
    const { chrome: c, all } = await chrome(origin)
    const text = (value: unknown, max: number) => (typeof value === 'string' ? value.slice(0, max) : '')
    const form: SearchForm = {
      // A query past the limit is shown cut to it, so the reader can shorten it in place.
      q: text(raw.q, 200),
      section: text(raw.section, 120),
      author: text(raw.author, 120),
      credit: text(raw.credit, 120),
      from: text(raw.from, 10),
      to: text(raw.to, 10),
    }
    const [authorRows, sourceRows] = await Promise.all([authors.listAll(), sources.listAll()])
    const choices = { sections: all, authors: authorRows, sources: sourceRows }
    try {
      const outcome = await deps.search.search(raw)
      return html(<SearchPage chrome={c} form={form} outcome={outcome} problem={null} choices={choices} />)
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error
      return html(<SearchPage chrome={c} form={form} outcome={null} problem={{ message: error.message, issues: error.issues }} choices={choices} />, 422)
    }
  }

  /** The same search as JSON for scripts and apps; refused input throws the DomainError for the caller to map. */
  async function searchJson(origin: string, raw: Record<string, unknown>) {
    const { chrome: c } = await chrome(origin)
    const outcome = await deps.search.search(raw)
    if (outcome.kind === 'none') return { query: null, page: 1, hasNext: false, cut: null, results: [] }
    return {
      query: { text: outcome.query.text, words: outcome.query.words, phrases: outcome.query.phrases },
      filters: outcome.filters,
      page: outcome.page,
      hasNext: outcome.hasNext,
      // Only the newest `newest` matches (and older headline matches) were ranked; `to=oldestDay` reaches further back.
      cut: outcome.cut,
      results: outcome.hits.map(({ article, snippet }) => ({
        id: article.id,
        url: c.origin + urls.article(article.slug),
        title: article.title,
        dek: article.dek,
        publishedAt: article.publishedAt,
        updatedAt: article.updatedAt,
        snippet: snippet.map((p) => ({ text: p.text, match: p.isMatch })),
      })),
    }
  }

  /** The settings the reader forms show (word limits); read with the page chrome. */
  async function formSettings(origin: string): Promise<SiteSettings> {
    return (await chrome(origin)).chrome.settings
  }

  /** /contact with its three forms. Never cached: each form carries a fresh token. */
  async function contact(origin: string, states: Record<ReaderFormKind, ReaderFormState>): Promise<string> {
    const { chrome: c } = await chrome(origin)
    return `<!doctype html>${renderToString(<ContactPage chrome={c} states={states} />)}`
  }

  /** One reader form on its own page, fresh or with the reader's text and the problems found. */
  async function readerForm(origin: string, kind: ReaderFormKind, state: ReaderFormState): Promise<string> {
    const { chrome: c } = await chrome(origin)
    return `<!doctype html>${renderToString(<ReaderFormPage chrome={c} kind={kind} state={state} />)}`
  }

  /** The confirmation after a reader form was sent. */
  async function receipt(origin: string, props: { kind: ReaderFormKind; reference: string; isMailed: boolean; isMailWithheld?: boolean; hasEmail: boolean; passphrase: string | null; sealedIn?: 'browser' | 'server' | null }): Promise<string> {
    const { chrome: c } = await chrome(origin)
    return `<!doctype html>${renderToString(<ReceiptPage chrome={c} {...props} />)}`
  }

  /** A tip's follow-up look-up form. */
  async function followUpLookup(origin: string, state: FollowUpLookupState): Promise<string> {
    const { chrome: c } = await chrome(origin)
    return `<!doctype html>${renderToString(<FollowUpLookupPage chrome={c} state={state} />)}`
  }

  /** A tip's follow-up page, after its reference and passphrase were given. */
  async function followUp(origin: string, state: FollowUpState): Promise<string> {
    const { chrome: c } = await chrome(origin)
    return `<!doctype html>${renderToString(<FollowUpPage chrome={c} state={state} />)}`
  }

  /** An error page. Falls back to bare defaults when even the settings cannot be read. */
  async function error(origin: string, status: number, title: string, message: string): Promise<string> {
    let c: Chrome
    try {
      c = (await chrome(origin)).chrome
    } catch {
      c = { settings: SiteSettings.parse({}), nav: [], stylesheet: deps.stylesheet, origin }
    }
    const result = html(<ErrorPage chrome={c} status={status} title={title} message={message} />)
    return result.kind === 'html' ? result.html : ''
  }

  /** Drops the remembered settings and section tree, so this process's next page reads them afresh (after an edit in the admin). */
  function forgetSiteData(): void {
    shared = null
  }

  return { home, section, article, preview, sharedPreview, author, tag, contact, readerForm, receipt, followUpLookup, followUp, formSettings, feeds, search, searchJson, logo, speakers, speaker, error, forgetSiteData }
}

export type SitePages = ReturnType<typeof createSitePages>
