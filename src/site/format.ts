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

/** "February 3, 2026" in the site's zone. */
export function formatDate(iso: string, timeZone: string): string {
  return formatter(timeZone, { dateStyle: 'long' }).format(new Date(iso))
}

/** "February 3, 2026, 9:14 AM EST" in the site's zone. */
export function formatDateTime(iso: string, timeZone: string): string {
  return formatter(timeZone, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso))
}
