import { describe, expect, it } from 'vitest'
import { classifyHost, isPrivateAddress, refusedLiteral } from './outbound.ts'

describe('the outbound guard', () => {
  it('knows private, loopback, link-local, carrier-grade, multicast and unspecified addresses', () => {
    for (const a of ['10.0.0.1', '127.0.0.1', '169.254.169.254', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1']) {
      expect(isPrivateAddress(a), a).toBe(true)
    }
    for (const a of ['93.184.216.34', '172.32.0.1', '100.128.0.1', '8.8.8.8', '2001:db8::1', '::ffff:93.184.216.34']) expect(isPrivateAddress(a), a).toBe(false)
  })

  it('refuses a literal private address in a URL unless allowed', () => {
    expect(refusedLiteral(new URL('http://[::1]:8080/x'), false)).toContain('::1 is a private address')
    expect(refusedLiteral(new URL('http://10.1.2.3/x'), true)).toBeNull()
    expect(refusedLiteral(new URL('https://example.org/x'), false)).toBeNull()
  })

  it('classifies host names by what they resolve to', async () => {
    expect(await classifyHost('localhost')).toBe('private')
    expect(await classifyHost('[::1]')).toBe('private')
    expect(await classifyHost('93.184.216.34')).toBe('public')
    expect(await classifyHost('no-such-host.invalid')).toBe('unknown')
  })
})
