/**
 * The URL rules of the article body, with no dependencies, so that the body
 * schema (zod, on the server) and the story editor (in the browser, where zod
 * would only add weight) apply one and the same rule.
 */

/** The longest link or picture address a body may hold. */
export const MAX_HREF_LENGTH = 2048

/**
 * Whether a link (or picture address) may go in a body: http(s), mailto, a site
 * path starting with a single "/", or a "#fragment". Never `javascript:`,
 * `data:` or a scheme-relative `//host`, which would leave the site unannounced.
 *
 * @example
 * isSafeHref('https://example.org/a') // true
 * isSafeHref('/politics/harbour-talks') // true
 * isSafeHref('//evil.example') // false
 * isSafeHref('javascript:alert(1)') // false
 */
export function isSafeHref(href: string): boolean {
  return href.length <= MAX_HREF_LENGTH && /^(https?:\/\/|\/(?!\/)|#|mailto:)/i.test(href)
}

/**
 * Whether an address may be embedded: an absolute http(s) URL that parses.
 *
 * @example
 * isEmbedUrl('https://video.example/watch/1') // true
 * isEmbedUrl('/local/page') // false
 */
export function isEmbedUrl(url: string): boolean {
  if (url.length > MAX_HREF_LENGTH || !/^https?:\/\//i.test(url)) return false
  try {
    return new URL(url).hostname !== ''
  } catch {
    return false
  }
}
