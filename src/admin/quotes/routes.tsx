import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { QuoteService } from '../../quotes/index.ts'
import type { SettingsService } from '../../settings/index.ts'
import { field, isFormError, issuesToFields } from '../shell/forms.ts'
import type { FieldErrors } from '../shell/layout.tsx'
import type { AdminKit } from '../shell/shell.tsx'
import { QuotesAdminPage } from './page.tsx'

export interface QuotesAreaDeps {
  kit: AdminKit
  quotes: QuoteService
  settings: SettingsService
}

/** The quotes ledger for editors: the speaker list and merging two spellings. */
export async function quotesRoutes(app: FastifyInstance, deps: QuotesAreaDeps): Promise<void> {
  const { kit, quotes } = deps

  async function page(request: FastifyRequest, reply: FastifyReply, options: { errors?: FieldErrors; values?: { from: string; into: string }; notice?: string; status?: number } = {}) {
    const [speakers, { timeZone }] = await Promise.all([quotes.listSpeakers(), deps.settings.get()])
    return kit.send(
      reply,
      <QuotesAdminPage
        chrome={await kit.chrome(request, reply, '/admin/quotes')}
        speakers={speakers}
        errors={options.errors ?? {}}
        values={options.values ?? { from: '', into: '' }}
        notice={options.notice ?? null}
        timeZone={timeZone}
      />,
      options.status ?? 200,
    )
  }

  app.get('/admin/quotes', (request, reply) => page(request, reply))

  app.post('/admin/quotes/merge', async (request, reply) => {
    const values = { from: field(request.body, 'from'), into: field(request.body, 'into') }
    try {
      await quotes.merge(values, { userId: kit.staff(request).id })
      return page(request, reply, { notice: 'Speakers merged.' })
    } catch (error) {
      if (!isFormError(error)) throw error
      return page(request, reply, { errors: issuesToFields(error), values, status: 422 })
    }
  })
}
