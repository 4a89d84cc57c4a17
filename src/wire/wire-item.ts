import { z } from 'zod'
import { Body } from '../articles/index.ts'

/**
 * The normalized wire item: what every format adapter produces from agency
 * copy, whatever it came in as. It holds no HTML: the body is our block
 * document and every other field is plain text.
 */

/** The wire formats we read; RSS 1.0 is called `rdf` after its root element. */
export const WireFormat = z.enum(['ninjs', 'newsml-g2', 'rss', 'atom', 'rdf'])
export type WireFormat = z.infer<typeof WireFormat>

/**
 * Where the agency says the item stands. `withdrawn` is IPTC "withheld" (pulled
 * for now); `canceled` is a kill: the story must not run, and any article made
 * from it needs an editor.
 */
export const PubStatus = z.enum(['usable', 'withdrawn', 'canceled'])
export type PubStatus = z.infer<typeof PubStatus>

/** What kind of news object the item is; the desk mostly works with `text`. */
export const WireKind = z.enum(['text', 'picture', 'graphic', 'video', 'audio', 'package', 'other'])
export type WireKind = z.infer<typeof WireKind>

/** An instant as an ISO 8601 string in UTC, e.g. `2026-02-03T14:05:00.000Z`. */
export const IsoUtc = z.iso.datetime()

const HttpUrl = z
  .string()
  .max(2048)
  .refine((url) => /^https?:\/\/[^\s]+$/i.test(url), { message: 'Must be an absolute http(s) URL.' })

const Line = (max: number) => z.string().min(1).max(max)

/**
 * A subject code, e.g. `{ scheme: 'medtop', code: '11000000', name: 'politics' }`.
 * IPTC URIs are shortened to their usual qcode scheme so routing rules match
 * whichever format the code came in.
 */
export const WireSubject = z
  .object({
    scheme: Line(300).optional(),
    code: Line(500),
    name: Line(500).optional(),
  })
  .strict()
export type WireSubject = z.infer<typeof WireSubject>

/**
 * The name of a file delivered beside the item (in the same drop folder): a
 * plain name, never a path, so it cannot point anywhere else on the disk.
 */
export const PlainFileName = z
  .string()
  .min(1)
  .max(255)
  .refine((name) => name !== '.' && name !== '..' && !/[/\\]/.test(name) && ![...name].some((c) => c.charCodeAt(0) < 0x20), 'A file name without folders.')

/**
 * A picture that belongs to the item but is not placed in its body: at an
 * address (`href`), or, for picture items that name a rendition without one,
 * a file delivered beside the item (`file`).
 */
export const WirePicture = z
  .object({
    href: HttpUrl.optional(),
    file: PlainFileName.optional(),
    caption: Line(2000).optional(),
    credit: Line(300).optional(),
    altText: Line(500).optional(),
    width: z.number().int().positive().max(100_000).optional(),
    height: z.number().int().positive().max(100_000).optional(),
  })
  .strict()
  .refine((p) => p.href !== undefined || p.file !== undefined, 'A picture needs an address or a file name.')
export type WirePicture = z.infer<typeof WirePicture>

/** An item a package (NewsML-G2 packageItem) points to. */
export const WireRelated = z
  .object({
    id: Line(1000),
    title: Line(1000).optional(),
  })
  .strict()
export type WireRelated = z.infer<typeof WireRelated>

/** The normalized wire item. Optional facts are `null`, lists are empty, never absent. */
export const WireItem = z
  .object({
    format: WireFormat,
    /** The format's own version as stated or inferred: `1.x`/`2.x`/`3.x` for ninjs, `2.0` for RSS, the G2 standardversion. */
    formatVersion: Line(40).nullable(),
    kind: WireKind,
    /** The provider's id as stated in the item (NewsML-G2 provider code, ninjs info source); absent in most feeds. */
    agency: Line(200).nullable(),
    /** The provider's name as stated, e.g. "Agence Continentale de Presse"; for feeds the publisher or feed title. */
    agencyName: Line(300).nullable(),
    /** The agency's own id (ninjs uri, G2 guid, RSS guid, Atom id): with `agency` it identifies the story across versions. */
    agencyItemId: Line(1000),
    /** The agency's version number; a higher one supersedes a lower one. */
    version: z.number().int().nonnegative().nullable(),
    versionCreated: IsoUtc.nullable(),
    firstCreated: IsoUtc.nullable(),
    headline: Line(1000),
    slugline: Line(300).nullable(),
    /** The dek or standfirst, as plain text. */
    summary: Line(5000).nullable(),
    body: Body,
    subjects: z.array(WireSubject).max(500),
    keywords: z.array(Line(300)).max(500),
    /** The place the story was filed from, e.g. "Brasília". */
    located: Line(300).nullable(),
    /** The dateline as the agency wrote it, e.g. "BRASÍLIA, Feb 3 (ACP) -". */
    dateline: Line(500).nullable(),
    byline: Line(500).nullable(),
    creditLine: Line(500).nullable(),
    copyrightNotice: Line(2000).nullable(),
    usageTerms: Line(2000).nullable(),
    /** BCP 47 tag, e.g. `en` or `pt-BR`. */
    language: z
      .string()
      .regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/)
      .nullable(),
    /** 1 is most urgent, 9 least. */
    urgency: z.number().int().min(1).max(9).nullable(),
    /** Not to be published before this instant. */
    embargoUntil: IsoUtc.nullable(),
    pubStatus: PubStatus,
    /** Processing signals as stated, e.g. `sig:update`, `sig:correction`. */
    signals: z.array(Line(200)).max(50),
    /** Notes for the desk only (ednotes, non-public notes, agency contacts): never part of the body or any public field. */
    editorialNotes: z.array(Line(5000)).max(100),
    pictures: z.array(WirePicture).max(200),
    /** The canonical web address of the story, for feed items mostly. */
    link: HttpUrl.nullable(),
    /** For packages: the items the package groups. */
    related: z.array(WireRelated).max(500),
  })
  .strict()
export type WireItem = z.infer<typeof WireItem>

/** One problem found while reading wire copy, with where it is (`item[3] guid=…`, `line 12`, `document`). */
export interface WireIssue {
  where: string
  code: string
  message: string
}

/**
 * What parsing one input produced. `rejected` lists items (or the whole input)
 * that could not be read; `warnings` lists things tolerated on accepted items,
 * such as an unreadable date.
 */
export interface ParseReport {
  format: WireFormat | null
  items: WireItem[]
  rejected: WireIssue[]
  warnings: WireIssue[]
}
