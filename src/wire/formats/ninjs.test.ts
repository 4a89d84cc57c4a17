import { wireFixture } from '../../../test/support/wire-fixtures.ts'
import { describe, expect, it } from 'vitest'
import { bodyText } from '../../articles/index.ts'
import { runWireAdapterContract } from './adapter.case.ts'
import { ninjsAdapter, ninjsMajor, parseNinjs } from './ninjs.ts'

const fixture = (name: string) => wireFixture(`ninjs/${name}`)
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value))
const only = (name: string) => {
  const report = parseNinjs(fixture(name))
  expect(report.rejected).toEqual([])
  expect(report.items).toHaveLength(1)
  return { item: report.items[0]!, report }
}

runWireAdapterContract({
  name: 'ninjs',
  formats: ninjsAdapter.formats,
  parse: ninjsAdapter.parse,
  samples: [
    { name: 'ninjs 1.5 text with XHTML body and a picture', bytes: fixture('v1-acp-harbour-talks.json'), expect: { items: 1, rejected: 0 } },
    { name: 'ninjs 2.1 text with HTML body, embargo and a picture', bytes: fixture('v2-meridian-river-flood.json'), expect: { items: 1, rejected: 0 } },
    { name: 'ninjs 3.1 text with plain body', bytes: fixture('v3-an-election-count.json'), expect: { items: 1, rejected: 0 } },
    { name: 'ninjs 3.1 kill', bytes: fixture('v3-an-election-count-kill.json'), expect: { items: 1, rejected: 0 } },
    { name: 'array with two bad items among good ones', bytes: fixture('batch-mixed.json'), expect: { items: 2, rejected: 2 } },
    { name: 'newline-delimited JSON with one broken line', bytes: fixture('batch.ndjson'), expect: { items: 3, rejected: 1 } },
    {
      name: 'the 1.5 sample with a base URL',
      bytes: fixture('v1-acp-harbour-talks.json'),
      opts: { baseUrl: 'https://www.acp.example/en/' },
      expect: { items: 1, rejected: 0 },
    },
  ],
})

describe('ninjs 1.x', () => {
  const { item, report } = only('v1-acp-harbour-talks.json')

  it('reads identity, version and dates', () => {
    expect(item).toMatchObject({
      format: 'ninjs',
      formatVersion: '1.5',
      kind: 'text',
      agency: 'ACP',
      agencyName: 'Agence Continentale de Presse',
      agencyItemId: 'urn:newsml:acp.example:20260203:DIPLO-0142',
      version: 1,
      versionCreated: '2026-02-03T14:05:00.000Z',
      firstCreated: '2026-02-03T12:40:00.000Z',
      pubStatus: 'usable',
      urgency: 3,
      language: 'en',
    })
  })

  it('reads the descriptive fields', () => {
    expect(item.headline).toBe('Coastal neighbours reopen talks on shared harbour')
    expect(item.slugline).toBe('DIPLO-Harbour')
    expect(item.byline).toBe('Inès Marchetti')
    expect(item.located).toBe('Valmont')
    expect(item.summary).toBe('Negotiators from Estrava and Lorune sat at the same table for the first time in two years.')
    expect(item.copyrightNotice).toBe('© 2026 Agence Continentale de Presse. All rights reserved.')
    expect(item.usageTerms).toBe('Not for use by broadcasters before 15:00 GMT.')
  })

  it('turns scheme and code into IPTC qcode subjects', () => {
    expect(item.subjects).toEqual([
      { scheme: 'medtop', code: '11000000', name: 'politics' },
      { scheme: 'medtop', code: '20000565', name: 'diplomacy' },
    ])
  })

  it('prefers the XHTML body over the text one and keeps its structure', () => {
    expect(item.body.map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'quote', 'paragraph'])
    expect(item.body[1]).toEqual({
      type: 'paragraph',
      content: [
        { text: "The talks, held in the harbour master's old office, lasted " },
        { text: 'six hours', marks: [{ type: 'bold' }] },
        { text: ' and ended without a statement.' },
      ],
    })
    expect(item.body[2]).toEqual({
      type: 'quote',
      content: [{ text: 'We came to listen, and we listened.' }],
      attribution: { speaker: "Adela Korvin, Estrava's foreign minister" },
    })
  })

  it('keeps the ednote, the in-body note to editors and the agency contact out of the body', () => {
    expect(item.editorialNotes).toEqual([
      "Editors: Korvin's office asks that her title not be shortened to FM.",
      "Moved with picture PHOTO-0917. Refiles to fix the minister's title in para 3.",
      'Contact (Agence Continentale de Presse) Europe desk, phone: +00 1 5550 0142',
    ])
    expect(bodyText(item.body)).not.toContain('Editors:')
    expect(bodyText(item.body)).not.toContain('5550')
  })

  it('takes the largest preferred rendition of the associated picture', () => {
    expect(item.pictures).toEqual([
      {
        href: 'https://media.acp.example/2026/0203/0917.jpg',
        caption: 'Delegations from Estrava and Lorune arrive at the harbour office in Valmont on February 3, 2026.',
        credit: 'Paul Derrien/ACP',
        width: 3000,
        height: 2000,
      },
    ])
  })

  it('drops a relative link it cannot resolve, keeps its text, and says so', () => {
    expect(bodyText(item.body)).toContain('according to a timeline published by the port authority')
    expect(report.warnings).toEqual([
      expect.objectContaining({ code: 'WIRE_LINK_DROPPED', where: 'item uri=urn:newsml:acp.example:20260203:DIPLO-0142' }),
    ])
  })

  it('resolves that link when given the base URL', () => {
    const withBase = parseNinjs(fixture('v1-acp-harbour-talks.json'), { baseUrl: 'https://www.acp.example/en/' })
    const last = withBase.items[0]!.body.at(-1)!
    expect(last.type === 'paragraph' && last.content[1]).toEqual({
      text: 'timeline',
      marks: [{ type: 'link', href: 'https://www.acp.example/dossiers/valmont-harbour' }],
    })
    expect(withBase.warnings).toEqual([])
  })
})

describe('ninjs 2.x', () => {
  const { item, report } = only('v2-meridian-river-flood.json')

  it('reads headlines, bodies, descriptions and embargo', () => {
    expect(item).toMatchObject({
      formatVersion: '2.1',
      agency: 'MW',
      agencyName: 'Meridian Wire',
      version: 2,
      headline: 'River Sarn breaks its banks in three towns',
      summary: 'Rain that fell for four days pushed the Sarn over its flood walls in Oberlin, Kessa and Mirow.',
      byline: 'Tomas Reyes and Lena Fiore',
      embargoUntil: '2026-02-04T06:00:00.000Z',
      urgency: 4,
      keywords: ['flood', 'River Sarn', 'evacuation'],
    })
    expect(item.editorialNotes).toEqual(['Casualty figures are unconfirmed; Meridian will update by 20:00.'])
  })

  it('maps concept URIs to qcodes and keeps literals', () => {
    expect(item.subjects).toEqual([
      { scheme: 'medtop', code: '06000000', name: 'environment' },
      { scheme: 'medtop', code: '20000149', name: 'flood' },
      { code: 'regional-weather', name: 'Regional weather' },
    ])
  })

  it('sanitizes the HTML body: no script, style, iframe or handler survives', () => {
    const text = bodyText(item.body)
    expect(text).not.toMatch(/alert|steal|color:red|tracker/)
    expect(item.body.map((b) => b.type)).toEqual(['heading', 'paragraph', 'list', 'paragraph', 'paragraph', 'paragraph'])
    expect(item.body[3]).toEqual({ type: 'paragraph', content: [{ text: 'The regional weather office expects the water to fall by Thursday.' }] })
    expect(item.body[5]).toEqual({ type: 'paragraph', content: [{ text: 'Read more' }] })
    expect(report.warnings.map((w) => w.code)).toEqual(['WIRE_LINK_DROPPED'])
  })

  it('reads the picture association with caption, alt text and credit', () => {
    expect(item.pictures).toEqual([
      {
        href: 'https://cdn.meridianwire.example/5521/original.jpg',
        caption: 'Volunteers stack sandbags along the quay in Oberlin on February 3, 2026.',
        altText: 'People in rain jackets passing sandbags along a river wall',
        credit: 'Ana Voss/Meridian Wire',
        width: 1600,
        height: 1067,
      },
    ])
  })
})

describe('ninjs 3.x', () => {
  it('reads camelCase properties, plain text paragraphs and non-public notes', () => {
    const { item } = only('v3-an-election-count.json')
    expect(item).toMatchObject({
      formatVersion: '3.1',
      agency: 'AN',
      version: 2,
      versionCreated: '2026-02-03T21:45:00.000Z',
      firstCreated: '2026-02-03T19:10:00.000Z',
      embargoUntil: '2026-02-03T22:00:00.000Z',
      urgency: 2,
      language: 'en-GB',
      slugline: 'ELECTION-Count',
      copyrightNotice: 'Copyright 2026 Associated Newswire',
      usageTerms: 'Embargoed until 22:00 GMT. No archive.',
      summary: 'Officials stopped counting at midnight with three districts still open.',
    })
    expect(item.body).toHaveLength(2)
    expect(bodyText(item.body)).toContain('"We will finish tomorrow, and we will finish properly,"')
    expect(item.editorialNotes).toEqual([
      'Results are provisional until the electoral board certifies them.',
      'Do not name the returning officer; she has asked for privacy.',
      'Contact (Associated Newswire) Elections desk, email: elections@associatednewswire.example',
    ])
    expect(item.subjects[0]).toEqual({ scheme: 'medtop', code: '20000574', name: 'election' })
  })

  it('reads a kill as canceled, a later version of the same uri', () => {
    const { item } = only('v3-an-election-count-kill.json')
    expect(item).toMatchObject({
      agencyItemId: 'urn:associatednewswire.example:story:el-2026-0412',
      version: 3,
      pubStatus: 'canceled',
      urgency: 1,
      headline: 'KILL - Count in Harlow Vale goes to a second night',
    })
    expect(item.editorialNotes[0]).toMatch(/^KILL\. The story wrongly gave the turnout/)
  })

  it('accepts the 3.0 name of the embargo property too', () => {
    const report = parseNinjs(json({ uri: 'urn:x:1', versionCreated: '2026-02-03T10:00:00Z', embargoed: '2026-02-04T10:00:00Z', headlines: [{ value: 'Held' }] }))
    expect(report.items[0]!.embargoUntil).toBe('2026-02-04T10:00:00.000Z')
  })

  it('maps withheld to withdrawn', () => {
    const report = parseNinjs(json({ uri: 'urn:x:2', pubStatus: 'withheld', headlines: [{ value: 'Pulled' }] }))
    expect(report.items[0]!.pubStatus).toBe('withdrawn')
  })
})

describe('ninjs batches', () => {
  it('rejects only the bad items of an array, each with its place and reason', () => {
    const report = parseNinjs(fixture('batch-mixed.json'))
    expect(report.items.map((i) => i.headline)).toEqual(['Night trains return to the coast line', 'Kessa Rovers hold the leaders to a draw'])
    expect(report.items.map((i) => i.formatVersion)).toEqual(['2.x', '3.x'])
    expect(report.rejected).toEqual([
      { where: 'item[1]', code: 'WIRE_ITEM_NO_ID', message: expect.stringContaining('ninjs names the identifier "uri"') },
      {
        where: 'item[2] uri=https://meridianwire.example/items/2026/02/03/mw-rail-1003',
        code: 'WIRE_ITEM_INVALID',
        message: expect.stringMatching(/ninjs 2\.x: urgency: .*expected number/),
      },
    ])
  })

  it('reads newline-delimited JSON line by line, reporting the broken line by number', () => {
    const report = parseNinjs(fixture('batch.ndjson'))
    expect(report.items.map((i) => i.agencyItemId)).toEqual([
      'urn:newsml:acp.example:20260203:BRIEF-0001',
      'urn:newsml:acp.example:20260203:BRIEF-0002',
      'urn:newsml:acp.example:20260203:BRIEF-0004',
    ])
    expect(report.rejected).toEqual([{ where: 'line 3', code: 'WIRE_MALFORMED', message: expect.stringContaining('not valid JSON') }])
    expect(report.warnings).toEqual([
      {
        where: 'line 5 uri=urn:newsml:acp.example:20260203:BRIEF-0004',
        code: 'WIRE_DATE_INVALID',
        message: 'versioncreated "not a date" is not a date we can read; it was left empty.',
      },
    ])
  })

  it('reads an { items: [...] } envelope', () => {
    const report = parseNinjs(json({ items: [{ uri: 'urn:x:a', headline: 'A' }, { uri: 'urn:x:b', headline: 'B' }, 7] }))
    expect(report.items.map((i) => i.headline)).toEqual(['A', 'B'])
    expect(report.rejected).toEqual([{ where: 'items[2]', code: 'WIRE_ITEM_INVALID', message: 'Expected a ninjs object, found number.' }])
  })

  it('says where malformed JSON breaks', () => {
    const report = parseNinjs(new TextEncoder().encode('{\n  "uri": "urn:x",\n  "headline": "A",,\n}'))
    expect(report.rejected).toEqual([{ where: 'document', code: 'WIRE_MALFORMED', message: expect.stringMatching(/^The JSON is malformed at line 3, column \d+/) }])
  })

  it('rejects JSON that is not an object or a list of them', () => {
    expect(parseNinjs(json('a headline')).rejected[0]).toMatchObject({ where: 'document', code: 'WIRE_ITEM_INVALID' })
  })

  it('rejects an item with nothing to show', () => {
    const report = parseNinjs(json({ uri: 'urn:x:empty', type: 'text' }))
    expect(report.rejected).toEqual([{ where: 'item uri=urn:x:empty', code: 'WIRE_ITEM_EMPTY', message: expect.any(String) }])
  })

  it('derives a headline from the summary when there is none', () => {
    const report = parseNinjs(json({ uri: 'urn:x:nohead', descriptions: [{ value: 'The dam held overnight. Engineers will inspect it today.' }] }))
    expect(report.items[0]!.headline).toBe('The dam held overnight.')
    expect(report.warnings[0]!.code).toBe('WIRE_HEADLINE_DERIVED')
  })

  it('tolerates unknown properties but not wrong types in known ones', () => {
    const ok = parseNinjs(json({ uri: 'urn:x:3', headline: 'Fine', x_custom: { nested: [1, 2] }, 'body_html': '<p>Body</p>' }))
    expect(ok.items).toHaveLength(1)
    const bad = parseNinjs(json({ uri: 'urn:x:4', headline: 42 }))
    expect(bad.rejected[0]).toMatchObject({ code: 'WIRE_ITEM_INVALID', message: expect.stringContaining('headline') })
    const badPattern = parseNinjs(json({ uri: 'urn:x:5', headline: 'Fine', body_text: ['not', 'a', 'string'] }))
    expect(badPattern.rejected[0]).toMatchObject({ code: 'WIRE_ITEM_INVALID', message: expect.stringContaining('body_text') })
  })

  it('rejects an unknown pubstatus rather than guessing whether a story was killed', () => {
    const report = parseNinjs(json({ uri: 'urn:x:6', headline: 'Maybe dead', pubstatus: 'killed' }))
    expect(report.rejected[0]).toMatchObject({ code: 'WIRE_ITEM_INVALID', message: expect.stringContaining('pubstatus') })
  })

  it('warns about and drops out-of-range values', () => {
    const report = parseNinjs(json({ uri: 'urn:x:7', headline: 'Odd', urgency: 0, version: 'v2', language: 'english please' }))
    expect(report.items[0]).toMatchObject({ urgency: null, version: null, language: null })
    expect(report.warnings.map((w) => w.code)).toEqual(['WIRE_FIELD_IGNORED', 'WIRE_FIELD_IGNORED', 'WIRE_FIELD_IGNORED'])
  })
})

describe('ninjsMajor', () => {
  it('trusts the stated standard version first', () => {
    expect(ninjsMajor({ uri: 'x', standard: { version: '2.4' }, versionCreated: 'x' })).toBe(2)
    expect(ninjsMajor({ uri: 'x', $standard: { version: '1.3' } })).toBe(1)
  })

  it('otherwise tells the versions apart by their property names', () => {
    expect(ninjsMajor({ uri: 'x', headline: 'h', body_text: 'b' })).toBe(1)
    expect(ninjsMajor({ uri: 'x', headlines: [{ value: 'h' }] })).toBe(2)
    expect(ninjsMajor({ uri: 'x', headlines: [{ value: 'h', contentType: 'text/plain' }] })).toBe(3)
    expect(ninjsMajor({ uri: 'x', pubStatus: 'usable' })).toBe(3)
  })
})
