import type { Body } from '../articles/index.ts'
import { articleBody } from './views/article-body.tsx'

/**
 * A story's body as HTML for readers outside the site (feed readers, programs
 * on the content API), from the site's own block renderer, so every string is
 * escaped as on the page. Site-relative links and picture addresses become
 * absolute: such readers have no page to resolve them against. The renderer
 * quotes every attribute and escapes `"`, so the rewrite sees whole values.
 */
export function bodyHtml(body: Body, origin: string, timeZone: string): string {
  const absolute = (url: string) => (url.startsWith('/') && !url.startsWith('//') ? origin + url : url)
  return articleBody({ body, timeZone })
    .value.replace(/ (href|src)="([^"]*)"/g, (_m, name: string, url: string) => ` ${name}="${absolute(url)}"`)
    .replace(/ srcset="([^"]*)"/g, (_m, list: string) => ` srcset="${list.split(',').map((candidate) => absolute(candidate.trim())).join(', ')}"`)
}
