import type { SiteSettings } from '../../settings/index.ts'
import { AdminLayout, ErrorSummary, Field, type AdminChrome, type FieldErrors } from '../shell/layout.tsx'
import { CheckboxField, DoneNotice, pictureOptions, SelectField, TextAreaField } from '../shell/record-fields.tsx'

/** The settings form as text fields: stored values, or what the person typed. */
export interface SettingsValues {
  siteName: string
  tagline: string
  timeZone: string
  language: string
  baseUrl: string
  logoMediaId: string
  disclaimer: string
  contactText: string
  socialLinks: string
  copyrightNotice: string
  usageTerms: string
  requireTwoFactor: boolean
  /** Days as text, or `never`. */
  declinedRetentionDays: string
  letterWordLimit: string
  opinionWordLimit: string
  /** One reason a line. */
  declineReasons: string
  tipReaders: string
}

const RETENTION_CHOICES = [30, 60, 90, 180, 365]

/** The retention choices, with a stored value that is not among them kept as an option. */
function retentionOptions(current: string): { value: string; label: string }[] {
  const options = [...RETENTION_CHOICES.map((d) => ({ value: String(d), label: `After ${d} days` })), { value: 'never', label: 'Never' }]
  if (current && !options.some((o) => o.value === current)) options.unshift({ value: current, label: `After ${current} days` })
  return options
}

export function valuesFromSettings(settings: SiteSettings): SettingsValues {
  return {
    siteName: settings.siteName,
    tagline: settings.tagline,
    timeZone: settings.timeZone,
    language: settings.language,
    baseUrl: settings.baseUrl ?? '',
    logoMediaId: settings.logoMediaId ?? '',
    disclaimer: settings.disclaimer,
    contactText: settings.contactText,
    socialLinks: settings.socialLinks.map((link) => `${link.name} ${link.url}`).join('\n'),
    copyrightNotice: settings.copyrightNotice,
    usageTerms: settings.usageTerms,
    requireTwoFactor: settings.requireTwoFactor,
    declinedRetentionDays: settings.declinedRetentionDays === null ? 'never' : String(settings.declinedRetentionDays),
    letterWordLimit: String(settings.letterWordLimit),
    opinionWordLimit: String(settings.opinionWordLimit),
    declineReasons: settings.declineReasons.join('\n'),
    tipReaders: settings.tipReaders,
  }
}

/** Site settings (admins): what readers see on every page, and the newsroom's sign-in rule. */
export function SettingsPage(props: { chrome: AdminChrome; values: SettingsValues; errors: FieldErrors; notice: string | null; cacheSeconds: number; pictures: readonly { id: string; label: string }[] }) {
  const { chrome, values, errors } = props
  return (
    <AdminLayout chrome={chrome} title="Site settings">
      <h1>Site settings</h1>
      <DoneNotice message={props.notice} />
      <ErrorSummary errors={errors} intro="Nothing was saved" />
      <p class="hint">Changes show on the public site at once, on every server of the site that shares its Redis or PostgreSQL; any other catches up within {props.cacheSeconds} seconds.</p>
      <form method="post" action="/admin/settings" class="record-form">
        <input type="hidden" name="_csrf" value={chrome.csrfToken} />
        <h2>The paper</h2>
        <Field name="siteName" label="Name" value={values.siteName} required error={errors.siteName} />
        <Field name="tagline" label="Tagline" value={values.tagline} error={errors.tagline} />
        <SelectField name="logoMediaId" label="Logo" value={values.logoMediaId} options={pictureOptions(props.pictures, values.logoMediaId, 'No logo')} hint="From the media library: upload it there first." error={errors.logoMediaId} />
        <Field name="baseUrl" label="Public address" type="url" value={values.baseUrl} hint="The origin used in links, feeds and canonical addresses, e.g. https://news.example.org. Leave empty to use the address readers came to." error={errors.baseUrl} />
        <h2>Dates and language</h2>
        <Field name="timeZone" label="Time zone" value={values.timeZone} hint="An IANA name, e.g. America/Bogota, Europe/Lisbon or UTC. Dates are stored in UTC and shown in this zone." error={errors.timeZone} />
        <Field name="language" label="Language" value={values.language} hint="A language tag: en, es, pt-BR." error={errors.language} />
        <h2>Readers</h2>
        <TextAreaField name="disclaimer" label="Disclaimer on readers' letters, opinions and tips" value={values.disclaimer} rows={4} error={errors.disclaimer} />
        <TextAreaField name="contactText" label="Contact page text" value={values.contactText} rows={5} error={errors.contactText} />
        <TextAreaField name="socialLinks" label="Social links" value={values.socialLinks} rows={4} hint="One a line: a name, a space, then the address, e.g. Mastodon https://social.example/@paper." error={errors.socialLinks} />
        <Field name="letterWordLimit" label="Most words in a letter" type="number" value={values.letterWordLimit} hint="From 50 to 5,000. The letter form says so, and a longer letter comes back with the count." error={errors.letterWordLimit} />
        <Field name="opinionWordLimit" label="Most words in an opinion piece" type="number" value={values.opinionWordLimit} hint="From 100 to 20,000." error={errors.opinionWordLimit} />
        <TextAreaField
          name="declineReasons"
          label="Reasons for declining"
          value={values.declineReasons}
          rows={6}
          hint="One a line, at most 20: the inbox offers them when a submission is declined, and a reason can still be written out. Kept for the desk, never sent to the reader."
          error={errors.declineReasons}
        />
        <SelectField
          name="tipReaders"
          label="Who may open tips"
          value={values.tipReaders}
          options={[
            { value: 'desk', label: 'Admins and editors' },
            { value: 'admins', label: 'Admins only' },
          ]}
          hint="Tips can put their senders at risk. Every opening is in the audit log either way."
          error={errors.tipReaders}
        />
        <SelectField
          name="declinedRetentionDays"
          label="Delete declined submissions"
          value={values.declinedRetentionDays}
          options={retentionOptions(values.declinedRetentionDays)}
          hint="Declined letters, opinion pieces and tips, with their files, are deleted once a day when they have been declined this long. Counted from the day they were declined."
          error={errors.declinedRetentionDays}
        />
        <h2>Partners</h2>
        <Field name="copyrightNotice" label="Copyright notice" value={values.copyrightNotice} hint="Sent with every story in the ninjs documents partners read, e.g. © 2026 The Hemisphere Ledger. Leave empty to send none." error={errors.copyrightNotice} />
        <TextAreaField name="usageTerms" label="Usage terms for partners" value={values.usageTerms} rows={3} hint="What partners may do with the stories, sent in the ninjs documents. Leave empty to send none." error={errors.usageTerms} />
        <h2>Sign-in</h2>
        <CheckboxField
          name="requireTwoFactor"
          label="Require two-factor sign-in for admins and editors"
          checked={values.requireTwoFactor}
          hint="Admins and editors without it are sent to set it up before they can work, you included."
          error={errors.requireTwoFactor}
        />
        <div>
          <button type="submit">Save the settings</button>
        </div>
      </form>
    </AdminLayout>
  )
}
