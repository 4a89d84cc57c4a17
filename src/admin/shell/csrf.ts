import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * CSRF tokens bound to the browser's secret: the session token once signed
 * in, a random pre-session cookie on the sign-in form before. The token is an
 * HMAC of that secret, so a token taken from another session (or planted with
 * a cookie from a sibling subdomain) never matches, and nothing needs storing:
 * every server process can check it (issue 12, item 4).
 */

/** The cookie that carries the secret for forms used before signing in. */
export const FORM_COOKIE = 'masthead_form'

const PURPOSE = 'masthead csrf v1'

/** A fresh secret for the pre-session cookie. */
export function newFormSecret(): string {
  return randomBytes(32).toString('base64url')
}

/** The CSRF token for forms shown to the holder of `secret`. */
export function csrfTokenFor(secret: string): string {
  return createHmac('sha256', secret).update(PURPOSE).digest('base64url')
}

/** True when `token` was made for `secret`. Compares in constant time. */
export function isValidCsrfToken(secret: string | null | undefined, token: unknown): boolean {
  if (!secret || typeof token !== 'string' || token.length === 0 || token.length > 100) return false
  const expected = Buffer.from(csrfTokenFor(secret))
  const given = Buffer.from(token)
  return expected.length === given.length && timingSafeEqual(expected, given)
}
