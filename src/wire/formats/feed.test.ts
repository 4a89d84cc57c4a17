import { wireFixture } from '../../../test/support/wire-fixtures.ts'
import { describe, expect, it } from 'vitest'
import { bodyText } from '../../articles/index.ts'
import { runWireAdapterContract } from './adapter.case.ts'
import { feedAdapter, parseFeed } from './feed.ts'

const fixture = wireFixture
const utf8 = (text: string) => new TextEncoder().encode(text)

runWireAdapterContract({
  name: 'feed (RSS 2.0, RSS 1.0, Atom)',
  formats: feedAdapter.formats,
  parse: feedAdapter.parse,
  samples: [
    { name: 'RSS 2.0 with namespaces, CDATA, entities, relative links and a bad date', bytes: fixture('rss/meridian-world.xml'), expect: { items: 4, rejected: 0 } },
    {
      name: 'the same RSS with the URL it was fetched from',
      bytes: fixture('rss/meridian-world.xml'),
      opts: { baseUrl: 'https://feeds.meridianwire.example/world.rss', contentType: 'application/rss+xml' },
      expect: { items: 4, rejected: 0 },
    },
    { name: 'RSS 2.0 in ISO-8859-1', bytes: fixture('rss/acp-french-latin1.xml'), expect: { items: 2, rejected: 0 } },
    { name: 'RSS 2.0 with one item that is not well-formed', bytes: fixture('rss/meridian-world-one-broken.xml'), expect: { items: 2, rejected: 1 } },
    { name: 'RSS 1.0 (RDF)', bytes: fixture('rss/an-science.rdf'), expect: { items: 2, rejected: 0 } },
    { name: 'Atom 1.0 with xml:base and all three content types', bytes: fixture('atom/an-culture.xml'), expect: { items: 3, rejected: 0 } },
  ],
})

describe('RSS 2.0', () => {
  const report = parseFeed(fixture('rss/meridian-world.xml'))
  const [talks, bakers, storm, train] = report.items

  it('reads the channel and item fields', () => {
    expect(report.format).toBe('rss')
    expect(talks).toMatchObject({
      format: 'rss',
      formatVersion: '2.0',
      agencyItemId: 'mw-world-88121',
      agencyName: 'Meridian Wire',
      headline: 'Port talks resume in Valmont',
      byline: 'Tomas Reyes, Lena Fiore',
      versionCreated: '2026-02-03T08:30:00.000Z',
      language: 'en-GB',
      copyrightNotice: 'Copyright 2026 Meridian Wire',
      link: 'https://meridianwire.example/world/2026/02/03/port-talks-resume',
      subjects: [{ scheme: 'https://meridianwire.example/sections', code: 'world/europe' }],
      keywords: ['diplomacy'],
      version: null,
      pubStatus: 'usable',
    })
  })

  it('takes the body from content:encoded and the summary from the description, as text', () => {
    expect(talks!.summary).toBe('Estrava and Lorune met for six hours. No statement was issued.')
    expect(talks!.body.map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'image', 'paragraph'])
  })

  it('sanitizes item HTML: scripts, iframes, handlers and tracking pixels are gone', () => {
    const text = JSON.stringify(talks!.body)
    expect(text).not.toMatch(/ads\.example|video\.example|pixel\.example|track\(|onmouseover/)
    expect(talks!.body[3]).toEqual({ type: 'paragraph', content: [{ text: 'Talks resume on Thursday.' }] })
  })

  it('resolves relative links and images against the channel link', () => {
    expect(talks!.body[1]).toEqual({
      type: 'paragraph',
      content: [
        { text: 'Neither side spoke to reporters afterwards. ' },
        { text: 'Our explainer', marks: [{ type: 'link', href: 'https://meridianwire.example/2026/01/12/harbour-explainer' }] },
        { text: ' sets out what is at stake.' },
      ],
    })
    expect(talks!.body[2]).toEqual({
      type: 'image',
      src: 'https://meridianwire.example/img/2026/02/valmont-harbour.jpg',
      alt: 'The harbour office in Valmont',
      width: 1200,
      height: 800,
    })
  })

  it('prefers the URL the feed was fetched from as the base', () => {
    const fetched = parseFeed(fixture('rss/meridian-world.xml'), { baseUrl: 'https://feeds.meridianwire.example/world.rss' })
    expect(fetched.items[0]!.link).toBe('https://feeds.meridianwire.example/world/2026/02/03/port-talks-resume')
  })

  it('reads Media RSS pictures with caption and credit', () => {
    expect(talks!.pictures).toEqual([
      {
        href: 'https://cdn.meridianwire.example/world/88121/main.jpg',
        caption: 'The harbour office in Valmont on Tuesday.',
        credit: 'Ana Voss/Meridian Wire',
        width: 1600,
        height: 900,
      },
    ])
  })

  it('decodes character references, undeclared HTML entities and escaped HTML', () => {
    // The no-break space becomes a plain one: headlines are single-spaced lines.
    expect(bakers!.headline).toBe('Café owners & bakers protest in Estrava')
    expect(bakers!.body).toEqual([
      { type: 'paragraph', content: [{ text: 'Bakers parked their vans outside the ministry — and handed out bread.' }] },
      { type: 'paragraph', content: [{ text: 'More on Estrava', marks: [{ type: 'link', href: 'https://meridianwire.example/world/tags/estrava' }] }] },
    ])
  })

  it('keeps an item with an unreadable date, warning where it is', () => {
    expect(bakers!.versionCreated).toBeNull()
    expect(report.warnings).toContainEqual({
      where: 'item[1] guid=https://meridianwire.example/world/2026/02/03/bakers-protest (line 38)',
      code: 'WIRE_DATE_INVALID',
      message: 'pubDate "Tuesday, sometime in February" is not a date we can read; it was left empty.',
    })
  })

  it('keeps the author name in the byline and the address for editors only', () => {
    expect(bakers!.byline).toBe('Sofia Brandt')
    expect(bakers!.editorialNotes).toEqual(['Author contact: news@meridianwire.example'])
  })

  it('reads odd but honest dates: two-digit years, zone names, leap seconds', () => {
    expect(storm!.versionCreated).toBe('2026-02-03T23:00:00.000Z')
    expect(train!.versionCreated).toBe('2026-02-03T23:59:59.000Z')
  })

  it('uses the link when there is no guid, and image enclosures only', () => {
    expect(storm!.agencyItemId).toBe('https://meridianwire.example/world/2026/02/03/storm-warning')
    expect(storm!.pictures).toEqual([{ href: 'https://cdn.meridianwire.example/world/storm.jpg' }])
    expect(storm!.body).toEqual([
      { type: 'paragraph', content: [{ text: 'Winds of up to 110 km/h are expected overnight. ' }, { text: 'Ferries are cancelled.', marks: [{ type: 'italic' }] }] },
    ])
  })

  it('makes a headline for an item with only a description', () => {
    expect(train!.headline).toBe('The night train from the capital reached the coast on time for the first time this winter.')
    expect(report.warnings.find((w) => w.code === 'WIRE_HEADLINE_DERIVED')?.where).toBe('item[3] guid=mw-world-88125 (line 54)')
  })

  it('gives an item without guid or link a stable made-up id', () => {
    const feed = (title: string) =>
      utf8(`<rss version="2.0"><channel><title>T</title><item><title>${title}</title><pubDate>Tue, 03 Feb 2026 10:00:00 GMT</pubDate></item></channel></rss>`)
    const first = parseFeed(feed('Same story')).items[0]!.agencyItemId
    expect(first).toMatch(/^urn:masthead:wire:sha256:[0-9a-f]{32}$/)
    expect(parseFeed(feed('Same story')).items[0]!.agencyItemId).toBe(first)
    expect(parseFeed(feed('Other story')).items[0]!.agencyItemId).not.toBe(first)
  })

  it('reads the sound items of a feed with one broken item', () => {
    const broken = parseFeed(fixture('rss/meridian-world-one-broken.xml'))
    expect(broken.items.map((i) => i.headline)).toEqual(['Bridge in Kessa reopens', 'Mirow school to reopen on Thursday'])
    expect(broken.items[0]!.agencyName).toBe('Meridian Wire - Briefs')
    expect(broken.rejected).toEqual([
      { where: 'item[1] guid=https://meridianwire.example/briefs/2002 (line 12)', code: 'WIRE_MALFORMED', message: expect.stringContaining('not well-formed') },
    ])
  })
})

describe('encodings', () => {
  it('decodes an ISO-8859-1 feed declared in the XML prolog', () => {
    const report = parseFeed(fixture('rss/acp-french-latin1.xml'))
    expect(report.items.map((i) => i.headline)).toEqual([
      'Genève : les cafés rouvrent leurs terrasses',
      'São Tomé : la récolte de cacao dépasse les attentes',
    ])
    expect(bodyText(report.items[0]!.body)).toBe('À Genève, les terrasses des cafés ont rouvert mardi, ½ heure avant midi.')
    expect(report.items[0]).toMatchObject({ language: 'fr', versionCreated: '2026-02-03T11:00:00.000Z' })
    expect(report.warnings).toEqual([])
  })

  it('honours a charset passed with the content type (windows-1252 quotes)', () => {
    const bytes = new Uint8Array([
      ...utf8('<rss version="2.0"><channel><item><guid>q1</guid><title>'),
      0x93, ...utf8('Quoted'), 0x94, ...utf8(' and 5 '), 0x80,
      ...utf8('</title></item></channel></rss>'),
    ])
    const report = parseFeed(bytes, { contentType: 'application/rss+xml; charset=windows-1252' })
    expect(report.items[0]!.headline).toBe('\u201cQuoted\u201d and 5 \u20ac')
  })

  it('reads bytes that are not the UTF-8 they claim as windows-1252, with a warning', () => {
    const bytes = new Uint8Array([...utf8('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><item><guid>c1</guid><title>Caf'), 0xe9, ...utf8('</title></item></channel></rss>')])
    const report = parseFeed(bytes)
    expect(report.items[0]!.headline).toBe('Café')
    expect(report.warnings).toEqual([
      { where: 'document', code: 'WIRE_ENCODING_GUESSED', message: 'The bytes are not valid utf-8; they were read as windows-1252.' },
    ])
  })

  it('reads UTF-16 with a byte order mark', () => {
    const text = '<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><item><guid>u16</guid><title>Zürich</title></item></channel></rss>'
    const bytes = new Uint8Array(2 + text.length * 2)
    bytes[0] = 0xff
    bytes[1] = 0xfe
    for (let i = 0; i < text.length; i++) {
      bytes[2 + i * 2] = text.charCodeAt(i) & 0xff
      bytes[3 + i * 2] = text.charCodeAt(i) >> 8
    }
    expect(parseFeed(bytes).items[0]!.headline).toBe('Zürich')
  })

  it('refuses an unknown encoding when the bytes are not UTF-8 either', () => {
    const bytes = new Uint8Array([...utf8('<?xml version="1.0" encoding="x-martian"?><rss><channel><item><title>'), 0xff, 0xfe, ...utf8('</title></item></channel></rss>')])
    expect(parseFeed(bytes).rejected).toEqual([{ where: 'document', code: 'WIRE_ENCODING_UNSUPPORTED', message: expect.stringContaining('x-martian') }])
  })
})

describe('RSS 1.0', () => {
  const report = parseFeed(fixture('rss/an-science.rdf'))

  it('reads items beside the channel, with Dublin Core fields', () => {
    expect(report.format).toBe('rdf')
    expect(report.items[0]).toMatchObject({
      format: 'rdf',
      formatVersion: '1.0',
      agencyItemId: 'https://associatednewswire.example/science/2026/02/03/comet',
      headline: 'Amateur astronomers spot a new comet',
      byline: 'Priya Nair',
      versionCreated: '2026-02-03T12:00:00.000Z',
      keywords: ['astronomy'],
      language: 'en',
      copyrightNotice: 'Copyright 2026 Associated Newswire',
      summary: 'Two amateurs in Harlow Vale found the comet from a garden shed.',
    })
    expect(report.items[0]!.body[1]).toEqual({ type: 'list', ordered: false, items: [[{ text: 'Magnitude: 11' }], [{ text: 'Closest approach: April' }]] })
    expect(report.items[1]!.versionCreated).toBe('2026-02-02T00:00:00.000Z')
  })
})

describe('Atom 1.0', () => {
  const report = parseFeed(fixture('atom/an-culture.xml'))
  const [orchestra, jury, library] = report.items

  it('reads entry fields and resolves links through nested xml:base', () => {
    expect(report.format).toBe('atom')
    expect(orchestra).toMatchObject({
      agencyItemId: 'tag:associatednewswire.example,2026:culture-0301',
      headline: 'Lorune\u2019s Night Orchestra plays its last concert',
      link: 'https://associatednewswire.example/culture/2026/02/03/night-orchestra',
      firstCreated: '2026-02-03T19:00:00.000Z',
      versionCreated: '2026-02-03T19:40:00.000Z',
      byline: 'Priya Nair',
      language: 'en-GB',
      summary: 'After forty years the orchestra that only played after dark gave its farewell concert.',
      subjects: [{ scheme: 'medtop', code: '01000000', name: 'arts, culture and entertainment' }],
      keywords: ['music'],
      pictures: [{ href: 'https://associatednewswire.example/media/0301/orchestra.jpg', caption: 'The orchestra takes a bow' }],
    })
    expect(orchestra!.body[1]).toEqual({
      type: 'paragraph',
      content: [
        { text: 'The programme is ' },
        { text: 'online', marks: [{ type: 'link', href: 'https://associatednewswire.example/culture/2026/02/03/programme' }] },
        { text: ', and the ' },
        { text: 'culture section', marks: [{ type: 'link', href: 'https://associatednewswire.example/culture/' }] },
        { text: ' has more.' },
      ],
    })
  })

  it('turns an xhtml blockquote ending in "— Name" into an attributed quote, and drops the script', () => {
    expect(orchestra!.body[2]).toEqual({
      type: 'quote',
      content: [{ text: 'Forty years of late nights is enough for anyone.' }],
      attribution: { speaker: 'Marta Ilves, conductor' },
    })
    expect(JSON.stringify(orchestra!.body)).not.toContain('document.write')
  })

  it('reads escaped HTML content and falls back to the feed author', () => {
    expect(jury!.body.map((b) => b.type)).toEqual(['paragraph', 'heading', 'paragraph'])
    expect(jury!.byline).toBe('Associated Newswire culture desk')
    expect(jury!.editorialNotes).toEqual(['Author contact (Associated Newswire culture desk): culture@associatednewswire.example'])
    expect(jury!.pictures).toEqual([{ href: 'https://associatednewswire.example/media/0302/jury-thumb.jpg' }])
    expect(jury!.link).toBe('https://associatednewswire.example/culture/2026/02/03/festival-jury')
  })

  it('reads text content into paragraphs and entry rights over feed rights', () => {
    expect(library!.body).toHaveLength(2)
    expect(library!.copyrightNotice).toBe('Free to use with credit to Associated Newswire')
    expect(jury!.copyrightNotice).toBe('Copyright 2026 Associated Newswire')
  })
})

describe('feed edge cases', () => {
  it('reads RSS 2.0 that declares a default namespace of its own', () => {
    const report = parseFeed(utf8('<rss version="2.0" xmlns="http://backend.userland.com/rss2"><channel><title>Odd</title><item><guid>n1</guid><title>Namespaced</title></item></channel></rss>'))
    expect(report.items.map((i) => [i.agencyItemId, i.headline, i.agencyName])).toEqual([['n1', 'Namespaced', 'Odd']])
  })

  it('refuses Atom 0.3 clearly instead of finding no entries', () => {
    const report = parseFeed(utf8('<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><id>a</id><title>Old</title></entry></feed>'))
    expect(report.rejected).toEqual([{ where: 'document', code: 'WIRE_FORMAT_UNKNOWN', message: expect.stringContaining('Atom 0.3') }])
  })

  it('reads undeclared module prefixes as the modules they always mean', () => {
    const report = parseFeed(utf8('<rss version="2.0"><channel><item><guid>p1</guid><title>Prefixes</title><dc:creator>Lena Fiore</dc:creator></item></channel></rss>'))
    expect(report.items[0]!.byline).toBe('Lena Fiore')
  })
})
