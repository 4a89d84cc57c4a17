import { wireFixture } from '../../../test/support/wire-fixtures.ts'
import { describe, expect, it } from 'vitest'
import { bodyText } from '../../articles/index.ts'
import { runWireAdapterContract } from './adapter.case.ts'
import { newsMlG2Adapter, parseNewsMlG2 } from './newsml-g2.ts'

const fixture = (name: string) => wireFixture(`newsml-g2/${name}`)
const xml = (text: string) => new TextEncoder().encode(text)
const only = (name: string) => {
  const report = parseNewsMlG2(fixture(name))
  expect(report.rejected).toEqual([])
  expect(report.items).toHaveLength(1)
  return { item: report.items[0]!, report }
}

runWireAdapterContract({
  name: 'newsml-g2',
  formats: newsMlG2Adapter.formats,
  parse: newsMlG2Adapter.parse,
  samples: [
    { name: 'text newsItem with inline XHTML', bytes: fixture('acp-harbour-talks-v1.xml'), expect: { items: 1, rejected: 0 } },
    { name: 'an update with signals (version 2)', bytes: fixture('acp-harbour-talks-v2-correction.xml'), expect: { items: 1, rejected: 0 } },
    { name: 'a kill (stat:canceled, version 3)', bytes: fixture('acp-harbour-talks-v3-kill.xml'), expect: { items: 1, rejected: 0 } },
    { name: 'text newsItem with inline plain text', bytes: fixture('acp-ferry-plain-text.xml'), expect: { items: 1, rejected: 0 } },
    { name: 'embargoed item with ednotes and contacts', bytes: fixture('an-budget-embargoed.xml'), expect: { items: 1, rejected: 0 } },
    { name: 'newsMessage with text, picture, package and a bad item', bytes: fixture('meridian-news-message.xml'), expect: { items: 4, rejected: 1 } },
    { name: 'newsMessage with one item that is not well-formed', bytes: fixture('meridian-news-message-one-broken.xml'), expect: { items: 2, rejected: 1 } },
  ],
})

describe('NewsML-G2 text items', () => {
  it('reads itemMeta, contentMeta and rightsInfo', () => {
    const { item } = only('acp-harbour-talks-v1.xml')
    expect(item).toMatchObject({
      format: 'newsml-g2',
      formatVersion: '2.33',
      kind: 'text',
      agency: 'ACP',
      agencyName: 'Agence Continentale de Presse',
      agencyItemId: 'urn:newsml:acp.example:20260203:DIPLO-0142',
      version: 1,
      versionCreated: '2026-02-03T14:05:00.000Z',
      firstCreated: '2026-02-03T12:40:00.000Z',
      headline: 'Coastal neighbours reopen talks on shared harbour',
      slugline: 'DIPLO-Harbour',
      dateline: 'VALMONT, Feb 3 (ACP) -',
      located: 'Valmont',
      byline: 'Inès Marchetti',
      creditLine: 'ACP',
      language: 'en',
      urgency: 3,
      pubStatus: 'usable',
      embargoUntil: null,
      summary: 'Negotiators from Estrava and Lorune sat at the same table for the first time in two years.',
      copyrightNotice: '© 2026 Agence Continentale de Presse. All rights reserved.',
      usageTerms: 'Not for use by broadcasters before 15:00 GMT.',
      link: 'https://www.acp.example/en/news/2026/02/03/diplo-0142',
      keywords: ['harbour', 'Estrava', 'Lorune'],
      editorialNotes: ['Moved with picture PHOTO-0917.'],
      signals: [],
    })
  })

  it('reads subjects by qcode or URI, naming them in the item language', () => {
    const { item } = only('acp-harbour-talks-v1.xml')
    expect(item.subjects).toEqual([
      { scheme: 'medtop', code: '11000000', name: 'politics' },
      { scheme: 'medtop', code: '20000565', name: 'diplomacy' },
      { scheme: 'https://geo.acp.example/places/', code: 'estrava', name: 'Estrava' },
    ])
  })

  it('turns the inline XHTML into blocks, without the head', () => {
    const { item } = only('acp-harbour-talks-v1.xml')
    expect(item.body.map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'heading', 'list', 'quote', 'paragraph'])
    expect(item.body[3]).toEqual({
      type: 'list',
      ordered: true,
      items: [[{ text: 'Berthing fees, which both sides collect today.' }], [{ text: 'The dredging of the eastern channel.' }]],
    })
    expect(item.body[4]).toMatchObject({ type: 'quote', attribution: { speaker: "Adela Korvin, Estrava's foreign minister" } })
    expect(bodyText(item.body).startsWith('Negotiators from Estrava')).toBe(true)
  })

  it('reads a plain text body into paragraphs, joining hard-wrapped lines', () => {
    const { item, report } = only('acp-ferry-plain-text.xml')
    expect(item.body).toEqual([
      { type: 'paragraph', content: [{ text: 'VALMONT, Feb 3 (ACP) - Dock workers in Valmont called off a planned ferry strike on Tuesday after a deal reached shortly before midnight.' }] },
      { type: 'paragraph', content: [{ text: 'The union said the agreement raised night-shift pay by 4 percent and added a second rest day during the summer season.' }] },
      { type: 'paragraph', content: [{ text: 'Ferries to the islands will run on the normal timetable from 06:00.' }] },
    ])
    expect(item).toMatchObject({ agency: 'ACP', located: 'Valmont', versionCreated: '2026-02-03T07:15:00.000Z' })
    expect(item.subjects).toEqual([
      { scheme: 'medtop', code: '04000000', name: 'economy, business and finance' },
      { scheme: 'subj', code: '09003000' },
    ])
    expect(report.warnings).toEqual([
      {
        where: 'newsItem guid=urn:newsml:acp.example:20260203:ECO-0311 (line 3)',
        code: 'WIRE_DATE_ASSUMED_UTC',
        message: 'versionCreated "2026-02-03T07:15:00" has no time zone; it was taken as UTC.',
      },
    ])
  })
})

describe('NewsML-G2 versions, kills and embargoes', () => {
  it('reads an update as a higher version of the same guid, with its signals', () => {
    const v1 = only('acp-harbour-talks-v1.xml').item
    const v2 = only('acp-harbour-talks-v2-correction.xml').item
    expect(v2.agencyItemId).toBe(v1.agencyItemId)
    expect(v2.version).toBe(2)
    expect(v2.signals).toEqual(['sig:update', 'sig:correction'])
    expect(v2.editorialNotes).toEqual(['CORRECTS length of talks in para 2 to six hours (not five).'])
    expect(v2.headline).toBe('Coastal neighbours reopen talks on shared harbour (CORRECTED)')
  })

  it('reads stat:canceled as a kill and keeps the kill notice for editors', () => {
    const { item } = only('acp-harbour-talks-v3-kill.xml')
    expect(item).toMatchObject({ version: 3, pubStatus: 'canceled', urgency: 1, body: [] })
    expect(item.editorialNotes[0]).toMatch(/^KILL KILL KILL\./)
  })

  it('reads the embargo, ednotes, contact details and non-public body parts for editors only', () => {
    const { item } = only('an-budget-embargoed.xml')
    expect(item.embargoUntil).toBe('2026-02-04T09:30:00.000Z')
    expect(item.headline).toBe('Budget to freeze fuel duty for a third year')
    expect(item.editorialNotes).toEqual([
      'EMBARGOED until 09:30 GMT Wednesday, when the finance minister rises in parliament.',
      'Questions to the economics desk, not to the ministry.',
      'Contact (Associated Newswire economics desk): email: economics@associatednewswire.example; phone: +00 20 5550 7700',
      'Source is a ministry official who asked not to be named. Do not publish.',
    ])
    expect(bodyText(item.body)).not.toMatch(/ministry official|economics@|5550/)
    expect(item.body).toHaveLength(2)
  })

  it('notes an embargo without a time instead of inventing one', () => {
    const report = parseNewsMlG2(
      xml(`<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:1" version="1">
        <itemMeta><itemClass qcode="ninat:text"/><versionCreated>2026-02-03T10:00:00Z</versionCreated><embargoed/></itemMeta>
        <contentMeta><headline>Held</headline></contentMeta></newsItem>`),
    )
    expect(report.items[0]!.embargoUntil).toBeNull()
    expect(report.items[0]!.editorialNotes).toEqual(['Embargoed until further notice: the agency gave no release time.'])
  })
})

describe('NewsML-G2 newsMessage', () => {
  const report = parseNewsMlG2(fixture('meridian-news-message.xml'))

  it('reads every item and rejects the one without a guid, by place', () => {
    expect(report.items.map((i) => [i.kind, i.agencyItemId])).toEqual([
      ['text', 'urn:meridianwire.example:2026:flood-7731'],
      ['picture', 'urn:meridianwire.example:2026:photo-5521'],
      ['package', 'urn:meridianwire.example:2026:pkg-flood'],
      ['text', 'urn:meridianwire.example:2026:rail-1004'],
    ])
    expect(report.rejected).toEqual([{ where: 'newsItem[2] (line 53)', code: 'WIRE_ITEM_NO_ID', message: expect.stringContaining('no guid') }])
  })

  it('places a figure with known size in the body, with caption and credit', () => {
    expect(report.items[0]!.body[1]).toEqual({
      type: 'image',
      src: 'https://cdn.meridianwire.example/5530/original.jpg',
      alt: 'A flooded street with a red bus',
      width: 1600,
      height: 1067,
      caption: 'Water covers Mill Street in Oberlin.',
      credit: 'Ana Voss/Meridian Wire',
    })
    expect(report.items[0]!.signals).toEqual(['sig:update'])
  })

  it('reads a picture item from its high-resolution remote content', () => {
    expect(report.items[1]!.pictures).toEqual([
      {
        href: 'https://cdn.meridianwire.example/5521/original.jpg',
        caption: 'Volunteers stack sandbags along the quay in Oberlin on February 3, 2026.',
        credit: 'Ana Voss/Meridian Wire',
        width: 1600,
        height: 1067,
      },
    ])
  })

  it('reads a packageItem as the items it groups', () => {
    expect(report.items[2]).toMatchObject({
      headline: 'Sarn floods: story and pictures',
      version: 2,
      related: [
        { id: 'urn:meridianwire.example:2026:flood-7731', title: 'River Sarn starts to fall in Oberlin' },
        { id: 'urn:meridianwire.example:2026:photo-5521', title: 'Sandbags on the Oberlin quay' },
      ],
    })
  })

  it('keeps an item with an unreadable date and a bad urgency, warning about both', () => {
    expect(report.items[3]).toMatchObject({ versionCreated: null, urgency: null, pubStatus: 'withdrawn' })
    expect(report.items[3]!.body).toEqual([{ type: 'paragraph', content: [{ text: 'Trains between Kessa and Mirow are replaced by buses.' }] }])
    expect(report.warnings.map((w) => [w.where, w.code])).toEqual([
      ['newsItem[4] guid=urn:meridianwire.example:2026:rail-1004 (line 82)', 'WIRE_DATE_INVALID'],
      ['newsItem[4] guid=urn:meridianwire.example:2026:rail-1004 (line 82)', 'WIRE_FIELD_IGNORED'],
    ])
  })

  it('reads the sound items of a message whose XML is broken in one item', () => {
    const broken = parseNewsMlG2(fixture('meridian-news-message-one-broken.xml'))
    expect(broken.items.map((i) => i.headline)).toEqual(['Bridge in Kessa reopens', 'Mirow school to reopen on Thursday'])
    expect(broken.rejected).toEqual([
      {
        where: 'newsItem[1] guid=urn:meridianwire.example:2026:brief-2002 (line 10)',
        code: 'WIRE_MALFORMED',
        message: expect.stringContaining('not well-formed'),
      },
    ])
    expect(broken.warnings.map((w) => w.code)).toEqual(['WIRE_DOCUMENT_RECOVERED'])
  })

  it('reads an empty newsMessage (a heartbeat) as no items and no errors', () => {
    const empty = parseNewsMlG2(xml('<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header><sent>2026-02-03T00:00:00Z</sent></header><itemSet/></newsMessage>'))
    expect(empty).toEqual({ format: 'newsml-g2', items: [], rejected: [], warnings: [] })
  })

  it('tolerates items that forget the NAR namespace', () => {
    const bare = parseNewsMlG2(xml('<newsItem guid="urn:x:bare" version="4"><contentMeta><headline>No namespace</headline></contentMeta></newsItem>'))
    expect(bare.items[0]).toMatchObject({ headline: 'No namespace', version: 4 })
  })

  it('rejects a lone item that is not well-formed, with line and column', () => {
    const lone = parseNewsMlG2(xml('<newsItem guid="urn:x:1">\n<contentMeta><headline>Oops</contentMeta></newsItem>'))
    expect(lone.rejected).toEqual([{ where: 'document', code: 'WIRE_MALFORMED', message: expect.stringMatching(/line 2, column \d+/) }])
  })
})
