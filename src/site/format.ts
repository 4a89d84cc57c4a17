/** Date formatting in the site's time zone; storage is always UTC. */

const cache = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`
  let f = cache.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, ...options })
    cache.set(key, f)
  }
  return f
}

/** Formatted dates by style, zone and instant: every page shows the same few dozen, and Intl formatting is a visible share of a page's render. */
const formatted = new Map<string, string>()
const FORMATTED_MAX = 10_000

function remembered(style: 'date' | 'date-time', iso: string, timeZone: string, format: () => string): string {
  const key = `${style}|${timeZone}|${iso}`
  let text = formatted.get(key)
  if (text === undefined) {
    text = format()
    // Dropped whole when full: cheaper than tracking use, and refilled by the next few pages.
    if (formatted.size >= FORMATTED_MAX) formatted.clear()
    formatted.set(key, text)
  }
  return text
}

/** "February 3, 2026" in the site's zone. */
export function formatDate(iso: string, timeZone: string): string {
  return remembered('date', iso, timeZone, () => formatter(timeZone, { dateStyle: 'long' }).format(new Date(iso)))
}

/** "February 3, 2026, 9:14 AM EST" in the site's zone. */
export function formatDateTime(iso: string, timeZone: string): string {
  return remembered('date-time', iso, timeZone, () =>
    formatter(timeZone, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(new Date(iso)),
  )
}
