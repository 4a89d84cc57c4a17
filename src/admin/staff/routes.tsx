import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AuthService, Role, StaffActor } from '../../auth/index.ts'
import type { Mailer } from '../../mail/index.ts'
import type { SettingsService } from '../../settings/index.ts'
import { field, isFormError, issuesToFields, queryText } from '../shell/forms.ts'
import type { FieldErrors } from '../shell/layout.tsx'
import type { AdminKit } from '../shell/shell.tsx'
import { StaffPage, type StaffRefusal, type UnsentInvitation } from './pages.tsx'

export interface StaffAreaDeps {
  kit: AdminKit
  auth: AuthService
  settings: SettingsService
  mailer: Mailer
  publicOrigin: (request: FastifyRequest) => Promise<string>
}

const ROLES = new Set<Role>(['admin', 'editor', 'author', 'contributor'])

/** Running the staff: invitations, roles, deactivation (admins). */
export async function staffRoutes(app: FastifyInstance, deps: StaffAreaDeps): Promise<void> {
  const { kit, auth } = deps
  const actorOf = (request: FastifyRequest): StaffActor => ({ userId: kit.staff(request).id, role: kit.staff(request).role })
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id

  /** What the page says after a change, by the `done` the change redirected with (POST-redirect-GET: a refresh sends nothing again). */
  const DONE: Record<string, string> = {
    invited: 'The invitation is sent. The link in it works once, for 7 days.',
    role: 'The role is changed.',
    deactivated: 'The account is deactivated and signed out everywhere.',
    reactivated: 'The account is active again.',
    resent: 'The invitation is sent again, with a new link; the earlier link no longer works.',
    revoked: 'The invitation is revoked; its link no longer works.',
    two_factor_reset: 'Two-factor sign-in is off for that account, and every session of it ended. They sign in with their password alone, and can set up a new app.',
  }

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { errors?: FieldErrors; values?: { email: string; role: string }; unsent?: UnsentInvitation; refusal?: StaffRefusal; status?: number } = {},
  ) {
    const [staff, invitations, { timeZone }] = await Promise.all([auth.listStaff(), auth.pendingInvitations(), deps.settings.get()])
    const notice = options.errors || options.unsent ? null : (DONE[queryText(request.query, 'done', 20)] ?? null)
    return kit.send(
      reply,
      <StaffPage
        chrome={await kit.chrome(request, reply, '/admin/staff')}
        staff={staff}
        invitations={invitations}
        refusal={options.refusal ?? null}
        selfId={kit.staff(request).id}
        errors={options.errors ?? {}}
        values={options.values ?? { email: '', role: 'author' }}
        notice={notice}
        unsent={options.unsent ?? null}
        timeZone={timeZone}
      />,
      options.status ?? 200,
    )
  }

  app.get('/admin/staff', (request, reply) => page(request, reply))

  app.post('/admin/staff/invite', async (request, reply) => {
    const email = field(request.body, 'email').trim()
    const role = field(request.body, 'role') as Role
    let invitation: { token: string; email: string }
    try {
      invitation = await auth.invite(actorOf(request), { email, role: ROLES.has(role) ? role : ('' as Role) })
    } catch (error) {
      if (!isFormError(error)) throw error
      return page(request, reply, { errors: issuesToFields(error), values: { email, role }, status: 422 })
    }
    return mailInvitation(request, reply, invitation, role, 'invited')
  })

  // Sending again makes a new link (only the hash of the old one is kept) and voids the old one.
  app.post('/admin/staff/invitations/resend', async (request, reply) => {
    const email = field(request.body, 'email').trim().toLowerCase()
    const waiting = (await auth.pendingInvitations()).find((i) => i.email === email)
    if (!waiting) return page(request, reply, { errors: { _form: `No invitation to ${email || 'that address'} is waiting: it was used, revoked or has expired.` }, status: 409 })
    let invitation: { token: string; email: string }
    try {
      invitation = await auth.invite(actorOf(request), { email, role: waiting.role })
    } catch (error) {
      if (!isFormError(error)) throw error
      return page(request, reply, { errors: { _form: error.message }, status: error.kind === 'conflict' ? 409 : 422 })
    }
    return mailInvitation(request, reply, invitation, waiting.role, 'resent')
  })

  app.post('/admin/staff/invitations/revoke', async (request, reply) => {
    const email = field(request.body, 'email').trim().toLowerCase()
    if (!(await auth.revokeInvitation(actorOf(request), email))) {
      return page(request, reply, { errors: { _form: `No invitation to ${email || 'that address'} is waiting: it was used, revoked or has expired.` }, status: 409 })
    }
    return reply.redirect('/admin/staff?done=revoked', 303)
  })

  /** Mails a new invitation link; when the mail fails the invitation stays and the admin gets the link to pass on. */
  async function mailInvitation(request: FastifyRequest, reply: FastifyReply, invitation: { token: string; email: string }, role: Role, done: 'invited' | 'resent') {
    const link = `${await deps.publicOrigin(request)}/admin/invitations/${invitation.token}`
    const { siteName } = await deps.settings.get()
    const inviter = kit.staff(request).name
    try {
      await deps.mailer.send({
        to: invitation.email,
        subject: `${inviter} invited you to the ${siteName} newsroom`,
        text: `${inviter} invited you to join the ${siteName} newsroom as ${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}.\n\nChoose your name and password here; the link works once, for 7 days:\n${link}\n`,
      })
    } catch (error) {
      // The invitation is saved (and on record); only the mail failed. The token
      // exists nowhere else, so this answer is the one chance to pass it on by hand.
      request.log.error({ err: error }, 'invitation mail failed')
      return page(request, reply, { unsent: { email: invitation.email, link } })
    }
    return reply.redirect(`/admin/staff?done=${done}`, 303)
  }

  /** Runs a change to one account, then shows the page again by a redirect; refusals (the last admin) come back as a message on the page. */
  function change(path: string, run: (request: FastifyRequest) => Promise<unknown>, done: keyof typeof DONE) {
    app.post(`/admin/staff/:id/${path}`, async (request, reply) => {
      try {
        await run(request)
      } catch (error) {
        if (!isFormError(error)) throw error
        // Shown at the account's row too, beside the control that was refused (the last admin's role or button).
        const refusal = { userId: idOf(request), action: path, message: error.message }
        return page(request, reply, { errors: { _form: error.message }, refusal, status: error.kind === 'conflict' ? 409 : 422 })
      }
      return reply.redirect(`/admin/staff?done=${done}`, 303)
    })
  }

  change('role', (request) => auth.changeRole(actorOf(request), idOf(request), field(request.body, 'role') as Role), 'role')
  change('deactivate', (request) => auth.deactivate(actorOf(request), idOf(request)), 'deactivated')
  change('reactivate', (request) => auth.reactivate(actorOf(request), idOf(request)), 'reactivated')
  change('two-factor-reset', (request) => auth.resetTwoFactor(actorOf(request), idOf(request)), 'two_factor_reset')
}
