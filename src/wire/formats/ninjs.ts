import { z } from 'zod'
import { formatPath } from '../../shared/errors.ts'
import { WIRE_EMPTY, WIRE_FIELD_IGNORED, WIRE_ITEM_EMPTY, WIRE_ITEM_INVALID, WIRE_ITEM_NO_ID, WIRE_MALFORMED } from '../errors.ts'
import type { ParseReport, WireItem, WireKind, WirePicture, WireSubject } from '../wire-item.ts'
import { decodeBytes } from './decode.ts'
import {
  ItemScope,
  blankItem,
  cleanLine,
  cleanNote,
  pubStatusOf,
  subjectFromScheme,
  subjectFromUri,
  uniqueLines,
  uniqueSubjects,
} from './fields.ts'
import { htmlToBlocks, htmlToText, textToBlocks } from '../../html-to-blocks/index.ts'
import { pictureHeadline, renditionRef } from './pictures.ts'
import { ReportBuilder, checkSize, describeItem, failedReport, type ParseOptions, type WireAdapter } from './report.ts'

/**
 * IPTC ninjs ("news in JSON") 1.x, 2.x and 3.x. The schemas below follow the
 * IPTC JSON Schemas (ninjs-schema_1.5, _2.1, _3.1): their property names,
 * types and the one required property, `uri`. Unlike those schemas they let
 * unknown properties through, because providers extend ninjs freely; only the
 * properties the standard defines must have the standard's types. Format
 * annotations (`date-time`, `uri`) are checked when the value is read, where
 * a bad date becomes a warning instead of losing the story.
 */

const Str = z.string()
const Num = z.number()
/** ninjs says `version` is a string; many providers send a number, and it means the same. */
const VersionField = z.union([z.string(), z.number()])
const PubStatusField = z.enum(['usable', 'withheld', 'canceled'])

// ninjs 1.x -------------------------------------------------------------

const Contact1 = z.looseObject({
  type: Str.optional(),
  role: Str.optional(),
  lang: Str.optional(),
  name: Str.optional(),
  value: Str.optional(),
  address: z
    .looseObject({
      lines: z.array(Str).optional(),
      locality: Str.optional(),
      area: Str.optional(),
      postalcode: Str.optional(),
      country: Str.optional(),
    })
    .optional(),
})
const Concept1 = z.looseObject({
  name: Str.optional(),
  rel: Str.optional(),
  scheme: Str.optional(),
  code: Str.optional(),
  contactinfo: z.array(Contact1).optional(),
})
const Rendition1 = z.looseObject({
  href: Str.optional(),
  mimetype: Str.optional(),
  title: Str.optional(),
  height: Num.optional(),
  width: Num.optional(),
  sizeinbytes: Num.optional(),
  duration: Num.optional(),
  format: Str.optional(),
})
const PATTERN_STRINGS = /^(body|description|headline)_[a-zA-Z0-9_]+$/

/** A ninjs 1.x object (ninjs-schema_1.x.json), open to unknown properties. */
export const NinjsV1 = z
  .looseObject({
    uri: Str,
    type: Str.optional(),
    mimetype: Str.optional(),
    representationtype: Str.optional(),
    profile: Str.optional(),
    version: VersionField.optional(),
    firstcreated: Str.optional(),
    versioncreated: Str.optional(),
    contentcreated: Str.optional(),
    embargoed: Str.optional(),
    pubstatus: PubStatusField.optional(),
    urgency: Num.optional(),
    copyrightholder: Str.optional(),
    copyrightnotice: Str.optional(),
    usageterms: Str.optional(),
    ednote: Str.optional(),
    language: Str.optional(),
    person: z.array(Concept1).optional(),
    organisation: z.array(Concept1).optional(),
    place: z.array(Concept1).optional(),
    subject: z.array(Concept1).optional(),
    event: z.array(Concept1).optional(),
    object: z.array(Concept1).optional(),
    infosource: z.array(Concept1).optional(),
    title: Str.optional(),
    byline: Str.optional(),
    headline: Str.optional(),
    slugline: Str.optional(),
    located: Str.optional(),
    charcount: Num.optional(),
    wordcount: Num.optional(),
    renditions: z.record(Str, Rendition1).optional(),
    associations: z.record(Str, z.unknown()).optional(),
    genre: z.array(Concept1).optional(),
    expires: Str.optional(),
    $standard: z.looseObject({ name: Str.optional(), version: Str.optional(), schema: Str.optional() }).optional(),
  })
  .superRefine((value, ctx) => {
    for (const [key, field] of Object.entries(value)) {
      if (PATTERN_STRINGS.test(key) && typeof field !== 'string') {
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} must be a string` })
      }
    }
  })
export type NinjsV1 = z.infer<typeof NinjsV1>

// ninjs 2.x -------------------------------------------------------------

const Labeled2 = z.looseObject({ role: Str.optional(), contenttype: Str.optional(), value: Str })
const Contact2 = Contact1
const Concept2 = z.looseObject({
  name: Str.optional(),
  rel: Str.optional(),
  uri: Str.optional(),
  literal: Str.optional(),
  contactinfo: z.array(Contact2).optional(),
})
const Subject2 = Concept2.extend({ creator: Str.optional(), relevance: Num.optional(), confidence: Num.optional() })
const InfoSource2 = z.looseObject({
  name: Str.optional(),
  role: Str.optional(),
  uri: Str.optional(),
  literal: Str.optional(),
  contactinfo: z.array(Contact2).optional(),
})
const Rendition2 = z.looseObject({
  name: Str,
  href: Str.optional(),
  contenttype: Str.optional(),
  title: Str.optional(),
  height: Num.optional(),
  width: Num.optional(),
  sizeinbytes: Num.optional(),
  duration: Num.optional(),
  format: Str.optional(),
})

/** A ninjs 2.x object (ninjs-schema_2.x.json), open to unknown properties. */
export const NinjsV2 = z.looseObject({
  uri: Str,
  type: Str.optional(),
  representationtype: Str.optional(),
  profile: Str.optional(),
  version: VersionField.optional(),
  firstcreated: Str.optional(),
  versioncreated: Str.optional(),
  contentcreated: Str.optional(),
  embargoed: Str.optional(),
  pubstatus: PubStatusField.optional(),
  urgency: Num.optional(),
  copyrightholder: Str.optional(),
  copyrightnotice: Str.optional(),
  usageterms: Str.optional(),
  ednote: Str.optional(),
  language: Str.optional(),
  descriptions: z.array(Labeled2).optional(),
  bodies: z.array(Labeled2.extend({ charcount: Num.optional(), wordcount: Num.optional() })).optional(),
  headlines: z.array(Labeled2).optional(),
  people: z.array(Concept2).optional(),
  organisations: z.array(Concept2).optional(),
  places: z.array(Concept2).optional(),
  subjects: z.array(Subject2).optional(),
  events: z.array(Concept2).optional(),
  objects: z.array(Concept2).optional(),
  infosources: z.array(InfoSource2).optional(),
  title: Str.optional(),
  by: Str.optional(),
  slugline: Str.optional(),
  located: Str.optional(),
  renditions: z.array(Rendition2).optional(),
  associations: z.array(z.looseObject({ name: Str, uri: Str })).optional(),
  altids: z.array(z.looseObject({ role: Str.optional(), value: Str.optional() })).optional(),
  standard: z.looseObject({ name: Str.optional(), version: Str.optional(), schema: Str.optional() }).optional(),
  genres: z.array(Concept2).optional(),
  expires: Str.optional(),
})
export type NinjsV2 = z.infer<typeof NinjsV2>

// ninjs 3.x -------------------------------------------------------------

const Labeled3 = z.looseObject({ role: Str.optional(), contentType: Str.optional(), value: Str })
const Contact3 = z.looseObject({
  type: Str.optional(),
  role: Str.optional(),
  lang: Str.optional(),
  name: Str.optional(),
  value: Str.optional(),
  address: z
    .looseObject({
      lines: z.array(Str).optional(),
      locality: Str.optional(),
      area: Str.optional(),
      postalCode: Str.optional(),
      country: Str.optional(),
    })
    .optional(),
})
const Concept3 = z.looseObject({
  name: Str.optional(),
  rel: Str.optional(),
  uri: Str.optional(),
  literal: Str.optional(),
  contactInfo: z.array(Contact3).optional(),
})
const Subject3 = Concept3.extend({ creator: Str.optional(), relevance: Num.optional(), confidence: Num.optional() })
const InfoSource3 = z.looseObject({
  name: Str.optional(),
  role: Str.optional(),
  uri: Str.optional(),
  literal: Str.optional(),
  contactInfo: z.array(Contact3).optional(),
})
const Rendition3 = z.looseObject({
  name: Str,
  href: Str.optional(),
  contentType: Str.optional(),
  title: Str.optional(),
  width: Num.optional(),
  height: Num.optional(),
  sizeInBytes: Num.optional(),
  duration: Num.optional(),
  format: Str.optional(),
})

/** A ninjs 3.x object (ninjs-schema_3.x.json; camelCase names), open to unknown properties. */
export const NinjsV3 = z.looseObject({
  uri: Str,
  type: Str.optional(),
  representationType: Str.optional(),
  profile: Str.optional(),
  version: VersionField.optional(),
  firstCreated: Str.optional(),
  versionCreated: Str.optional(),
  contentCreated: Str.optional(),
  /** 3.0 kept the 2.x name; 3.1 renamed it `embargoedUntil`. */
  embargoed: Str.optional(),
  embargoedUntil: Str.optional(),
  pubStatus: PubStatusField.optional(),
  urgency: Num.optional(),
  copyrightHolder: Str.optional(),
  copyrightNotice: Str.optional(),
  usageTerms: Str.optional(),
  edNote: Str.optional(),
  language: Str.optional(),
  descriptions: z.array(Labeled3).optional(),
  bodies: z.array(Labeled3.extend({ charCount: Num.optional(), wordCount: Num.optional() })).optional(),
  headlines: z.array(Labeled3).optional(),
  people: z.array(Concept3).optional(),
  organisations: z.array(Concept3).optional(),
  places: z.array(Concept3).optional(),
  subjects: z.array(Subject3).optional(),
  events: z.array(Concept3).optional(),
  objects: z.array(Concept3).optional(),
  infoSources: z.array(InfoSource3).optional(),
  title: Str.optional(),
  by: Str.optional(),
  slugline: Str.optional(),
  located: Str.optional(),
  renditions: z.array(Rendition3).optional(),
  associations: z.array(z.looseObject({ name: Str, uri: Str, rel: Str.optional() })).optional(),
  altIds: z.array(z.looseObject({ role: Str.optional(), value: Str.optional() })).optional(),
  standard: z.looseObject({ name: Str.optional(), version: Str.optional(), schema: Str.optional() }).optional(),
  genres: z.array(Concept3).optional(),
  expires: Str.optional(),
})
export type NinjsV3 = z.infer<typeof NinjsV3>

// One shape for all three ------------------------------------------------

interface Labeled {
  role?: string | undefined
  contentType?: string | undefined
  value: string
}
interface Party {
  name?: string | undefined
  id?: string | undefined
  role?: string | undefined
  contacts: string[]
}
interface Rendition {
  name?: string | undefined
  href?: string | undefined
  contentType?: string | undefined
  width?: number | undefined
  height?: number | undefined
}

/** What every ninjs version says, under one set of names, before it becomes a WireItem. */
interface Common {
  major: 1 | 2 | 3
  formatVersion: string
  uri: string
  type?: string | undefined
  version?: string | number | undefined
  firstCreated?: string | undefined
  versionCreated?: string | undefined
  embargoed?: string | undefined
  pubStatus?: string | undefined
  urgency?: number | undefined
  copyrightHolder?: string | undefined
  copyrightNotice?: string | undefined
  usageTerms?: string | undefined
  edNote?: string | undefined
  language?: string | undefined
  title?: string | undefined
  byline?: string | undefined
  slugline?: string | undefined
  located?: string | undefined
  headlines: Labeled[]
  bodies: Labeled[]
  descriptions: Labeled[]
  subjects: (WireSubject | null)[]
  infoSources: Party[]
  renditions: Rendition[]
  associations: unknown[]
  keywords: unknown
}

const V3_ONLY_KEYS = [
  'versionCreated', 'firstCreated', 'contentCreated', 'pubStatus', 'edNote', 'copyrightHolder', 'copyrightNotice',
  'usageTerms', 'infoSources', 'altIds', 'trustIndicators', 'rightsInfo', 'representationType', 'embargoedUntil',
]
const V2_KEYS = [
  'headlines', 'bodies', 'descriptions', 'by', 'subjects', 'people', 'organisations', 'places', 'events', 'objects',
  'infosources', 'genres', 'trustindicators', 'standard',
]

/** Which ninjs major version an object is: its stated standard version, else the property names it uses. */
export function ninjsMajor(value: Record<string, unknown>): 1 | 2 | 3 {
  const standard = (value.standard ?? value.$standard) as { version?: unknown } | undefined
  const stated = typeof standard?.version === 'string' ? /^\s*(\d+)/.exec(standard.version)?.[1] : undefined
  if (stated === '1' || stated === '2' || stated === '3') return Number(stated) as 1 | 2 | 3
  if (V3_ONLY_KEYS.some((key) => key in value)) return 3
  const labeled = [value.headlines, value.bodies, value.descriptions].flatMap((list) => (Array.isArray(list) ? list : []))
  if (labeled.some((entry) => entry && typeof entry === 'object' && 'contentType' in entry)) return 3
  if (V2_KEYS.some((key) => key in value) || Array.isArray(value.renditions) || Array.isArray(value.associations)) return 2
  return 1
}

function contactLines(owner: string | undefined, contacts: z.infer<typeof Contact1>[] | z.infer<typeof Contact3>[] | undefined): string[] {
  const out: string[] = []
  for (const contact of contacts ?? []) {
    const address = contact.address as Record<string, unknown> | undefined
    const addressText = address
      ? [...((address.lines as string[] | undefined) ?? []), address.locality, address.area, address.postalcode ?? address.postalCode, address.country]
          .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
          .join(', ')
      : ''
    const value = [contact.value, addressText].filter(Boolean).join(' ')
    if (!value) continue
    const label = [contact.name, contact.type, contact.role].filter(Boolean).join(', ')
    out.push(`Contact${owner ? ` (${owner})` : ''}${label ? ` ${label}` : ''}: ${value}`)
  }
  return out
}

function fromV1(v: NinjsV1): Common {
  const bodies: Labeled[] = []
  const descriptions: Labeled[] = []
  const headlines: Labeled[] = v.headline ? [{ value: v.headline }] : []
  for (const [key, value] of Object.entries(v)) {
    if (typeof value !== 'string') continue
    const match = /^(body|description|headline)_(.+)$/.exec(key)
    if (!match) continue
    const flavour = match[2]!
    const contentType = /x?html/i.test(flavour) ? (/xhtml/i.test(flavour) ? 'application/xhtml+xml' : 'text/html') : 'text/plain'
    if (match[1] === 'body') bodies.push({ role: flavour, contentType, value })
    else if (match[1] === 'description') descriptions.push({ role: flavour, contentType, value })
    else headlines.push({ role: flavour, contentType, value })
  }
  return {
    major: 1,
    formatVersion: v.$standard?.version ? `${v.$standard.version}` : '1.x',
    uri: v.uri,
    type: v.type,
    version: v.version,
    firstCreated: v.firstcreated,
    versionCreated: v.versioncreated,
    embargoed: v.embargoed,
    pubStatus: v.pubstatus,
    urgency: v.urgency,
    copyrightHolder: v.copyrightholder,
    copyrightNotice: v.copyrightnotice,
    usageTerms: v.usageterms,
    edNote: v.ednote,
    language: v.language,
    title: v.title,
    byline: v.byline,
    slugline: v.slugline,
    located: v.located,
    headlines,
    bodies,
    descriptions,
    subjects: [...(v.subject ?? []), ...(v.genre ?? [])].map((s) => (s.code ? subjectFromScheme(s.scheme, s.code, s.name) : null)),
    infoSources: (v.infosource ?? []).map((s) => ({
      name: s.name,
      id: s.code,
      role: s.rel,
      contacts: contactLines(s.name, s.contactinfo),
    })),
    renditions: Object.entries(v.renditions ?? {}).map(([name, r]) => ({
      name,
      href: r.href,
      contentType: r.mimetype,
      width: r.width,
      height: r.height,
    })),
    associations: Object.values(v.associations ?? {}),
    keywords: v.keywords,
  }
}

function conceptSubject(concept: { name?: string | undefined; uri?: string | undefined; literal?: string | undefined }): WireSubject | null {
  if (concept.uri) return subjectFromUri(concept.uri, concept.name)
  if (concept.literal) {
    const code = cleanLine(concept.literal, 500)
    if (!code) return null
    const name = cleanLine(concept.name, 500)
    return name ? { code, name } : { code }
  }
  return null
}

function fromV2(v: NinjsV2): Common {
  return {
    major: 2,
    formatVersion: v.standard?.version ?? '2.x',
    uri: v.uri,
    type: v.type,
    version: v.version,
    firstCreated: v.firstcreated,
    versionCreated: v.versioncreated,
    embargoed: v.embargoed,
    pubStatus: v.pubstatus,
    urgency: v.urgency,
    copyrightHolder: v.copyrightholder,
    copyrightNotice: v.copyrightnotice,
    usageTerms: v.usageterms,
    edNote: v.ednote,
    language: v.language,
    title: v.title,
    byline: v.by,
    slugline: v.slugline,
    located: v.located,
    headlines: (v.headlines ?? []).map((h) => ({ role: h.role, contentType: h.contenttype, value: h.value })),
    bodies: (v.bodies ?? []).map((b) => ({ role: b.role, contentType: b.contenttype, value: b.value })),
    descriptions: (v.descriptions ?? []).map((d) => ({ role: d.role, contentType: d.contenttype, value: d.value })),
    subjects: [...(v.subjects ?? []), ...(v.genres ?? [])].map(conceptSubject),
    infoSources: (v.infosources ?? []).map((s) => ({
      name: s.name,
      id: s.literal ?? s.uri,
      role: s.role,
      contacts: contactLines(s.name, s.contactinfo),
    })),
    renditions: (v.renditions ?? []).map((r) => ({ name: r.name, href: r.href, contentType: r.contenttype, width: r.width, height: r.height })),
    associations: v.associations ?? [],
    keywords: v.keywords,
  }
}

function fromV3(v: NinjsV3): Common {
  return {
    major: 3,
    formatVersion: v.standard?.version ?? '3.x',
    uri: v.uri,
    type: v.type,
    version: v.version,
    firstCreated: v.firstCreated,
    versionCreated: v.versionCreated,
    embargoed: v.embargoedUntil ?? v.embargoed,
    pubStatus: v.pubStatus,
    urgency: v.urgency,
    copyrightHolder: v.copyrightHolder,
    copyrightNotice: v.copyrightNotice,
    usageTerms: v.usageTerms,
    edNote: v.edNote,
    language: v.language,
    title: v.title,
    byline: v.by,
    slugline: v.slugline,
    located: v.located,
    headlines: v.headlines ?? [],
    bodies: v.bodies ?? [],
    descriptions: v.descriptions ?? [],
    subjects: [...(v.subjects ?? []), ...(v.genres ?? [])].map(conceptSubject),
    infoSources: (v.infoSources ?? []).map((s) => ({
      name: s.name,
      id: s.literal ?? s.uri,
      role: s.role,
      contacts: contactLines(s.name, s.contactInfo),
    })),
    renditions: (v.renditions ?? []).map((r) => ({ name: r.name, href: r.href, contentType: r.contentType, width: r.width, height: r.height })),
    associations: v.associations ?? [],
    keywords: v.keywords,
  }
}

const SCHEMAS = { 1: NinjsV1, 2: NinjsV2, 3: NinjsV3 } as const

/** Validates one raw ninjs object against its version's schema and brings it to the common shape. */
function toCommon(raw: Record<string, unknown>): { common: Common } | { error: string } {
  const major = ninjsMajor(raw)
  const result = SCHEMAS[major].safeParse(raw)
  if (!result.success) {
    const details = result.error.issues
      .slice(0, 3)
      .map((issue) => `${formatPath(issue.path) || '(object)'}: ${issue.message}`)
      .join('; ')
    return { error: `The item does not follow ninjs ${major}.x: ${details}` }
  }
  const common =
    major === 1 ? fromV1(result.data as NinjsV1) : major === 2 ? fromV2(result.data as NinjsV2) : fromV3(result.data as NinjsV3)
  return { common }
}

// Mapping ---------------------------------------------------------------

const NOTE_ROLE = /ed-?note|note|internal|non-?public|private|contact|instruction/i
const CAPTION_ROLE = /caption/i
const ALT_ROLE = /alt/i
const USAGE_ROLE = /usage|rights/i
const AGENCY_ROLE = /originat|provider|source|distribut|agency|supplier|credit/i
const PREFERRED_RENDITIONS = ['original', 'baseimage', 'highres', 'master', 'large', 'viewimage', 'preview']

const isHtml = (entry: Labeled) => /html/i.test(entry.contentType ?? '') || /html/i.test(entry.role ?? '')
const isMainRole = (entry: Labeled) => !entry.role || /^(main|body|text|richtext|xhtml|html|default)$/i.test(entry.role)

function plain(entry: Labeled | undefined, max: number): string | null {
  if (!entry) return null
  return cleanLine(isHtml(entry) ? htmlToText(entry.value) : entry.value, max)
}

function kindOf(type: string | undefined, hasBody: boolean): WireKind {
  switch (type) {
    case 'text':
    case undefined:
      return 'text'
    case 'picture':
    case 'graphic':
    case 'video':
    case 'audio':
      return type
    case 'composite':
      return hasBody ? 'text' : 'package'
    default:
      return 'other'
  }
}

function pickRendition(renditions: Rendition[]): Rendition | null {
  const images = renditions.filter((r) => r.href && (!r.contentType || /^image\//i.test(r.contentType)))
  if (images.length === 0) return null
  for (const name of PREFERRED_RENDITIONS) {
    const found = images.find((r) => r.name?.toLowerCase() === name)
    if (found) return found
  }
  return [...images].sort((a, b) => (b.width ?? 0) - (a.width ?? 0))[0]!
}

function pictureFrom(common: Common, scope: ItemScope, base: string | null): WirePicture | null {
  const rendition = pickRendition(common.renditions)
  if (!rendition?.href) return null
  const where = renditionRef(rendition.href, base, scope, `rendition "${rendition.name ?? ''}" href`)
  if (!where) return null
  const picture: WirePicture = { ...where }
  const caption =
    plain(common.descriptions.find((d) => CAPTION_ROLE.test(d.role ?? '')), 2000) ??
    plain(common.descriptions.find((d) => !NOTE_ROLE.test(d.role ?? '') && !ALT_ROLE.test(d.role ?? '')), 2000) ??
    plain(common.bodies[0], 2000) ??
    plain(common.headlines[0], 2000)
  const alt = plain(common.descriptions.find((d) => ALT_ROLE.test(d.role ?? '')), 500)
  const credit = cleanLine(common.byline, 300) ?? cleanLine(common.copyrightHolder, 300)
  if (caption) picture.caption = caption
  if (alt) picture.altText = alt
  if (credit) picture.credit = credit
  if (rendition.width && Number.isInteger(rendition.width) && rendition.width > 0) picture.width = rendition.width
  if (rendition.height && Number.isInteger(rendition.height) && rendition.height > 0) picture.height = rendition.height
  return picture
}

function buildItem(common: Common, scope: ItemScope, base: string | null): WireItem | null {
  const item = blankItem('ninjs', common.uri.trim())
  item.formatVersion = cleanLine(common.formatVersion, 40)

  const mainBodies = common.bodies.filter(isMainRole)
  const bodySource =
    mainBodies.find(isHtml) ?? mainBodies[0] ?? common.bodies.find(isHtml) ?? common.bodies[0]
  if (bodySource) {
    if (isHtml(bodySource)) {
      const converted = htmlToBlocks(bodySource.value, { baseUrl: base })
      item.body = converted.body
      item.editorialNotes.push(...converted.notes)
      item.pictures.push(...converted.pictures)
      scope.conversionWarnings(converted.warnings)
    } else item.body = textToBlocks(bodySource.value)
  }
  item.kind = kindOf(common.type, item.body.length > 0)

  const headline = common.headlines.find(isMainRole) ?? common.headlines[0]
  const notes = [
    cleanNote(common.edNote),
    ...common.descriptions.filter((d) => NOTE_ROLE.test(d.role ?? '')).map((d) => cleanNote(isHtml(d) ? htmlToText(d.value) : d.value)),
    ...common.infoSources.flatMap((s) => s.contacts),
  ]
  item.editorialNotes.push(...notes.filter((note): note is string => !!note))
  const summary = common.descriptions.find(
    (d) => !NOTE_ROLE.test(d.role ?? '') && !CAPTION_ROLE.test(d.role ?? '') && !ALT_ROLE.test(d.role ?? '') && !USAGE_ROLE.test(d.role ?? ''),
  )
  item.summary = plain(summary, 5000)
  item.usageTerms = cleanLine(common.usageTerms, 2000) ?? plain(common.descriptions.find((d) => USAGE_ROLE.test(d.role ?? '')), 2000)

  if (item.kind === 'picture' || item.kind === 'graphic') {
    const own = pictureFrom(common, scope, base)
    if (own) item.pictures.push(own)
  }
  for (const [index, association] of common.associations.slice(0, 50).entries()) {
    if (!association || typeof association !== 'object') continue
    const nested = toCommon(association as Record<string, unknown>)
    if ('error' in nested) {
      scope.warn(WIRE_FIELD_IGNORED, `associations[${index}] was skipped: ${nested.error}`)
      continue
    }
    if (nested.common.type && !/picture|graphic/.test(nested.common.type)) continue
    const picture = pictureFrom(nested.common, scope, base)
    if (picture) item.pictures.push(picture)
  }

  const agency = common.infoSources.find((s) => AGENCY_ROLE.test(s.role ?? '')) ?? common.infoSources[0]
  item.agency = cleanLine(agency?.id, 200)
  item.agencyName = cleanLine(agency?.name, 300) ?? cleanLine(common.copyrightHolder, 300)
  item.version = scope.version(common.version)
  item.versionCreated = scope.date(common.versionCreated, 'versioncreated')
  item.firstCreated = scope.date(common.firstCreated, 'firstcreated')
  item.embargoUntil = scope.date(common.embargoed, 'embargoed')
  item.pubStatus = pubStatusOf(common.pubStatus) ?? 'usable'
  item.urgency = scope.urgency(common.urgency)
  item.language = scope.language(common.language)
  item.slugline = cleanLine(common.slugline, 300)
  item.byline = cleanLine(common.byline, 500)
  item.located = cleanLine(common.located, 300)
  item.copyrightNotice = cleanLine(common.copyrightNotice, 2000)
  item.subjects = uniqueSubjects(common.subjects)
  if (common.keywords !== undefined) {
    if (Array.isArray(common.keywords)) item.keywords = uniqueLines(common.keywords, 300)
    else scope.warn(WIRE_FIELD_IGNORED, 'keywords is not a list of strings; it was ignored.')
  }

  const title = plain(headline, 1000) ?? cleanLine(common.title, 1000)
  const text = title ?? scope.derivedHeadline(item.summary, item.body) ?? item.pictures[0]?.caption?.slice(0, 1000) ?? pictureHeadline(item, scope)
  if (!text) return null
  item.headline = text
  item.pictures = item.pictures.slice(0, 200)
  item.editorialNotes = [...new Set(item.editorialNotes)].slice(0, 100)
  return item
}

// Reading bytes ---------------------------------------------------------

function readOne(raw: unknown, index: number | null, label: string, report: ReportBuilder, base: string | null): void {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    report.reject(describeItem(label, index), WIRE_ITEM_INVALID, `Expected a ninjs object, found ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw}.`)
    return
  }
  const object = raw as Record<string, unknown>
  const uri = typeof object.uri === 'string' ? object.uri.trim() : ''
  const where = describeItem(label, index, { name: 'uri', value: uri })
  if (uri === '') {
    const hint = typeof object.guid === 'string' || typeof object.id === 'string' ? ' (it has "guid"/"id", but ninjs names the identifier "uri")' : ''
    report.reject(where, WIRE_ITEM_NO_ID, `The item has no "uri", the one property ninjs requires${hint}.`)
    return
  }
  try {
    const normalized = toCommon(object)
    if ('error' in normalized) {
      report.reject(where, WIRE_ITEM_INVALID, normalized.error)
      return
    }
    const scope = new ItemScope(report, where)
    const item = buildItem(normalized.common, scope, base)
    if (!item) {
      report.reject(where, WIRE_ITEM_EMPTY, 'The item has no headline, description or body text to show.')
      return
    }
    report.accept(where, item)
  } catch (error) {
    // A converter bug must cost one item, never the batch.
    report.reject(where, WIRE_ITEM_INVALID, `The item could not be read: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** Where a JSON.parse error happened, as line and column. */
function jsonErrorPlace(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const position = /position (\d+)/.exec(message)?.[1]
  const clean = message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/\s*\(line \d+ column \d+\)/, '')
  if (position === undefined) return clean
  const before = text.slice(0, Number(position))
  const line = before.split('\n').length
  const column = Number(position) - before.lastIndexOf('\n')
  return `line ${line}, column ${column}: ${clean}`
}

/**
 * Reads ninjs: one object, an array of objects, `{ "items": [...] }`, or
 * newline-delimited JSON (one object per line, where a bad line costs only
 * that line).
 */
export function parseNinjs(bytes: Uint8Array, opts: ParseOptions = {}): ParseReport {
  const tooLarge = checkSize(bytes, opts, 'ninjs')
  if (tooLarge) return tooLarge
  const decoded = decodeBytes(bytes, { contentType: opts.contentType, xml: false })
  if ('error' in decoded) return failedReport('ninjs', decoded.error.code, decoded.error.message)
  const report = new ReportBuilder('ninjs', opts.onItem)
  for (const warning of decoded.warnings) report.warn('document', warning.code, warning.message)
  const text = decoded.text
  const base = opts.baseUrl ?? null
  if (text.trim() === '') return failedReport('ninjs', WIRE_EMPTY, bytes.length === 0 ? 'The input is empty.' : 'The input holds only whitespace.')

  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    const lines = text.split('\n')
    const filled = lines.map((line, i) => ({ line: line.trim(), number: i + 1 })).filter((l) => l.line !== '')
    if (filled.length >= 2 && filled.every((l) => l.line.startsWith('{'))) {
      for (const { line, number } of filled) {
        let parsed: unknown
        try {
          parsed = JSON.parse(line)
        } catch (lineError) {
          report.reject(`line ${number}`, WIRE_MALFORMED, `The line is not valid JSON: ${jsonErrorPlace(line, lineError).replace(/^line 1, /, '')}`)
          continue
        }
        readOne(parsed, null, `line ${number}`, report, base)
      }
      return report.build()
    }
    return failedReport('ninjs', WIRE_MALFORMED, `The JSON is malformed at ${jsonErrorPlace(text, error)}`)
  }

  if (Array.isArray(value)) value.forEach((entry, i) => readOne(entry, i, 'item', report, base))
  else if (value && typeof value === 'object' && !('uri' in value) && Array.isArray((value as { items?: unknown }).items)) {
    ;(value as { items: unknown[] }).items.forEach((entry, i) => readOne(entry, i, 'items', report, base))
  } else if (value && typeof value === 'object') readOne(value, null, 'item', report, base)
  else report.reject('document', WIRE_ITEM_INVALID, `The JSON is ${value === null ? 'null' : `a ${typeof value}`}, not a ninjs object or a list of them.`)
  return report.build()
}

/** The ninjs adapter. */
export const ninjsAdapter: WireAdapter = { name: 'ninjs', formats: ['ninjs'], parse: parseNinjs }
