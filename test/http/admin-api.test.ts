import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_API_OPERATIONS, SCOPES, type Scope } from '../../src/api/admin/index.ts'
import { adminApiDocument } from '../../src/api/admin/openapi.ts'
import { DIALECTS } from '../support/dialects.ts'
import { createOpenApiChecker, openApiSchemaErrors } from '../support/openapi.ts'
import { makePicture } from '../support/pictures.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'
import { wireFixture } from '../support/wire-fixtures.ts'

const API = '/api/admin/v1'
const ADMIN = { email: 'api.admin@example.org', password: 'api admin password 1', name: 'Ada Api', role: 'admin' as const }

/** A concrete URL for an operation's path template. */
const fill = (path: string, id: string) => path.replace('{id}', id)

for (const dialect of DIALECTS) {
  describe(`${dialect}: the admin API`, () => {
    let t: TestServer
    let adminId: string
    let token: string
    let tokenId: string
    const checker = createOpenApiChecker(adminApiDocument)
    let refs: { sectionId: string; authorId: string; sourceId: string }

    beforeAll(async () => {
      t = await startTestServer(dialect, { wirePollSeconds: 0 })
      const { auth, adminTokens, sections, authors, sources } = t.server.container
      adminId = (await auth.createUser(ADMIN)).user.id
      ;({ token, id: tokenId } = await adminTokens.create({ name: 'Everything', scopes: [...SCOPES] }, { userId: adminId }))
      const [allSections, allAuthors, allSources] = await Promise.all([sections.listSections(), authors.listAll(), sources.listAll()])
      refs = { sectionId: allSections[0]!.id, authorId: allAuthors[0]!.id, sourceId: allSources.find((s) => s.kind === 'staff')!.id }
    }, 180_000)
    afterAll(async () => t?.cleanup())

    /** Calls the API and checks the answer against the document, under the operation's path template. */
    async function call(method: string, path: string, template: string, options: { body?: unknown; form?: FormData; token?: string | null; headers?: Record<string, string> } = {}) {
      const headers: Record<string, string> = { ...options.headers }
      const bearer = options.token === undefined ? token : options.token
      if (bearer) headers.authorization = `Bearer ${bearer}`
      let body: BodyInit | undefined
      if (options.form) body = options.form
      else if (options.body !== undefined) {
        headers['content-type'] = 'application/json'
        body = JSON.stringify(options.body)
      }
      const response = await t.fetch(API + path, { method, headers, ...(body !== undefined ? { body } : {}) })
      const text = await response.text()
      const data = text ? JSON.parse(text) : null
      checker.check(method, template, response.status, response.headers.get('content-type') ?? '', data)
      return { response, data }
    }

    const publishable = () => ({
      title: 'Harbour pilots agree a new night rota',
      body: [{ type: 'paragraph', content: [{ text: 'The pilots’ association and the port authority agreed on Tuesday to a rota that keeps two pilots on call every night.' }] }],
      sectionIds: [refs.sectionId],
      authorIds: [refs.authorId],
      sourceId: refs.sourceId,
    })

    it('serves its OpenAPI 3.1 document, which lists every operation with its scope', async () => {
      const response = await t.fetch(`${API}/openapi.json`)
      expect(response.status).toBe(200)
      const doc = await checker.response('GET', '/openapi.json', response)
      expect(doc.openapi).toBe('3.1.0')
      expect(doc).toEqual(JSON.parse(JSON.stringify(adminApiDocument)))
      expect(await openApiSchemaErrors(adminApiDocument)).toEqual([])
      for (const op of ADMIN_API_OPERATIONS) expect(doc.paths[op.path][op.method.toLowerCase()]['x-required-scope'], `${op.method} ${op.path}`).toBe(op.scope)
    })

    it('refuses calls without a token, or with an unknown, malformed, expired or revoked one (401)', async () => {
      const none = await call('GET', '/stories', '/stories', { token: null })
      expect(none.response.status).toBe(401)
      expect(none.data.code).toBe('ADMIN_API_TOKEN_REQUIRED')
      expect(none.response.headers.get('content-type')).toContain('application/problem+json')

      const bogus = await call('GET', '/stories', '/stories', { token: `mat_${'x'.repeat(43)}` })
      expect(bogus.response.status).toBe(401)
      expect(bogus.data.code).toBe('ADMIN_API_TOKEN_INVALID')
      const basic = await call('GET', '/stories', '/stories', { token: null, headers: { authorization: 'Basic YWRhOnNlY3JldA==' } })
      expect(basic.response.status).toBe(401)
      expect(basic.data.code).toBe('ADMIN_API_TOKEN_INVALID')

      const { adminTokens, database } = t.server.container
      const expiring = await adminTokens.create({ name: 'Short-lived', scopes: ['stories:read'], expiresInDays: 7 }, { userId: adminId })
      expect((await call('GET', '/stories', '/stories', { token: expiring.token })).response.status).toBe(200)
      await database.db.updateTable('admin_api_tokens').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', expiring.id).execute()
      const expired = await call('GET', '/stories', '/stories', { token: expiring.token })
      expect(expired.response.status).toBe(401)
      expect(expired.data.code).toBe('ADMIN_API_TOKEN_INVALID')

      const revoking = await adminTokens.create({ name: 'To revoke', scopes: ['stories:read'] }, { userId: adminId })
      expect((await call('GET', '/stories', '/stories', { token: revoking.token })).response.status).toBe(200)
      await adminTokens.revoke(revoking.id, { userId: adminId })
      expect((await call('GET', '/stories', '/stories', { token: revoking.token })).response.status).toBe(401)
      const listed = (await adminTokens.list()).find((k) => k.id === revoking.id)!
      expect(listed.revokedAt).not.toBeNull()
      expect(listed.lastUsedAt).not.toBeNull()
    })

    it('walks every operation: without its scope 403 naming the scope, with only its scope not 403', async () => {
      const { adminTokens, articles } = t.server.container
      const draft = await articles.createDraft({ title: 'Scope walk' }, { userId: adminId, role: 'admin' })
      for (const op of ADMIN_API_OPERATIONS) {
        const others = SCOPES.filter((s) => s !== op.scope)
        const without = await adminTokens.create({ name: `without ${op.scope}`, scopes: others }, { userId: adminId })
        const only = await adminTokens.create({ name: `only ${op.scope}`, scopes: [op.scope] }, { userId: adminId })
        const path = fill(op.path, draft.id) + (op.path === '/submissions' ? '?kind=letter' : '')
        const body = op.method === 'GET' ? undefined : op.path === '/media' || op.path === '/wire' ? undefined : {}
        const form = op.path === '/media' || op.path === '/wire' ? new FormData() : undefined
        const refused = await call(op.method, path, op.path, { token: without.token, ...(body !== undefined ? { body } : {}), ...(form ? { form } : {}) })
        expect(refused.response.status, `${op.method} ${op.path} without ${op.scope}`).toBe(403)
        expect(refused.data.code).toBe('ADMIN_API_SCOPE_MISSING')
        expect(refused.data.requiredScope).toBe(op.scope)
        expect(refused.data.detail).toContain(op.scope)
        const allowed = await call(op.method, path, op.path, { token: only.token, ...(body !== undefined ? { body } : {}), ...(form ? { form: new FormData() } : {}) })
        expect([401, 403], `${op.method} ${op.path} with ${op.scope} → ${allowed.response.status}`).not.toContain(allowed.response.status)
      }
    }, 180_000)

    it('creates a draft, edits it with its version, refuses a stale version with 409, and publishes once however often the call is retried', async () => {
      const created = await call('POST', '/stories', '/stories', { body: { title: 'Night rota for harbour pilots' } })
      expect(created.response.status).toBe(201)
      const story = created.data.story
      expect(story.status).toBe('draft')
      expect(story.createdBy).toBe(adminId)

      const edited = await call('PATCH', `/stories/${story.id}`, '/stories/{id}', { body: { baseVersion: story.version, changes: publishable() } })
      expect(edited.response.status).toBe(200)
      expect(edited.data.story.version).toBe(story.version + 1)
      expect(edited.data.story.fields.title).toBe(publishable().title)

      // The editor's own rule: a save from an older version is a conflict, kept as a copy.
      const stale = await call('PATCH', `/stories/${story.id}`, '/stories/{id}', { body: { baseVersion: story.version, changes: { title: 'An older idea' } } })
      expect(stale.response.status).toBe(409)
      expect(stale.data.code).toBe('ARTICLE_VERSION_CONFLICT')
      expect(stale.data.currentVersion).toBe(story.version + 1)
      expect(stale.data.conflictCopyId).toMatch(/^cfl_/)
      const after = await call('GET', `/stories/${story.id}`, '/stories/{id}')
      expect(after.data.story.fields.title).toBe(publishable().title)
      expect((await t.server.container.articles.listConflicts(story.id)).map((c) => c.id)).toContain(stale.data.conflictCopyId)

      const key = `publish-${story.id}`
      const first = await call('POST', `/stories/${story.id}/publish`, '/stories/{id}/publish', { body: {}, headers: { 'idempotency-key': key } })
      expect(first.response.status).toBe(200)
      expect(first.data.story.status).toBe('published')
      const retry = await call('POST', `/stories/${story.id}/publish`, '/stories/{id}/publish', { body: {}, headers: { 'idempotency-key': key } })
      expect(retry.response.status).toBe(200)
      expect(retry.response.headers.get('idempotent-replayed')).toBe('true')
      expect(retry.data).toEqual(first.data)
      expect(await t.server.container.articles.listRevisions(story.id)).toHaveLength(1)
      const published = (await t.server.container.audit.list({ action: 'article.published' }, { page: 1, perPage: 100 })).items.filter((e) => e.targetId === story.id)
      expect(published).toHaveLength(1)
      expect(published[0]!.actorId).toBe(adminId)

      // The same key with another body is a client bug.
      const mismatch = await call('POST', `/stories/${story.id}/publish`, '/stories/{id}/publish', { body: { isMinor: true }, headers: { 'idempotency-key': key } })
      expect(mismatch.response.status).toBe(422)
      expect(mismatch.data.code).toBe('ADMIN_API_IDEMPOTENCY_MISMATCH')

      // Without a key a second publish is a second request: nothing to publish.
      const again = await call('POST', `/stories/${story.id}/publish`, '/stories/{id}/publish', { body: {} })
      expect(again.response.status).toBe(409)
      expect(again.data.code).toBe('ARTICLE_NO_CHANGES')

      // A correction with changes must name their version; a stale one changes nothing.
      const current = (await call('GET', `/stories/${story.id}`, '/stories/{id}')).data.story
      const staleFix = await call('POST', `/stories/${story.id}/correct`, '/stories/{id}/correct', { body: { text: 'The rota starts in May, not in March.', baseVersion: current.version - 1, changes: { dek: 'From May' } } })
      expect(staleFix.response.status).toBe(409)
      expect(staleFix.data.currentVersion).toBe(current.version)
      const fixed = await call('POST', `/stories/${story.id}/correct`, '/stories/{id}/correct', { body: { text: 'The rota starts in May, not in March.', baseVersion: current.version, changes: { dek: 'From May' } } })
      expect(fixed.response.status).toBe(200)
      expect(fixed.data.story.fields.dek).toBe('From May')
      expect(fixed.data.story.revision).toBe(2)

      const down = await call('POST', `/stories/${story.id}/unpublish`, '/stories/{id}/unpublish', { body: { note: 'Pulled pending a legal check.' } })
      expect(down.response.status).toBe(200)
      expect(down.data.story.status).toBe('unpublished')

      const listed = await call('GET', '/stories?status=unpublished&perPage=100', '/stories')
      expect(listed.data.stories.map((s: { id: string }) => s.id)).toContain(story.id)
    }, 120_000)

    it('a retry after a crash between the commit and the stored answer answers for the change instead of making it again', async () => {
      const { db } = t.server.container.database
      const lostAnswer = (key: string) =>
        // What a process killed after the commit and before storing its answer leaves: the claim, marked committed by the change.
        db.updateTable('admin_api_idempotency').set({ status: null, body: null }).where('token_id', '=', tokenId).where('idempotency_key', '=', key).execute()
      const body = { ...publishable(), title: 'Night ferry returns to the timetable' }
      const created = await call('POST', '/stories', '/stories', { body, headers: { 'idempotency-key': 'crash-create' } })
      expect(created.response.status).toBe(201)
      await lostAnswer('crash-create')
      const retried = await call('POST', '/stories', '/stories', { body, headers: { 'idempotency-key': 'crash-create' } })
      expect(retried.response.status).toBe(201)
      expect(retried.response.headers.get('idempotent-replayed')).toBe('true')
      expect(retried.data.story.id).toBe(created.data.story.id)
      expect(await db.selectFrom('articles').select('id').where('title', '=', body.title).execute()).toHaveLength(1)

      const id = created.data.story.id
      const published = await call('POST', `/stories/${id}/publish`, '/stories/{id}/publish', { body: {}, headers: { 'idempotency-key': 'crash-publish' } })
      expect(published.response.status).toBe(200)
      await lostAnswer('crash-publish')
      const again = await call('POST', `/stories/${id}/publish`, '/stories/{id}/publish', { body: {}, headers: { 'idempotency-key': 'crash-publish' } })
      expect(again.response.status).toBe(200)
      expect(again.data.story.status).toBe('published')
      // Published once: one revision, one "published" event.
      expect(again.data.story.revision).toBe(1)
      expect(await db.selectFrom('article_events').select('id').where('article_id', '=', id).where('kind', '=', 'published').execute()).toHaveLength(1)

      // An edit: without the mark the retry would meet its own new version and be kept as a conflict copy.
      const edit = { baseVersion: again.data.story.version, changes: { dek: 'Back on the night timetable from Monday' } }
      const saved = await call('PATCH', `/stories/${id}`, '/stories/{id}', { body: edit, headers: { 'idempotency-key': 'crash-save' } })
      expect(saved.response.status).toBe(200)
      await lostAnswer('crash-save')
      const resaved = await call('PATCH', `/stories/${id}`, '/stories/{id}', { body: edit, headers: { 'idempotency-key': 'crash-save' } })
      expect(resaved.response.status).toBe(200)
      expect(resaved.response.headers.get('idempotent-replayed')).toBe('true')
      expect(resaved.data.story.version).toBe(saved.data.story.version)
      expect(await db.selectFrom('article_conflicts').select('id').where('article_id', '=', id).execute()).toHaveLength(0)

      // A picture: the retry answers with the picture the first request added, not a second copy.
      const form = new FormData()
      form.append('alt', 'The night ferry at the quay')
      form.append('credit', 'Masthead')
      form.append('file', new Blob([Buffer.from(await makePicture('jpeg', 640, 400))], { type: 'image/jpeg' }), 'ferry.jpg')
      const uploaded = await call('POST', '/media', '/media', { form, headers: { 'idempotency-key': 'crash-picture' } })
      expect(uploaded.response.status).toBe(201)
      await lostAnswer('crash-picture')
      const reuploaded = await call('POST', '/media', '/media', { form, headers: { 'idempotency-key': 'crash-picture' } })
      expect(reuploaded.response.status).toBe(201)
      expect(reuploaded.response.headers.get('idempotent-replayed')).toBe('true')
      expect(reuploaded.data.picture.id).toBe(uploaded.data.picture.id)
      expect(await db.selectFrom('media').select('id').where('file_name', '=', 'ferry.jpg').execute()).toHaveLength(1)
    })

    it('schedules a story, and refuses what the articles service refuses', async () => {
      const created = await call('POST', '/stories', '/stories', { body: publishable(), headers: { 'idempotency-key': 'create-scheduled' } })
      expect(created.response.status).toBe(201)
      const replay = await call('POST', '/stories', '/stories', { body: publishable(), headers: { 'idempotency-key': 'create-scheduled' } })
      expect(replay.data.story.id).toBe(created.data.story.id)
      const id = created.data.story.id
      const at = new Date(Date.now() + 3 * 86_400_000).toISOString()
      const scheduled = await call('POST', `/stories/${id}/schedule`, '/stories/{id}/schedule', { body: { at } })
      expect(scheduled.response.status).toBe(200)
      expect(scheduled.data.story.status).toBe('scheduled')
      expect(scheduled.data.story.scheduledAt).toBe(at)

      const past = await call('POST', `/stories/${id}/schedule`, '/stories/{id}/schedule', { body: { at: '2020-01-01T00:00:00Z' } })
      expect(past.response.status).toBe(422)
      expect(past.data.code).toBe('ARTICLE_SCHEDULE_PAST')

      const empty = await call('POST', '/stories', '/stories', { body: {} })
      const unpublishable = await call('POST', `/stories/${empty.data.story.id}/publish`, '/stories/{id}/publish', { body: {} })
      expect(unpublishable.response.status).toBe(422)
      expect(unpublishable.data.code).toBe('ARTICLE_NOT_PUBLISHABLE')

      const missing = await call('GET', '/stories/art_doesnotexist', '/stories/{id}')
      expect(missing.response.status).toBe(404)
      expect(missing.data.code).toBe('ARTICLE_NOT_FOUND')
    })

    it('answers a body that does not match the schema with 400 and the fields', async () => {
      const created = await call('POST', '/stories', '/stories', { body: { title: 'Schema check' } })
      const id = created.data.story.id
      for (const [method, path, template, body, field] of [
        ['PATCH', `/stories/${id}`, '/stories/{id}', { changes: { title: 'No version' } }, 'baseVersion'],
        ['PATCH', `/stories/${id}`, '/stories/{id}', { baseVersion: 1, changes: { body: [{ type: 'marquee' }] } }, 'changes.body[0]'],
        ['POST', '/stories', '/stories', { title: 42 }, 'title'],
        ['POST', `/stories/${id}/schedule`, '/stories/{id}/schedule', { at: 'tomorrow' }, 'at'],
        ['POST', `/stories/${id}/correct`, '/stories/{id}/correct', { text: 'A fix to the text.', changes: { dek: 'x' } }, 'baseVersion'],
      ] as const) {
        const { response, data } = await call(method, path, template, { body })
        expect(response.status, `${method} ${path}`).toBe(400)
        expect(data.code).toBe('ADMIN_API_BODY_INVALID')
        expect(data.issues.map((i: { path: string }) => i.path).some((p: string) => p.startsWith(field)), `${field} in ${JSON.stringify(data.issues)}`).toBe(true)
      }
      const response = await t.fetch(`${API}/stories`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"title": ' })
      expect(response.status).toBe(400)
      const data = await response.json()
      checker.check('POST', '/stories', 400, response.headers.get('content-type')!, data)
      expect(data.code).toBe('ADMIN_API_BODY_INVALID')
      const text = await t.fetch(`${API}/stories`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' }, body: '<story/>' })
      expect(text.status).toBe(415)
      const textData = await text.json()
      checker.check('POST', '/stories', 415, text.headers.get('content-type')!, textData)
      expect(textData.code).toBe('ADMIN_API_BODY_INVALID')
    })

    it('uploads a picture to the media library and imports agency copy, replaying a retried upload', async () => {
      const form = () => {
        const f = new FormData()
        f.append('alt', 'Two pilot boats at the quay')
        f.append('credit', 'Masthead')
        return f
      }
      const picture = await makePicture('jpeg', 800, 500)
      const withFile = () => {
        const f = form()
        f.append('file', new Blob([Buffer.from(picture)], { type: 'image/jpeg' }), 'pilots.jpg')
        return f
      }
      const uploaded = await call('POST', '/media', '/media', { form: withFile(), headers: { 'idempotency-key': 'pilots-picture' } })
      expect(uploaded.response.status).toBe(201)
      expect(uploaded.data.picture.width).toBe(800)
      expect(uploaded.data.picture.alt).toBe('Two pilot boats at the quay')
      const retried = await call('POST', '/media', '/media', { form: withFile(), headers: { 'idempotency-key': 'pilots-picture' } })
      expect(retried.data.picture.id).toBe(uploaded.data.picture.id)
      expect((await t.server.container.media.get(uploaded.data.picture.id)).createdBy).toBe(adminId)

      const noFile = await call('POST', '/media', '/media', { form: form() })
      expect(noFile.response.status).toBe(400)
      expect(noFile.data.issues[0].path).toBe('file')

      const notPicture = new FormData()
      notPicture.append('file', new Blob(['just words'], { type: 'image/jpeg' }), 'fake.jpg')
      const refused = await call('POST', '/media', '/media', { form: notPicture })
      expect(refused.response.status).toBe(422)

      const wire = new FormData()
      wire.append('files', new Blob([Buffer.from(wireFixture('ninjs/v1-acp-harbour-talks.json'))], { type: 'application/json' }), 'harbour.json')
      const imported = await call('POST', '/wire', '/wire', { form: wire })
      expect(imported.response.status).toBe(200)
      expect(imported.data.reports).toHaveLength(1)
      expect(imported.data.reports[0].imported + imported.data.reports[0].updated + imported.data.reports[0].unchanged).toBeGreaterThan(0)
      const broken = new FormData()
      broken.append('files', new Blob([Buffer.from(wireFixture('broken/malformed.json'))], { type: 'application/json' }), 'broken.json')
      const rejected = await call('POST', '/wire', '/wire', { form: broken })
      expect(rejected.response.status).toBe(200)
      expect(rejected.data.reports[0].rejected.length).toBeGreaterThan(0)
    }, 120_000)

    it('lists letters with their titles and tips only as metadata, never their words or senders', async () => {
      const { submissions } = t.server.container
      await submissions.submitLetter({ name: 'Ines Duarte', town: 'Porto', email: 'ines@example.org', text: 'The night shift keeps the port running and deserves a word of thanks.' })
      await submissions.submitTip({ text: 'The dredging tender was rigged, ask about lot 7.', name: 'Quiet Source', email: 'quiet@example.org', contact: '' })
      const letters = await call('GET', '/submissions?kind=letter', '/submissions')
      expect(letters.response.status).toBe(200)
      expect(letters.data.submissions[0].from).toBe('Ines Duarte, Porto')
      const tips = await call('GET', '/submissions?kind=tip', '/submissions')
      expect(tips.response.status).toBe(200)
      expect(tips.data.submissions.length).toBeGreaterThan(0)
      const text = JSON.stringify(tips.data)
      for (const secret of ['dredging', 'lot 7', 'Quiet Source', 'quiet@example.org']) expect(text).not.toContain(secret)
      for (const tip of tips.data.submissions) expect(Object.keys(tip).sort()).toEqual(['assigneeId', 'createdAt', 'id', 'kind', 'reference', 'state'])
      const bad = await call('GET', '/submissions?kind=postcard', '/submissions')
      expect(bad.response.status).toBe(400)
    })

    it('records every call in the audit log with its method, route, token and outcome', async () => {
      const { audit } = t.server.container
      const calls = (await audit.list({ action: 'api.call' }, { page: 1, perPage: 500 })).items
      const mine = calls.filter((c) => c.targetId === tokenId)
      expect(mine.length).toBeGreaterThan(10)
      expect(mine.every((c) => c.actorId === adminId && c.targetType === 'api_token')).toBe(true)
      expect(mine.map((c) => c.summary)).toEqual(
        expect.arrayContaining([`POST /api/admin/v1/stories → 201, token ${tokenId}`, `PATCH /api/admin/v1/stories/:id → 409, token ${tokenId}`, `POST /api/admin/v1/stories/:id/publish → 200, token ${tokenId}, replayed`]),
      )
      expect(calls.some((c) => c.targetId === null && c.actorId === null && c.summary === 'GET /api/admin/v1/stories → 401, no valid token')).toBe(true)
      // A token without the scope is named in the entry of its refused call.
      expect(calls.some((c) => c.targetId !== tokenId && c.targetId !== null && / → 403, token tok_/.test(c.summary))).toBe(true)
      const made = (await audit.list({ action: 'api_token.created' }, { page: 1, perPage: 100 })).items
      expect(made.map((e) => e.targetId)).toContain(tokenId)
    })

    it('checked a success of every operation against the document', () => {
      for (const op of ADMIN_API_OPERATIONS) {
        expect([...checker.seen].some((s) => s.startsWith(`${op.method} ${op.path} 2`)), `${op.method} ${op.path}`).toBe(true)
      }
    })
  })
}

describe('the admin API rate limit, shared through Redis', () => {
  let t: TestServer
  const prefix = `masthead-test-${process.pid}-${Date.now()}:`
  beforeAll(async () => {
    t = await startTestServer('sqlite', { wirePollSeconds: 0, loadDemo: false, adminApiPerMinute: 3, redisUrl: 'redis://127.0.0.1:6379', redisPrefix: prefix })
  }, 120_000)
  afterAll(async () => {
    const redis = t?.server.container.redis
    if (redis) {
      const keys = await redis.keys(`${prefix}*`)
      if (keys.length) await redis.del(...keys)
    }
    await t?.cleanup()
  })

  it('limits each token on its own, with problem details and Retry-After, counting in Redis', async () => {
    const { auth, adminTokens, redis } = t.server.container
    const { user } = await auth.createUser({ ...ADMIN, email: 'limits@example.org' })
    const scopes: Scope[] = ['stories:read']
    const a = await adminTokens.create({ name: 'A', scopes }, { userId: user.id })
    const b = await adminTokens.create({ name: 'B', scopes }, { userId: user.id })
    // Every answer, the refusals included, is checked against the document.
    const checker = createOpenApiChecker(adminApiDocument)
    const get = async (token: string | null) => {
      const response = await t.fetch(`${API}/stories`, { headers: token ? { authorization: `Bearer ${token}` } : {} })
      return { response, data: await checker.response('GET', '/stories', response) }
    }
    for (let i = 0; i < 3; i++) expect((await get(a.token)).response.status).toBe(200)
    const limited = await get(a.token)
    expect(limited.response.status).toBe(429)
    expect(limited.response.headers.get('content-type')).toContain('application/problem+json')
    expect(limited.response.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(limited.data.code).toBe('ADMIN_API_RATE_LIMITED')
    expect((await get(b.token)).response.status).toBe(200)
    expect(await redis!.keys(`${prefix}admin-api:*${a.id}*`)).toHaveLength(1)

    // Calls without a valid token count against their address, so guessing is limited too.
    const bogus = `mat_${'y'.repeat(43)}`
    for (let i = 0; i < 3; i++) expect((await get(bogus)).response.status).toBe(401)
    expect((await get(bogus)).response.status).toBe(429)
    expect((await get(null)).response.status).toBe(429)
    expect((await get(b.token)).response.status).toBe(200)
    expect(checker.seen).toEqual(new Set(['GET /stories 200', 'GET /stories 429', 'GET /stories 401']))
  }, 60_000)
})
