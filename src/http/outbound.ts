import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { isIP } from 'node:net'

/**
 * The rules every request Masthead makes to an address someone typed in (a
 * wire feed, a webhook endpoint) follows, so that the admin cannot be used to
 * reach the machines behind it (SSRF):
 *
 * - private, loopback and link-local addresses are refused unless the caller
 *   allows them (an agency on a private line, a test server on loopback);
 * - the check runs inside the socket's own DNS lookup (`guardedLookup`), so
 *   the address checked is the address connected to: a name cannot resolve to
 *   a public address for the check and a private one for the connection;
 * - a literal IP address never goes through DNS, so `refusedLiteral` checks it.
 */

/**
 * True for addresses that must not be reached from a public fetch.
 * @example isPrivateAddress('10.1.2.3') // true
 * @example isPrivateAddress('93.184.216.34') // false
 */
export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const [a, b] = address.split('.').map(Number) as [number, number]
    return (
      a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224
    )
  }
  const v6 = address.toLowerCase()
  if (v6.startsWith('::ffff:')) return isPrivateAddress(v6.slice(7))
  return v6 === '::' || v6 === '::1' || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe80') || v6.startsWith('ff')
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

/**
 * A `lookup` for `http.request` that resolves once and refuses private
 * addresses unless `allowPrivate`; the connection goes to the address it returns.
 * The refusal is an error with code `EPRIVATE`.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: object, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '')
      const list = addresses as LookupAddress[]
      const allowed = allowPrivate ? list : list.filter((a) => !isPrivateAddress(a.address))
      if (allowed.length === 0) {
        const refused = Object.assign(new Error(`${hostname} resolves only to private addresses, which may not be reached from here`), { code: 'EPRIVATE' })
        return callback(refused, '')
      }
      if ((options as { all?: boolean }).all) return callback(null, allowed)
      callback(null, allowed[0]!.address, allowed[0]!.family)
    })
  }
}

/** The reason a URL's host is refused before any connection (a private literal IP), or null. */
export function refusedLiteral(url: URL, allowPrivate: boolean): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (isIP(host) && !allowPrivate && isPrivateAddress(host)) return `${host} is a private address, which may not be reached from here`
  return null
}

/**
 * Whether a host name may be reached: `private` when it is, or resolves only
 * to, private addresses; `unknown` when it does not resolve within
 * `timeoutMs`. Used to refuse an address at the form; the connection itself
 * is checked again.
 */
export function classifyHost(hostname: string, timeoutMs = 3000): Promise<'public' | 'private' | 'unknown'> {
  const host = hostname.replace(/^\[|\]$/g, '')
  if (isIP(host)) return Promise.resolve(isPrivateAddress(host) ? 'private' : 'public')
  return new Promise((resolve) => {
    // A resolver that does not answer must not hold the admin's form for its own long timeout.
    const timer = setTimeout(() => resolve('unknown'), timeoutMs)
    dnsLookup(host, { all: true }, (error, addresses) => {
      clearTimeout(timer)
      if (error || addresses.length === 0) return resolve('unknown')
      resolve(addresses.every((a) => isPrivateAddress(a.address)) ? 'private' : 'public')
    })
  })
}
