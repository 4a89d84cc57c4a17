import { z } from 'zod'
import type { Db } from '../db/database.ts'
import { DomainError } from '../shared/errors.ts'
import { parseInput } from '../shared/parse.ts'
import { recordAudit } from '../audit/index.ts'

export const SettingsErrors = { SETTINGS_INVALID: 'SETTINGS_INVALID' } as const

/** True for a time zone this Node's Intl knows (IANA names such as Europe/Lisbon, and UTC). */
function isTimeZone(zone: string): boolean {
  if (zone.trim() === '' || zone.length > 64) return false
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** The decline reasons a new site starts with; admins edit them under Site settings. */
export const DEFAULT_DECLINE_REASONS = [
  'Not about our reporting or our readers’ community.',
  'We have published letters on this subject recently.',
  'Too long to print, and it could not be shortened without changing its meaning.',
  'We could not confirm the writer’s name or town.',
  'Personal attacks, or claims about people we could not check.',
] as const

/** Site settings an editor can change; defaults make an empty site presentable. */
export const SiteSettings = z.object({
  siteName: z.string().trim().min(1, 'Give the site a name.').max(120, 'Keep the name under 120 characters.').default('Masthead'),
  tagline: z.string().trim().max(200, 'Keep the tagline under 200 characters.').default(''),
  /** IANA zone in which dates are shown; they are stored in UTC. */
  timeZone: z.string().trim().refine(isTimeZone, 'Not a time zone we know. Use an IANA name such as America/Bogota or Europe/Lisbon.').default('UTC'),
  /** BCP 47 language of the site, for `<html lang>`. */
  language: z.string().trim().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Use a language tag such as en, es or pt-BR.').default('en'),
  disclaimer: z
    .string()
    .trim()
    .max(2000, 'Keep the disclaimer under 2,000 characters.')
    .default(
      'We publish letters, opinion pieces and tips from readers as a public service. They do not necessarily reflect the views of the paper or its staff.',
    ),
  contactText: z
    .string()
    .trim()
    .max(4000, 'Keep the contact text under 4,000 characters.')
    .default('Send letters to the editor, opinion pieces and news tips to the newsroom.'),
  /** Public origin used in canonical URLs and feeds; null means "the host the request came to". */
  baseUrl: z
    .string()
    .url('Give a full address such as https://news.example.org.')
    .refine((v) => /^https?:\/\//i.test(v), 'The address must start with http:// or https://.')
    .nullable()
    .default(null),
  /** The paper's logo from the media library, for the masthead and structured data. */
  logoMediaId: z.string().max(64).nullable().default(null),
  /** Links to the paper's accounts elsewhere, shown in the footer. */
  socialLinks: z
    .array(
      z.object({
        name: z.string().trim().min(1).max(60, 'Keep link names under 60 characters.'),
        url: z
          .string()
          .url('Give each link a full address such as https://social.example/@paper.')
          .refine((v) => /^https?:\/\//i.test(v), 'Links must start with http:// or https://.'),
      }),
    )
    .max(12, 'Give at most 12 links.')
    .default([]),
  /** Feeds carry each story's whole text (true) or only its summary, with a link to read on (false). */
  feedFullText: z.boolean().default(true),
  /** The copyright notice syndicated copy carries (ninjs `copyrightnotice`); empty sends none. */
  copyrightNotice: z.string().trim().max(1000, 'Keep the copyright notice under 1,000 characters.').default(''),
  /** What partners may do with syndicated copy (ninjs `usageterms`); empty sends none. */
  usageTerms: z.string().trim().max(2000, 'Keep the usage terms under 2,000 characters.').default(''),
  /** Most words a letter to the editor may have (the reader desk's letter form). */
  letterWordLimit: z
    .number({ message: 'Give the most words a letter may have, as a whole number.' })
    .int('Give a whole number of words.')
    .min(50, 'Allow letters at least 50 words.')
    .max(5000, 'Allow letters at most 5,000 words.')
    .default(400),
  /** Most words an opinion piece may have. */
  opinionWordLimit: z
    .number({ message: 'Give the most words an opinion piece may have, as a whole number.' })
    .int('Give a whole number of words.')
    .min(100, 'Allow opinion pieces at least 100 words.')
    .max(20000, 'Allow opinion pieces at most 20,000 words.')
    .default(1200),
  /** The desk's usual reasons for declining a submission, offered in the inbox; a reason can still be written out. */
  declineReasons: z
    .array(z.string().trim().min(1).max(300, 'Keep each reason under 300 characters.'))
    .max(20, 'Give at most 20 reasons.')
    .default([...DEFAULT_DECLINE_REASONS]),
  /**
   * Who may open readers' tips in the inbox: `desk` is admins and editors,
   * `admins` keeps them to admins (a paper whose sources need it).
   */
  tipReaders: z.enum(['desk', 'admins'], { message: 'Choose who may open tips.' }).default('desk'),
  /** When true, admins and editors must turn on two-factor sign-in before they can work. */
  requireTwoFactor: z.boolean().default(false),
  /**
   * Days after which declined letters, opinion pieces and tips are deleted,
   * with their files, by the daily retention job; null keeps them for ever.
   */
  declinedRetentionDays: z
    .number({ message: 'Choose how long declined submissions are kept.' })
    .int('Give a whole number of days.')
    .min(1, 'Keep them at least one day.')
    .max(3650, 'Keep them at most ten years, or choose “Never”.')
    .nullable()
    .default(90),
})
export type SiteSettings = z.output<typeof SiteSettings>
export type SiteSettingsPatch = Partial<z.input<typeof SiteSettings>>

/** Reads and writes site settings stored as key/value JSON rows. */
export function createSettingsService(deps: { db: Db }) {
  const { db } = deps

  async function get(): Promise<SiteSettings> {
    const rows = await db.selectFrom('settings').selectAll().execute()
    const raw: Record<string, unknown> = {}
    for (const row of rows) {
      try {
        raw[row.key] = JSON.parse(row.value)
      } catch {
        // A hand-edited, unparseable value falls back to its default rather than taking the site down.
      }
    }
    const parsed = SiteSettings.safeParse(raw)
    if (parsed.success) return parsed.data
    // Keep every valid stored value and default only the broken ones.
    const bad = new Set(parsed.error.issues.map((issue) => String(issue.path[0])))
    for (const key of bad) delete raw[key]
    return SiteSettings.parse(raw)
  }

  /**
   * Validates and stores the given settings; others keep their values. With
   * an actor, what changed goes to the audit log in the same transaction.
   */
  async function update(patch: SiteSettingsPatch, actor?: { userId: string | null }): Promise<SiteSettings> {
    const current = await get()
    const next = parseInput(SiteSettings, { ...current, ...patch }, SettingsErrors.SETTINGS_INVALID)
    if (next.logoMediaId && next.logoMediaId !== current.logoMediaId) {
      const logo = await db.selectFrom('media').select('id').where('id', '=', next.logoMediaId).executeTakeFirst()
      if (!logo) throw new DomainError('invalid', SettingsErrors.SETTINGS_INVALID, 'That logo is not in the media library.', [{ path: 'logoMediaId', message: 'Choose a picture from the media library.', code: 'unknown' }])
    }
    const changed = (Object.keys(patch) as (keyof SiteSettings)[]).filter((key) => JSON.stringify(next[key]) !== JSON.stringify(current[key]))
    await db.transaction().execute(async (trx) => {
      for (const key of Object.keys(patch) as (keyof SiteSettings)[]) {
        const value = JSON.stringify(next[key])
        await trx.deleteFrom('settings').where('key', '=', key).execute()
        await trx.insertInto('settings').values({ key, value }).execute()
      }
      if (actor && changed.length > 0) await recordAudit(trx, { actorId: actor.userId, action: 'settings.changed', targetType: 'settings', targetId: null, summary: `Changed ${changed.join(', ')}` })
    })
    return next
  }

  return { get, update }
}

export type SettingsService = ReturnType<typeof createSettingsService>
