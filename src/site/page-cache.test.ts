import { describe, expect, it } from 'vitest'
import { createPageCache, createRenderer, etagOf, type CachedPage } from './page-cache.ts'

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

  it('keeps within its memory bound, dropping the least recently used first', () => {
    const cache = createPageCache({ maxEntries: 100, maxBytes: 2 * 2 * 1000, ttlMs: 60_000 })
    const page = (c: string) => ({ html: c.repeat(1000), etag: etagOf(c) })
    cache.set('/a', page('a'))
    cache.set('/b', page('b'))
    expect(cache.get('/a')).toBeDefined() // /b is now the least recently used
    cache.set('/c', page('c'))
    expect(cache.get('/b')).toBeUndefined()
    expect(cache.get('/a')).toBeDefined()
    expect(cache.get('/c')).toBeDefined()
    // A page larger than the whole bound is still kept, alone.
    cache.set('/big', { html: 'x'.repeat(5000), etag: etagOf('x') })
    expect(cache.get('/big')).toBeDefined()
    expect(cache.get('/a')).toBeUndefined()
    expect(cache.get('/c')).toBeUndefined()
  })

  it('gives equal pages equal weak ETags and different pages different ones', () => {
    expect(etagOf('<p>a</p>')).toMatch(/^W\/"[\w-]+"$/)
    expect(etagOf('<p>a</p>')).toBe(etagOf('<p>a</p>'))
    expect(etagOf('<p>a</p>')).not.toBe(etagOf('<p>b</p>'))
  })
})

describe('page cache surrogate keys', () => {
  const page = (html: string, keys: string[]) => ({ html, etag: etagOf(html), keys })

  it('purges exactly the entries carrying a key, marks them stale for the stale window, then drops them', () => {
    let now = 0
    const cache = createPageCache({ maxEntries: 10, ttlMs: 60_000, staleMs: 5000, now: () => now })
    cache.set('/', page('home', ['home', 'story:a', 'story:b']))
    cache.set('/sections/news', page('news', ['section:news', 'story:a']))
    cache.set('/sections/sport', page('sport', ['section:sport', 'story:c']))
    cache.set('/articles/b', page('b', ['story:b']))

    expect(cache.purge(['story:a'])).toBe(2)
    expect(cache.lookup('/')).toEqual({ page: page('home', ['home', 'story:a', 'story:b']), stale: true })
    expect(cache.get('/sections/news')).toBeUndefined()
    expect(cache.lookup('/sections/news')?.stale).toBe(true)
    expect(cache.lookup('/sections/sport')).toEqual({ page: page('sport', ['section:sport', 'story:c']), stale: false })
    expect(cache.get('/articles/b')?.html).toBe('b')

    // A second purge does not stretch the window.
    now = 3000
    cache.purge(['home'])
    now = 5000
    expect(cache.lookup('/')).toBeUndefined()
    expect(cache.lookup('/sections/news')).toBeUndefined()
    expect(cache.get('/sections/sport')?.html).toBe('sport')
  })

  it('a hard purge drops at once; a replaced or evicted entry leaves the index', () => {
    const cache = createPageCache({ maxEntries: 2, ttlMs: 60_000 })
    cache.set('/a', page('a1', ['story:x']))
    cache.set('/a', page('a2', ['story:y']))
    expect(cache.purge(['story:x'])).toBe(0)
    expect(cache.get('/a')?.html).toBe('a2')
    cache.set('/b', page('b', ['story:y']))
    cache.set('/c', page('c', ['story:z']))
    // /a was evicted: only /b still carries story:y.
    expect(cache.purge(['story:y'], { hard: true })).toBe(1)
    expect(cache.lookup('/b')).toBeUndefined()
    expect(cache.get('/c')?.html).toBe('c')
  })

  it('a render that a purge overtook is kept as stale, not fresh', () => {
    const cache = createPageCache({ maxEntries: 10, ttlMs: 60_000 })
    const since = cache.generation()
    cache.purge(['story:a'])
    cache.set('/', page('read before the purge', ['home']), since)
    expect(cache.lookup('/')?.stale).toBe(true)
    cache.set('/', page('read after', ['home']), cache.generation())
    expect(cache.lookup('/')?.stale).toBe(false)
  })
})

describe('the renderer in front of the cache', () => {
  const isPage = (value: CachedPage | { redirect: string }): value is CachedPage => !('redirect' in value)

  it('renders a burst once, and after a purge serves the stale copy to everyone but the request that renders', async () => {
    const cache = createPageCache({ maxEntries: 10, ttlMs: 60_000 })
    const render = createRenderer<{ redirect: string }>(cache)
    let renders = 0
    let release: () => void = () => {}
    const make = () => {
      renders++
      const n = renders
      return new Promise<CachedPage>((resolve) => {
        release = () => resolve({ html: `v${n}`, etag: etagOf(`v${n}`), keys: ['home'] })
      })
    }
    const burst = [render('/', make, isPage), render('/', make, isPage), render('/', make, isPage)]
    release()
    expect((await Promise.all(burst)).map((p) => (p as CachedPage).html)).toEqual(['v1', 'v1', 'v1'])
    expect(renders).toBe(1)

    cache.purge(['home'])
    const first = render('/', make, isPage)
    // While the refresh runs, others get the stale copy at once, without a second render.
    const during = await Promise.all([render('/', make, isPage), render('/', make, isPage)])
    expect(during.map((p) => (p as CachedPage).html)).toEqual(['v1', 'v1'])
    release()
    expect(((await first) as CachedPage).html).toBe('v2')
    expect(renders).toBe(2)
    expect(((await render('/', make, isPage)) as CachedPage).html).toBe('v2')
    expect(renders).toBe(2)
  })

  it('a failed refresh drops the stale copy; a redirect is passed through and not kept', async () => {
    const cache = createPageCache({ maxEntries: 10, ttlMs: 60_000 })
    const render = createRenderer<{ redirect: string }>(cache)
    await render('/a', async () => ({ html: 'a', etag: etagOf('a'), keys: ['story:a'] }), isPage)
    cache.purge(['story:a'])
    await expect(render('/a', async () => Promise.reject(new Error('gone')), isPage)).rejects.toThrow('gone')
    expect(cache.lookup('/a')).toBeUndefined()
    expect(await render('/b', async () => ({ redirect: '/c' }), isPage)).toEqual({ redirect: '/c' })
    expect(cache.lookup('/b')).toBeUndefined()
  })
})
