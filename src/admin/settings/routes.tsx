import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { SettingsService } from '../../settings/index.ts'
import { field, isFormError, issuesToFields, queryText } from '../shell/forms.ts'
import type { FieldErrors } from '../shell/layout.tsx'
import { parseLinkLines } from '../shell/record-fields.tsx'
import type { AdminKit } from '../shell/shell.tsx'
import { SettingsPage, valuesFromSettings, type SettingsValues } from './pages.tsx'

export interface SettingsAreaDeps {
  kit: AdminKit
  settings: SettingsService
  onPublicChange: () => void
  /** How long other processes may show the old settings (their page cache's lifetime), in seconds. */
  publicCacheSeconds: number
  mediaChoices: () => Promise<{ id: string; label: string }[]>
}

function valuesOf(body: unknown): SettingsValues {
  return {
    siteName: field(body, 'siteName'),
    tagline: field(body, 'tagline'),
    timeZone: field(body, 'timeZone').trim(),
    language: field(body, 'language').trim(),
    baseUrl: field(body, 'baseUrl').trim(),
    logoMediaId: field(body, 'logoMediaId').trim(),
    disclaimer: field(body, 'disclaimer'),
    contactText: field(body, 'contactText'),
    socialLinks: field(body, 'socialLinks'),
    copyrightNotice: field(body, 'copyrightNotice'),
    usageTerms: field(body, 'usageTerms'),
    requireTwoFactor: field(body, 'requireTwoFactor') === 'on',
    declinedRetentionDays: field(body, 'declinedRetentionDays').trim(),
    letterWordLimit: field(body, 'letterWordLimit').trim(),
    opinionWordLimit: field(body, 'opinionWordLimit').trim(),
    declineReasons: field(body, 'declineReasons'),
    tipReaders: field(body, 'tipReaders').trim(),
  }
}

/** True when the form sent the field at all (a form from before it existed leaves the setting alone). */
function isSent(body: unknown, name: string): boolean {
  return typeof body === 'object' && body !== null && typeof (body as Record<string, unknown>)[name] === 'string'
}

/** A whole number as typed, or NaN so the schema gives its message. */
const wholeNumber = (text: string) => (/^\d{1,6}$/.test(text) ? Number(text) : Number.NaN)

/** Site settings (admins only). */
export async function settingsRoutes(app: FastifyInstance, deps: SettingsAreaDeps): Promise<void> {
  const { kit, settings } = deps

  async function page(request: FastifyRequest, reply: FastifyReply, options: { values?: SettingsValues; errors?: FieldErrors; status?: number } = {}) {
    const [values, pictures] = await Promise.all([options.values ?? settings.get().then(valuesFromSettings), deps.mediaChoices()])
    const notice = !options.errors && queryText(request.query, 'done', 20) === 'saved' ? 'The settings are saved.' : null
    return kit.send(
      reply,
      <SettingsPage chrome={await kit.chrome(request, reply, '/admin/settings')} values={values} errors={options.errors ?? {}} notice={notice} cacheSeconds={deps.publicCacheSeconds} pictures={pictures} />,
      options.status ?? 200,
    )
  }

  app.get('/admin/settings', (request, reply) => page(request, reply))

  app.post('/admin/settings', async (request, reply) => {
    const values = valuesOf(request.body)
    try {
      await settings.update(
        {
          siteName: values.siteName,
          tagline: values.tagline,
          timeZone: values.timeZone,
          language: values.language,
          baseUrl: values.baseUrl || null,
          logoMediaId: values.logoMediaId || null,
          disclaimer: values.disclaimer,
          contactText: values.contactText,
          socialLinks: parseLinkLines(values.socialLinks).map((link) => ({ name: link.label, url: link.url })),
          copyrightNotice: values.copyrightNotice,
          usageTerms: values.usageTerms,
          requireTwoFactor: values.requireTwoFactor,
          // "never" keeps them; a form without the field leaves the setting alone; anything else not a number reaches the schema as NaN and gets its message.
          ...(values.declinedRetentionDays === ''
            ? {}
            : { declinedRetentionDays: values.declinedRetentionDays === 'never' ? null : wholeNumber(values.declinedRetentionDays) }),
          ...(isSent(request.body, 'letterWordLimit') ? { letterWordLimit: wholeNumber(values.letterWordLimit) } : {}),
          ...(isSent(request.body, 'opinionWordLimit') ? { opinionWordLimit: wholeNumber(values.opinionWordLimit) } : {}),
          // Not an allowed value: the schema says so at the field.
          ...(isSent(request.body, 'tipReaders') ? { tipReaders: values.tipReaders as 'desk' | 'admins' } : {}),
          ...(isSent(request.body, 'declineReasons')
            ? {
                declineReasons: values.declineReasons
                  .split(/\r?\n/)
                  .map((line) => line.trim())
                  .filter((line) => line.length > 0),
              }
            : {}),
        },
        { userId: kit.staff(request).id },
      )
    } catch (error) {
      if (!isFormError(error)) throw error
      return page(request, reply, { values, errors: issuesToFields(error), status: 422 })
    }
    deps.onPublicChange()
    return reply.redirect('/admin/settings?done=saved', 303)
  })
}
