import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as errors from './errors.ts'

const catalogue = readFileSync(new URL('../../docs/errors-wire.md', import.meta.url), 'utf8')

describe('wire error codes', () => {
  const exported = Object.entries(errors).filter(([name, value]) => typeof value === 'string' && name === value).map(([name]) => name)

  it('are UPPER_SNAKE, start with WIRE_ and equal their constant name', () => {
    expect(exported.length).toBeGreaterThan(10)
    for (const code of exported) expect(code).toMatch(/^WIRE_[A-Z]+(_[A-Z]+)*$/)
  })

  it('are all in WIRE_CODES, once', () => {
    expect([...errors.WIRE_CODES].sort()).toEqual([...exported].sort())
  })

  it('each have a row in docs/errors-wire.md, and the page lists no other wire code', () => {
    for (const code of errors.WIRE_CODES) expect(catalogue).toMatch(new RegExp(`^\\| \`${code}\` \\|[^|]+\\|[^|]+\\|$`, 'm'))
    const documented = [...catalogue.matchAll(/^\| `(WIRE_[A-Z_]+)` \|/gm)].map((m) => m[1])
    expect(documented.sort()).toEqual([...errors.WIRE_CODES].sort())
  })
})
