/**
 * Wall-clock times in a time zone, for forms: `<input type="datetime-local">`
 * gives "2026-02-03T11:20" with no zone, and the newsroom means the site's.
 */

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/

/** Milliseconds the zone is ahead of UTC at an instant. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return asUtc - Math.floor(instant / 1000) * 1000
}

/**
 * The UTC instant of a wall-clock time in a zone, or null when the text is not
 * a local date-time. A time skipped by a daylight-saving change moves forward
 * by the gap, as clocks do.
 * @example zonedToUtc('2026-02-03T11:20', 'America/New_York') // '2026-02-03T16:20:00.000Z'
 */
export function zonedToUtc(local: string, timeZone: string): string | null {
  const m = LOCAL.exec(local.trim())
  if (!m) return null
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number]
  const s = m[6] ? Number(m[6]) : 0
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null
  const wall = Date.UTC(y, mo - 1, d, h, mi, s)
  // The offset depends on the instant we are looking for: try the offset at two
  // guesses and keep the one whose wall-clock time is the one asked for. In a
  // daylight-saving gap neither is; the later one is the time clocks jump to.
  const first = wall - offsetAt(wall, timeZone)
  const second = wall - offsetAt(first, timeZone)
  const wanted = new Date(wall).toISOString().slice(0, 16)
  const instant = [second, first].find((t) => utcToZoned(new Date(t).toISOString(), timeZone) === wanted) ?? Math.max(first, second)
  return new Date(instant).toISOString()
}

/**
 * The wall-clock time of an instant in a zone, as a datetime-local value.
 * @example utcToZoned('2026-02-03T16:20:00.000Z', 'America/New_York') // '2026-02-03T11:20'
 */
export function utcToZoned(iso: string, timeZone: string): string {
  const instant = Date.parse(iso)
  return new Date(instant + offsetAt(instant, timeZone)).toISOString().slice(0, 16)
}

/**
 * The instants a calendar day of a zone starts and ends (the next day's start,
 * exclusive), or null when `day` is not a real YYYY-MM-DD date. A day is not
 * always 24 hours: daylight-saving changes make it 23 or 25.
 * @example zonedDayBounds('2026-03-01', 'America/New_York') // { start: '2026-03-01T05:00:00.000Z', end: '2026-03-02T05:00:00.000Z' }
 */
export function zonedDayBounds(day: string, timeZone: string): { start: string; end: string } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!m) return null
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  if (date.toISOString().slice(0, 10) !== day) return null
  const next = new Date(date.getTime() + 24 * 3600_000).toISOString().slice(0, 10)
  const start = zonedToUtc(`${day}T00:00`, timeZone)
  const end = zonedToUtc(`${next}T00:00`, timeZone)
  return start && end ? { start, end } : null
}
