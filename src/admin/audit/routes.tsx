import type { FastifyInstance } from 'fastify'
import { AUDIT_ACTIONS, type AuditAction, type AuditFilter, type AuditLog } from '../../audit/index.ts'
import type { AuthService } from '../../auth/index.ts'
import type { SettingsService } from '../../settings/index.ts'
import { parsePageNumber } from '../../shared/pagination.ts'
import { zonedDayBounds } from '../../shared/zoned-time.ts'
import { queryText } from '../shell/forms.ts'
import type { AdminKit } from '../shell/shell.tsx'
import { AuditPage } from './page.tsx'

export interface AuditAreaDeps {
  kit: AdminKit
  audit: AuditLog
  auth: AuthService
  settings: SettingsService
}

/** The audit log: read-only, for admins. There are no routes that change it. */
export async function auditRoutes(app: FastifyInstance, deps: AuditAreaDeps): Promise<void> {
  app.get('/admin/audit', async (request, reply) => {
    const q = request.query as Record<string, unknown>
    const values = { actor: queryText(q, 'actor', 64), action: queryText(q, 'action', 64), from: queryText(q, 'from', 10), to: queryText(q, 'to', 10) }
    const { timeZone } = await deps.settings.get()
    // The dates are days of the site's time zone, the one the page shows times in: not UTC days.
    const from = zonedDayBounds(values.from, timeZone)
    const to = zonedDayBounds(values.to, timeZone)
    const filter: AuditFilter = {
      ...(values.actor ? { actorId: values.actor } : {}),
      ...(values.action in AUDIT_ACTIONS ? { action: values.action as AuditAction } : {}),
      ...(from ? { from: from.start } : {}),
      ...(to ? { before: to.end } : {}),
    }
    const [page, staff] = await Promise.all([deps.audit.list(filter, { page: parsePageNumber(q.page), perPage: 100 }), deps.auth.listStaff()])
    return deps.kit.send(
      reply,
      <AuditPage chrome={await deps.kit.chrome(request, reply, '/admin/audit')} page={page} staff={staff} values={values} names={new Map(staff.map((s) => [s.id, s.name]))} timeZone={timeZone} />,
    )
  })
}
