/**
 * Dates as agencies and feeds really write them: ISO 8601 (NewsML-G2, ninjs,
 * Atom) and RFC 822 with its many variants (RSS pubDate). We never hand dates
 * to `Date.parse`, whose leniency differs between engines and accepts nonsense.
 */

/** A date read from the wire: an ISO UTC instant, and whether its zone was missing and taken as UTC. */
export interface WireDate {
  iso: string
  assumedUtc: boolean
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
}

/** Zone abbreviations seen in feeds, in minutes east of UTC. Ambiguous ones (IST, CST in Asia) follow RFC 822. */
const ZONES: Record<string, number> = {
  Z: 0, UT: 0, UTC: 0, GMT: 0, WET: 0,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  CET: 60, CEST: 120, MET: 60, MEST: 120, BST: 60, WEST: 60, EET: 120, EEST: 180,
  MSK: 180, JST: 540, KST: 540, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780,
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?(?:[.,]\d{1,9})?(Z|[+-]\d{2}(?::?\d{2})?)?$/i
const RFC822 =
  /^(?:[A-Za-z]{2,9}\.?,?\s+)?(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?,?[\s-]+(\d{4}|\d{2})(?:[\sT,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?(?:\s*\([^)]*\))?$/
const MONTH_FIRST =
  /^(?:[A-Za-z]{2,9}\.?,?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})(?:[\s,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?(?:\s*\([^)]*\))?$/

/**
 * Reads an ISO 8601 or RFC 822 date, tolerating the usual mistakes (missing
 * weekday, two-digit years, zone names, ISO in an RSS pubDate); null when it
 * cannot be read with confidence.
 */
export function parseWireDate(raw: string | null | undefined): WireDate | null {
  if (!raw) return null
  const text = raw.trim().replace(/\s+/g, ' ')
  if (text === '' || text.length > 80) return null

  let m = ISO.exec(text)
  if (m) {
    const hasTime = m[4] !== undefined
    return build(+m[1]!, +m[2]!, +m[3]!, hasTime ? +m[4]! : 0, hasTime ? +m[5]! : 0, m[6] ? +m[6] : 0, m[7], m[8], !hasTime)
  }
  m = ISO_BASIC.exec(text)
  if (m) return build(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, m[6] ? +m[6] : 0, undefined, m[7], false)
  m = RFC822.exec(text)
  if (m) {
    const month = monthOf(m[2]!)
    if (month === null) return null
    return build(fullYear(m[3]!), month, +m[1]!, m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, undefined, m[7], !m[4])
  }
  m = MONTH_FIRST.exec(text)
  if (m) {
    const month = monthOf(m[1]!)
    if (month === null) return null
    return build(+m[3]!, month, +m[2]!, m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, undefined, m[7], !m[4])
  }
  return null
}

function monthOf(name: string): number | null {
  return MONTHS[name.slice(0, 3).toLowerCase()] ?? null
}

function fullYear(text: string): number {
  const year = +text
  if (text.length === 4) return year
  // RFC 2822 section 4.3: two-digit years below 50 are in the 2000s.
  return year < 50 ? 2000 + year : 1900 + year
}

function zoneOffset(zone: string | undefined): number | null {
  if (zone === undefined) return null
  const numeric = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)
  if (numeric) {
    const minutes = +numeric[2]! * 60 + (numeric[3] ? +numeric[3] : 0)
    if (+numeric[2]! > 14 || (numeric[3] && +numeric[3] > 59)) return NaN
    return numeric[1] === '-' ? -minutes : minutes
  }
  const named = ZONES[zone.toUpperCase()]
  // Military letters and unknown names carry no reliable offset (RFC 2822 4.3).
  return named ?? null
}

function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  fraction: string | undefined,
  zone: string | undefined,
  dateOnly: boolean,
): WireDate | null {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return null
  if (hour > 24 || minute > 59 || second > 60 || (hour === 24 && (minute > 0 || second > 0))) return null
  const offset = zoneOffset(zone)
  if (Number.isNaN(offset)) return null
  const ms = fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0
  // A leap second is kept as the last second of its minute.
  const utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms) - (offset ?? 0) * 60_000
  const check = new Date(Date.UTC(year, month - 1, day))
  if (check.getUTCDate() !== day) return null
  // A bare date names a day, not an instant: midnight UTC is a reading, not a guess worth a warning.
  return { iso: new Date(utc).toISOString(), assumedUtc: offset === null && !dateOnly }
}
