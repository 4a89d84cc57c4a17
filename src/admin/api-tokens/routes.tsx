import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AdminTokens } from '../../api/index.ts'
import type { AuthService } from '../../auth/index.ts'
import type { SettingsService } from '../../settings/index.ts'
import type { Clock } from '../../shared/clock.ts'
import { field, isFormError, issuesToFields, list } from '../shell/forms.ts'
import type { FieldErrors } from '../shell/layout.tsx'
import type { AdminKit } from '../shell/shell.tsx'
import { ApiTokensPage, type ApiTokensPageProps } from './pages.tsx'

export interface ApiTokensAreaDeps {
  kit: AdminKit
  adminTokens: AdminTokens
  auth: AuthService
  settings: SettingsService
  clock: Clock
}

/** Admin API tokens (admins): make one, shown once; revoke one, refused from the next call on. */
export async function apiTokensRoutes(app: FastifyInstance, deps: ApiTokensAreaDeps): Promise<void> {
  const { kit, adminTokens } = deps

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { errors?: FieldErrors; values?: ApiTokensPageProps['values']; created?: ApiTokensPageProps['created']; notice?: string; status?: number } = {},
  ) {
    const [tokens, { timeZone }] = await Promise.all([adminTokens.list(), deps.settings.get()])
    const makers = await deps.auth.byIds([...new Set(tokens.map((t) => t.createdBy))])
    // The page may hold a token that is shown once: no cache, anywhere.
    reply.header('cache-control', 'no-store')
    return kit.send(
      reply,
      <ApiTokensPage
        chrome={await kit.chrome(request, reply, '/admin/api-tokens')}
        tokens={tokens}
        names={new Map(makers.map((m) => [m.id, m.name]))}
        errors={options.errors ?? {}}
        values={options.values ?? { name: '', scopes: [], expiresInDays: '90' }}
        created={options.created ?? null}
        notice={options.notice ?? null}
        timeZone={timeZone}
        now={deps.clock.now().toISOString()}
      />,
      options.status ?? 200,
    )
  }

  app.get('/admin/api-tokens', (request, reply) => page(request, reply))

  // Answered with the page itself, not a redirect: the token must not travel in a URL or survive a reload.
  app.post('/admin/api-tokens', async (request, reply) => {
    const values = { name: field(request.body, 'name'), scopes: list(request.body, 'scopes'), expiresInDays: field(request.body, 'expiresInDays') || '0' }
    try {
      const days = /^\d{1,4}$/.test(values.expiresInDays) ? Number(values.expiresInDays) : -1
      const made = await adminTokens.create({ name: values.name, scopes: values.scopes as never, expiresInDays: days as never }, { userId: kit.staff(request).id })
      return page(request, reply, { created: { name: values.name.trim(), token: made.token }, status: 201 })
    } catch (error) {
      if (!isFormError(error)) throw error
      return page(request, reply, { errors: issuesToFields(error), values, status: 422 })
    }
  })

  app.post('/admin/api-tokens/:id/revoke', async (request, reply) => {
    await adminTokens.revoke((request.params as { id: string }).id, { userId: kit.staff(request).id })
    return page(request, reply, { notice: 'The token is revoked: programs using it are refused from their next call.' })
  })
}
