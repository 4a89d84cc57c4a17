import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import cookie from '@fastify/cookie'
import csrf from '@fastify/csrf-protection'
import formbody from '@fastify/formbody'
import multipart, { type MultipartFile } from '@fastify/multipart'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { VNode } from 'preact'
import { renderToString } from 'preact-render-to-string'
import type { ArticleService } from '../articles/index.ts'
import { SESSION_IDLE_MS, type AuthService, type Role, type StaffUser } from '../auth/index.ts'
import type { SectionService } from '../sections/index.ts'
import type { SettingsService } from '../settings/index.ts'
import type { Clock } from '../shared/clock.ts'
import { DomainError } from '../shared/errors.ts'
import { parsePageNumber } from '../shared/pagination.ts'
import type { SourceService } from '../sources/index.ts'
import type { IngestReport, WireService } from '../wire/index.ts'
import { AdminErrorPage, PasswordPage, SignInPage } from './views/auth-pages.tsx'
import type { AdminChrome, FieldErrors } from './views/layout.tsx'
import { DeskPage, type DeskFilters } from './views/wire-desk.tsx'
import { WireItemPage } from './views/wire-item.tsx'
import { DraftPage, QuarantinePage, RulesPage, SourcesPage, UploadPage } from './views/wire-manage.tsx'

export interface AdminDeps {
  auth: AuthService
  wire: WireService
  sections: SectionService
  sources: SourceService
  articles: ArticleService
  settings: SettingsService
  clock: Clock
  /** The one error-to-status mapping (server/http-errors.ts), handed in so the admin renders what it decides. */
  describeError: (error: unknown) => { status: number; title: string; detail: string }
}

type SignedIn = StaffUser & { mustChangePassword: boolean }

declare module 'fastify' {
  interface FastifyRequest {
    staff: SignedIn | null
    sessionToken: string | null
  }
}

export const SESSION_COOKIE = 'masthead_session'
const MAX_UPLOAD_BYTES = 20 * 1024 * 1024
const DESK_ROLES: readonly Role[] = ['admin', 'editor', 'author']
const EDIT_ROLES: readonly Role[] = ['admin', 'editor']
const OPEN_ROUTES = new Set(['/admin/sign-in'])

const STYLESHEET = (() => {
  const css = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets', 'admin.css'), 'utf8')
  return { css, path: `/admin/assets/admin.${createHash('sha256').update(css).digest('hex').slice(0, 12)}.css` }
})()

function requireRole(request: FastifyRequest, roles: readonly Role[]): SignedIn {
  const user = request.staff
  if (!user) throw new DomainError('unauthenticated', 'AUTH_REQUIRED', 'Sign in first.')
  if (!roles.includes(user.role)) throw new DomainError('forbidden', 'AUTH_FORBIDDEN', `Your role (${user.role}) cannot do this.`)
  return user
}

/** Only paths inside the admin are followed after sign-in, never another site. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/admin(\/|$|\?)/.test(next) && !next.startsWith('//') ? next : '/admin/wire'
}

function field(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | null)?.[name]
  if (typeof value === 'string') return value
  if (value && typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value)
  return ''
}

function list(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | null)?.[name]
  if (Array.isArray(value)) return value.map(String)
  return typeof value === 'string' && value !== '' ? [value] : []
}

function issuesToFields(error: DomainError): FieldErrors {
  const errors: FieldErrors = {}
  for (const issue of error.issues) errors[issue.path.split(/[.[]/)[0] || '_form'] ??= issue.message
  if (Object.keys(errors).length === 0) errors._form = error.message
  return errors
}

/**
 * The newsroom admin under /admin: sign-in, sessions, CSRF and roles are
 * handled once here for every route, then the wire desk pages.
 */
export async function adminRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { auth, wire } = deps

  await app.register(cookie)
  await app.register(formbody, { bodyLimit: 256 * 1024 })
  await app.register(multipart, { attachFieldsToBody: true, limits: { fileSize: MAX_UPLOAD_BYTES, files: 20, fields: 20 } })
  await app.register(csrf, {
    cookieOpts: { path: '/admin', httpOnly: true, sameSite: 'strict' },
    getToken: (request) => field(request.body, '_csrf') || (request.headers['x-csrf-token'] as string | undefined) || '',
  })
  await app.register(rateLimit, { global: false })

  app.decorateRequest('staff', null)
  app.decorateRequest('sessionToken', null)

  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url ?? ''
    if (route.startsWith('/admin/assets/')) return
    const token = request.cookies[SESSION_COOKIE]
    const user = token ? await auth.userForSession(token) : null
    request.staff = user
    request.sessionToken = user ? (token ?? null) : null
    if (OPEN_ROUTES.has(route)) return
    if (!user) {
      if (request.method === 'GET') return reply.redirect(`/admin/sign-in?next=${encodeURIComponent(request.url)}`, 303)
      throw new DomainError('unauthenticated', 'AUTH_REQUIRED', 'Your session has ended. Sign in again; what you sent was not saved.')
    }
    if (user.mustChangePassword && route !== '/admin/password' && route !== '/admin/sign-out') {
      return reply.redirect('/admin/password', 303)
    }
  })

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store')
    reply.header('x-frame-options', 'DENY')
    reply.header('referrer-policy', 'same-origin')
    reply.header('x-content-type-options', 'nosniff')
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
    }
    return payload
  })

  async function chrome(request: FastifyRequest, reply: FastifyReply, current?: string): Promise<AdminChrome> {
    const settings = await deps.settings.get()
    return {
      siteName: settings.siteName,
      stylesheet: STYLESHEET.path,
      user: request.staff,
      csrfToken: reply.generateCsrf(),
      ...(current ? { current } : {}),
    }
  }

  function send(reply: FastifyReply, node: VNode<any>, status = 200) {
    return reply.code(status).type('text/html; charset=utf-8').send(`<!doctype html>${renderToString(node)}`)
  }

  app.setErrorHandler(async (error, request, reply) => {
    const failure = deps.describeError(error)
    if (failure.status >= 500) request.log.error({ err: error, requestId: request.id }, 'admin request failed')
    // Framework refusals (CSRF, upload limits) carry technical messages; say what they mean here.
    const message =
      failure.status === 403 && !(error instanceof DomainError)
        ? 'The form had expired or did not come from this site. Go back, reload the page and try again.'
        : failure.status === 413
          ? `That upload is too large: each file may be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB and 20 files at once. Nothing from it was imported.`
          : failure.status >= 500
            ? 'Something went wrong on the server. What you sent may not have been saved; please try again.'
            : failure.detail || 'The request could not be handled.'
    return send(reply, <AdminErrorPage chrome={await chrome(request, reply)} title={failure.title} message={message} />, failure.status)
  })

  app.get(STYLESHEET.path, (_request, reply) =>
    reply.header('cache-control', 'public, max-age=31536000, immutable').type('text/css; charset=utf-8').send(STYLESHEET.css),
  )

  app.get('/admin', (_request, reply) => reply.redirect('/admin/wire', 303))

  // --- Sign-in and passwords ---

  app.get('/admin/sign-in', async (request, reply) => {
    const next = safeNext((request.query as Record<string, unknown>).next)
    if (request.staff) return reply.redirect(next, 303)
    return send(reply, <SignInPage chrome={await chrome(request, reply)} email="" next={next} />)
  })

  app.post(
    '/admin/sign-in',
    { preHandler: app.csrfProtection, config: { rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const email = field(request.body, 'email').trim()
      const next = safeNext(field(request.body, 'next'))
      try {
        const { token, mustChangePassword } = await auth.signIn(email, field(request.body, 'password'))
        reply.setCookie(SESSION_COOKIE, token, {
          path: '/admin',
          httpOnly: true,
          sameSite: 'lax',
          secure: request.protocol === 'https',
          maxAge: SESSION_IDLE_MS / 1000,
        })
        return reply.redirect(mustChangePassword ? '/admin/password' : next, 303)
      } catch (error) {
        if (!(error instanceof DomainError) || error.kind !== 'unauthenticated') throw error
        request.log.info({ email }, 'sign-in failed')
        return send(reply, <SignInPage chrome={await chrome(request, reply)} email={email} next={next} error={error.message} />, 401)
      }
    },
  )

  app.post('/admin/sign-out', { preHandler: app.csrfProtection }, async (request, reply) => {
    if (request.sessionToken) await auth.signOut(request.sessionToken)
    reply.clearCookie(SESSION_COOKIE, { path: '/admin' })
    return reply.redirect('/admin/sign-in', 303)
  })

  app.get('/admin/password', async (request, reply) =>
    send(reply, <PasswordPage chrome={await chrome(request, reply)} isForced={Boolean(request.staff?.mustChangePassword)} errors={{}} />),
  )

  app.post('/admin/password', { preHandler: app.csrfProtection }, async (request, reply) => {
    const user = requireRole(request, ['admin', 'editor', 'author', 'contributor'])
    try {
      await auth.changePassword(user.id, { current: field(request.body, 'current'), next: field(request.body, 'next') }, request.sessionToken ?? '')
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error
      return send(reply, <PasswordPage chrome={await chrome(request, reply)} isForced={user.mustChangePassword} errors={issuesToFields(error)} />, 422)
    }
    request.staff = { ...user, mustChangePassword: false }
    return send(reply, <PasswordPage chrome={await chrome(request, reply)} isForced={false} errors={{}} done />)
  })

  // --- The wire desk ---

  app.get('/admin/wire', async (request, reply) => {
    requireRole(request, DESK_ROLES)
    const q = request.query as Record<string, unknown>
    const text = (name: string) => (typeof q[name] === 'string' ? (q[name] as string).slice(0, 200) : '')
    const filters: DeskFilters = { agency: text('agency'), section: text('section'), status: text('status'), language: text('language'), q: text('q') }
    const pageNumber = parsePageNumber(q.page)
    const [page, sections, settings, agencies] = await Promise.all([
      wire.listDesk(
        {
          ...(filters.agency ? { agency: filters.agency } : {}),
          ...(filters.section ? { sectionId: filters.section } : {}),
          ...(filters.status ? { status: filters.status as 'usable' } : {}),
          ...(filters.language ? { language: filters.language } : {}),
          ...(filters.q ? { text: filters.q } : {}),
        },
        { page: pageNumber, perPage: 50 },
      ),
      deps.sections.listSections(),
      deps.settings.get(),
      wire.listAgencies(),
    ])
    return send(
      reply,
      <DeskPage
        chrome={await chrome(request, reply, '/admin/wire')}
        page={page}
        filters={filters}
        agencies={agencies}
        sections={sections}
        timeZone={settings.timeZone}
        now={deps.clock.now().toISOString()}
      />,
    )
  })

  app.get('/admin/wire/items/:id', async (request, reply) => {
    const user = requireRole(request, DESK_ROLES)
    const { id } = request.params as { id: string }
    const q = request.query as Record<string, unknown>
    const number = (v: unknown) => (typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : null)
    const { item, versions } = await wire.getItem(id)
    const shownNumber = number(q.version) ?? item.currentVersion
    const shown = versions.find((v) => v.number === shownNumber)
    if (!shown) throw new DomainError('not_found', 'WIRE_ITEM_NOT_FOUND', `This item has no version ${shownNumber}.`)
    const from = number(q.from)
    const to = number(q.to)
    const diff = from !== null && to !== null ? { from, to, parts: await wire.diffVersions(id, from, to) } : null
    const [sections, tags, rules, settings, group] = await Promise.all([
      deps.sections.listSections(),
      deps.sections.listTags(),
      wire.listRules(),
      deps.settings.get(),
      wire.groupMembers(item.groupId),
    ])
    return send(
      reply,
      <WireItemPage
        chrome={await chrome(request, reply, '/admin/wire')}
        item={item}
        versions={versions}
        shown={shown}
        diff={diff}
        sections={sections}
        tags={tags}
        rules={rules}
        groupSiblings={group.filter((g) => g.id !== item.id)}
        canDraft={EDIT_ROLES.includes(user.role)}
        timeZone={settings.timeZone}
        now={deps.clock.now().toISOString()}
      />,
    )
  })

  app.post('/admin/wire/items/:id/draft', { preHandler: app.csrfProtection }, async (request, reply) => {
    const user = requireRole(request, EDIT_ROLES)
    const { id } = request.params as { id: string }
    const article = await wire.createDraft(id, { userId: user.id })
    return reply.redirect(`/admin/articles/${article.id}`, 303)
  })

  app.get('/admin/wire/raw/:id', async (request, reply) => {
    requireRole(request, DESK_ROLES)
    const raw = await wire.getRaw((request.params as { id: string }).id)
    // Shown as plain text in a sandbox: agency copy may hold HTML or scripts that must never run here.
    return reply
      .header('content-security-policy', 'sandbox; default-src none')
      .header('x-masthead-received-at', raw.receivedAt)
      .header('x-masthead-sha256', raw.sha256)
      .type('text/plain; charset=utf-8')
      .send(Buffer.from(raw.bytes))
  })

  app.get('/admin/wire/upload', async (request, reply) => {
    requireRole(request, EDIT_ROLES)
    return send(reply, <UploadPage chrome={await chrome(request, reply, '/admin/wire/upload')} sources={await wire.listSources()} results={[]} />)
  })

  app.post('/admin/wire/upload', { preHandler: app.csrfProtection }, async (request, reply) => {
    requireRole(request, EDIT_ROLES)
    const body = request.body as Record<string, unknown>
    const raw = body.files
    const files = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((f): f is MultipartFile => typeof f === 'object' && f !== null && 'filename' in f)
    const sources = await wire.listSources()
    const sourceId = field(body, 'source')
    const source = sources.find((s) => s.id === sourceId) ?? null
    const pageChrome = await chrome(request, reply, '/admin/wire/upload')
    if (files.length === 0 || files.every((f) => !f.filename)) {
      return send(reply, <UploadPage chrome={pageChrome} sources={sources} results={[]} error="Choose at least one file to upload." />, 422)
    }
    const results: { file: string; report: IngestReport }[] = []
    for (const file of files) {
      const bytes = new Uint8Array(await file.toBuffer())
      results.push({ file: file.filename, report: await wire.ingest({ bytes, origin: `upload: ${file.filename}`, contentType: file.mimetype, wireSourceId: source?.id ?? null }) })
    }
    return send(reply, <UploadPage chrome={pageChrome} sources={sources} results={results} />)
  })

  app.get('/admin/wire/quarantine', async (request, reply) => {
    requireRole(request, DESK_ROLES)
    const [rows, settings] = await Promise.all([wire.listQuarantine(100), deps.settings.get()])
    return send(reply, <QuarantinePage chrome={await chrome(request, reply, '/admin/wire/quarantine')} rows={rows} timeZone={settings.timeZone} />)
  })

  async function sourcesPage(request: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, values: Record<string, string> = {}, status = 200) {
    const user = requireRole(request, DESK_ROLES)
    const [sources, settings, all] = await Promise.all([wire.listSources(), deps.settings.get(), deps.sources.listAll()])
    return send(
      reply,
      <SourcesPage
        chrome={await chrome(request, reply, '/admin/wire/sources')}
        sources={sources}
        agencies={all.filter((s) => s.kind === 'agency' || s.kind === 'partner')}
        timeZone={settings.timeZone}
        canEdit={EDIT_ROLES.includes(user.role)}
        errors={errors}
        values={values}
      />,
      status,
    )
  }

  app.get('/admin/wire/sources', (request, reply) => sourcesPage(request, reply))

  app.post('/admin/wire/sources', { preHandler: app.csrfProtection }, async (request, reply) => {
    requireRole(request, EDIT_ROLES)
    const names = ['name', 'slug', 'kind', 'url', 'folder', 'intervalSeconds', 'creditSourceId']
    const values = Object.fromEntries(names.map((n) => [n, field(request.body, n).trim()]))
    try {
      await wire.createSource({
        name: values.name!,
        slug: values.slug!,
        kind: values.kind as 'feed',
        url: values.url || null,
        folder: values.folder || null,
        intervalSeconds: Number(values.intervalSeconds || 300),
        creditSourceId: values.creditSourceId || null,
      })
    } catch (error) {
      if (!(error instanceof DomainError) || (error.kind !== 'invalid' && error.kind !== 'conflict')) throw error
      return sourcesPage(request, reply, error.kind === 'conflict' ? { slug: error.message } : issuesToFields(error), values, 422)
    }
    return reply.redirect('/admin/wire/sources', 303)
  })

  app.post('/admin/wire/sources/:id/:action', { preHandler: app.csrfProtection }, async (request, reply) => {
    requireRole(request, EDIT_ROLES)
    const { id, action } = request.params as { id: string; action: string }
    if (action !== 'enable' && action !== 'disable') throw new DomainError('not_found', 'PAGE_NOT_FOUND', 'No such action.')
    await wire.setSourceEnabled(id, action === 'enable')
    return reply.redirect('/admin/wire/sources', 303)
  })

  async function rulesPage(request: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, values: Record<string, string> = {}, status = 200) {
    const user = requireRole(request, DESK_ROLES)
    const [rules, sections, tags] = await Promise.all([wire.listRules(), deps.sections.listSections(), deps.sections.listTags()])
    return send(
      reply,
      <RulesPage chrome={await chrome(request, reply, '/admin/wire/rules')} rules={rules} sections={sections} tags={tags} canEdit={EDIT_ROLES.includes(user.role)} errors={errors} values={values} />,
      status,
    )
  }

  app.get('/admin/wire/rules', (request, reply) => rulesPage(request, reply))

  app.post('/admin/wire/rules', { preHandler: app.csrfProtection }, async (request, reply) => {
    requireRole(request, EDIT_ROLES)
    const names = ['name', 'agency', 'subjectCode', 'keyword', 'language', 'priority']
    const values = Object.fromEntries(names.map((n) => [n, field(request.body, n).trim()]))
    try {
      await wire.createRule({
        name: values.name!,
        agency: values.agency || null,
        subjectCode: values.subjectCode || null,
        keyword: values.keyword || null,
        language: values.language || null,
        priority: Number(values.priority || 100),
        sectionIds: list(request.body, 'sectionIds'),
        tagIds: list(request.body, 'tagIds'),
      })
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error
      return rulesPage(request, reply, issuesToFields(error), values, 422)
    }
    return reply.redirect('/admin/wire/rules', 303)
  })

  app.post('/admin/wire/rules/:id/delete', { preHandler: app.csrfProtection }, async (request, reply) => {
    requireRole(request, EDIT_ROLES)
    await wire.deleteRule((request.params as { id: string }).id)
    return reply.redirect('/admin/wire/rules', 303)
  })

  // --- Drafts made from the wire (the article editor comes later) ---

  app.get('/admin/articles/:id', async (request, reply) => {
    requireRole(request, DESK_ROLES)
    const { id } = request.params as { id: string }
    const article = await deps.articles.findById(id)
    if (!article) throw new DomainError('not_found', 'ARTICLE_NOT_FOUND', `No article with id ${id}.`)
    const [sources, notices, settings] = await Promise.all([
      article.sourceId ? deps.sources.byIds([article.sourceId]) : Promise.resolve([]),
      wire.noticesForArticle(id),
      deps.settings.get(),
    ])
    return send(reply, <DraftPage chrome={await chrome(request, reply)} article={article} source={sources[0] ?? null} notices={notices} timeZone={settings.timeZone} />)
  })
}
