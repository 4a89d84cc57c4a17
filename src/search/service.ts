import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Article, ArticleService } from '../articles/index.ts'
import type { AuthorService } from '../authors/index.ts'
import type { Database, Db } from '../db/database.ts'
import { descendantIds, type SectionService } from '../sections/index.ts'
import type { SourceService } from '../sources/index.ts'
import type { Clock } from '../shared/clock.ts'
import { DomainError, type Issue } from '../shared/errors.ts'
import { MAX_PAGE } from '../shared/pagination.ts'
import { parseInput } from '../shared/parse.ts'
import { buildSearchDocument } from './document.ts'
import { SearchErrors } from './errors.ts'
import { RANKED_MATCHES, SNIPPET_CLOSE, SNIPPET_OPEN, type SearchEngine, type SearchFilters } from './port.ts'
import { parseQuery, type ParsedQuery } from './query.ts'

/** Results per page. */
export const SEARCH_PER_PAGE = 10

const Slug = z.string().regex(/^[a-z0-9-]{1,120}$/, 'Not a known name.')
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date such as 2026-02-03.').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'Not a real date.')
const Empty = z.literal('').transform(() => undefined)

/**
 * A search as it arrives from a query string: every value optional and a
 * string once. Empty fields (a form sent with blank filters) count as absent.
 * Unknown parameters are ignored on purpose: links carry tracking parameters.
 */
export const SearchInput = z.object({
  q: z.string({ error: 'Give the query once, as text.' }).max(100_000).optional(),
  section: Slug.or(Empty).optional(),
  author: Slug.or(Empty).optional(),
  credit: Slug.or(Empty).optional(),
  from: Day.or(Empty).optional(),
  to: Day.or(Empty).optional(),
  page: z
    .string()
    .regex(/^[0-9]{1,6}$/, 'Expected a whole number from 1.')
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_PAGE, `Expected 1 to ${MAX_PAGE}.`)
    .or(Empty)
    .optional(),
})
export type SearchInput = z.input<typeof SearchInput>

/** A piece of a snippet: plain text, or a matched word to highlight. Views escape both. */
export interface SnippetPart {
  text: string
  isMatch: boolean
}

export interface SearchHit {
  article: Article
  snippet: SnippetPart[]
}

/** What a search came to. `none` means there was nothing to search for (an empty box, only punctuation). */
export type SearchOutcome =
  | { kind: 'none'; text: string; filters: AppliedFilters }
  | { kind: 'results'; query: ParsedQuery; filters: AppliedFilters; page: number; hasNext: boolean; hits: SearchHit[]; cut: SearchCut | null }

/**
 * Set when more stories matched than are ranked (see RANKED_MATCHES): only the
 * newest `newest` matches, and older ones with the words in the headline, can
 * be reached. `oldestDay` is the UTC day of the oldest story of that window:
 * a search up to it (the `to` filter) reaches the stories before.
 */
export interface SearchCut {
  newest: number
  oldestDay: string
}

/** The filters as the reader gave them (slugs and days), to show again. */
export interface AppliedFilters {
  section?: string
  author?: string
  credit?: string
  from?: string
  to?: string
}

/** Splits an engine snippet at its marks into parts; marks never reach a page. */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = []
  let rest = snippet
  while (rest.length > 0) {
    const open = rest.indexOf(SNIPPET_OPEN)
    if (open === -1) {
      parts.push({ text: rest, isMatch: false })
      break
    }
    if (open > 0) parts.push({ text: rest.slice(0, open), isMatch: false })
    const close = rest.indexOf(SNIPPET_CLOSE, open + 1)
    const end = close === -1 ? rest.length : close
    parts.push({ text: rest.slice(open + 1, end), isMatch: true })
    rest = close === -1 ? '' : rest.slice(close + 1)
  }
  return parts.map((p) => ({ ...p, text: p.text.replaceAll(SNIPPET_OPEN, '').replaceAll(SNIPPET_CLOSE, '') })).filter((p) => p.text.length > 0)
}

/** Keeps the index in step with what readers can see; the articles service calls it inside each public change's transaction. */
export function createStoryIndexer(engine: SearchEngine) {
  return {
    /** Indexes a published story, or removes one that is not (or no longer) public. */
    async sync(trx: Db, article: Article): Promise<void> {
      if (article.status === 'published' && article.publishedAt !== null) await engine.upsert(trx, await buildSearchDocument(trx, article))
      else await engine.remove(trx, article.id)
    },
  }
}

export interface SearchServiceDeps {
  db: Kysely<Database>
  engine: SearchEngine
  articles: ArticleService
  sections: SectionService
  authors: AuthorService
  sources: SourceService
  clock: Clock
}

/**
 * Full-text search over published stories: headline, dek, body, quotes,
 * bylines, tags and credit, with filters and paging. Every input is checked
 * here; a query that cannot be searched is an `invalid` DomainError with
 * the field named, never an engine error.
 */
export function createSearchService(deps: SearchServiceDeps) {
  const { db, engine, articles, sections, authors, sources, clock } = deps

  async function resolveFilters(input: z.output<typeof SearchInput>): Promise<SearchFilters> {
    const issues: Issue[] = []
    const filters: SearchFilters = {}
    const unknown = (path: string, what: string, value: string) => issues.push({ path, message: `There is no ${what} “${value}”.`, code: 'unknown' })
    if (input.section) {
      const all = await sections.listSections()
      const found = all.find((s) => s.slug === input.section)
      if (found) filters.sectionIds = descendantIds(all, found.id)
      else unknown('section', 'section', input.section)
    }
    if (input.author) {
      const found = await authors.findBySlug(input.author)
      if (found) filters.authorId = found.id
      else unknown('author', 'author', input.author)
    }
    if (input.credit) {
      const found = await sources.findBySlug(input.credit)
      if (found) filters.sourceId = found.id
      else unknown('credit', 'source', input.credit)
    }
    if (input.from) filters.from = `${input.from}T00:00:00.000Z`
    // "To" includes the whole day.
    if (input.to) filters.until = new Date(Date.parse(`${input.to}T00:00:00Z`) + 24 * 3600 * 1000).toISOString()
    if (filters.from && filters.until && filters.from >= filters.until) {
      issues.push({ path: 'to', message: 'The end date is before the start date.', code: 'invalid_range' })
    }
    if (issues.length > 0) throw new DomainError('invalid', SearchErrors.SEARCH_FILTER_UNKNOWN, issues.map((i) => i.message).join(' '), issues)
    return filters
  }

  /** Runs a search from raw query-string values. */
  async function search(raw: unknown): Promise<SearchOutcome> {
    const input = parseInput(SearchInput, raw ?? {}, SearchErrors.SEARCH_INVALID)
    const applied: AppliedFilters = Object.fromEntries(
      (['section', 'author', 'credit', 'from', 'to'] as const).filter((k) => input[k]).map((k) => [k, input[k] as string]),
    )
    const query = parseQuery(input.q ?? '')
    const filters = await resolveFilters(input)
    if (!query) return { kind: 'none', text: (input.q ?? '').slice(0, 200), filters: applied }
    const page = input.page ?? 1
    const { hits, cut } = await engine.search(db, {
      query,
      filters,
      limit: SEARCH_PER_PAGE + 1,
      offset: (page - 1) * SEARCH_PER_PAGE,
      now: clock.now().toISOString(),
    })
    const shown = hits.slice(0, SEARCH_PER_PAGE)
    const stories = new Map((await articles.loadPublishedMany(shown.map((h) => h.articleId))).map((a) => [a.id, a]))
    return {
      kind: 'results',
      query,
      filters: applied,
      page,
      hasNext: hits.length > SEARCH_PER_PAGE,
      cut: cut ? { newest: RANKED_MATCHES, oldestDay: cut.oldestRanked.slice(0, 10) } : null,
      hits: shown.flatMap((h) => {
        const article = stories.get(h.articleId)
        return article ? [{ article, snippet: snippetParts(h.snippet) }] : []
      }),
    }
  }

  return { search }
}

export type SearchService = ReturnType<typeof createSearchService>
export type StoryIndexer = ReturnType<typeof createStoryIndexer>
