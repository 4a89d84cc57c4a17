import { describe, expect, it } from 'vitest'
import { createPageCache, etagOf } from './page-cache.ts'

describe('page cache', () => {
  it('expires entries, evicts the least recently used and clears on demand', () => {
    let now = 0
    const cache = createPageCache({ maxEntries: 2, ttlMs: 100, now: () => now })
    const page = (html: string) => ({ html, etag: etagOf(html) })
    cache.set('/a', page('A'))
    cache.set('/b', page('B'))
    expect(cache.get('/a')?.html).toBe('A') // /a is now the most recently used
    cache.set('/c', page('C'))
    expect(cache.get('/b')).toBeUndefined()
    expect(cache.get('/a')).toEqual(page('A'))
    now = 100
    expect(cache.get('/a')).toBeUndefined()
    cache.set('/d', page('D'))
    cache.clear()
    expect(cache.get('/d')).toBeUndefined()
  })

  it('gives equal pages equal weak ETags and different pages different ones', () => {
    expect(etagOf('<p>a</p>')).toMatch(/^W\/"[\w-]+"$/)
    expect(etagOf('<p>a</p>')).toBe(etagOf('<p>a</p>'))
    expect(etagOf('<p>a</p>')).not.toBe(etagOf('<p>b</p>'))
  })
})
