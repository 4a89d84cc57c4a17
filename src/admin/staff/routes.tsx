import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AuthService, Role, StaffActor } from '../../auth/index.ts'
import type { Mailer } from '../../mail/index.ts'
import type { SettingsService } from '../../settings/index.ts'
import { field, isFormError, issuesToFields, queryText } from '../shell/forms.ts'
import type { FieldErrors } from '../shell/layout.tsx'
import type { AdminKit } from '../shell/shell.tsx'
import { StaffPage, type UnsentInvitation } from './pages.tsx'

export interface StaffAreaDeps {
  kit: AdminKit
  auth: AuthService
  settings: SettingsService
  mailer: Mailer
  publicOrigin: (request: FastifyRequest) => string
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
    two_factor_reset: 'Two-factor sign-in is off for that account, and every session of it ended. They sign in with their password alone, and can set up a new app.',
  }

  async function page(request: FastifyRequest, reply: FastifyReply, options: { errors?: FieldErrors; values?: { email: string; role: string }; unsent?: UnsentInvitation; status?: number } = {}) {
    const [staff, { timeZone }] = await Promise.all([auth.listStaff(), deps.settings.get()])
    const notice = options.errors || options.unsent ? null : (DONE[queryText(request.query, 'done', 20)] ?? null)
    return kit.send(
      reply,
      <StaffPage
        chrome={await kit.chrome(request, reply, '/admin/staff')}
        staff={staff}
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
    const link = `${deps.publicOrigin(request)}/admin/invitations/${invitation.token}`
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
    return reply.redirect('/admin/staff?done=invited', 303)
  })

  /** Runs a change to one account, then shows the page again by a redirect; refusals (the last admin) come back as a message on the page. */
  function change(path: string, run: (request: FastifyRequest) => Promise<unknown>, done: keyof typeof DONE) {
    app.post(`/admin/staff/:id/${path}`, async (request, reply) => {
      try {
        await run(request)
      } catch (error) {
        if (!isFormError(error)) throw error
        return page(request, reply, { errors: { _form: error.message }, status: error.kind === 'conflict' ? 409 : 422 })
      }
      return reply.redirect(`/admin/staff?done=${done}`, 303)
    })
  }

  change('role', (request) => auth.changeRole(actorOf(request), idOf(request), field(request.body, 'role') as Role), 'role')
  change('deactivate', (request) => auth.deactivate(actorOf(request), idOf(request)), 'deactivated')
  change('reactivate', (request) => auth.reactivate(actorOf(request), idOf(request)), 'reactivated')
  change('two-factor-reset', (request) => auth.resetTwoFactor(actorOf(request), idOf(request)), 'two_factor_reset')
}
