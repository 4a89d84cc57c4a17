import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import rateLimit from '@fastify/rate-limit'
import { rateLimitStoreOn, type WindowCounter } from '../../rate-limits/index.ts'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { VNode } from 'preact'
import { renderToString } from 'preact-render-to-string'
import { SESSION_IDLE_MS, type AuthService, type SessionUser, type StaffUser } from '../../auth/index.ts'
import type { SettingsService } from '../../settings/index.ts'
import { DomainError } from '../../shared/errors.ts'
import { ACCESS, mayUse, PASSWORD_CHANGE_ROUTES, routeKey, TWO_FACTOR_SETUP_ROUTES } from './access.ts'
import { csrfTokenFor, FORM_COOKIE, isValidCsrfToken, newFormSecret } from './csrf.ts'
import { AdminErrorPage } from './error-page.tsx'
import { field } from './forms.ts'
import { NAV, type AdminChrome } from './layout.tsx'
import { sendProblem } from '../../http/index.ts'

/** A signed-in member of staff as the admin sees them. */
export type SignedIn = SessionUser

declare module 'fastify' {
  interface FastifyRequest {
    staff: SignedIn | null
    sessionToken: string | null
  }
  interface FastifyContextConfig {
    /** `'upload'`: the handler checks CSRF itself, in the first multipart part (see uploads.ts). */
    csrf?: 'upload'
  }
}

export const SESSION_COOKIE = 'masthead_session'

export interface ShellDeps {
  auth: AuthService
  settings: SettingsService
  /** The one error-to-status mapping (server/http-errors.ts), handed in so the admin renders what it decides. */
  describeError: (error: unknown) => { status: number; title: string; detail: string; code: string; issues: { path: string; message: string }[] }
  /** True when the site's configured origin is https, so cookies are Secure even behind a proxy we do not trust. */
  isHttpsOrigin: boolean
  /** Unread notifications of a person, for the header. */
  unreadCount: (userId: string) => Promise<number>
  /** Whether the newsroom requires admins and editors to use two-factor sign-in. */
  isTwoFactorRequired: () => Promise<boolean>
  /** Counts sign-in and reset attempts per address: through Redis when the site has it, so every node counts together. */
  requestCounter: WindowCounter
}

/** What every admin area uses to render pages and check people, built once by the shell. */
export interface AdminKit {
  /** The page frame: site name, stylesheet, navigation for this person, CSRF token. */
  chrome(request: FastifyRequest, reply: FastifyReply, current?: string): Promise<AdminChrome>
  send(reply: FastifyReply, node: VNode<any>, status?: number): FastifyReply
  /** The signed-in person; the guard has already refused anyone else on a non-public route. */
  staff(request: FastifyRequest): SignedIn
  /** True when this person may use a route of the access table, e.g. `'POST /admin/wire/rules'`, to show or hide its buttons. */
  may(user: StaffUser | null, key: string): boolean
  /** The CSRF token this request's browser must send back. */
  csrfToken(request: FastifyRequest, reply: FastifyReply): string
  isValidCsrf(request: FastifyRequest, token: unknown): boolean
  cookieOptions(request: FastifyRequest): { path: string; httpOnly: true; sameSite: 'lax'; secure: boolean }
  /** Serves a file under /admin/assets/, cached for a year: give the path a content hash. */
  addAsset(path: string, type: string, body: string): void
}

const STYLESHEET = (() => {
  const css = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'assets', 'admin.css'), 'utf8')
  return { css, path: `/admin/assets/admin.${createHash('sha256').update(css).digest('hex').slice(0, 12)}.css` }
})()

/** Files the admin serves from memory under /admin/assets/, by path. */
type AssetTable = Map<string, { type: string; body: string }>

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? ''
  const type = request.headers['content-type'] ?? ''
  return /application\/(problem\+)?json/.test(accept) || type.startsWith('application/json')
}

/**
 * Installs what every admin route shares, in the admin's own Fastify scope:
 * cookies, form bodies, the session guard driven by the access table, CSRF
 * checks bound to the session, security headers and the error page. Areas
 * registered after it inherit all of it.
 */
export async function installShell(app: FastifyInstance, deps: ShellDeps): Promise<AdminKit> {
  const { auth } = deps

  await app.register(cookie)
  await app.register(formbody, { bodyLimit: 256 * 1024 })
  await app.register(rateLimit, { global: false, store: rateLimitStoreOn(deps.requestCounter, 'admin') })

  // A route nobody decided access for stops the server at start, not at the first request.
  app.addHook('onRoute', (route) => {
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      const key = routeKey(method, route.url)
      if (key && ACCESS[key] === undefined) throw new Error(`Admin route ${key} is missing from the access table (src/admin/shell/access.ts)`)
    }
  })

  app.decorateRequest('staff', null)
  app.decorateRequest('sessionToken', null)

  const cookieOptions = (request: FastifyRequest) => ({
    path: '/admin',
    httpOnly: true as const,
    sameSite: 'lax' as const,
    secure: request.protocol === 'https' || deps.isHttpsOrigin,
  })

  /** The secret a request's CSRF token is derived from: its session, or before sign-in its form cookie. */
  const csrfSecret = (request: FastifyRequest): string | null => request.sessionToken ?? request.cookies[FORM_COOKIE] ?? null

  const assets: AssetTable = new Map([[STYLESHEET.path, { type: 'text/css; charset=utf-8', body: STYLESHEET.css }]])

  const kit: AdminKit = {
    addAsset: (path, type, body) => {
      assets.set(path, { type, body })
    },
    async chrome(request, reply, current) {
      const user = request.staff
      const [settings, unread] = await Promise.all([deps.settings.get(), user && !user.mustChangePassword ? deps.unreadCount(user.id) : Promise.resolve(0)])
      return {
        unread,
        siteName: settings.siteName,
        stylesheet: STYLESHEET.path,
        user,
        nav:
          user && !user.mustChangePassword
            ? NAV.filter((item) => mayUse(user.role, `GET ${item.href}`)).map((item) => ({
                ...item,
                ...(item.children ? { children: item.children.filter((child) => mayUse(user.role, `GET ${child.href}`)) } : {}),
              }))
            : [],
        csrfToken: kit.csrfToken(request, reply),
        ...(current ? { current } : {}),
      }
    },
    send(reply, node, status = 200) {
      return reply.code(status).type('text/html; charset=utf-8').send(`<!doctype html>${renderToString(node)}`)
    },
    staff(request) {
      if (!request.staff) throw new DomainError('unauthenticated', 'AUTH_REQUIRED', 'Sign in first.')
      return request.staff
    },
    may: (user, key) => (user ? mayUse(user.role, key) : ACCESS[key] === 'public'),
    csrfToken(request, reply) {
      let secret = csrfSecret(request)
      if (!secret) {
        secret = newFormSecret()
        request.cookies[FORM_COOKIE] = secret
        reply.setCookie(FORM_COOKIE, secret, { ...cookieOptions(request), sameSite: 'strict' })
      }
      return csrfTokenFor(secret)
    },
    isValidCsrf: (request, token) => isValidCsrfToken(csrfSecret(request), token),
    cookieOptions,
  }

  // The guard: who may use the route, from the access table. Runs before the
  // body is read, so nobody unknown makes the server parse anything.
  app.addHook('onRequest', async (request, reply) => {
    const key = routeKey(request.method, request.routeOptions.url)
    if (key === null) return
    const rule = ACCESS[key]
    if (rule === undefined) throw new Error(`Admin route ${key} is missing from the access table (src/admin/shell/access.ts)`)
    if (key === 'GET /admin/assets/*') return
    const token = request.cookies[SESSION_COOKIE]
    const user = token ? await auth.userForSession(token) : null
    request.staff = user
    request.sessionToken = user ? (token ?? null) : null
    if (rule === 'public') return
    if (!user) {
      if (request.method === 'GET' && !wantsJson(request)) return reply.redirect(`/admin/sign-in?next=${encodeURIComponent(request.url)}`, 303)
      throw new DomainError('unauthenticated', 'AUTH_REQUIRED', 'Your session has ended. Sign in again; what you sent was not saved.')
    }
    if (user.mustChangePassword && !PASSWORD_CHANGE_ROUTES.has(key)) {
      if (request.method === 'GET') return reply.redirect('/admin/password', 303)
      throw new DomainError('forbidden', 'AUTH_PASSWORD_CHANGE_REQUIRED', 'Choose your own password before you go on.')
    }
    if ((user.role === 'admin' || user.role === 'editor') && !user.hasTwoFactor && !TWO_FACTOR_SETUP_ROUTES.has(key) && (await deps.isTwoFactorRequired())) {
      if (request.method === 'GET') return reply.redirect('/admin/account/two-factor', 303)
      throw new DomainError('forbidden', 'AUTH_TWO_FACTOR_REQUIRED', 'Set up two-factor sign-in before you go on.')
    }
    if (!rule.includes(user.role)) throw new DomainError('forbidden', 'AUTH_FORBIDDEN', `Your role (${user.role}) cannot do this.`)
  })

  // CSRF for every state-changing request, checked once here so no route can forget it.
  app.addHook('preHandler', async (request) => {
    if (!UNSAFE_METHODS.has(request.method) || request.routeOptions.config.csrf === 'upload') return
    const token = field(request.body, '_csrf') || request.headers['x-csrf-token']
    if (!kit.isValidCsrf(request, token)) {
      throw new DomainError('forbidden', 'ADMIN_CSRF_INVALID', 'The form had expired or did not come from this site. Go back, reload the page and try again.')
    }
  })

  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store')
    reply.header('x-frame-options', 'DENY')
    reply.header('referrer-policy', 'same-origin')
    reply.header('x-content-type-options', 'nosniff')
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
    }
    return payload
  })

  app.setErrorHandler(async (error, request, reply) => {
    const failure = deps.describeError(error)
    if (failure.status >= 500) request.log.error({ err: error, requestId: request.id }, 'admin request failed')
    else request.log.info({ code: failure.code, requestId: request.id }, failure.detail)
    const message =
      failure.status === 415
        ? 'This address does not take files or that kind of form. Use the form on the page.'
        : failure.status >= 500 && !(failure.status === 503 && failure.code !== 'INTERNAL' && failure.detail)
          ? 'Something went wrong on the server. What you sent may not have been saved; please try again.'
          : failure.detail || 'The request could not be handled.'
    if (wantsJson(request)) return sendProblem(request, reply, { ...failure, detail: failure.status >= 500 ? '' : message })
    return kit.send(reply, <AdminErrorPage chrome={await kit.chrome(request, reply)} title={failure.title} message={message} />, failure.status)
  })

  app.get('/admin/assets/*', (request, reply) => {
    const asset = assets.get(request.url)
    if (!asset) throw new DomainError('not_found', 'PAGE_NOT_FOUND', 'No such file.')
    return reply.header('cache-control', 'public, max-age=31536000, immutable').type(asset.type).send(asset.body)
  })

  return kit
}

export { SESSION_IDLE_MS }
