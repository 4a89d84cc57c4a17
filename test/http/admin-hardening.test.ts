import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Fastify from 'fastify'
import { ACCESS } from '../../src/admin/index.ts'
import { installShell } from '../../src/admin/shell/shell.tsx'
import { createMemoryCounter } from '../../src/rate-limits/index.ts'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { parseHtml, textOf } from '../support/html.ts'
import { buildTestContainer, startTestServer, type TestServer } from '../support/test-context.ts'

const EDITOR = { email: 'editor@example.org', password: 'an editor password' }
const AUTHOR = { email: 'author@example.org', password: 'an author password' }
const CONTRIBUTOR = { email: 'contrib@example.org', password: 'a contributor password' }
const ADMIN = { email: 'chief@example.org', password: 'the chief password' }

/**
 * Sends a request whose body never finishes unless the server reads it all:
 * resolves with the status as soon as the server answers. A server that
 * buffers the body first would wait forever (and the test times out).
 */
function answerBeforeBodyEnds(url: string, options: { path: string; headers: Record<string, string>; firstChunk: string | Buffer }): Promise<{ status: number; body: string; bytesSent: number }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    let bytesSent = 0
    let timer: NodeJS.Timeout | null = null
    const req = httpRequest({ host: target.hostname, port: target.port, path: options.path, method: 'POST', headers: options.headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => {
        if (timer) clearInterval(timer)
        req.destroy()
        resolve({ status: res.statusCode ?? 0, body, bytesSent })
      })
    })
    req.on('error', (error) => {
      if (timer) clearInterval(timer)
      // The server may close the socket after answering; that is fine once we have the answer.
      if (!req.destroyed) reject(error)
    })
    req.write(options.firstChunk)
    bytesSent += Buffer.byteLength(options.firstChunk)
    // Keep trickling 64 KB chunks that never complete the body.
    const chunk = Buffer.alloc(64 * 1024, 0x61)
    timer = setInterval(() => {
      if (req.destroyed) return
      req.write(chunk)
      bytesSent += chunk.length
    }, 20)
  })
}

/** A GET with any Host header; fetch() would quietly replace it. */
function getWithHost(url: string, path: string, host: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    const req = httpRequest({ host: target.hostname, port: target.port, path, headers: { host } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

function multipartStart(boundary: string, firstField: { name: string; value: string } | null): string {
  const parts = firstField ? `--${boundary}\r\ncontent-disposition: form-data; name="${firstField.name}"\r\n\r\n${firstField.value}\r\n` : ''
  return `${parts}--${boundary}\r\ncontent-disposition: form-data; name="files"; filename="big.xml"\r\ncontent-type: application/xml\r\n\r\n`
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: admin hardening (issue 12)`, () => {
    let t: TestServer
    beforeAll(async () => {
      t = await startTestServer(dialect, { wirePollSeconds: 0, loadDemo: false })
      const auth = t.server.container.auth
      await auth.createUser({ ...EDITOR, name: 'Eda Editor', role: 'editor' })
      await auth.createUser({ ...AUTHOR, name: 'Aldo Author', role: 'author' })
      await auth.createUser({ ...CONTRIBUTOR, name: 'Cora Contributor', role: 'contributor' })
      await auth.createUser({ ...ADMIN, name: 'Chief', role: 'admin' })
    })
    afterAll(async () => t?.cleanup())

    it('refuses a multipart body on routes that take no files, before reading it', async () => {
      const boundary = 'x-boundary'
      const open = await answerBeforeBodyEnds(t.url, {
        path: '/admin/sign-in',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        firstChunk: multipartStart(boundary, null),
      })
      expect(open.status).toBe(415)
      expect(open.body).toContain('does not take files')

      // The review's malformed body is a clear 415 too, never a 500.
      const junk = await t.fetch('/admin/sign-in', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: 'junk' })
      expect(junk.status).toBe(415)
    })

    it('refuses anonymous and forged uploads before reading a byte of any file', async () => {
      const boundary = 'upload-boundary'
      const anonymous = await answerBeforeBodyEnds(t.url, {
        path: '/admin/wire/upload',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        firstChunk: multipartStart(boundary, { name: '_csrf', value: 'forged' }),
      })
      expect(anonymous.status).toBe(401)

      const editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      const forged = await answerBeforeBodyEnds(t.url, {
        path: '/admin/wire/upload',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: editor.cookieHeader() },
        firstChunk: multipartStart(boundary, { name: '_csrf', value: 'not-the-token' }),
      })
      expect(forged.status).toBe(403)
      const missing = await answerBeforeBodyEnds(t.url, {
        path: '/admin/wire/upload',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: editor.cookieHeader() },
        firstChunk: multipartStart(boundary, null),
      })
      expect(missing.status).toBe(403)

      // A body that is not multipart at all, on the route that takes files: 400, not 500.
      const token = await editor.csrfFrom('/admin/wire/upload')
      const broken = await fetch(`${t.url}/admin/wire/upload`, {
        method: 'POST',
        headers: { cookie: editor.cookieHeader(), 'content-type': 'multipart/form-data; boundary=x', 'x-csrf-token': token },
        body: 'junk',
      })
      expect([400, 403]).toContain(broken.status)
      expect(broken.status).not.toBe(500)

      // A valid token, then a file cut off before its closing boundary: the body is unreadable, a 400 page naming the problem.
      const cut = await fetch(`${t.url}/admin/wire/upload`, {
        method: 'POST',
        headers: { cookie: editor.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: `${multipartStart(boundary, { name: '_csrf', value: token })}<rss version="2.0"><channel><item><title>cut`,
      })
      expect(cut.status).toBe(400)
      expect(await cut.text()).toContain('The upload could not be read')
    })

    it('binds CSRF tokens to the session: a token from another browser is refused', async () => {
      const attacker = new AdminClient(t.url)
      const plantedToken = await attacker.csrfFrom('/admin/sign-in')
      const plantedCookie = attacker.cookie('masthead_form')!
      expect(plantedCookie).toBeTruthy()

      const editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      editor.setCookie('masthead_form', plantedCookie)
      const forged = await editor.post('/admin/wire/rules', { _csrf: plantedToken, name: 'Planted rule', keyword: 'x', sectionIds: [] })
      expect(forged.response.status).toBe(403)
      const rules = await editor.get('/admin/wire/rules')
      expect(rules.html).not.toContain('Planted rule')

      // Another signed-in person's token does not work either.
      const author = new AdminClient(t.url)
      await author.signIn(AUTHOR.email, AUTHOR.password)
      const authorsToken = await author.csrfFrom('/admin/wire')
      const crossed = await editor.post('/admin/wire/sources', { _csrf: authorsToken, name: 'X', slug: 'x-feed', kind: 'feed', url: 'https://x.example/feed' })
      expect(crossed.response.status).toBe(403)

      // The editor's own token, from their own page, works.
      const own = await editor.csrfFrom('/admin/wire/rules')
      const { response } = await editor.post('/admin/wire/rules', { _csrf: own, name: 'Own rule', keyword: 'harbour', sectionIds: [] })
      expect([303, 422]).toContain(response.status)

      // Signing out and in again gives a new session, and the old token dies with the old session.
      await editor.post('/admin/sign-out', { _csrf: own })
      await editor.signIn(EDITOR.email, EDITOR.password)
      const stale = await editor.post('/admin/wire/rules', { _csrf: own, name: 'Stale', keyword: 'x' })
      expect(stale.response.status).toBe(403)
    })

    it('keeps sign-in redirects to plain admin paths, whatever `next` holds', async () => {
      const weird = await t.fetch('/admin/sign-in?next=%2Fadmin%2F%E3%80%B1google.com')
      expect(weird.status).toBe(200)
      const $ = parseHtml(await weird.text())
      expect($('input[name="next"]').attr('value')).toBe('/admin')

      for (const next of ['/admin/\r\nSet-Cookie: x=1', '/admin/\u2028x', '//evil.example/admin', '/admin\\@evil.example', 'https://evil.example/admin']) {
        const client = new AdminClient(t.url)
        const csrf = await client.csrfFrom('/admin/sign-in')
        const { response } = await client.post('/admin/sign-in', { _csrf: csrf, ...EDITOR, next })
        expect(response.status).toBe(303)
        expect(response.headers.get('location')).toBe('/admin')
        expect(client.hasCookie('masthead_session')).toBe(true)
      }
      const client = new AdminClient(t.url)
      const csrf = await client.csrfFrom('/admin/sign-in')
      const { response } = await client.post('/admin/sign-in', { _csrf: csrf, ...EDITOR, next: '/admin/wire/rules?x=1' })
      expect(response.headers.get('location')).toBe('/admin/wire/rules?x=1')
    })

    it('answers undecodable URLs with its own 400 page, without echoing the path', async () => {
      for (const path of ['/media/%c0%af', '/articles/%E0%A4%A']) {
        const response = await t.fetch(path)
        expect(response.status).toBe(400)
        expect(response.headers.get('content-type')).toMatch(/^text\/html/)
        const html = await response.text()
        expect(html).not.toContain('%c0')
        expect(html).not.toContain('%E0')
        expect(html).toContain('could not be read')
      }
    })

    it('answers unknown hosts with 421 and never puts a request host into a cacheable page', async () => {
      for (const path of ['/', '/articles/none', '/admin/sign-in']) {
        const evil = await getWithHost(t.url, path, 'evil.example')
        expect(evil.status, path).toBe(421)
        expect(evil.headers['cache-control']).toBe('no-store')
        expect(evil.body).not.toContain('evil.example')
      }
      const port = new URL(t.url).port
      expect((await getWithHost(t.url, '/', `localhost:${port}`)).status).toBe(200)
      expect((await getWithHost(t.url, '/', `[::1]:${port}`)).status).toBe(200)

      // Without a trusted proxy, X-Forwarded-Host is not believed.
      const forwarded = await t.fetch('/contact', { headers: { 'x-forwarded-host': 'evil.example' } })
      expect(forwarded.status).toBe(200)
      expect(await forwarded.text()).not.toContain('evil.example')

      expect((await getWithHost(t.url, '/healthz', 'evil.example')).status).toBe(200)
    })

    it('sends security headers on public pages, error pages, health checks and media', async () => {
      for (const path of ['/', '/no-such-page', '/healthz']) {
        const response = await t.fetch(path)
        const csp = response.headers.get('content-security-policy') ?? ''
        expect(csp).toContain("script-src 'none'")
        expect(csp).toContain("frame-ancestors 'none'")
        expect(response.headers.get('x-content-type-options')).toBe('nosniff')
        expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
        expect(response.headers.get('strict-transport-security')).toBeNull()
      }
      const { writeFileSync, mkdirSync } = await import('node:fs')
      mkdirSync(`${t.config.dataDir}/media/test`, { recursive: true })
      writeFileSync(`${t.config.dataDir}/media/test/x.svg`, '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
      const svg = await t.fetch('/media/test/x.svg')
      expect(svg.status).toBe(200)
      expect(svg.headers.get('content-security-policy')).toMatch(/sandbox/)
      expect(svg.headers.get('content-security-policy')).toMatch(/default-src 'none'/)
      expect(svg.headers.get('x-content-type-options')).toBe('nosniff')
    })

    it('lets each role use exactly the routes the access table gives it, and refuses the rest without a 500', async () => {
      const people = { admin: ADMIN, editor: EDITOR, author: AUTHOR, contributor: CONTRIBUTOR }
      const clients = new Map<string, AdminClient>()
      for (const [role, who] of Object.entries(people)) {
        const client = new AdminClient(t.url)
        await client.signIn(who.email, who.password)
        clients.set(role, client)
      }
      clients.set('anonymous', new AdminClient(t.url))
      const sample = (route: string) => route.replace(/:id/g, 'xyz_missing').replace(/:action/g, 'enable').replace('*', 'missing.css')
      for (const [key, rule] of Object.entries(ACCESS)) {
        const [method, route] = key.split(' ') as [string, string]
        // Signing in and out change the clients themselves; the tests above cover them.
        if (route === '/admin/sign-out' || key === 'POST /admin/sign-in') continue
        // Public forms that answer 401 to a wrong code or 404 to an unknown link whoever asks; their own tests cover them.
        if (rule === 'public' && method === 'POST') continue
        for (const [who, client] of clients) {
          const allowed = rule === 'public' || (who !== 'anonymous' && rule.includes(who as never))
          const path = sample(route)
          const csrf = method === 'GET' ? '' : await client.csrfFrom(who === 'anonymous' ? '/admin/sign-in' : '/admin/password')
          const { response } =
            method === 'GET' ? await client.get(path) : method === 'POST' ? await client.post(path, { _csrf: csrf }) : await client.json(method, path, {}, csrf)
          expect(response.status, `${who} ${key}`).toBeLessThan(500)
          if (allowed) {
            expect([401, 403], `${who} may use ${key}`).not.toContain(response.status)
          } else if (who === 'anonymous') {
            if (method === 'GET') expect(response.headers.get('location'), key).toMatch(/^\/admin\/sign-in\?next=/)
            else expect(response.status, `anonymous ${key}`).toBe(401)
          } else {
            expect(response.status, `${who} must not use ${key}`).toBe(403)
          }
        }
      }
      // Some 500 requests (every route, five clients): about 10 s alone, several times that when the whole suite shares two cores.
    }, 180_000)
  })
}

describe('sign-in limits per address and per account (issue 12, item 2)', () => {
  for (const dialect of DIALECTS) {
    describe(dialect, () => {
      let t: TestServer
      beforeAll(async () => {
        t = await startTestServer(dialect, { wirePollSeconds: 0, loadDemo: false })
        await t.server.container.auth.createUser({ ...EDITOR, name: 'Eda Editor', role: 'editor' })
      })
      afterAll(async () => t?.cleanup())

        it('ignores X-Forwarded-For unless a proxy is configured: the per-address limit holds', async () => {
          const client = new AdminClient(t.url)
          const statuses: number[] = []
          for (let i = 0; i < 22; i++) {
            const csrf = await client.csrfFrom('/admin/sign-in')
            const { response } = await client.post('/admin/sign-in', { _csrf: csrf, email: `nobody${i}@example.org`, password: 'wrong password!' }, { 'x-forwarded-for': `203.0.113.${i}` })
            statuses.push(response.status)
          }
          expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401))
          expect(statuses.slice(20)).toEqual([429, 429])
          const csrf = await client.csrfFrom('/admin/sign-in')
          const refused = await client.post('/admin/sign-in', { _csrf: csrf, ...EDITOR }, { 'x-forwarded-for': '198.51.100.7' })
          expect(refused.response.status).toBe(429)
          expect(textOf(refused.$, 'h1')).toBe('Too many requests')
          expect(refused.$('title').text()).toMatch(/^Too many requests/)
        })


        it('slows down and then pauses one account, known or not, without saying which exists', async () => {
          const attempt = async (email: string, password: string) => {
            const client = new AdminClient(t.url)
            const csrf = await client.csrfFrom('/admin/sign-in')
            return client.post('/admin/sign-in', { _csrf: csrf, email, password })
          }
          // A fresh server, so the per-address limit used up above does not answer first.
          await t.cleanup()
          t = await startTestServer(dialect, { wirePollSeconds: 0, loadDemo: false })
          await t.server.container.auth.createUser({ ...EDITOR, name: 'Eda Editor', role: 'editor' })
          const answers: string[] = []
          for (const email of [EDITOR.email, 'ghost@example.org']) {
            const statuses: number[] = []
            for (let i = 0; i < 5; i++) statuses.push((await attempt(email, 'wrong password!')).response.status)
            expect(statuses).toEqual([401, 401, 401, 401, 401])
            const paused = await attempt(email, EDITOR.password)
            expect(paused.response.status).toBe(429)
            answers.push(textOf(paused.$, '[role="alert"]'))
          }
          expect(answers[0]).toMatch(/^Too many failed sign-ins with this email address\. Wait \d+ seconds?, then try again\.$/)
          expect(answers[1]).toBe(answers[0])
        })
      })
  }
})

describe('behind a configured proxy', () => {
  let t: TestServer
  beforeAll(async () => {
    t = await startTestServer('sqlite', { wirePollSeconds: 0, loadDemo: false, trustProxy: ['loopback'] })
    await t.server.container.auth.createUser({ ...EDITOR, name: 'Eda Editor', role: 'editor' })
  })
  afterAll(async () => t?.cleanup())

  it('believes the proxy about the client and about https, so cookies are Secure', async () => {
    const statuses: number[] = []
    const client = new AdminClient(t.url)
    for (let i = 0; i < 22; i++) {
      const csrf = await client.csrfFrom('/admin/sign-in')
      statuses.push((await client.post('/admin/sign-in', { _csrf: csrf, email: `n${i}@example.org`, password: 'wrong password!' }, { 'x-forwarded-for': `203.0.113.${i}` })).response.status)
    }
    expect(statuses).toEqual(Array(22).fill(401))

    const secure = new AdminClient(t.url)
    const csrf = await secure.csrfFrom('/admin/sign-in')
    const { response } = await secure.post('/admin/sign-in', { _csrf: csrf, ...EDITOR }, { 'x-forwarded-proto': 'https' })
    expect(response.status).toBe(303)
    expect(response.headers.getSetCookie().join()).toMatch(/masthead_session=.*; Secure/i)
    expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000')

    const plain = new AdminClient(t.url)
    await plain.csrfFrom('/admin/sign-in')
    const signedIn = await plain.signIn(EDITOR.email, EDITOR.password)
    expect(signedIn.headers.getSetCookie().join()).not.toMatch(/Secure/i)
  })
})

describe('with a configured https origin', () => {
  let t: TestServer
  beforeAll(async () => {
    t = await startTestServer('sqlite', { wirePollSeconds: 0, baseUrl: 'https://news.example.org' })
    await t.server.container.auth.createUser({ ...EDITOR, name: 'Eda Editor', role: 'editor' })
  })
  afterAll(async () => t?.cleanup())

  it('marks the form and session cookies Secure, with no proxy to say so', async () => {
    const form = await fetch(`${t.url}/admin/sign-in`)
    expect(form.headers.getSetCookie().join()).toMatch(/masthead_form=[^,]*; Secure/i)
    const client = new AdminClient(t.url)
    const signedIn = await client.signIn(EDITOR.email, EDITOR.password)
    expect(signedIn.status).toBe(303)
    expect(signedIn.headers.getSetCookie().join()).toMatch(/masthead_session=[^,]*; Secure/i)
  })

  it('uses the origin for every link whatever the Host, and asks browsers to keep to https', async () => {
    const port = new URL(t.url).port
    const page = await getWithHost(t.url, '/contact', `other.example:${port}`)
    expect(page.status).toBe(200)
    expect(page.body).toContain('<link rel="canonical" href="https://news.example.org/contact"/>')
    expect(page.body).not.toContain('other.example')
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000')
  })
})

describe('the sign-in limit per address across nodes, through Redis (issue 11)', () => {
  const prefix = `masthead-test-signin-${process.pid}-${Date.now()}:`
  let a: TestServer
  let b: TestServer
  let away: TestServer
  const warnings: string[] = []
  const originalWarn = console.warn
  beforeAll(async () => {
    const shared = { wirePollSeconds: 0, loadDemo: false, redisUrl: 'redis://127.0.0.1:6379', redisPrefix: prefix }
    a = await startTestServer('sqlite', shared)
    b = await startTestServer('sqlite', shared)
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '))
    away = await startTestServer('sqlite', { wirePollSeconds: 0, loadDemo: false, redisUrl: 'redis://127.0.0.1:1', redisPrefix: prefix })
  }, 120_000)
  afterAll(async () => {
    console.warn = originalWarn
    const redis = a?.server.container.redis
    if (redis) {
      const keys = await redis.keys(`${prefix}*`)
      if (keys.length) await redis.del(...keys)
    }
    await Promise.all([a?.cleanup(), b?.cleanup(), away?.cleanup()])
  })

  async function tryWrong(t: TestServer, client: AdminClient, i: number): Promise<number> {
    const csrf = await client.csrfFrom('/admin/sign-in')
    const { response } = await client.post('/admin/sign-in', { _csrf: csrf, email: `roamer${i}@example.org`, password: 'wrong password!' })
    return response.status
  }

  it('counts one address on every node: ten tries on each, and the next on either is refused', async () => {
    const [onA, onB] = [new AdminClient(a.url), new AdminClient(b.url)]
    const statuses: number[] = []
    for (let i = 0; i < 10; i++) statuses.push(await tryWrong(a, onA, i), await tryWrong(b, onB, 100 + i))
    expect(statuses).toEqual(Array(20).fill(401))
    expect(await tryWrong(a, onA, 50)).toBe(429)
    expect(await tryWrong(b, onB, 150)).toBe(429)
  })

  it('with Redis away, sign-in still answers and the limit holds in the process, with one warning', async () => {
    const client = new AdminClient(away.url)
    const statuses: number[] = []
    for (let i = 0; i < 21; i++) statuses.push(await tryWrong(away, client, 200 + i))
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401))
    expect(statuses[20]).toBe(429)
    expect(warnings.filter((w) => w.startsWith('admin rate limits: Redis cannot be reached'))).toHaveLength(1)
  }, 60_000)
})

describe('an admin route missing from the access table', () => {
  it('stops the server from starting, naming the route', async () => {
    const t = await buildTestContainer('sqlite')
    const start = async (route: string) => {
      const app = Fastify({ logger: false })
      await app.register(async (scope) => {
        await installShell(scope, {
          auth: t.container.auth,
          settings: t.container.settings,
          describeError: () => ({ status: 500, title: 'Error', detail: '', code: 'INTERNAL', issues: [] }),
          isHttpsOrigin: false,
          unreadCount: async () => 0,
          isTwoFactorRequired: async () => false,
          requestCounter: createMemoryCounter(),
        })
        scope.get(route, async () => 'hello')
      })
      try {
        await app.ready()
      } finally {
        await app.close()
      }
    }
    try {
      await expect(start('/admin/not-in-the-table')).rejects.toThrow('Admin route GET /admin/not-in-the-table is missing from the access table')
      // The same shell with a listed route starts.
      await expect(start('/admin/audit')).resolves.toBeUndefined()
    } finally {
      await t.cleanup()
    }
  })
})
