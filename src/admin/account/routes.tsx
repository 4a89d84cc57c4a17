import type { FastifyInstance } from 'fastify'
import type { AuthService } from '../../auth/index.ts'
import type { NotificationService } from '../../notifications/index.ts'
import type { SettingsService } from '../../settings/index.ts'
import { parsePageNumber } from '../../shared/pagination.ts'
import { SESSION_IDLE_MS } from '../../auth/index.ts'
import { DomainError } from '../../shared/errors.ts'
import { field, issuesToFields, safeNext } from '../shell/forms.ts'
import { SESSION_COOKIE, type AdminKit } from '../shell/shell.tsx'
import { NotificationsPage, PasswordPage, SignInPage } from './views.tsx'

export interface AccountDeps {
  kit: AdminKit
  auth: AuthService
  notifications: NotificationService
  settings: SettingsService
}

/** Signing in and out, and changing one's password. */
export async function accountRoutes(app: FastifyInstance, { kit, auth, notifications, settings }: AccountDeps): Promise<void> {
  app.get('/admin/notifications', async (request, reply) => {
    const user = kit.staff(request)
    const [page, { timeZone }] = await Promise.all([
      notifications.list(user.id, { page: parsePageNumber((request.query as Record<string, unknown>).page), perPage: 50 }),
      settings.get(),
    ])
    return kit.send(reply, <NotificationsPage chrome={await kit.chrome(request, reply)} page={page} timeZone={timeZone} />)
  })

  app.post('/admin/notifications/read', async (request, reply) => {
    await notifications.markAllRead(kit.staff(request).id)
    return reply.redirect('/admin/notifications', 303)
  })

  app.get('/admin/sign-in', async (request, reply) => {
    const next = safeNext((request.query as Record<string, unknown>).next)
    if (request.staff) return reply.redirect(next, 303)
    return kit.send(reply, <SignInPage chrome={await kit.chrome(request, reply)} email="" next={next} />)
  })

  // Per address at the edge (the client's real address only when TRUST_PROXY names the proxy), per account in auth.signIn.
  app.post('/admin/sign-in', { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (request, reply) => {
    const email = field(request.body, 'email').trim().slice(0, 320)
    const next = safeNext(field(request.body, 'next'))
    try {
      const { token, mustChangePassword } = await auth.signIn(email, field(request.body, 'password'))
      reply.setCookie(SESSION_COOKIE, token, { ...kit.cookieOptions(request), maxAge: SESSION_IDLE_MS / 1000 })
      return reply.redirect(mustChangePassword ? '/admin/password' : next, 303)
    } catch (error) {
      if (!(error instanceof DomainError) || (error.kind !== 'unauthenticated' && error.kind !== 'rate_limited')) throw error
      request.log.info({ code: error.code }, 'sign-in refused')
      const status = error.kind === 'rate_limited' ? 429 : 401
      return kit.send(reply, <SignInPage chrome={await kit.chrome(request, reply)} email={email} next={next} error={error.message} />, status)
    }
  })

  app.post('/admin/sign-out', async (request, reply) => {
    if (request.sessionToken) await auth.signOut(request.sessionToken)
    reply.clearCookie(SESSION_COOKIE, { path: '/admin' })
    return reply.redirect('/admin/sign-in', 303)
  })

  app.get('/admin/password', async (request, reply) =>
    kit.send(reply, <PasswordPage chrome={await kit.chrome(request, reply)} isForced={Boolean(request.staff?.mustChangePassword)} errors={{}} />),
  )

  app.post('/admin/password', async (request, reply) => {
    const user = kit.staff(request)
    try {
      await auth.changePassword(user.id, { current: field(request.body, 'current'), next: field(request.body, 'next') }, request.sessionToken ?? '')
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error
      return kit.send(reply, <PasswordPage chrome={await kit.chrome(request, reply)} isForced={user.mustChangePassword} errors={issuesToFields(error)} />, 422)
    }
    request.staff = { ...user, mustChangePassword: false }
    return kit.send(reply, <PasswordPage chrome={await kit.chrome(request, reply)} isForced={false} errors={{}} done />)
  })
}
