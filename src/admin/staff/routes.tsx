import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AuthService, Role, StaffActor } from '../../auth/index.ts'
import type { Mailer } from '../../mail/index.ts'
import type { SettingsService } from '../../settings/index.ts'
import { field, isFormError, issuesToFields } from '../shell/forms.ts'
import type { FieldErrors } from '../shell/layout.tsx'
import type { AdminKit } from '../shell/shell.tsx'
import { StaffPage } from './pages.tsx'

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

  async function page(request: FastifyRequest, reply: FastifyReply, options: { errors?: FieldErrors; values?: { email: string; role: string }; notice?: string; status?: number } = {}) {
    const [staff, { timeZone }] = await Promise.all([auth.listStaff(), deps.settings.get()])
    return kit.send(
      reply,
      <StaffPage
        chrome={await kit.chrome(request, reply, '/admin/staff')}
        staff={staff}
        selfId={kit.staff(request).id}
        errors={options.errors ?? {}}
        values={options.values ?? { email: '', role: 'author' }}
        notice={options.notice ?? null}
        timeZone={timeZone}
      />,
      options.status ?? 200,
    )
  }

  app.get('/admin/staff', (request, reply) => page(request, reply))

  app.post('/admin/staff/invite', async (request, reply) => {
    const email = field(request.body, 'email').trim()
    const role = field(request.body, 'role') as Role
    try {
      const invitation = await auth.invite(actorOf(request), { email, role: ROLES.has(role) ? role : ('' as Role) })
      const { siteName } = await deps.settings.get()
      const inviter = kit.staff(request).name
      await deps.mailer.send({
        to: invitation.email,
        subject: `${inviter} invited you to the ${siteName} newsroom`,
        text: `${inviter} invited you to join the ${siteName} newsroom as ${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}.\n\nChoose your name and password here; the link works once, for 7 days:\n${deps.publicOrigin(request)}/admin/invitations/${invitation.token}\n`,
      })
      return page(request, reply, { notice: `Invitation sent to ${invitation.email}.` })
    } catch (error) {
      if (!isFormError(error)) throw error
      return page(request, reply, { errors: issuesToFields(error), values: { email, role }, status: 422 })
    }
  })

  /** Runs a change to one account; refusals (the last admin) come back as a message on the page. */
  function change(path: string, run: (request: FastifyRequest) => Promise<unknown>, notice: string) {
    app.post(`/admin/staff/:id/${path}`, async (request, reply) => {
      try {
        await run(request)
      } catch (error) {
        if (!isFormError(error)) throw error
        return page(request, reply, { errors: { _form: error.message }, status: error.kind === 'conflict' ? 409 : 422 })
      }
      return page(request, reply, { notice })
    })
  }

  change('role', (request) => auth.changeRole(actorOf(request), idOf(request), field(request.body, 'role') as Role), 'The role is changed.')
  change('deactivate', (request) => auth.deactivate(actorOf(request), idOf(request)), 'The account is deactivated and signed out everywhere.')
  change('reactivate', (request) => auth.reactivate(actorOf(request), idOf(request)), 'The account is active again.')
}
