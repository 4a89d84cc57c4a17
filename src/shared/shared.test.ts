import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { DomainError, formatPath, fromZodError } from './errors.ts'
import { newId } from './ids.ts'
import { parsePageNumber, toPage } from './pagination.ts'
import { slugify, SLUG_PATTERN } from './slug.ts'
import { collapseHtmlSpaces, collapseSpaces } from './spaces.ts'

describe('slugify', () => {
  it.each([
    ['Talks in Bogotá, resumed', 'talks-in-bogota-resumed'],
    ['  São Paulo: the “new” port  ', 'sao-paulo-the-new-port'],
    ['Über-Ökonomie in Köln', 'uber-okonomie-in-koln'],
    ['!!!', ''],
    ['日本語 only', 'only'],
  ])('%s → %s', (input, expected) => {
    expect(slugify(input)).toBe(expected)
  })

  it('cuts long titles at a word boundary and always yields a valid slug', () => {
    const slug = slugify('word '.repeat(60))
    expect(slug.length).toBeLessThanOrEqual(80)
    expect(slug).toMatch(SLUG_PATTERN)
    expect(slug.endsWith('-')).toBe(false)
  })
})

describe('ids', () => {
  it('are prefixed, unique and sort by creation time', () => {
    const a = newId('art', 1_700_000_000_000)
    const b = newId('art', 1_700_000_000_001)
    expect(a).toMatch(/^art_[0-9a-z]{19}$/)
    expect(a < b).toBe(true)
    expect(new Set(Array.from({ length: 1000 }, () => newId('sec'))).size).toBe(1000)
    // In one millisecond only the random part tells them apart, across several refills of the random pool.
    expect(new Set(Array.from({ length: 2000 }, () => newId('sec', 1_700_000_000_000))).size).toBe(2000)
  })
})

describe('pagination', () => {
  it('reads page numbers strictly', () => {
    expect(parsePageNumber(undefined)).toBe(1)
    expect(parsePageNumber('')).toBe(1)
    expect(parsePageNumber('7')).toBe(7)
    for (const bad of ['0', '-1', 'x', '1.5', '1e3', '10001', ['1', '2'], 3]) {
      expect(() => parsePageNumber(bad), String(bad)).toThrow(DomainError)
    }
  })

  it('uses the extra row to tell whether a next page exists', () => {
    expect(toPage([1, 2, 3], { page: 1, perPage: 2 })).toEqual({ items: [1, 2], page: 1, perPage: 2, hasNext: true })
    expect(toPage([1, 2], { page: 2, perPage: 2 })).toEqual({ items: [1, 2], page: 2, perPage: 2, hasNext: false })
  })
})

describe('errors', () => {
  it('formats zod paths like body[2].caption', () => {
    expect(formatPath(['body', 2, 'caption'])).toBe('body[2].caption')
    const schema = z.object({ body: z.array(z.object({ caption: z.string() })) })
    const result = schema.safeParse({ body: [{ caption: 'ok' }, { caption: 1 }] })
    const error = fromZodError(result.error!, 'X_INVALID')
    expect(error.kind).toBe('invalid')
    expect(error.code).toBe('X_INVALID')
    expect(error.issues.map((i) => i.path)).toEqual(['body[1].caption'])
  })
})

describe('zoned wall-clock times', async () => {
  const { zonedToUtc, utcToZoned, zonedDayBounds } = await import('./zoned-time.ts')
  it('converts both ways, across daylight saving', () => {
    expect(zonedToUtc('2026-02-03T11:20', 'America/New_York')).toBe('2026-02-03T16:20:00.000Z')
    expect(zonedToUtc('2026-07-03T11:20', 'America/New_York')).toBe('2026-07-03T15:20:00.000Z')
    expect(zonedToUtc('2026-07-03T11:20', 'UTC')).toBe('2026-07-03T11:20:00.000Z')
    expect(zonedToUtc('2026-03-29T12:00', 'Asia/Kolkata')).toBe('2026-03-29T06:30:00.000Z')
    expect(utcToZoned('2026-02-03T16:20:00.000Z', 'America/New_York')).toBe('2026-02-03T11:20')
    expect(utcToZoned('2026-07-03T15:20:00.000Z', 'America/New_York')).toBe('2026-07-03T11:20')
    // 02:30 on 8 March 2026 does not exist in New York; it lands after the jump.
    expect(zonedToUtc('2026-03-08T02:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z')
    expect(zonedToUtc('tomorrow', 'UTC')).toBeNull()
    expect(zonedToUtc('2026-13-40T99:99', 'UTC')).toBeNull()
  })
  it('gives the instants a day of a zone starts and ends, 23 hours on the spring change', () => {
    expect(zonedDayBounds('2026-03-01', 'America/New_York')).toEqual({ start: '2026-03-01T05:00:00.000Z', end: '2026-03-02T05:00:00.000Z' })
    expect(zonedDayBounds('2026-03-08', 'America/New_York')).toEqual({ start: '2026-03-08T05:00:00.000Z', end: '2026-03-09T04:00:00.000Z' })
    expect(zonedDayBounds('2026-02-30', 'UTC')).toBeNull()
    expect(zonedDayBounds('yesterday', 'UTC')).toBeNull()
  })
})

describe('collapsing white space', () => {
  // Every mix of spaces, tabs, line breaks, form feeds and no-break spaces up to four characters, between words and at the ends.
  const spaces = [' ', '\t', '\n', '\r', '\f', '\u00a0', '\u2003']
  const runs = ['']
  for (let length = 1; length <= 4; length++) for (const run of runs.filter((r) => r.length === length - 1)) for (const c of spaces) runs.push(run + c)

  it('gives what replacing every run would, for \\s and for HTML white space', () => {
    for (const run of runs) {
      for (const text of [`a${run}b`, `${run}a${run}b${run}`, `${run}`, `a b${run}c`]) {
        expect(collapseSpaces(text), JSON.stringify(text)).toBe(text.replace(/\s+/g, ' '))
        expect(collapseHtmlSpaces(text), JSON.stringify(text)).toBe(text.replace(/[ \t\n\r\f]+/g, ' '))
      }
    }
  })

  it('leaves text with lone spaces as it is', () => {
    const text = 'The council met on Tuesday to discuss the harbour budget.'
    expect(collapseSpaces(text)).toBe(text)
    expect(collapseHtmlSpaces(text)).toBe(text)
  })
})
