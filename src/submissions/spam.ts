import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Db } from '../db/database.ts'

/**
 * Spam defences for the public forms, without third-party captchas: a signed
 * form token that says when the form was shown (too fast means a script, too
 * old means a stale page), and rate limits per address and overall. The
 * honeypot field is checked by the form routes.
 */

/** What a form token says about the form that carried it. */
export type TokenCheck = 'ok' | 'invalid' | 'too_fast' | 'expired'

export interface FormGuardOptions {
  secret: string
  now: () => number
  /** Seconds a person needs at least to fill in a form. */
  minSeconds: number
  /** Seconds after which a shown form is stale. */
  maxAgeSeconds: number
}

/** Issues and checks form tokens: `<issued ms>.<hmac(kind, issued)>`. Nothing is stored, so every process can check them. */
export function createFormGuard(options: FormGuardOptions) {
  const sign = (kind: string, issued: string) => createHmac('sha256', options.secret).update(`masthead form v1\n${kind}\n${issued}`).digest('base64url')
  return {
    issue(kind: string): string {
      const issued = String(options.now())
      return `${issued}.${sign(kind, issued)}`
    },
    /** `maxAgeSeconds` shortens the token's life for this check (the follow-up page's access lasts less than a form). */
    check(kind: string, token: unknown, maxAgeSeconds = options.maxAgeSeconds): TokenCheck {
      if (typeof token !== 'string' || token.length > 100) return 'invalid'
      const [issued, mac, ...rest] = token.split('.')
      if (!issued || !mac || rest.length > 0 || !/^\d{1,15}$/.test(issued)) return 'invalid'
      const expected = Buffer.from(sign(kind, issued))
      const given = Buffer.from(mac)
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid'
      const age = (options.now() - Number(issued)) / 1000
      if (age < options.minSeconds) return 'too_fast'
      if (age > Math.min(maxAgeSeconds, options.maxAgeSeconds)) return 'expired'
      return 'ok'
    },
  }
}
export type FormGuard = ReturnType<typeof createFormGuard>

/**
 * The signing key for the public forms, made once and shared by every process
 * through the database. Concurrent first starts race harmlessly: one insert
 * wins and everyone reads the winner.
 */
export async function formSecret(db: Db): Promise<string> {
  await db
    .insertInto('app_secrets')
    .values({ name: 'reader_forms', value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute()
  const row = await db.selectFrom('app_secrets').select('value').where('name', '=', 'reader_forms').executeTakeFirstOrThrow()
  return row.value
}
