import { describe, expect, it } from 'vitest'
import { DEFAULT_RETRY_POLICY, newSecret, nextAttemptAt, sign, verifySignature } from './webhook.ts'

describe('webhook signatures', () => {
  it('match what openssl computes for the documented recipe', () => {
    // printf '%s' '1767225600.{"id":"whe_1"}' | openssl dgst -sha256 -hmac 'whsec_test'
    expect(sign('whsec_test', 1767225600, '{"id":"whe_1"}')).toBe('v1=ef92ee81e97f61a97f17edc91bec180948e28f6b2959eee77e98a57763319562')
  })

  it('verify only the same secret, body and timestamp, within the tolerance', () => {
    const signature = sign('whsec_a', 1000, 'body')
    const base = { secret: 'whsec_a', body: 'body', timestamp: '1000', signature, nowSeconds: 1000 }
    expect(verifySignature(base)).toBe(true)
    expect(verifySignature({ ...base, nowSeconds: 1300 })).toBe(true)
    expect(verifySignature({ ...base, nowSeconds: 1301 })).toBe(false)
    expect(verifySignature({ ...base, body: 'body ' })).toBe(false)
    expect(verifySignature({ ...base, secret: 'whsec_b' })).toBe(false)
    expect(verifySignature({ ...base, timestamp: '1000.0' })).toBe(false)
    expect(verifySignature({ ...base, signature: signature.toUpperCase() })).toBe(false)
  })

  it('secrets are new each time and carry 256 bits', () => {
    const a = newSecret()
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)
    expect(newSecret()).not.toBe(a)
  })
})

describe('retry times', () => {
  const policy = DEFAULT_RETRY_POLICY
  const at = (failures: number, random: number, now = 0) => nextAttemptAt({ now, firstFailedAt: 0, failures, policy, random: () => random })

  it('double with each failure, with half of each wait random, up to three hours', () => {
    expect([at(1, 0), at(1, 0.999999)]).toEqual([15_000, 30_000])
    expect([at(2, 0), at(3, 0), at(4, 0)]).toEqual([30_000, 60_000, 120_000])
    expect(at(20, 0.5)).toBe(Math.round(0.75 * 3 * 3600_000))
  })

  it('stop 24 hours after the first failure, with a last try at that moment', () => {
    expect(at(12, 1, 23 * 3600_000)).toBe(24 * 3600_000)
    expect(at(12, 0, 24 * 3600_000)).toBeNull()
  })
})
