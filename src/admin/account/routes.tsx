import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { SESSION_IDLE_MS, type AuthService } from '../../auth/index.ts'
import type { Mailer } from '../../mail/index.ts'
import type { NotificationService } from '../../notifications/index.ts'
import type { SettingsService } from '../../settings/index.ts'
import { DomainError } from '../../shared/errors.ts'
import { parsePageNumber } from '../../shared/pagination.ts'
import { field, isFormError, issuesToFields, queryText, safeNext } from '../shell/forms.ts'
import { SESSION_COOKIE, type AdminKit } from '../shell/shell.tsx'
import { CodePage, ConfirmEmailPage, InvitationPage, MessagePage, ProfilePage, ResetPasswordPage, ResetRequestPage, TwoFactorPage } from './access-pages.tsx'
import { NotificationsPage, PasswordPage, SignInPage } from './views.tsx'

export interface AccountDeps {
  kit: AdminKit
  auth: AuthService
  notifications: NotificationService
  settings: SettingsService
  mailer: Mailer
  /** The origin links in mail point at. */
  publicOrigin: (request: FastifyRequest) => Promise<string>
}

/** The cookie that carries the pending second step of a sign-in; it lives five minutes. */
const SECOND_FACTOR_COOKIE = 'masthead_2fa'

/** Signing in and out, passwords, one's own account and two-factor sign-in, invitations and resets, notifications. */
export async function accountRoutes(app: FastifyInstance, deps: AccountDeps): Promise<void> {
  const { kit, auth, notifications, settings, mailer } = deps
  const tokenOf = (request: FastifyRequest) => (request.params as { token: string }).token

  function startSession(request: FastifyRequest, reply: FastifyReply, token: string) {
    reply.setCookie(SESSION_COOKIE, token, { ...kit.cookieOptions(request), maxAge: SESSION_IDLE_MS / 1000 })
  }

  // --- Signing in ---

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
      const result = await auth.signIn(email, field(request.body, 'password'))
      if (result.kind === 'second_factor') {
        reply.setCookie(SECOND_FACTOR_COOKIE, result.challenge, { ...kit.cookieOptions(request), sameSite: 'strict', maxAge: 300 })
        return reply.redirect(`/admin/sign-in/code?next=${encodeURIComponent(next)}`, 303)
      }
      startSession(request, reply, result.token)
      return reply.redirect(result.mustChangePassword ? '/admin/password' : next, 303)
    } catch (error) {
      if (!(error instanceof DomainError) || (error.kind !== 'unauthenticated' && error.kind !== 'rate_limited')) throw error
      request.log.info({ code: error.code }, 'sign-in refused')
      return kit.send(reply, <SignInPage chrome={await kit.chrome(request, reply)} email={email} next={next} error={error.message} />, error.kind === 'rate_limited' ? 429 : 401)
    }
  })

  app.get('/admin/sign-in/code', async (request, reply) => {
    if (!request.cookies[SECOND_FACTOR_COOKIE]) return reply.redirect('/admin/sign-in', 303)
    return kit.send(reply, <CodePage chrome={await kit.chrome(request, reply)} />)
  })

  app.post('/admin/sign-in/code', { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (request, reply) => {
    const challenge = request.cookies[SECOND_FACTOR_COOKIE] ?? ''
    const next = safeNext((request.query as Record<string, unknown>).next)
    try {
      const result = await auth.completeSignIn(challenge, field(request.body, 'code'))
      reply.clearCookie(SECOND_FACTOR_COOKIE, { path: '/admin' })
      startSession(request, reply, result.token)
      return reply.redirect(result.mustChangePassword ? '/admin/password' : next, 303)
    } catch (error) {
      if (!(error instanceof DomainError) || (error.kind !== 'unauthenticated' && error.kind !== 'rate_limited')) throw error
      if (error.code === 'AUTH_SECOND_FACTOR_EXPIRED') {
        reply.clearCookie(SECOND_FACTOR_COOKIE, { path: '/admin' })
        return kit.send(reply, <SignInPage chrome={await kit.chrome(request, reply)} email="" next={next} error={error.message} />, 401)
      }
      return kit.send(reply, <CodePage chrome={await kit.chrome(request, reply)} error={error.message} />, error.kind === 'rate_limited' ? 429 : 401)
    }
  })

  app.post('/admin/sign-out', async (request, reply) => {
    if (request.sessionToken) await auth.signOut(request.sessionToken)
    reply.clearCookie(SESSION_COOKIE, { path: '/admin' })
    return reply.redirect('/admin/sign-in', 303)
  })

  app.get('/admin/password', async (request, reply) => {
    const isForced = Boolean(request.staff?.mustChangePassword)
    const done = !isForced && queryText(request.query, 'done', 20) === 'changed'
    return kit.send(reply, <PasswordPage chrome={await kit.chrome(request, reply)} isForced={isForced} errors={{}} done={done} />)
  })

  app.post('/admin/password', async (request, reply) => {
    const user = kit.staff(request)
    try {
      await auth.changePassword(user.id, { current: field(request.body, 'current'), next: field(request.body, 'next') }, request.sessionToken ?? '')
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error
      return kit.send(reply, <PasswordPage chrome={await kit.chrome(request, reply)} isForced={user.mustChangePassword} errors={issuesToFields(error)} />, 422)
    }
    return reply.redirect('/admin/password?done=changed', 303)
  })

  // --- Password resets, by email ---

  app.get('/admin/password-reset', async (request, reply) =>
    kit.send(reply, <ResetRequestPage chrome={await kit.chrome(request, reply)} sent={queryText(request.query, 'sent', 5) === '1'} />),
  )

  app.post('/admin/password-reset', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const email = field(request.body, 'email').trim().slice(0, 320)
    const link = await auth.requestPasswordReset(email)
    if (link) {
      const { siteName } = await settings.get()
      // Sent in the background, never awaited: an answer that waited for the mail
      // server only when the address has an account would tell who has one by
      // its timing. A failure is logged; the person asks again.
      void mailer
        .send({
          to: link.user.email,
          subject: `Reset your ${siteName} newsroom password`,
          text: `Someone (we hope you) asked to reset the password of your ${siteName} newsroom account.\n\nChoose a new password here; the link works once, for an hour:\n${await deps.publicOrigin(request)}/admin/password-reset/${link.token}\n\nIf it was not you, ignore this message; your password stays as it is.\n`,
        })
        .catch((error: unknown) => request.log.error({ err: error }, 'reset mail failed'))
    }
    // The same answer whether or not the address has an account, after a redirect so a refresh sends no second mail.
    return reply.redirect('/admin/password-reset?sent=1', 303)
  })

  async function resetPage(request: FastifyRequest, reply: FastifyReply, errors = {}, status = 200) {
    const token = tokenOf(request)
    const { email } = await auth.passwordReset(token)
    return kit.send(reply, <ResetPasswordPage chrome={await kit.chrome(request, reply)} token={token} email={email} errors={errors} />, status)
  }

  app.get('/admin/password-reset/:token', (request, reply) => resetPage(request, reply))

  app.post('/admin/password-reset/:token', async (request, reply) => {
    try {
      await auth.resetPassword(tokenOf(request), field(request.body, 'password'))
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error
      return resetPage(request, reply, issuesToFields(error), 422)
    }
    return kit.send(reply, <MessagePage chrome={await kit.chrome(request, reply)} title="Password changed" message="Your new password is set, and every device was signed out. Sign in with it now." link={{ href: '/admin/sign-in', label: 'Sign in' }} />)
  })

  // --- Invitations ---

  async function invitationPage(request: FastifyRequest, reply: FastifyReply, errors = {}, values = { name: '' }, status = 200) {
    const token = tokenOf(request)
    const [invitation, { siteName }] = await Promise.all([auth.invitation(token), settings.get()])
    return kit.send(reply, <InvitationPage chrome={await kit.chrome(request, reply)} token={token} email={invitation.email} role={invitation.role} siteName={siteName} errors={errors} values={values} />, status)
  }

  app.get('/admin/invitations/:token', (request, reply) => invitationPage(request, reply))

  app.post('/admin/invitations/:token', async (request, reply) => {
    const name = field(request.body, 'name')
    try {
      const joined = await auth.acceptInvitation(tokenOf(request), { name, password: field(request.body, 'password') })
      startSession(request, reply, joined.sessionToken)
      return reply.redirect('/admin', 303)
    } catch (error) {
      if (!isFormError(error)) throw error
      return invitationPage(request, reply, issuesToFields(error), { name }, 422)
    }
  })

  // --- One's own account ---

  /** What the account page says after a change, by the `done` its form redirected with (a refresh sends nothing again). */
  const DONE: Record<string, string> = {
    name: 'Your name is saved.',
    email: 'We sent a link to your new address. Your address changes when you follow it.',
    signed_out_others: 'Every other device was signed out.',
    two_factor_off: 'Two-factor sign-in is off.',
  }

  async function profilePage(request: FastifyRequest, reply: FastifyReply, options: { errors?: Record<string, string>; values?: { name: string; email: string }; warning?: string; status?: number } = {}) {
    const user = kit.staff(request)
    const notice = options.errors || options.warning ? null : (DONE[queryText(request.query, 'done', 20)] ?? null)
    const [member, codes, { timeZone }] = await Promise.all([auth.getMember(user.id), auth.recoveryCodesLeft(user.id), settings.get()])
    return kit.send(
      reply,
      <ProfilePage
        chrome={await kit.chrome(request, reply, '/admin/account')}
        member={member}
        errors={options.errors ?? {}}
        values={options.values ?? { name: member.name, email: '' }}
        notice={notice}
        warning={options.warning ?? null}
        recoveryCodesLeft={codes}
        timeZone={timeZone}
      />,
      options.status ?? 200,
    )
  }

  app.get('/admin/account', (request, reply) => profilePage(request, reply))

  // A fresh CSRF token for a page that outlived its session: the editor asks
  // for one after its writer signed in again in another tab, since tokens are
  // derived from the session and the old page's token died with it.
  app.get('/admin/session/csrf', async (request, reply) => {
    return reply.header('cache-control', 'no-store').send({ token: kit.csrfToken(request, reply) })
  })

  app.post('/admin/account/name', async (request, reply) => {
    const name = field(request.body, 'name')
    try {
      await auth.updateName(kit.staff(request).id, name)
    } catch (error) {
      if (!isFormError(error)) throw error
      return profilePage(request, reply, { errors: issuesToFields(error), values: { name, email: '' }, status: 422 })
    }
    return reply.redirect('/admin/account?done=name', 303)
  })

  app.post('/admin/account/email', async (request, reply) => {
    const user = kit.staff(request)
    const email = field(request.body, 'email').trim()
    let link: { token: string; email: string }
    try {
      link = await auth.requestEmailChange(user.id, { email, password: field(request.body, 'password') })
    } catch (error) {
      if (!isFormError(error)) throw error
      return profilePage(request, reply, { errors: issuesToFields(error), values: { name: user.name, email }, status: 422 })
    }
    const { siteName } = await settings.get()
    try {
      await mailer.send({
        to: link.email,
        subject: `Confirm your new ${siteName} newsroom address`,
        text: `${user.name} asked to use this address for their ${siteName} newsroom account.\n\nConfirm it here; the link works once, for a day:\n${await deps.publicOrigin(request)}/admin/email-confirm/${link.token}\n\nIf you did not ask for this, ignore this message.\n`,
      })
    } catch (error) {
      // The request is saved, but its link reached nobody: say so instead of a 500, and keep the address typed.
      request.log.error({ err: error }, 'email confirmation mail failed')
      return profilePage(request, reply, {
        warning: `The confirmation mail to ${link.email} could not be sent: the mail server refused it or could not be reached. Your address stays as it is; try again in a while.`,
        values: { name: user.name, email: link.email },
      })
    }
    return reply.redirect('/admin/account?done=email', 303)
  })

  // Opening the link only asks; the button confirms. Mail scanners that open
  // every link in a message would otherwise use it up before its owner could.
  app.get('/admin/email-confirm/:token', async (request, reply) => {
    const token = tokenOf(request)
    const { email } = await auth.emailChange(token)
    return kit.send(reply, <ConfirmEmailPage chrome={await kit.chrome(request, reply)} token={token} email={email} />)
  })

  app.post('/admin/email-confirm/:token', async (request, reply) => {
    const { email } = await auth.confirmEmailChange(tokenOf(request))
    return kit.send(reply, <MessagePage chrome={await kit.chrome(request, reply)} title="Address confirmed" message={`Your newsroom account now uses ${email}.`} link={{ href: '/admin', label: 'Go to the newsroom' }} />)
  })

  app.post('/admin/account/sign-out-others', async (request, reply) => {
    await auth.signOutOthers(kit.staff(request).id, request.sessionToken ?? '')
    return reply.redirect('/admin/account?done=signed_out_others', 303)
  })

  // --- Two-factor sign-in ---

  async function twoFactorPage(request: FastifyRequest, reply: FastifyReply, options: { setup?: { uri: string; secret: string } | null; codes?: string[]; errors?: Record<string, string>; status?: number } = {}) {
    const user = kit.staff(request)
    const { requireTwoFactor } = await settings.get()
    const setup = options.setup ?? null
    const qr = setup ? await qrCodeImage(setup.uri) : null
    return kit.send(
      reply,
      <TwoFactorPage
        chrome={await kit.chrome(request, reply, '/admin/account')}
        isRequired={requireTwoFactor && (user.role === 'admin' || user.role === 'editor') && !user.hasTwoFactor}
        setup={setup && qr ? { qr, secret: setup.secret } : null}
        recoveryCodes={options.codes ?? null}
        errors={options.errors ?? {}}
      />,
      options.status ?? 200,
    )
  }

  app.get('/admin/account/two-factor', async (request, reply) => {
    const user = kit.staff(request)
    if (user.hasTwoFactor) return reply.redirect('/admin/account', 303)
    return twoFactorPage(request, reply)
  })

  app.post('/admin/account/two-factor', async (request, reply) => twoFactorPage(request, reply, { setup: await auth.beginTwoFactor(kit.staff(request).id) }))

  app.post('/admin/account/two-factor/enable', async (request, reply) => {
    const user = kit.staff(request)
    try {
      const codes = await auth.enableTwoFactor(user.id, field(request.body, 'code'))
      request.staff = { ...user, hasTwoFactor: true }
      return twoFactorPage(request, reply, { codes })
    } catch (error) {
      if (!isFormError(error)) throw error
      return twoFactorPage(request, reply, { setup: await auth.pendingTwoFactor(user.id), errors: issuesToFields(error), status: 422 })
    }
  })

  app.post('/admin/account/two-factor/disable', async (request, reply) => {
    const user = kit.staff(request)
    try {
      await auth.disableTwoFactor(user.id, field(request.body, 'password'))
    } catch (error) {
      if (!isFormError(error)) throw error
      return profilePage(request, reply, { errors: { disablePassword: issuesToFields(error).password ?? error.message }, status: 422 })
    }
    return reply.redirect('/admin/account?done=two_factor_off', 303)
  })

  // --- Notifications ---

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
}

/** The authenticator setup's QR code as an SVG data URL. The library loads here, on the rare visit to this page, not at every start (~25 ms with its PNG encoder). */
async function qrCodeImage(uri: string): Promise<string> {
  const { default: qrcode } = await import('qrcode')
  return `data:image/svg+xml;base64,${Buffer.from(await qrcode.toString(uri, { type: 'svg', margin: 1 })).toString('base64')}`
}
