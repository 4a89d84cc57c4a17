import { describe, expect, it } from 'vitest'
import { createPageCache } from './page-cache.ts'

describe('page cache', () => {
  it('expires entries, evicts the least recently used and clears on demand', () => {
    let now = 0
    const cache = createPageCache({ maxEntries: 2, ttlMs: 100, now: () => now })
    cache.set('/a', 'A')
    cache.set('/b', 'B')
    expect(cache.get('/a')).toBe('A') // /a is now the most recently used
    cache.set('/c', 'C')
    expect(cache.get('/b')).toBeUndefined()
    expect(cache.get('/a')).toBe('A')
    now = 100
    expect(cache.get('/a')).toBeUndefined()
    cache.set('/d', 'D')
    cache.clear()
    expect(cache.get('/d')).toBeUndefined()
  })
})
