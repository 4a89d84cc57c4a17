import { readdirSync } from 'node:fs'
import { WIRE_FIXTURES, wireFixture } from '../../../test/support/wire-fixtures.ts'
import { describe, expect, it } from 'vitest'
import { WIRE_CODES } from '../errors.ts'
import { WireItem } from '../wire-item.ts'
import { WIRE_ADAPTERS, parseWire } from './index.ts'

const fixture = wireFixture
const allFixtures = readdirSync(WIRE_FIXTURES).flatMap((dir) => readdirSync(`${WIRE_FIXTURES}/${dir}`).map((file) => `${dir}/${file}`))

describe('parseWire', () => {
  it('sends each sample to the adapter for its format', () => {
    const formats = Object.fromEntries(
      ['ninjs/v2-meridian-river-flood.json', 'newsml-g2/meridian-news-message.xml', 'rss/meridian-world.xml', 'rss/an-science.rdf', 'atom/an-culture.xml'].map((path) => [
        path,
        parseWire(fixture(path)).format,
      ]),
    )
    expect(formats).toEqual({
      'ninjs/v2-meridian-river-flood.json': 'ninjs',
      'newsml-g2/meridian-news-message.xml': 'newsml-g2',
      'rss/meridian-world.xml': 'rss',
      'rss/an-science.rdf': 'rdf',
      'atom/an-culture.xml': 'atom',
    })
  })

  it('gives the same items as calling the adapter directly', () => {
    const bytes = fixture('newsml-g2/meridian-news-message.xml')
    const direct = WIRE_ADAPTERS.find((a) => a.formats.includes('newsml-g2'))!.parse(bytes)
    expect(parseWire(bytes)).toEqual(direct)
  })

  it('hands every sample’s items to onItem, in order, instead of the report, and reports the rest the same', () => {
    for (const path of allFixtures) {
      const whole = parseWire(fixture(path))
      const handed: WireItem[] = []
      const report = parseWire(fixture(path), { onItem: (item) => handed.push(item) })
      expect(handed, path).toEqual(whole.items)
      expect(report, path).toEqual({ ...whole, items: [] })
    }
  })

  it('believes the bytes over a wrong content type, and says so', () => {
    const report = parseWire(fixture('rss/meridian-world.xml'), { contentType: 'application/json' })
    expect(report.items).toHaveLength(4)
    expect(report.warnings[0]).toEqual({
      where: 'document',
      code: 'WIRE_CONTENT_TYPE_MISMATCH',
      message: 'The content type says application/json, but the bytes are RSS XML; they were read as RSS XML.',
    })
    expect(parseWire(fixture('ninjs/v3-an-election-count.json'), { contentType: 'text/xml' }).warnings[0]!.code).toBe('WIRE_CONTENT_TYPE_MISMATCH')
    expect(parseWire(fixture('atom/an-culture.xml'), { contentType: 'application/atom+xml; charset=utf-8' }).warnings).toEqual([])
  })

  it('keeps the good items of a batch when one is bad, in every format family', () => {
    const cases = {
      'ninjs/batch-mixed.json': [2, 2],
      'ninjs/batch.ndjson': [3, 1],
      'newsml-g2/meridian-news-message.xml': [4, 1],
      'newsml-g2/meridian-news-message-one-broken.xml': [2, 1],
      'rss/meridian-world-one-broken.xml': [2, 1],
    }
    for (const [path, [items, rejected]] of Object.entries(cases)) {
      const report = parseWire(fixture(path))
      expect([path, report.items.length, report.rejected.length]).toEqual([path, items, rejected])
      for (const issue of report.rejected) expect(issue.where).not.toBe('document')
    }
  })

  it('never throws, and only ever emits valid items and catalogued codes, on any sample or mutation of one', () => {
    let state = 20260203
    const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32)
    for (const path of allFixtures) {
      const bytes = fixture(path)
      const variants = [bytes]
      for (let n = 0; n < 20; n++) {
        const copy = new Uint8Array(bytes)
        for (let k = 0; k < 4; k++) if (copy.length > 0) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256)
        variants.push(copy, copy.subarray(0, Math.floor(random() * copy.length)))
      }
      for (const variant of variants) {
        const report = parseWire(variant)
        for (const item of report.items) expect(WireItem.safeParse(item).success).toBe(true)
        for (const issue of [...report.rejected, ...report.warnings]) expect(WIRE_CODES).toContain(issue.code)
        expect(report.rejected.every((r) => r.code !== 'WIRE_INTERNAL')).toBe(true)
      }
    }
  })
})
