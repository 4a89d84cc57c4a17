import { createHash } from 'node:crypto'
import rateLimit from '@fastify/rate-limit'
import { rateLimitStoreOn, type WindowCounter } from '../../rate-limits/index.ts'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { ArticleErrors, Correct, CreateDraft, Note, SaveStory, Schedule, type Actor, type ArticleService, type ChangeOptions, type EditableStory, type StoryRow } from '../../articles/index.ts'
import type { AuditEntry } from '../../audit/index.ts'
import { problemDetails, receiveUpload, uploadScope, type ProblemFailure, type ReceivedUpload } from '../../http/index.ts'
import type { MediaService, Picture } from '../../media/index.ts'
import type { Db } from '../../db/database.ts'
import { DomainError } from '../../shared/errors.ts'
import { parseInput } from '../../shared/parse.ts'
import type { SubmissionService } from '../../submissions/index.ts'
import type { IngestReport, WireService } from '../../wire/index.ts'
import { AdminApiErrors } from './errors.ts'
import { IDEMPOTENCY_KEY_SHAPE, type IdempotencyStore } from './idempotency.ts'
import { scopeOf } from './operations.ts'
import type { AdminTokens, Scope, TokenPrincipal } from './tokens.ts'

export const ADMIN_API_PREFIX = '/api/admin/v1'

declare module 'fastify' {
  interface FastifyRequest {
    /** The admin API token behind this request, once checked; null elsewhere and before the check. */
    apiPrincipal: TokenPrincipal | null
  }
  interface FastifyContextConfig {
    /** The admin API scope a route needs; routes without one (the OpenAPI document) need no token. */
    scope?: Scope
  }
}

/** Fastify's route pattern for a path of the document (`{id}` → `:id`). */
const fastifyPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1')

export interface AdminApiOptions {
  tokens: AdminTokens
  idempotency: IdempotencyStore
  articles: ArticleService
  media: MediaService
  wire: WireService
  submissions: SubmissionService
  /** Writes one audit entry (outside any transaction: a call is recorded whatever it did). */
  recordAudit(entry: AuditEntry): Promise<void>
  /** Where uploads wait while they are read; emptied after each request. */
  tmpDir: string
  /** Calls per token (or per address, before a token is known) in each window. */
  /** Calls per token (or per address before a token is known) in each window, counted through Redis when the site has it. */
  rateLimit: { max: number; timeWindowMs: number; counter: WindowCounter }
  describeError(error: unknown): ProblemFailure
}

/** A domain error that carries members for the problem body beyond the usual ones (the scope a token lacks, a conflict's version). */
class ApiProblem extends DomainError {
  constructor(
    base: DomainError,
    readonly extra: Record<string, unknown>,
  ) {
    super(base.kind, base.code, base.message, base.issues)
  }
}

const PER_PAGE_MAX = 100
/** A story's JSON may be long (a body of many blocks); the editor's autosave takes as much. */
const STORY_BODY_LIMIT = 8 * 1024 * 1024
const ListStoriesQuery = z
  .object({
    status: z.enum(['draft', 'in_review', 'scheduled', 'published', 'unpublished']).optional(),
    q: z.string().trim().max(200).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    perPage: z.coerce.number().int().min(1).max(PER_PAGE_MAX).default(20),
  })
  .strict()
const ListSubmissionsQuery = z
  .object({
    kind: z.enum(['letter', 'opinion', 'tip']),
    state: z.enum(['new', 'in_review', 'accepted', 'published', 'declined']).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    perPage: z.coerce.number().int().min(1).max(PER_PAGE_MAX).default(20),
  })
  .strict()
/** Publishing: a published story with saved changes publishes them, as a public update unless `isMinor`. */
const PublishBody = z.object({ isMinor: z.boolean().default(false) }).strict()
/** A correction; changes made with it must say which version they are based on. */
const CorrectBody = Correct.strict().refine((v) => v.changes === undefined || v.baseVersion !== undefined, { message: 'Changes sent with a correction need the baseVersion they are based on.', path: ['baseVersion'] })
const WORDS = ['alt', 'caption', 'credit'] as const

const BODY_INVALID = AdminApiErrors.ADMIN_API_BODY_INVALID
/** Parses a body or query with the API's schema: a mismatch is a 400 naming each field. */
const parseBody = <S extends z.ZodType>(schema: S, input: unknown): z.output<S> => parseInput(schema, input ?? {}, BODY_INVALID)

/** JSON with its object keys sorted, so the same body hashes the same however it was spaced or ordered. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}
const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex')

/** A story as the API gives it: the editable fields (a published story's pending changes, if any) and its workflow state. */
function toApiStory(story: EditableStory) {
  const a = story.article
  return {
    id: a.id,
    status: a.status,
    version: story.editVersion,
    revision: a.revision,
    hasPendingChanges: story.hasPendingChanges,
    fields: story.fields,
    createdAt: a.createdAt,
    createdBy: a.createdBy,
    modifiedAt: a.modifiedAt,
    modifiedBy: a.modifiedBy,
    publishedAt: a.publishedAt,
    updatedAt: a.updatedAt,
    scheduledAt: a.scheduledAt,
    withdrawnAt: a.withdrawnAt,
  }
}

const toApiStoryRow = (r: StoryRow) => ({
  id: r.id,
  slug: r.slug,
  title: r.title,
  status: r.status,
  sectionIds: r.sectionIds,
  authorIds: r.authorIds,
  sourceId: r.sourceId,
  createdBy: r.createdBy,
  modifiedBy: r.modifiedBy,
  modifiedAt: r.modifiedAt,
  scheduledAt: r.scheduledAt,
  publishedAt: r.publishedAt,
  hasPendingChanges: r.hasPendingChanges,
})

const toApiPicture = (p: Picture) => ({ id: p.id, fileName: p.fileName, width: p.width, height: p.height, alt: p.alt, caption: p.caption, credit: p.credit, createdAt: p.createdAt })

const toApiReport = (file: string, r: IngestReport) => ({
  file,
  rawId: r.rawId,
  format: r.format,
  imported: r.imported,
  updated: r.updated,
  unchanged: r.unchanged,
  rejected: r.rejected.map((i) => ({ where: i.where, code: i.code, message: i.message })),
  warnings: r.warnings.map((i) => ({ where: i.where, code: i.code, message: i.message })),
  items: r.items.map((i) => ({ itemId: i.itemId, outcome: i.outcome, headline: i.headline })),
})

/** An answer of a write: status and JSON body, what an idempotent retry replays. */
interface Answer {
  status: number
  body: unknown
}

/**
 * Marks, in a change's own transaction, that the request holding an
 * Idempotency-Key made it, naming what it made (`ref`); null without a key.
 */
type CommitMark = ((trx: Db, ref: string) => Promise<void>) | null

/**
 * The admin API (`/api/admin/v1`): stories in any state, drafts, edits,
 * publishing, media uploads, wire imports and the reader desk's submissions,
 * for programs that work for the newsroom. Every call carries a bearer token
 * made at /admin/api-tokens and acts as the admin who made it, through the
 * same services (and so the same rules and audit entries) as the admin pages.
 * Every call is recorded in the audit log; writes may carry an
 * Idempotency-Key; calls are rate limited per token. Errors are RFC 9457
 * problem details with the codes of docs/errors.md. Register it with
 * `{ prefix: ADMIN_API_PREFIX }`.
 */
export async function adminApiRoutes(app: FastifyInstance, options: AdminApiOptions): Promise<void> {
  const { tokens, articles, idempotency } = options

  app.decorateRequest('apiPrincipal', null)

  app.setErrorHandler((error, request, reply) => {
    let failure = options.describeError(error)
    // Fastify's own refusals of a body (bad JSON, an empty JSON body, a type a route does not take, too large) in our codes.
    if (!(error instanceof DomainError) && (failure.status === 400 || failure.status === 415)) failure = { ...failure, code: BODY_INVALID }
    if (!(error instanceof DomainError) && failure.status === 413) failure = { ...failure, code: 'UPLOAD_TOO_LARGE', detail: 'The body is larger than this call takes.' }
    if (failure.status >= 500) request.log.error({ err: error, requestId: request.id }, 'admin API request failed')
    return reply
      .code(failure.status)
      .header('cache-control', 'no-store')
      .type('application/problem+json; charset=utf-8')
      .send(problemDetails(request, failure, error instanceof ApiProblem ? error.extra : {}))
  })
  app.setNotFoundHandler((request) => {
    throw new DomainError('not_found', AdminApiErrors.ADMIN_API_NOT_FOUND, `Nothing is at ${request.method} ${request.url.split('?')[0]}; see ${ADMIN_API_PREFIX}/openapi.json.`)
  })

  // The token, then its scope. A refusal is held until the rate limit has counted the call (per token, or
  // per address for a bad token), then thrown before the body is read: nobody unknown makes the server parse anything.
  const refusals = new WeakMap<FastifyRequest, unknown>()
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.url === `${ADMIN_API_PREFIX}/openapi.json`) return
    try {
      request.apiPrincipal = await authenticate(request)
    } catch (error) {
      refusals.set(request, error)
    }
  })
  app.addHook('preParsing', async (request) => {
    if (refusals.has(request)) throw refusals.get(request)
  })

  async function authenticate(request: FastifyRequest): Promise<TokenPrincipal> {
    const header = request.headers.authorization
    if (!header) throw new DomainError('unauthenticated', AdminApiErrors.ADMIN_API_TOKEN_REQUIRED, 'Send an admin API token: Authorization: Bearer <token>. Admins make tokens at /admin/api-tokens.')
    const match = /^Bearer +(\S+) *$/i.exec(header)
    if (!match) throw new DomainError('unauthenticated', AdminApiErrors.ADMIN_API_TOKEN_INVALID, 'This admin API token is not valid: it is mistyped, expired or revoked.')
    const principal = await tokens.authenticate(match[1]!)
    const scope = request.routeOptions.config?.scope
    if (scope && !principal.scopes.has(scope)) {
      // Known but not allowed: the call counts against the token, and the audit entry names it.
      request.apiPrincipal = principal
      throw new ApiProblem(
        new DomainError('forbidden', AdminApiErrors.ADMIN_API_SCOPE_MISSING, `This token lacks the scope "${scope}", which this call needs. Make a token with it at /admin/api-tokens.`, [
          { path: 'scope', message: `Needs ${scope}.`, code: scope },
        ]),
        { requiredScope: scope },
      )
    }
    return principal
  }

  // Every call, whatever its outcome, in the audit log: method, route, token, status.
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.url === `${ADMIN_API_PREFIX}/openapi.json`) return
    const principal = request.apiPrincipal
    const route = request.routeOptions.url ?? request.url.split('?')[0]!
    try {
      await options.recordAudit({
        actorId: principal?.userId ?? null,
        action: 'api.call',
        targetType: 'api_token',
        targetId: principal?.tokenId ?? null,
        // The token's id is in the sentence too, since the log page shows the sentence, not the target.
        summary: `${request.method} ${route} → ${reply.statusCode}, ${principal ? `token ${principal.tokenId}` : 'no valid token'}${reply.getHeader('idempotent-replayed') ? ', replayed' : ''}`,
      })
    } catch (error) {
      request.log.error({ err: error, requestId: request.id }, 'the admin API call could not be recorded in the audit log')
    }
  })

  // Per token once it is known (the hooks above run first: route hooks follow the scope's); per address for calls without a valid one.
  await app.register(rateLimit, {
    global: true,
    max: options.rateLimit.max,
    timeWindow: options.rateLimit.timeWindowMs,
    store: rateLimitStoreOn(options.rateLimit.counter, 'admin-api'),
    keyGenerator: (request) => (request.apiPrincipal ? `token:${request.apiPrincipal.tokenId}` : `addr:${request.ip}`),
    errorResponseBuilder: (request, context) =>
      new DomainError(
        'rate_limited',
        AdminApiErrors.ADMIN_API_RATE_LIMITED,
        `${request.apiPrincipal ? 'This token' : 'This address, without a valid token,'} made more than ${context.max} calls in ${context.after}. Wait, then try again (see Retry-After).`,
      ),
  })

  const actorOf = (request: FastifyRequest): Actor => {
    const principal = request.apiPrincipal
    if (!principal) throw new DomainError('unauthenticated', AdminApiErrors.ADMIN_API_TOKEN_REQUIRED, 'Send an admin API token.')
    return { userId: principal.userId, role: principal.role }
  }
  const send = (reply: FastifyReply, answer: Answer) =>
    reply
      .code(answer.status)
      .header('cache-control', 'no-store')
      .type(answer.status >= 400 ? 'application/problem+json; charset=utf-8' : 'application/json; charset=utf-8')
      .send(answer.body)

  /**
   * Runs a write once per Idempotency-Key: a retry with the same key and the
   * same request gets the stored answer (marked `Idempotent-Replayed: true`)
   * and changes nothing. Refusals (4xx) are stored too, so a retry learns the
   * same; a failure on our side (5xx) frees the key for another try.
   */
  async function once(request: FastifyRequest, reply: FastifyReply, fingerprint: string, run: (mark: CommitMark) => Promise<Answer>, recover?: (ref: string) => Promise<Answer>) {
    const header = request.headers['idempotency-key']
    if (header === undefined) return send(reply, await run(null))
    const key = Array.isArray(header) ? '' : header
    if (!IDEMPOTENCY_KEY_SHAPE.test(key)) {
      throw new DomainError('invalid', BODY_INVALID, 'An Idempotency-Key is 1 to 200 visible ASCII characters, sent once; a UUID will do.', [
        { path: 'Idempotency-Key', message: 'Expected 1 to 200 visible ASCII characters.', code: 'invalid_string' },
      ])
    }
    const tokenId = request.apiPrincipal!.tokenId
    const hash = sha256(`${request.method} ${request.url.split('?')[0]}\n${fingerprint}`)
    const claim = await idempotency.claim(tokenId, key, hash)
    if (claim.kind === 'replay') return send(reply.header('idempotent-replayed', 'true'), { status: claim.status, body: claim.body })
    // The change committed but its answer was never stored (the process died in between): answer for it, never run it again.
    if (claim.kind === 'committed' && recover) {
      const answer = await recover(claim.ref)
      await idempotency.complete(tokenId, key, answer)
      return send(reply.header('idempotent-replayed', 'true'), answer)
    }
    // Marked in the change's own transaction, so the mark commits with the change (see `recover`).
    const mark: CommitMark = (trx, ref) => idempotency.markCommitted(trx, tokenId, key, ref)
    let answer: Answer
    try {
      answer = await run(mark)
    } catch (error) {
      const failure = options.describeError(error)
      if (failure.status >= 500) {
        await idempotency.release(tokenId, key)
        throw error
      }
      answer = { status: failure.status, body: problemDetails(request, failure, error instanceof ApiProblem ? error.extra : {}) }
    }
    await idempotency.complete(tokenId, key, answer)
    return send(reply, answer)
  }
  const jsonWrite = (request: FastifyRequest, reply: FastifyReply, run: (mark: CommitMark) => Promise<Answer>, recover?: (ref: string) => Promise<Answer>) =>
    once(request, reply, canonicalJson(request.body ?? null), run, recover)
  /** A story change's options that set the commit mark, when the request has a key. */
  const marking = (mark: CommitMark): ChangeOptions => (mark ? { inTransaction: (trx, article) => mark(trx, article.id) } : {})

  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id
  const storyAnswer = async (id: string, actor: Actor, status = 200): Promise<Answer> => ({ status, body: { story: toApiStory(await articles.open(id, actor)) } })
  /**
   * A change to the story in the path, answered with the story as it then
   * stands; a retry after a crash that followed the commit gets the same answer.
   */
  const storyChange = (request: FastifyRequest, reply: FastifyReply, change: (id: string, actor: Actor, options: ChangeOptions) => Promise<void>) =>
    jsonWrite(
      request,
      reply,
      async (mark) => {
        const actor = actorOf(request)
        await change(idOf(request), actor, marking(mark))
        return storyAnswer(idOf(request), actor)
      },
      (id) => storyAnswer(id, actorOf(request)),
    )

  // The document is built from the schemas on its first request, not at every start.
  app.get('/openapi.json', { config: { rateLimit: false } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').type('application/json; charset=utf-8').send((await import('./openapi.ts')).adminApiDocument),
  )

  app.get(fastifyPath('/stories'), { config: { scope: scopeOf('GET /stories') } }, async (request, reply) => {
    const query = parseBody(ListStoriesQuery, request.query)
    const page = await articles.listStories({ ...(query.status ? { status: query.status } : {}), ...(query.q ? { q: query.q } : {}) }, { page: query.page, perPage: query.perPage }, actorOf(request))
    return send(reply, { status: 200, body: { stories: page.items.map(toApiStoryRow), page: page.page, perPage: page.perPage, hasNext: page.hasNext } })
  })

  app.post(fastifyPath('/stories'), { bodyLimit: STORY_BODY_LIMIT, config: { scope: scopeOf('POST /stories') } }, async (request, reply) =>
    jsonWrite(
      request,
      reply,
      async (mark) => {
        const input = parseBody(CreateDraft, request.body)
        const actor = actorOf(request)
        const article = await articles.createDraft(input, actor, marking(mark))
        return storyAnswer(article.id, actor, 201)
      },
      (id) => storyAnswer(id, actorOf(request), 201),
    ),
  )

  app.get(fastifyPath('/stories/{id}'), { config: { scope: scopeOf('GET /stories/{id}') } }, async (request, reply) => send(reply, await storyAnswer(idOf(request), actorOf(request))))

  /** The editor's save, with its version check: a stale save is kept as a conflict copy and answered 409 with the current version. */
  app.patch(fastifyPath('/stories/{id}'), { bodyLimit: STORY_BODY_LIMIT, config: { scope: scopeOf('PATCH /stories/{id}') } }, async (request, reply) =>
    jsonWrite(
      request,
      reply,
      async (mark) => {
        const input = parseBody(SaveStory, request.body)
        const actor = actorOf(request)
        // A save after a crash that followed its commit would meet its own new version and be kept as a conflict copy; the mark answers it instead.
        const outcome = await articles.save(idOf(request), input, actor, marking(mark))
        if (outcome.kind === 'conflict') {
          throw new ApiProblem(
            new DomainError('conflict', ArticleErrors.ARTICLE_VERSION_CONFLICT, `This edit was based on version ${input.baseVersion}, but the story is at version ${outcome.current.version} now. Your edit is kept as a conflict copy; fetch the story and apply your change to the current version.`),
            { currentVersion: outcome.current.version, conflictCopyId: outcome.conflictId },
          )
        }
        return storyAnswer(idOf(request), actor)
      },
      (id) => storyAnswer(id, actorOf(request)),
    ),
  )

  app.post(fastifyPath('/stories/{id}/publish'), { config: { scope: scopeOf('POST /stories/{id}/publish') } }, async (request, reply) =>
    storyChange(request, reply, async (id, actor, change) => {
      const input = parseBody(PublishBody, request.body)
      const story = await articles.open(id, actor)
      if (story.article.status === 'published') await articles.publishChanges(id, { isMinor: input.isMinor }, actor, change)
      else await articles.publish(id, {}, actor, change)
    }),
  )

  app.post(fastifyPath('/stories/{id}/schedule'), { config: { scope: scopeOf('POST /stories/{id}/schedule') } }, async (request, reply) =>
    storyChange(request, reply, (id, actor, change) => articles.schedule(id, parseBody(Schedule, request.body), actor, change).then(() => {})),
  )

  app.post(fastifyPath('/stories/{id}/unpublish'), { config: { scope: scopeOf('POST /stories/{id}/unpublish') } }, async (request, reply) =>
    storyChange(request, reply, (id, actor, change) => articles.unpublish(id, parseBody(Note, request.body), actor, change).then(() => {})),
  )

  app.post(fastifyPath('/stories/{id}/correct'), { bodyLimit: STORY_BODY_LIMIT, config: { scope: scopeOf('POST /stories/{id}/correct') } }, async (request, reply) =>
    storyChange(request, reply, async (id, actor, change) => {
      const input = parseBody(CorrectBody, request.body)
      try {
        // The service checks the version inside its transaction, so a save landing first is always caught.
        await articles.correct(id, input, actor, change)
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== ArticleErrors.ARTICLE_VERSION_CONFLICT) throw error
        throw new ApiProblem(error, { currentVersion: (await articles.open(id, actor)).editVersion })
      }
    }),
  )

  const GET_SUBMISSIONS = scopeOf('GET /submissions')
  app.get(fastifyPath('/submissions'), { config: { scope: GET_SUBMISSIONS } }, async (request, reply) => {
    const query = parseBody(ListSubmissionsQuery, request.query)
    const page = await options.submissions.list({ kind: query.kind, ...(query.state ? { state: query.state } : {}) }, { page: query.page, perPage: query.perPage }, actorOf(request))
    // A tip's words and its sender are sealed for the desk's eyes in the inbox; programs get only that it exists and where it stands.
    const submissions = page.items.map((s) =>
      s.kind === 'tip'
        ? { id: s.id, kind: s.kind, reference: s.reference, state: s.state, createdAt: s.createdAt, assigneeId: s.assigneeId }
        : { id: s.id, kind: s.kind, reference: s.reference, state: s.state, createdAt: s.createdAt, assigneeId: s.assigneeId, title: s.title, from: s.from },
    )
    return send(reply, { status: 200, body: { submissions, page: page.page, perPage: page.perPage, hasNext: page.hasNext } })
  })

  /** Multipart writes: the upload is read (to disk, within limits) before the key is claimed, since its fingerprint is the files' digests. */
  const uploadWrite = async (
    request: FastifyRequest,
    reply: FastifyReply,
    limits: { maxFileBytes: number; maxFiles: number; maxTotalBytes: number },
    run: (upload: ReceivedUpload, mark: CommitMark) => Promise<Answer>,
    recover?: (ref: string) => Promise<Answer>,
  ) => {
    const upload = await receiveUpload(request, { ...limits, tmpDir: options.tmpDir, guardField: null, isValidCsrf: () => true })
    try {
      const files = await Promise.all(upload.files.map(async (f) => ({ field: f.field, name: f.filename, sha256: sha256(await f.read()) })))
      return await once(request, reply, canonicalJson({ fields: upload.fields, files }), (mark) => run(upload, mark), recover)
    } finally {
      await upload.cleanup()
    }
  }

  await uploadScope(app, (scope) => {
    scope.post(fastifyPath('/media'), { config: { scope: scopeOf('POST /media') } }, async (request, reply) => {
      const max = options.media.limits.maxBytes
      const answer = (picture: Picture): Answer => ({ status: 201, body: { picture: toApiPicture(picture) } })
      return uploadWrite(request, reply, { maxFileBytes: max, maxFiles: 1, maxTotalBytes: max + 1024 * 1024 }, async (upload, mark) => {
        const file = upload.files.find((f) => f.field === 'file')
        if (!file) throw new DomainError('invalid', BODY_INVALID, 'Send the picture in a multipart part named "file".', [{ path: 'file', message: 'Required.', code: 'required' }])
        const words = Object.fromEntries(WORDS.map((n) => [n, upload.fields[n]?.[0] ?? '']))
        const picture = await options.media.upload(
          { bytes: await file.read(), fileName: file.filename, declaredType: file.mimetype || null, alt: words.alt!, caption: words.caption!, credit: words.credit! },
          actorOf(request),
          // Marked with the picture's row, so a retry after a crash that followed the commit answers with it instead of adding the picture twice.
          mark ? { inTransaction: mark } : {},
        )
        return answer(picture)
      }, async (id) => answer(await options.media.get(id)))
    })

    // No commit mark here: ingest is idempotent by itself. Once a crashed request's claim is abandoned, its retry runs again and
    // stores the items it finds already stored as unchanged, never twice.
    scope.post(fastifyPath('/wire'), { config: { scope: scopeOf('POST /wire') } }, async (request, reply) =>
      uploadWrite(request, reply, { maxFileBytes: 20 * 1024 * 1024, maxFiles: 20, maxTotalBytes: 100 * 1024 * 1024 }, async (upload) => {
        const files = upload.files.filter((f) => f.field === 'files')
        if (files.length === 0) throw new DomainError('invalid', BODY_INVALID, 'Send agency copy in one or more multipart parts named "files".', [{ path: 'files', message: 'Required.', code: 'required' }])
        const sourceId = upload.fields.source?.[0] ?? ''
        const source = sourceId ? ((await options.wire.listSources()).find((s) => s.id === sourceId) ?? null) : null
        if (sourceId && !source) throw new DomainError('invalid', BODY_INVALID, `No wire source has the id ${sourceId}.`, [{ path: 'source', message: 'Unknown wire source.', code: 'unknown' }])
        const reports = []
        // One file in memory at a time, as on the wire desk's upload page.
        for (const file of files) {
          const report = await options.wire.ingest({ bytes: await file.read(), origin: `admin API: ${file.filename}`, contentType: file.mimetype, wireSourceId: source?.id ?? null })
          reports.push(toApiReport(file.filename, report))
        }
        return { status: 200, body: { reports } }
      }),
    )
  })
}
