import { existsSync, readFileSync } from 'node:fs'
import { SaxesParser } from 'saxes'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { bodyText } from '../../articles/index.ts'
import { WireItem } from '../wire-item.ts'
import { parseWire } from './index.ts'
import { MAX_LISTED_ISSUES } from './report.ts'
import { MAX_SHELL_LENGTH, XmlReadError, parseXml, rootShell, salvageItems } from './xml.ts'
import { wireFixture } from '../../../test/support/wire-fixtures.ts'

/**
 * Hostile and broken input. The XML cases prove the two classic attacks are
 * impossible here: external entities (XXE) are never resolved or fetched, and
 * entity expansion ("billion laughs") never happens, at our layer and, should
 * our DOCTYPE check ever be removed, in the parser underneath.
 */

const fixture = wireFixture
const utf8 = (text: string) => new TextEncoder().encode(text)

afterEach(() => {
  vi.restoreAllMocks()
})

describe('XML entity attacks', () => {
  it('refuses an XXE attempt unread and leaks nothing from the file it names', () => {
    const report = parseWire(fixture('broken/xxe.xml'))
    expect(report).toEqual({
      format: 'rss',
      items: [],
      rejected: [{ where: 'document', code: 'WIRE_ENTITY_REFUSED', message: expect.stringContaining('XXE') }],
      warnings: [],
    })
    if (existsSync('/etc/passwd')) {
      const secret = readFileSync('/etc/passwd', 'utf8').split('\n')[0]!
      expect(JSON.stringify(report)).not.toContain(secret)
    }
  })

  it('refuses an external parameter entity without fetching anything', () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    const report = parseWire(fixture('broken/xxe-parameter.xml'))
    expect(report.rejected).toEqual([{ where: 'document', code: 'WIRE_ENTITY_REFUSED', message: expect.any(String) }])
    expect(fetchSpy).not.toHaveBeenCalled()
  })

  it('refuses a billion-laughs document instead of expanding it', () => {
    const report = parseWire(fixture('broken/billion-laughs.xml'))
    expect(report.rejected).toEqual([{ where: 'document', code: 'WIRE_ENTITY_REFUSED', message: expect.any(String) }])
    expect(JSON.stringify(report).length).toBeLessThan(1000)
    expect(JSON.stringify(report)).not.toContain('lollol')
  })

  it('refuses a quadratic blow-up (one large entity used many times)', () => {
    const big = 'A'.repeat(50_000)
    const uses = '&big;'.repeat(20_000)
    const report = parseWire(utf8(`<!DOCTYPE rss [<!ENTITY big "${big}">]><rss version="2.0"><channel><item><title>${uses}</title></item></channel></rss>`))
    expect(report.rejected[0]!.code).toBe('WIRE_ENTITY_REFUSED')
    expect(report.items).toEqual([])
  })

  it('never resolves an entity from an external DTD: it stays an error, nothing is fetched', () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    expect(() => parseXml('<!DOCTYPE r SYSTEM "file:///etc/passwd"><r>&passwd;</r>')).toThrow(/undefined entity/)
    const root = parseXml('<!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd"><r>plain</r>')
    expect(root.children).toEqual([{ type: 'text', value: 'plain' }])
    expect(fetchSpy).not.toHaveBeenCalled()
  })

  it('relies on a parser that does not expand declared entities even without our DOCTYPE check', () => {
    // saxes on its own, with no handlers: the declaration is skipped, the use is an error.
    const parser = new SaxesParser({ xmlns: true })
    let text = ''
    parser.on('text', (t) => (text += t))
    expect(() => parser.write('<!DOCTYPE r [<!ENTITY a "EXPANDED">]><r>&a;</r>').close()).toThrow(/undefined entity/)
    expect(text).not.toContain('EXPANDED')
  })

  it('looks up HTML named entities as fixed text that is never parsed again', () => {
    const root = parseXml('<r>&amp;lt;b&amp;gt; &nbsp;&eacute; &notanentity;</r>'.replace(' &notanentity;', ''))
    expect(root.children).toEqual([{ type: 'text', value: '&lt;b&gt; \u00a0é' }])
    expect(() => parseXml('<r>&lol;</r>')).toThrow(XmlReadError)
  })
})

describe('resource limits', () => {
  it('refuses input over 20 MB before reading a byte of it', () => {
    const huge = new Uint8Array(20 * 1024 * 1024 + 1).fill(0x20)
    huge.set(utf8('<rss version="2.0"><channel>'), 0)
    const report = parseWire(huge)
    expect(report).toEqual({
      format: null,
      items: [],
      rejected: [{ where: 'document', code: 'WIRE_TOO_LARGE', message: 'The input is 20.0 MB, over the 20.0 MB limit; split it into smaller files.' }],
      warnings: [],
    })
  })

  it('accepts a custom limit', () => {
    expect(parseWire(fixture('rss/meridian-world.xml'), { maxBytes: 100 }).rejected[0]!.code).toBe('WIRE_TOO_LARGE')
  })

  it('refuses an item nested deeper than 256 levels, and keeps the sound items beside it', () => {
    const deepItem = `<item><title>x</title><description>${'<x>'.repeat(10_000)}${'</x>'.repeat(10_000)}</description></item>`
    const report = parseWire(utf8(`<rss version="2.0"><channel>${deepItem}<item><guid>ok</guid><title>Fine</title></item></channel></rss>`))
    expect(report.rejected).toEqual([{ where: 'item[0] (line 1)', code: 'WIRE_LIMIT_EXCEEDED', message: expect.stringContaining('256') }])
    expect(report.items.map((item) => item.headline)).toEqual(['Fine'])
    // With nothing sound to keep, the document is refused whole, for the same reason.
    const alone = parseWire(utf8(`<rss version="2.0"><channel>${deepItem}</channel></rss>`))
    expect(alone.items).toEqual([])
    expect(alone.rejected.map((r) => r.code)).toEqual(['WIRE_LIMIT_EXCEEDED'])
  })

  it('survives JSON nested absurdly deep', () => {
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`
    const report = parseWire(utf8(deep))
    expect(report.items).toEqual([])
    expect(report.rejected.length).toBeGreaterThan(0)
  })

  it('lists at most 10,000 problems and counts the rest', () => {
    const lines = Array.from({ length: MAX_LISTED_ISSUES + 50 }, () => '{"uri": broken}').join('\n')
    const report = parseWire(utf8(`${lines}\n{"uri":"urn:x:ok","headline":"Still read"}`))
    expect(report.items.map((i) => i.headline)).toEqual(['Still read'])
    expect(report.rejected).toHaveLength(MAX_LISTED_ISSUES + 1)
    expect(report.rejected.at(-1)).toEqual({ where: 'document', code: 'WIRE_LIMIT_EXCEEDED', message: '50 more items were rejected but are not listed one by one.' })
  })
})

describe('pathological broken XML', () => {
  // Broken documents are salvaged item by item; these shapes would make a naive
  // salvage quadratic. They must finish like any other input (speed itself is for bench/).
  it('handles a million unclosed item openings', () => {
    const report = parseWire(utf8(`<rss version="2.0"><channel>${'<item '.repeat(1_000_000)}`))
    expect(report.items).toEqual([])
    expect(report.rejected.length).toBeGreaterThan(0)
  })

  it('handles a head full of unclosed comments', () => {
    const report = parseWire(utf8(`<rss version="2.0"><channel>${'<!--'.repeat(500_000)}<item><title>x</title></item>`))
    expect(report.items.map((i) => i.headline)).toEqual(['x'])
    expect(report.warnings.map((w) => w.code)).toEqual(['WIRE_DOCUMENT_RECOVERED'])
  })

  it('reads a capped number of items one by one and counts the rest', () => {
    const items = Array.from({ length: 20_050 }, (_, i) => `<item><guid>g${i}</guid><title>T${i}</title></item>`).join('')
    const report = parseWire(utf8(`<rss version="2.0"><channel><title>Big</title>${items}<broken></channel></rss>`))
    expect(report.items).toHaveLength(20_000)
    expect(report.rejected).toEqual([
      { where: 'document', code: 'WIRE_LIMIT_EXCEEDED', message: '50 more items of the broken document were not read; only the first 20000 are read one by one.' },
    ])
  })

  it('salvages a feed whose root tag is padded with 200 KB once, not once per item (issue 12)', () => {
    // The issue's file: before, every one of the 20,000 items was parsed inside
    // its own copy of the padded root tag and kept it, past 4 GB.
    const pad = 'x'.repeat(200 * 1024)
    let text = `<?xml version="1.0"?>\n<rss version="2.0" data-pad="${pad}"><channel><title>t</title>`
    for (let i = 0; i < 20_000; i++) text += `<item><guid>g${i}</guid><title>t${i}</title></item>`
    text += '<broken></channel></rss>'
    const salvaged = salvageItems(text, ['item'])
    expect(salvaged.items).toHaveLength(20_000)
    const parents = new Set(salvaged.items.map((item) => ('element' in item ? item.element.parent : null)))
    expect(parents.size).toBe(1)
    const [root] = [...parents]
    expect(root?.local).toBe('rss')
    // The pad is not carried into the items' root: only declarations are.
    expect(root?.attrs).toEqual([])
    const report = parseWire(utf8(text))
    expect(report.items).toHaveLength(20_000)
    expect(report.items[19_999]!.headline).toBe('t19999')
  })

  it('keeps namespace declarations, language and base in the salvage shell, within a bound', () => {
    const tag = `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr" xml:base="https://a.example/" data-x="${'y'.repeat(5000)}" xmlns:huge="${'z'.repeat(5000)}">`
    expect(rootShell(tag, 'feed')).toBe('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr" xml:base="https://a.example/">')
    const many = `<rss ${Array.from({ length: 2000 }, (_, i) => `xmlns:p${i}="urn:p${i}"`).join(' ')}>`
    expect(rootShell(many, 'rss').length).toBeLessThanOrEqual(MAX_SHELL_LENGTH)
    const report = parseWire(utf8(`${tag}<entry><id>urn:e:1</id><title>Un</title><link href="one"/></entry><broken></feed>`))
    expect(report.items).toHaveLength(1)
    expect(report.items[0]!.language).toBe('fr')
    expect(report.items[0]!.link).toBe('https://a.example/one')
  })

  it('stops salvaging when tiny items under a long shell would cost many times the document', () => {
    const declarations = Array.from({ length: 100 }, (_, i) => `xmlns:p${i}="urn:${'n'.repeat(30)}${i}"`).join(' ')
    const text = `<rss version="2.0" ${declarations}><channel><title>T</titl>${'<item><title>x</title></item>'.repeat(20_000)}</channel></rss>`
    const report = parseWire(utf8(text))
    expect(report.items.length).toBeGreaterThan(100)
    expect(report.items.length).toBeLessThan(20_000)
    expect(report.rejected).toEqual([
      {
        where: 'document',
        code: 'WIRE_LIMIT_EXCEEDED',
        message: `${20_000 - report.items.length} more items of the broken document were not read; only the first ${report.items.length} are read one by one.`,
      },
    ])
  })

  it('salvages items with huge attributes, deep nesting and a deep head, reporting each item it cannot read', () => {
    const bad = '<item><guid>bad</guid><title>x</titl></item>'
    const good = '<item><guid>ok</guid><title>Fine</title></item>'
    const deep = `<item><guid>deep</guid><title>${'<b>'.repeat(10_000)}</title></item>`
    const wide = `<item a="${'w'.repeat(1_000_000)}"><guid>wide</guid><title>Wide</title><description b="${'v'.repeat(1_000_000)}">d</description></item>`
    const report = parseWire(utf8(`<rss version="2.0"><channel>${bad}${good}${deep}${wide}</channel></rss>`))
    expect(report.items.map((item) => item.headline)).toEqual(['Fine', 'Wide'])
    expect(report.rejected.map((r) => [r.where, r.code])).toEqual([
      ['item[0] guid=bad (line 1)', 'WIRE_MALFORMED'],
      ['item[2] guid=deep (line 1)', 'WIRE_LIMIT_EXCEEDED'],
    ])
    const deepHead = parseWire(utf8(`<rss version="2.0"><channel><title>T</titl>${'<x>'.repeat(100_000)}${good}</channel></rss>`))
    expect(deepHead.items.map((item) => item.headline)).toEqual(['Fine'])
  })

  it('handles a paragraph of a million line breaks', () => {
    const report = parseWire(utf8(JSON.stringify({ uri: 'urn:x:br', headline: 'Br', body_html: `<p>${'<br> '.repeat(1_000_000)}end</p>` })))
    // Leading line breaks carry nothing and are trimmed, in linear time.
    expect(report.items[0]!.body).toEqual([{ type: 'paragraph', content: [{ text: 'end' }] }])
  })

  it('handles escaped text full of tag openings that never close', () => {
    const report = parseWire(utf8(JSON.stringify({ uri: 'urn:x:lt', headline: 'Lt', body_html: '&lt;p '.repeat(200_000) })))
    expect(report.items).toHaveLength(1)
  })
})

describe('broken and junk input', () => {
  it.each([
    ['broken/empty.xml', 'WIRE_EMPTY'],
    ['broken/whitespace.json', 'WIRE_EMPTY'],
    ['broken/binary-junk.bin', 'WIRE_FORMAT_UNKNOWN'],
    ['broken/html-page.html', 'WIRE_FORMAT_UNKNOWN'],
    ['broken/json-feed.json', 'WIRE_FORMAT_UNKNOWN'],
    ['broken/malformed.json', 'WIRE_MALFORMED'],
    ['broken/malformed.xml', 'WIRE_MALFORMED'],
  ])('gives %s one clear rejection: %s', (path, code) => {
    const report = parseWire(fixture(path))
    expect(report.items).toEqual([])
    expect(report.rejected).toEqual([{ where: 'document', code, message: expect.any(String) }])
  })

  it('says where malformed XML breaks', () => {
    expect(parseWire(fixture('broken/malformed.xml')).rejected[0]!.message).toBe(
      'The XML is not well-formed at line 7, column 1: unclosed tag: description',
    )
    expect(parseWire(fixture('broken/malformed.json')).rejected[0]!.message).toMatch(/^The JSON is malformed at line 4, column \d+/)
  })

  it('does not let a __proto__ key pollute anything', () => {
    const report = parseWire(utf8('{"uri":"urn:x:proto","headline":"Proto","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'))
    expect(report.items).toHaveLength(1)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
  })

  it('strips every classic XSS vector from item HTML', () => {
    const vectors = [
      '<img src=x onerror=alert(1)>',
      '<svg onload=alert(2)><circle/></svg>',
      '<a href="JaVaScRiPt:alert(3)">a</a>',
      '<a href="&#106;avascript:alert(4)">b</a>',
      '<a href=" javascript:alert(5)">c</a>',
      '<iframe srcdoc="<script>alert(6)</script>"></iframe>',
      '<math><mtext><script>alert(7)</script></mtext></math>',
      '<p style="background:url(javascript:alert(8))">d</p>',
      '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg=="></object>',
      '<body onload=alert(10)>e</body>',
      '<details open ontoggle=alert(11)>f</details>',
    ]
    const report = parseWire(utf8(JSON.stringify({ uri: 'urn:x:xss', headline: 'XSS', body_html: vectors.join('') })))
    const item = report.items[0]!
    const everything = JSON.stringify(item)
    expect(everything).not.toMatch(/alert\(|javascript:|onerror|onload|ontoggle|srcdoc/i)
    expect(bodyText(item.body)).not.toMatch(/<[a-z]/i)
    expect(WireItem.safeParse(item).success).toBe(true)
  })

  it('turns split-tag tricks aimed at regex filters into inert text', () => {
    const report = parseWire(utf8(JSON.stringify({ uri: 'urn:x:split', headline: 'Split', body_html: '<scr<script>ipt>alert(12)</script>' })))
    // The parser sees an element named "scr<script" and the text after it: words, never markup.
    expect(report.items[0]!.body).toEqual([{ type: 'paragraph', content: [{ text: 'ipt>alert(12)' }] }])
  })
})
