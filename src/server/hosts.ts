import type { Config } from './config.ts'

/**
 * Which Host headers the site answers. Without a configured origin, the
 * request's host becomes the canonical link, og:url and JSON-LD URLs of pages
 * that shared caches may keep, so only listed hosts are believed and every
 * other one is answered with 421 (issue 12, item 5).
 */

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]'])
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]']

/** `[::1]:3000` → `{ name: '[::1]', port: '3000' }`; `news.example.org` → `{ name, port: null }`. */
export function splitHost(host: string): { name: string; port: string | null } {
  const lower = host.trim().toLowerCase()
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(lower)
  if (!match) return { name: lower, port: null }
  return { name: match[1]!, port: match[2] ?? null }
}

/**
 * A predicate for the Host header. With a base URL every host is fine, since
 * pages never use it. With ALLOWED_HOSTS an entry without a port allows that
 * name on the scheme's default port only, and one with a port allows exactly
 * that. The default list is the listening address and the loopback names, on
 * any port, which is what a person trying the site on their machine uses.
 */
export function createHostCheck(config: Pick<Config, 'baseUrl' | 'allowedHosts' | 'host'>): (host: string) => boolean {
  if (config.baseUrl) return () => true
  if (config.allowedHosts) {
    const allowed = new Set(config.allowedHosts)
    return (host) => {
      const { name, port } = splitHost(host)
      return allowed.has(port ? `${name}:${port}` : name)
    }
  }
  const listening = config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host.toLowerCase()}]` : config.host.toLowerCase()
  const names = new Set([...LOOPBACK_NAMES, ...(WILDCARD_HOSTS.has(listening) ? [] : [listening])])
  return (host) => names.has(splitHost(host).name)
}
