import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { sendProblem, type ProblemFailure } from '../http/index.ts'
import { DomainError } from '../shared/errors.ts'
import { parsePageNumber } from '../shared/pagination.ts'
import type { PageCache } from '../site/index.ts'
import { NINJS_CONTENT_TYPE, NINJS_STANDARD, type NinjsBuilder, type NinjsScope } from './ninjs.ts'
import { createDocumentCache, sendDocument } from './routes.ts'

export interface NinjsRoutesOptions {
  ninjs: NinjsBuilder
  /** The public page cache: ninjs documents are cleared with the pages and feeds they mirror. */
  cache: PageCache
  originOf: (request: FastifyRequest) => string
  describeError: (error: unknown) => ProblemFailure
}

/** The prefix every ninjs address sits under; register the routes with it. */
export const NINJS_PREFIX = '/ninjs'

/** As the feeds: partners poll, so let them revalidate cheaply; stories change on publish like pages. */
const NINJS_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=600'

const StoryFile = z.object({ file: z.string().regex(/^(art_[0-9a-z]{1,64})\.json$/) })
const SectionFile = z.object({ file: z.string().regex(/^([a-z0-9-]{1,120})\.json$/) })

/** Names the schema a document follows, JSON Schema's convention (RFC 8288 link, relation "describedby"). */
const DESCRIBED_BY = `<${NINJS_STANDARD.schema}>; rel="describedby"`

const notFound = (what: string) => new DomainError('not_found', 'NINJS_NOT_FOUND', what)

/**
 * IPTC ninjs 2.1 for partners (see ninjs.ts for the mapping):
 * `/ninjs/stories/<id>.json` one published story, `/ninjs/stories.json` the
 * whole site and `/ninjs/sections/<slug>.json` a section with its
 * sub-sections, each `?page=N`, newest first. Documents sit in the public page
 * cache with an ETag and Last-Modified (304 on a match), like the feeds.
 * Errors are problem details: 404 `NINJS_NOT_FOUND` or `FEED_NOT_FOUND`,
 * 410 `NINJS_GONE` for a story that was unpublished, 400 `PAGE_INVALID`.
 */
export async function ninjsRoutes(app: FastifyInstance, options: NinjsRoutesOptions): Promise<void> {
  const { ninjs, originOf } = options
  const cached = createDocumentCache(options.cache)

  app.setErrorHandler((error, request, reply) => {
    const failure = options.describeError(error)
    if (failure.status >= 500) request.log.error({ err: error, requestId: request.id }, 'ninjs request failed')
    return sendProblem(request, reply, failure)
  })
  app.setNotFoundHandler((request) => {
    throw notFound(`Nothing is at ${request.url.split('?')[0]}: ninjs lives at ${NINJS_PREFIX}/stories.json, ${NINJS_PREFIX}/sections/<slug>.json and ${NINJS_PREFIX}/stories/<id>.json.`)
  })


  async function serveFeed(request: FastifyRequest, reply: FastifyReply, scope: NinjsScope) {
    const origin = originOf(request)
    const raw = (request.query as Record<string, unknown> | undefined)?.page
    const page = parsePageNumber(raw)
    // Only the page number makes a different document: other query parameters must not fill the cache.
    const key = `${origin}${request.url.split('?')[0]}${page > 1 ? `?page=${page}` : ''}`
    const doc = await cached(key, async () => {
      const { document: feed, keys } = await ninjs.feed(scope, raw, origin)
      return {
        html: JSON.stringify(feed, null, 1),
        keys,
        contentType: NINJS_CONTENT_TYPE,
        ...(feed.updated ? { lastModified: new Date(feed.updated).toUTCString() } : {}),
      }
    })
    // The page's own `next`, read off the document's head rather than parsing a few hundred KB per request:
    // it is one of the wrapper's first members, written on its own line, where no escaped string can fake it.
    const next = /^ "next": "([^"\\]+)",$/m.exec(doc.html.slice(0, 16_384))?.[1]
    reply.header('link', [DESCRIBED_BY, ...(next ? [`<${next}>; rel="next"`] : [])])
    return sendDocument(request, reply, doc, NINJS_CACHE_CONTROL)
  }

  app.get('/stories.json', (request, reply) => serveFeed(request, reply, { kind: 'site' }))

  app.get('/sections/:file', (request, reply) => {
    const parsed = SectionFile.safeParse(request.params)
    if (!parsed.success) throw new DomainError('not_found', 'FEED_NOT_FOUND', 'No section has that address, so it has no ninjs feed.')
    return serveFeed(request, reply, { kind: 'section', slug: parsed.data.file.slice(0, -'.json'.length) })
  })

  app.get('/stories/:file', async (request, reply) => {
    const parsed = StoryFile.safeParse(request.params)
    if (!parsed.success) throw notFound('No story has that address; story addresses look like /ninjs/stories/art_….json.')
    const id = parsed.data.file.slice(0, -'.json'.length)
    const origin = originOf(request)
    const key = `${origin}${request.url.split('?')[0]}`
    const doc = await cached(key, async () => {
      const lookup = await ninjs.story(id, origin)
      // Only public stories are kept; what is missing or gone is worked out again, so a story published later shows at once.
      if (lookup.kind !== 'story') throw new GoneOrMissing(lookup)
      return { html: JSON.stringify(lookup.ninjs, null, 1), keys: [`story:${id}`], contentType: NINJS_CONTENT_TYPE, lastModified: new Date(lookup.versionCreated).toUTCString() }
    }).catch((error: unknown) => {
      if (error instanceof GoneOrMissing) return error.lookup
      throw error
    })
    if ('kind' in doc) {
      if (doc.kind === 'gone') {
        const note = doc.withdrawnNote ? ` The newsroom's note: ${doc.withdrawnNote}` : ''
        return sendProblem(request, reply, {
          status: 410,
          code: 'NINJS_GONE',
          title: 'Gone',
          detail: `This story was published and has been taken down; remove it from your site.${note}`,
        })
      }
      throw notFound(`No published story has the id ${id}.`)
    }
    reply.header('link', DESCRIBED_BY)
    return sendDocument(request, reply, doc, NINJS_CACHE_CONTROL)
  })
}

/** Carries a story that cannot be served out of the render-once cache without caching it. */
class GoneOrMissing extends Error {
  constructor(readonly lookup: { kind: 'gone'; withdrawnNote: string | null } | { kind: 'missing' }) {
    super(lookup.kind)
  }
}
