import { createHash } from 'node:crypto'
import { bodyText, type Body } from '../../articles/index.ts'
import {
  WIRE_DATE_ASSUMED_UTC,
  WIRE_DATE_INVALID,
  WIRE_FIELD_IGNORED,
  WIRE_HEADLINE_DERIVED,
  WIRE_LINK_DROPPED,
} from '../errors.ts'
import type { PubStatus, WireFormat, WireItem, WireSubject } from '../wire-item.ts'
import { parseWireDate } from './dates.ts'
import type { ReportBuilder } from './report.ts'
import { resolveUrl } from '../../html-to-blocks/index.ts'
import { collapseSpaces } from '../../shared/spaces.ts'

/**
 * Field normalizers shared by every adapter, so the same agency fact reads the
 * same whichever format it arrived in.
 */

/** Collapses whitespace, drops control characters and cuts to a length; null when nothing is left. */
export function cleanLine(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null
  const text = collapseSpaces(
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    value.replace(/[\u0000-\u001F\u007F]/g, ' '),
  ).trim()
  if (text === '') return null
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** Keeps multi-line text (notes) readable while removing control characters. */
export function cleanNote(value: unknown, max = 5000): string | null {
  if (typeof value !== 'string') return null
  const text = value
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
  if (text === '') return null
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** Short schemes for IPTC vocabularies, as NewsML-G2 qcodes write them. */
const IPTC_SCHEMES: Record<string, string> = {
  'cv.iptc.org/newscodes/mediatopic/': 'medtop',
  'cv.iptc.org/newscodes/subjectcode/': 'subj',
  'cv.iptc.org/newscodes/genre/': 'genre',
  'cv.iptc.org/newscodes/ninature/': 'ninat',
  'cv.iptc.org/newscodes/scene/': 'scene',
  'cv.iptc.org/newscodes/productgenre/': 'prodgenre',
}

/** A subject from a NewsML-G2 qcode such as `medtop:11000000`. */
export function subjectFromQcode(qcode: string, name?: string | null): WireSubject | null {
  const clean = cleanLine(qcode, 500)
  if (!clean) return null
  const colon = clean.indexOf(':')
  const subject: WireSubject =
    colon > 0 && colon < clean.length - 1 ? { scheme: clean.slice(0, colon), code: clean.slice(colon + 1) } : { code: clean }
  const label = cleanLine(name, 500)
  if (label) subject.name = label
  return subject
}

/** A subject from a concept URI; IPTC CV URIs become the same scheme/code a qcode would give. */
export function subjectFromUri(uri: string, name?: string | null): WireSubject | null {
  const clean = cleanLine(uri, 800)
  if (!clean) return null
  const bare = clean.replace(/^https?:\/\//i, '')
  for (const [prefix, scheme] of Object.entries(IPTC_SCHEMES)) {
    if (bare.startsWith(prefix) && bare.length > prefix.length) {
      return withName({ scheme, code: bare.slice(prefix.length).replace(/\/$/, '') }, name)
    }
  }
  const cut = Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('#'))
  if (cut > 0 && cut < clean.length - 1 && /^[a-z][a-z0-9+.-]*:/i.test(clean)) {
    return withName({ scheme: clean.slice(0, cut + 1).slice(0, 300), code: clean.slice(cut + 1).slice(0, 500) }, name)
  }
  // A qcode written where a URI belongs is common enough to honour.
  return subjectFromQcode(clean, name)
}

/**
 * A subject from a vocabulary and a code in it (ninjs 1.x scheme/code, Atom
 * scheme/term, RSS domain): IPTC vocabularies become their qcode scheme,
 * others are kept as written.
 */
export function subjectFromScheme(scheme: string | null | undefined, code: string, name?: string | null): WireSubject | null {
  const term = cleanLine(code, 500)
  if (!term) return null
  const vocabulary = cleanLine(scheme, 300)
  if (!vocabulary) return withName({ code: term }, name)
  const bare = vocabulary.replace(/^https?:\/\//i, '').replace(/\/?$/, '/')
  const alias = IPTC_SCHEMES[bare]
  return withName({ scheme: alias ?? vocabulary, code: term }, name)
}

function withName(subject: WireSubject, name: string | null | undefined): WireSubject {
  const label = cleanLine(name, 500)
  return label ? { ...subject, name: label } : subject
}

/** Removes repeated subjects (same scheme and code), keeping the first, which usually carries the name. */
export function uniqueSubjects(subjects: (WireSubject | null)[]): WireSubject[] {
  const seen = new Set<string>()
  const out: WireSubject[] = []
  for (const subject of subjects) {
    if (!subject) continue
    const key = `${subject.scheme ?? ''}\u0000${subject.code}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(subject)
  }
  return out.slice(0, 500)
}

/** Case-insensitively unique, cleaned strings. */
export function uniqueLines(values: unknown[], max: number, limit = 500): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const value of values) {
    const line = cleanLine(value, max)
    if (!line || seen.has(line.toLowerCase())) continue
    seen.add(line.toLowerCase())
    out.push(line)
  }
  return out.slice(0, limit)
}

/** Maps IPTC publication status (`usable`, `withheld`, `canceled`, with or without `stat:`) to ours. */
export function pubStatusOf(raw: string | null | undefined): PubStatus | null {
  if (!raw) return null
  const code = raw.trim().toLowerCase().replace(/^stat:/, '').replace(/^.*\/pubstatusg2\//, '').replace(/\/$/, '')
  if (code === 'usable') return 'usable'
  if (code === 'withheld' || code === 'withdrawn') return 'withdrawn'
  if (code === 'canceled' || code === 'cancelled') return 'canceled'
  return null
}

/** A BCP 47 tag from what agencies write (`en`, `en_GB`, `EN-gb`); null when it is not one. */
export function languageOf(raw: string | null | undefined): string | null {
  const clean = raw?.trim().replace(/_/g, '-')
  if (!clean || !/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(clean)) return null
  const [primary, ...rest] = clean.split('-')
  return [primary!.toLowerCase(), ...rest.map((part) => (part.length === 2 ? part.toUpperCase() : part))].join('-')
}

/** An absolute http(s) URL, resolved against a base; null otherwise. */
export function httpUrl(raw: string | null | undefined, base: string | null | undefined): string | null {
  if (!raw) return null
  const resolved = resolveUrl(raw, base)
  return resolved && /^https?:\/\//i.test(resolved) && resolved.length <= 2048 ? resolved : null
}

/** A stable id for an item that came without one, so a re-polled feed does not duplicate it. */
export function syntheticId(...parts: (string | null | undefined)[]): string {
  const hash = createHash('sha256').update(parts.map((p) => p ?? '').join('\u0000')).digest('hex')
  return `urn:masthead:wire:sha256:${hash.slice(0, 32)}`
}

/** An empty item of a format; adapters fill it in. */
export function blankItem(format: WireFormat, agencyItemId: string): WireItem {
  return {
    format,
    formatVersion: null,
    kind: 'text',
    agency: null,
    agencyName: null,
    agencyItemId,
    version: null,
    versionCreated: null,
    firstCreated: null,
    headline: '',
    slugline: null,
    summary: null,
    body: [],
    subjects: [],
    keywords: [],
    located: null,
    dateline: null,
    byline: null,
    creditLine: null,
    copyrightNotice: null,
    usageTerms: null,
    language: null,
    urgency: null,
    embargoUntil: null,
    pubStatus: 'usable',
    signals: [],
    editorialNotes: [],
    pictures: [],
    link: null,
    related: [],
  }
}

/**
 * The per-item view of a report: adapters read fields through it, and every
 * tolerated oddity lands as a warning that names the item.
 */
export class ItemScope {
  constructor(
    readonly report: ReportBuilder,
    readonly where: string,
  ) {}

  warn(code: string, message: string): void {
    this.report.warn(this.where, code, message)
  }

  /** An ISO UTC date from wire text; null with a warning when unreadable. */
  date(raw: string | null | undefined, field: string): string | null {
    const text = typeof raw === 'string' ? raw.trim() : ''
    if (text === '') return null
    const parsed = parseWireDate(text)
    if (!parsed) {
      this.warn(WIRE_DATE_INVALID, `${field} "${text.slice(0, 60)}" is not a date we can read; it was left empty.`)
      return null
    }
    if (parsed.assumedUtc) this.warn(WIRE_DATE_ASSUMED_UTC, `${field} "${text.slice(0, 60)}" has no time zone; it was taken as UTC.`)
    return parsed.iso
  }

  /** A version number from an attribute or field; null with a warning when not a whole number. */
  version(raw: string | number | null | undefined): number | null {
    if (raw === null || raw === undefined || raw === '') return null
    const text = String(raw).trim()
    if (/^\d{1,9}$/.test(text)) return Number(text)
    this.warn(WIRE_FIELD_IGNORED, `version "${text.slice(0, 40)}" is not a whole number; it was ignored.`)
    return null
  }

  /** Urgency 1–9; anything else is dropped with a warning. */
  urgency(raw: string | number | null | undefined): number | null {
    if (raw === null || raw === undefined || raw === '') return null
    const n = typeof raw === 'number' ? raw : Number(String(raw).trim())
    if (Number.isInteger(n) && n >= 1 && n <= 9) return n
    this.warn(WIRE_FIELD_IGNORED, `urgency "${String(raw).slice(0, 20)}" is not between 1 and 9; it was ignored.`)
    return null
  }

  /** A language tag; an unreadable one is dropped with a warning. */
  language(raw: string | null | undefined): string | null {
    if (!raw || raw.trim() === '') return null
    const tag = languageOf(raw)
    if (!tag) this.warn(WIRE_FIELD_IGNORED, `language "${raw.slice(0, 40)}" is not a language tag; it was ignored.`)
    return tag
  }

  /** An absolute http(s) URL; a relative one without a base is dropped with a warning. */
  url(raw: string | null | undefined, base: string | null | undefined, field: string): string | null {
    if (!raw || raw.trim() === '') return null
    const url = httpUrl(raw, base)
    if (!url) this.warn(WIRE_LINK_DROPPED, `${field} "${raw.trim().slice(0, 80)}" is not an absolute http(s) URL and has no base to resolve it; it was dropped.`)
    return url
  }

  /** Passes on a converter's warnings as link warnings for this item. */
  conversionWarnings(warnings: readonly string[]): void {
    for (const message of warnings) this.warn(WIRE_LINK_DROPPED, message)
  }

  /**
   * A headline for an item that came without one, from its summary or first
   * words, so the desk can still list it; null when there is no text at all.
   */
  derivedHeadline(summary: string | null, body: Body): string | null {
    const source = summary ?? bodyText(body)
    const text = cleanLine(source, 5000)
    if (!text) return null
    const sentence = /^(.{20,160}?[.!?])(\s|$)/.exec(text)?.[1]
    const headline = sentence ?? (text.length > 120 ? `${text.slice(0, 117).replace(/\s+\S*$/, '')}…` : text)
    this.warn(WIRE_HEADLINE_DERIVED, `The item has no headline; "${headline.slice(0, 80)}" was made from its text.`)
    return headline
  }
}
