import { describe, expect, it } from 'vitest'
import { bodyText, inlineText, type Body } from '../../articles/index.ts'
import { WIRE_CODES, WIRE_EMPTY, WIRE_TOO_LARGE } from '../errors.ts'
import { WireItem, type ParseReport, type WireFormat } from '../wire-item.ts'
import type { ParseOptions } from './report.ts'

/**
 * The contract every wire format adapter keeps, run by each adapter's own test
 * file with its own samples (after Hono's router `common.case.test.ts`). It
 * checks invariants, not values: the adapter tests check values.
 */

/** One sample an adapter must read, with how many items and rejections it should give. */
export interface ContractSample {
  name: string
  bytes: Uint8Array
  opts?: ParseOptions
  expect: { items: number; rejected: number }
}

/** What the contract needs from an adapter. */
export interface ContractSubject {
  name: string
  formats: readonly WireFormat[]
  parse: (bytes: Uint8Array, opts?: ParseOptions) => ParseReport
  samples: ContractSample[]
}

const TAG = /<\/?[a-zA-Z][\w:-]*(\s[^<>]*)?\/?>/

/** Every string a reader could see from a body: run texts, captions, credits, alt texts, link targets. */
function visibleStrings(body: Body): string[] {
  const out: string[] = [bodyText(body)]
  for (const block of body) {
    if (block.type === 'image') out.push(block.alt, block.caption ?? '', block.credit ?? '')
    if (block.type === 'quote') out.push(block.attribution.speaker)
    if (block.type === 'list') out.push(...block.items.map(inlineText))
  }
  return out
}

/** A small deterministic PRNG, so mutation tests fail the same way every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

function expectWellFormedReport(report: ParseReport): void {
  expect(Array.isArray(report.items)).toBe(true)
  for (const issue of [...report.rejected, ...report.warnings]) {
    expect(issue.where.length).toBeGreaterThan(0)
    expect(issue.message.length).toBeGreaterThan(0)
    expect(WIRE_CODES as readonly string[]).toContain(issue.code)
  }
  for (const item of report.items) expect(WireItem.safeParse(item).success).toBe(true)
}

/** Runs the shared wire adapter contract against one adapter. */
export function runWireAdapterContract(subject: ContractSubject): void {
  describe(`wire adapter contract: ${subject.name}`, () => {
    it('has samples to run against', () => {
      expect(subject.samples.length).toBeGreaterThan(0)
    })

    for (const sample of subject.samples) {
      describe(sample.name, () => {
        const report = subject.parse(sample.bytes, sample.opts)

        it('reads the expected number of items and rejections', () => {
          expect({ items: report.items.length, rejected: report.rejected.length }).toEqual(sample.expect)
        })

        it('emits only items that validate against the WireItem schema, in its own formats', () => {
          for (const item of report.items) {
            const result = WireItem.safeParse(item)
            expect(result.success, JSON.stringify(result.error?.issues)).toBe(true)
            expect(subject.formats).toContain(item.format)
          }
          if (report.format !== null) expect(subject.formats).toContain(report.format)
        })

        it('keeps no raw HTML tags in any body text', () => {
          for (const item of report.items) {
            for (const text of visibleStrings(item.body)) expect(text).not.toMatch(TAG)
            expect(item.headline).not.toMatch(TAG)
            if (item.summary) expect(item.summary).not.toMatch(TAG)
          }
        })

        it('never lets an editorial note into the body, headline or summary', () => {
          for (const item of report.items) {
            const publicText = [...visibleStrings(item.body), item.headline, item.summary ?? ''].join('\n')
            for (const note of item.editorialNotes) {
              // Short notes ("KILL") may legitimately echo public words; long ones never should.
              if (note.length >= 24) expect(publicText).not.toContain(note)
            }
          }
        })

        it('uses only catalogued codes and says where each problem is', () => {
          expectWellFormedReport(report)
        })

        it('gives the same report every time (it is pure)', () => {
          expect(subject.parse(sample.bytes, sample.opts)).toEqual(report)
        })

        it('survives truncation and byte mutations without throwing', () => {
          const random = prng(sample.bytes.length + 17)
          const variants: Uint8Array[] = [
            sample.bytes.subarray(0, Math.floor(sample.bytes.length / 2)),
            sample.bytes.subarray(0, Math.floor(sample.bytes.length / 3)),
            sample.bytes.subarray(Math.floor(sample.bytes.length / 4)),
          ]
          for (let n = 0; n < 25; n++) {
            const copy = new Uint8Array(sample.bytes)
            for (let k = 0; k < 1 + Math.floor(random() * 8); k++) {
              copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256)
            }
            variants.push(copy)
          }
          for (const variant of variants) {
            let result: ParseReport | undefined
            expect(() => {
              result = subject.parse(variant, sample.opts)
            }).not.toThrow()
            expectWellFormedReport(result!)
          }
        })
      })
    }

    it('reports empty input instead of throwing', () => {
      const report = subject.parse(new Uint8Array())
      expect(report.items).toEqual([])
      expect(report.rejected.length).toBeGreaterThan(0)
      expect(report.rejected[0]!.code).toBe(WIRE_EMPTY)
    })

    it('reports binary junk instead of throwing', () => {
      const random = prng(42)
      const junk = Uint8Array.from({ length: 2048 }, () => Math.floor(random() * 256))
      const report = subject.parse(junk)
      expect(report.items).toEqual([])
      expect(report.rejected.length).toBeGreaterThan(0)
      expectWellFormedReport(report)
    })

    it('refuses input over the size limit before reading it', () => {
      const report = subject.parse(subject.samples[0]!.bytes, { maxBytes: 16 })
      expect(report.items).toEqual([])
      expect(report.rejected).toEqual([{ where: 'document', code: WIRE_TOO_LARGE, message: expect.stringContaining('limit') }])
    })
  })
}
