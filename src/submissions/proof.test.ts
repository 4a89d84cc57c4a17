import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createMemorySpentStore, createProofOfWork, solveProof } from './proof.ts'
import { leadingZeroBits } from './proof-rule.ts'

describe('proof of work', () => {
  it('counts leading zero bits across bytes', () => {
    expect(leadingZeroBits(new Uint8Array([0x80]))).toBe(0)
    expect(leadingZeroBits(new Uint8Array([0x01]))).toBe(7)
    expect(leadingZeroBits(new Uint8Array([0, 0, 0x10]))).toBe(19)
    expect(leadingZeroBits(new Uint8Array([0, 0]))).toBe(16)
  })

  it('takes a right answer once, refuses a wrong, stale, crossed or changed one, and treats no answer as none', async () => {
    let now = 1_800_000_000_000
    const pow = createProofOfWork({ secret: 'k', now: () => now, bits: 10, maxAgeSeconds: 60, spent: createMemorySpentStore(() => now) })
    const challenge = pow.issue('letter')
    const answer = solveProof(challenge)
    expect(leadingZeroBits(createHash('sha256').update(`${challenge}:${answer}`).digest())).toBeGreaterThanOrEqual(10)
    expect(await pow.check('letter', challenge, '')).toBe('none')
    expect(await pow.check('letter', undefined, undefined)).toBe('none')
    expect(await pow.check('opinion', challenge, answer)).toBe('invalid')
    expect(await pow.check('letter', challenge.replace('.10.', '.1.'), answer)).toBe('invalid')
    expect(await pow.check('letter', challenge, 'NOT-BASE36')).toBe('invalid')
    expect(await pow.check('letter', ['x'], answer)).toBe('invalid')
    expect(await pow.check('letter', challenge, answer)).toBe('ok')
    expect(await pow.check('letter', challenge, answer)).toBe('replayed')
    const later = pow.issue('letter')
    now += 61_000
    expect(await pow.check('letter', later, solveProof(later))).toBe('stale')
  })

  it('forgets spent challenges once they would be stale anyway', async () => {
    let now = 0
    const spent = createMemorySpentStore(() => now)
    expect(await spent.spend('a', 1000)).toBe(true)
    expect(await spent.spend('a', 1000)).toBe(false)
    now = 1001
    expect(await spent.spend('a', 1000)).toBe(true)
  })
})
