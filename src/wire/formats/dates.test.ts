import { describe, expect, it } from 'vitest'
import { parseWireDate } from './dates.ts'

describe('parseWireDate', () => {
  it.each([
    ['2026-02-03T14:05:00Z', '2026-02-03T14:05:00.000Z'],
    ['2026-02-03T14:05:00.123456Z', '2026-02-03T14:05:00.123Z'],
    ['2026-02-03T15:05:00+01:00', '2026-02-03T14:05:00.000Z'],
    ['2026-02-03T09:05:00-0500', '2026-02-03T14:05:00.000Z'],
    ['2026-02-03 14:05Z', '2026-02-03T14:05:00.000Z'],
    ['20260203T140500Z', '2026-02-03T14:05:00.000Z'],
    ['2026-02-03', '2026-02-03T00:00:00.000Z'],
    ['Tue, 03 Feb 2026 14:05:00 GMT', '2026-02-03T14:05:00.000Z'],
    ['Tue, 03 Feb 2026 15:05:00 +0100', '2026-02-03T14:05:00.000Z'],
    ['3 Feb 2026 09:05:00 EST', '2026-02-03T14:05:00.000Z'],
    ['Tuesday, 3 February 2026 14:05 UT', '2026-02-03T14:05:00.000Z'],
    ['03 Feb 26 14:05:00 GMT', '2026-02-03T14:05:00.000Z'],
    ['03-Feb-2026 14:05:00 +00:00', '2026-02-03T14:05:00.000Z'],
    ['Tue, 3 Feb 2026 15:05:00 CET', '2026-02-03T14:05:00.000Z'],
    ['Feb 3, 2026 14:05:00 GMT', '2026-02-03T14:05:00.000Z'],
    ['Tue Feb 3 2026 14:05:00 GMT', '2026-02-03T14:05:00.000Z'],
    ['Tue, 03 Feb 2026 14:05:00 +0000 (UTC)', '2026-02-03T14:05:00.000Z'],
    ['Tue, 03 Feb 2026 23:59:60 GMT', '2026-02-03T23:59:59.000Z'],
  ])('reads %s', (raw, iso) => {
    expect(parseWireDate(raw)).toEqual({ iso, assumedUtc: false })
  })

  it.each([
    ['2026-02-03T14:05:00'],
    ['Tue, 03 Feb 2026 14:05:00'],
    ['Tue, 03 Feb 2026 14:05:00 Q'],
  ])('takes %s as UTC and says so', (raw) => {
    expect(parseWireDate(raw)).toEqual({ iso: '2026-02-03T14:05:00.000Z', assumedUtc: true })
  })

  it.each([
    [''],
    ['   '],
    ['Tuesday, sometime in February'],
    ['2026-02-30T10:00:00Z'],
    ['2026-13-01'],
    ['2026-02-03T25:00:00Z'],
    ['31 Smarch 2026 10:00 GMT'],
    ['0001-01-01T00:00:00Z'],
    ['2026-02-03T10:00:00+99:00'],
    ['1738591500'],
    ['x'.repeat(500)],
  ])('refuses %j', (raw) => {
    expect(parseWireDate(raw)).toBeNull()
  })

  it('accepts null and undefined as no date', () => {
    expect(parseWireDate(null)).toBeNull()
    expect(parseWireDate(undefined)).toBeNull()
  })
})
