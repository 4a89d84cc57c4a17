import cors from '@fastify/cors'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { ArticleService, PublishedFilter, PublishedKey } from '../../articles/index.ts'
import type { AuthorService } from '../../authors/index.ts'
import type { SearchService } from '../../search/index.ts'
import type { SectionService } from '../../sections/index.ts'
import type { SettingsService } from '../../settings/index.ts'
import { DomainError } from '../../shared/errors.ts'
import { parseInput } from '../../shared/parse.ts'
import type { SourceService } from '../../sources/index.ts'
import { ContentKeyErrors, type ContentKeys } from './keys.ts'
import { authorRef, sectionRef, tagRef, toApiStory, type StoryLookups } from './stories.ts'
import { sendProblem, type ProblemFailure } from '../../http/index.ts'

export const CONTENT_API_PREFIX = '/api/content/v1'
const CACHE_CONTROL = 'public, max-age=60'
const DEFAULT_LIMIT = 20
const MAX_LIMIT = 100

export interface ContentApiOptions {
  articles: ArticleService
  sections: SectionService
  authors: AuthorService
  sources: SourceService
  settings: SettingsService
  search: SearchService
  keys: ContentKeys
  /** When true, every call needs a valid key; otherwise a key is optional (and still checked when sent). */
  requireKey: boolean
  originOf(request: FastifyRequest): string
  describeError(error: unknown): ProblemFailure
}

const Slug = z.string().trim().min(1).max(200)
const ListQuery = z
  .object({
    section: Slug.optional(),
    author: Slug.optional(),
    tag: Slug.optional(),
    credit: Slug.optional(),
    updated_since: z.string().datetime({ offset: true, message: 'Give a date and time such as 2026-03-01T00:00:00Z.' }).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
    cursor: z.string().max(200).optional(),
    key: z.string().max(200).optional(),
  })
  .strict()

/** The cursor is the last key of the page, opaque to clients: base64url of `publishedAt|id`. */
function encodeCursor(key: PublishedKey): string {
  return Buffer.from(`${key.publishedAt}|${key.id}`).toString('base64url')
}

function decodeCursor(cursor: string): PublishedKey {
  const [publishedAt, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  if (!publishedAt || !id || extra !== undefined || Number.isNaN(Date.parse(publishedAt)) || !/^art_[0-9a-z]+$/.test(id)) {
    throw new DomainError('invalid', 'CONTENT_QUERY_INVALID', 'The cursor is not one this API gave out; start again without it.', [{ path: 'cursor', message: 'Unknown cursor.', code: 'invalid' }])
  }
  return { publishedAt, id }
}

const unknown = (what: string, slug: string, param: string) =>
  new DomainError('invalid', 'CONTENT_QUERY_INVALID', `No ${what} has the slug "${slug}".`, [{ path: param, message: `No ${what} has this slug.`, code: 'unknown' }])

/**
 * The public, read-only content API (`/api/content/v1`): stories with their
 * bodies as blocks and as HTML, sections, authors, tags and search, for
 * newsletter tools, apps and partner sites. Answers are JSON with ETags
 * (304 on a match), open to every origin (CORS), and errors are RFC 9457
 * problem details with the codes of docs/errors.md. Register it with
 * `{ prefix: CONTENT_API_PREFIX }`: its routes, error and not-found
 * handlers are scoped to that prefix.
 */
export async function contentApiRoutes(app: FastifyInstance, options: ContentApiOptions): Promise<void> {
  const { articles, sections, authors, sources, settings, keys } = options

  await app.register(cors, { origin: '*', methods: ['GET', 'HEAD'], allowedHeaders: ['X-Content-Key', 'If-None-Match'], exposedHeaders: ['ETag'], maxAge: 86_400 })

  app.setErrorHandler((error, request, reply) => {
    const failure = options.describeError(error)
    if (failure.status >= 500) request.log.error({ err: error, requestId: request.id }, 'content API request failed')
    return sendProblem(request, reply, failure)
  })
  app.setNotFoundHandler((request) => {
    throw new DomainError('not_found', 'CONTENT_NOT_FOUND', `Nothing is at ${request.url.split('?')[0]}; see ${CONTENT_API_PREFIX}/openapi.json.`)
  })

  // Keys: required when the site says so; a key that is sent is always checked, so a revoked one fails loudly.
  app.addHook('onRequest', async (request) => {
    if (request.method === 'OPTIONS' || request.url.split('?')[0] === `${CONTENT_API_PREFIX}/openapi.json`) return
    const header = request.headers['x-content-key']
    const fromQuery = (request.query as Record<string, unknown> | undefined)?.key
    const key = typeof header === 'string' ? header : typeof fromQuery === 'string' ? fromQuery : null
    if (key !== null) return keys.check(key)
    if (options.requireKey) throw new DomainError('unauthenticated', ContentKeyErrors.CONTENT_KEY_REQUIRED, 'This site asks programs for a content key: send it in the X-Content-Key header.')
  })

  const send = (reply: FastifyReply, body: unknown) => reply.header('cache-control', CACHE_CONTROL).type('application/json; charset=utf-8').send(body)

  async function lookupsFor(request: FastifyRequest, list: readonly { id: string; authorIds: readonly string[]; tagIds: readonly string[]; sourceId: string | null }[]): Promise<StoryLookups> {
    const [site, allSections, storyAuthors, storyTags, allSources, corrections] = await Promise.all([
      settings.get(),
      sections.listSections(),
      authors.byIds([...new Set(list.flatMap((a) => a.authorIds))]),
      sections.tagsByIds([...new Set(list.flatMap((a) => a.tagIds))]),
      sources.listAll(),
      articles.listCorrectionsFor(list.map((a) => a.id)),
    ])
    return {
      origin: options.originOf(request),
      timeZone: site.timeZone,
      sections: new Map(allSections.map((s) => [s.id, s])),
      authors: new Map(storyAuthors.map((a) => [a.id, a])),
      tags: new Map(storyTags.map((t) => [t.id, t])),
      sources: new Map(allSources.map((s) => [s.id, s])),
      corrections,
    }
  }

  // The document is built from the schemas on its first request, not at every start.
  app.get(`/openapi.json`, async (_request, reply) => send(reply, (await import('./openapi.ts')).contentApiDocument))

  app.get(`/stories`, async (request, reply) => {
    const query = parseInput(ListQuery, request.query ?? {}, 'CONTENT_QUERY_INVALID')
    const filter: PublishedFilter = {}
    if (query.section) {
      const all = await sections.listSections()
      // A renamed or merged section's old slug still filters by the section it went to.
      const slug = all.some((s) => s.slug === query.section) ? query.section : ((await sections.redirectFor('section', query.section)) ?? query.section)
      const section = all.find((s) => s.slug === slug)
      if (!section) throw unknown('section', query.section, 'section')
      filter.sectionId = section.id
    }
    if (query.author) {
      const author = await authors.findBySlug(query.author)
      if (!author) throw unknown('author', query.author, 'author')
      filter.authorId = author.id
    }
    if (query.tag) {
      let tag = await sections.findTagBySlug(query.tag)
      if (!tag) {
        const moved = await sections.redirectFor('tag', query.tag)
        if (moved) tag = await sections.findTagBySlug(moved)
      }
      if (!tag) throw unknown('tag', query.tag, 'tag')
      filter.tagId = tag.id
    }
    if (query.credit) {
      const source = await sources.findBySlug(query.credit)
      if (!source) throw unknown('credit', query.credit, 'credit')
      filter.sourceId = source.id
    }
    if (query.updated_since) filter.changedSince = new Date(query.updated_since).toISOString()
    const page = await articles.listPublishedKeys(filter, { before: query.cursor ? decodeCursor(query.cursor) : null, limit: query.limit })
    const stories = await articles.loadPublishedMany(page.keys.map((k) => k.id))
    const look = await lookupsFor(request, stories)
    const last = page.keys.at(-1)
    return send(reply, { stories: stories.map((s) => toApiStory(s, look)), next: page.hasMore && last ? encodeCursor(last) : null })
  })

  app.get(`/stories/:ref`, async (request, reply) => {
    const ref = parseInput(z.object({ ref: Slug }), request.params, 'CONTENT_QUERY_INVALID').ref
    // An id (art_…) or a slug; an old slug answers with the story under its current one.
    let article = /^art_[0-9a-z]+$/.test(ref) ? (await articles.loadPublishedMany([ref]))[0] : undefined
    if (!article) {
      const found = await articles.findPublishedBySlug(ref)
      if (found.kind === 'moved') {
        const moved = await articles.findPublishedBySlug(found.slug)
        if (moved.kind === 'article') article = moved.article
      } else if (found.kind === 'article') article = found.article
    }
    if (!article) throw new DomainError('not_found', 'CONTENT_NOT_FOUND', `No public story has the id or slug "${ref}".`)
    return send(reply, { story: toApiStory(article, await lookupsFor(request, [article])) })
  })

  app.get(`/sections`, async (request, reply) => {
    const origin = options.originOf(request)
    const all = await sections.listSections()
    return send(reply, { sections: all.map((s) => ({ ...sectionRef(origin, s), description: s.description, parentId: s.parentId, position: s.position })) })
  })

  app.get(`/authors`, async (request, reply) => {
    const origin = options.originOf(request)
    return send(reply, { authors: (await authors.listAll()).map((a) => ({ ...authorRef(origin, a), bio: a.bio })) })
  })

  app.get(`/tags`, async (request, reply) => {
    const origin = options.originOf(request)
    return send(reply, { tags: (await sections.listTags()).map((t) => tagRef(origin, t)) })
  })

  app.get(`/search`, async (request, reply) => {
    const { key: _key, ...query } = (request.query ?? {}) as Record<string, unknown>
    const outcome = await options.search.search(query)
    if (outcome.kind === 'none') return send(reply, { results: [], page: 1, hasNext: false, cut: null })
    const look = await lookupsFor(
      request,
      outcome.hits.map((h) => h.article),
    )
    return send(reply, {
      results: outcome.hits.map((hit) => ({ story: toApiStory(hit.article, look), snippet: hit.snippet.map((p) => p.text).join(''), matches: hit.snippet.filter((p) => p.isMatch).map((p) => p.text) })),
      page: outcome.page,
      hasNext: outcome.hasNext,
      cut: outcome.cut,
    })
  })
}
