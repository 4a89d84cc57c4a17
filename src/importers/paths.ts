/**
 * The form an old site's path is stored and looked up in: decoded
 * percent-escapes (so `/%E6%B8%AF/` and `/%e6%b8%af/` are one path), no
 * trailing slash, no fragment; a query string is kept only for WordPress's
 * `?p=123` and `?page_id=…` style links, which are addresses in their own right.
 * Null for what cannot be a path.
 * @example normalizeLegacyPath('/2024/05/Harbour-Talks/?utm_source=x') // '/2024/05/Harbour-Talks'
 */
export function normalizeLegacyPath(raw: string): string | null {
  let value = raw.trim()
  if (value === '' || value.length > 2000) return null
  if (/^https?:\/\//i.test(value)) {
    try {
      const url = new URL(value)
      value = url.pathname + url.search
    } catch {
      return null
    }
  }
  if (!value.startsWith('/')) return null
  value = value.split('#')[0]!
  const [pathPart, query = ''] = value.split('?', 2) as [string, string?]
  let path: string
  try {
    path = decodeURIComponent(pathPart)
  } catch {
    path = pathPart
  }
  path = path.replace(/\/{2,}/g, '/')
  if (path.length > 1) path = path.replace(/\/+$/, '')
  const params = new URLSearchParams(query)
  const kept = ['p', 'page_id', 'attachment_id'].find((name) => /^\d{1,20}$/.test(params.get(name) ?? ''))
  return kept ? `${path}?${kept}=${params.get(kept)}` : path
}
