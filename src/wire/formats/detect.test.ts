import { wireFixture } from '../../../test/support/wire-fixtures.ts'
import { describe, expect, it } from 'vitest'
import { detectFormat } from './detect.ts'

const fixture = wireFixture
const utf8 = (text: string) => new TextEncoder().encode(text)

describe('detectFormat', () => {
  it.each([
    ['ninjs/v1-acp-harbour-talks.json', 'ninjs'],
    ['ninjs/v2-meridian-river-flood.json', 'ninjs'],
    ['ninjs/v3-an-election-count.json', 'ninjs'],
    ['ninjs/batch-mixed.json', 'ninjs'],
    ['ninjs/batch.ndjson', 'ninjs'],
    ['broken/malformed.json', 'ninjs'],
    ['newsml-g2/acp-harbour-talks-v1.xml', 'newsml-g2'],
    ['newsml-g2/meridian-news-message.xml', 'newsml-g2'],
    ['broken/xxe-parameter.xml', 'newsml-g2'],
    ['rss/meridian-world.xml', 'rss'],
    ['rss/acp-french-latin1.xml', 'rss'],
    ['broken/malformed.xml', 'rss'],
    ['broken/xxe.xml', 'rss'],
    ['rss/an-science.rdf', 'rdf'],
    ['atom/an-culture.xml', 'atom'],
    ['broken/billion-laughs.xml', 'atom'],
  ])('reads %s as %s', (path, format) => {
    expect(detectFormat(fixture(path)).format).toBe(format)
  })

  it.each([
    ['broken/empty.xml', 'WIRE_EMPTY', /empty/],
    ['broken/whitespace.json', 'WIRE_EMPTY', /whitespace/],
    ['broken/binary-junk.bin', 'WIRE_FORMAT_UNKNOWN', /binary/],
    ['broken/html-page.html', 'WIRE_FORMAT_UNKNOWN', /HTML page/],
    ['broken/json-feed.json', 'WIRE_FORMAT_UNKNOWN', /JSON Feed/],
  ])('says why %s is no wire format', (path, code, reason) => {
    const detection = detectFormat(fixture(path))
    expect(detection.format).toBeNull()
    expect(detection).toMatchObject({ code, reason: expect.stringMatching(reason) })
  })

  it('goes by content, whatever the file would be called', () => {
    // The same ninjs bytes a drop folder might name story.xml, and RSS named feed.json.
    expect(detectFormat(fixture('ninjs/v3-an-election-count.json')).format).toBe('ninjs')
    expect(detectFormat(fixture('rss/meridian-world.xml')).format).toBe('rss')
  })

  it('looks past the XML declaration, comments, processing instructions and a DOCTYPE', () => {
    const text = '\uFEFF<?xml version="1.0"?>\n<!-- exported -->\n<?xml-stylesheet href="s.xsl"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "rss-0.91.dtd">\n<rss version="0.91"/>'
    expect(detectFormat(utf8(text)).format).toBe('rss')
  })

  it('knows prefixed roots by their local name', () => {
    expect(detectFormat(utf8('<g2:newsMessage xmlns:g2="http://iptc.org/std/nar/2006-10-01/"/>')).format).toBe('newsml-g2')
    expect(detectFormat(utf8('<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"/>')).format).toBe('atom')
    expect(detectFormat(utf8('<packageItem/>')).format).toBe('newsml-g2')
  })

  it('reads UTF-16 XML with or without a byte order mark', () => {
    const encode = (text: string, bom: boolean) => {
      const out = new Uint8Array((bom ? 2 : 0) + text.length * 2)
      let at = 0
      if (bom) {
        out[0] = 0xff
        out[1] = 0xfe
        at = 2
      }
      for (let i = 0; i < text.length; i++) {
        out[at + i * 2] = text.charCodeAt(i) & 0xff
        out[at + i * 2 + 1] = text.charCodeAt(i) >> 8
      }
      return out
    }
    expect(detectFormat(encode('<feed xmlns="http://www.w3.org/2005/Atom"/>', true)).format).toBe('atom')
    expect(detectFormat(encode('<?xml version="1.0" encoding="UTF-16"?><rss/>', false)).format).toBe('rss')
  })

  it('names common binary files', () => {
    expect(detectFormat(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0])).format).toBeNull()
    expect(detectFormat(new Uint8Array([0x1f, 0x8b, 8, 0]))).toMatchObject({ reason: expect.stringContaining('gzip') })
    expect(detectFormat(utf8('%PDF-1.7\n'))).toMatchObject({ reason: expect.stringContaining('PDF') })
    expect(detectFormat(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2]))).toMatchObject({ reason: expect.stringContaining('ZIP') })
  })

  it('rejects other XML and plain text with a reason naming what it saw', () => {
    expect(detectFormat(utf8('<nitf><head/></nitf>'))).toMatchObject({ format: null, reason: expect.stringContaining('<nitf>') })
    expect(detectFormat(utf8('BREAKING: this is a telex'))).toMatchObject({ format: null, reason: expect.stringContaining('plain text') })
    expect(detectFormat(utf8('<<<<'))).toMatchObject({ format: null, reason: expect.stringContaining('no root element') })
  })
})
