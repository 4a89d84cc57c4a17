import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseHtml, textOf } from '../support/html.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

describe('sqlite: when the server itself fails', () => {
  let t: TestServer
  beforeAll(async () => {
    t = await startTestServer('sqlite', { pageCache: false })
  })
  // The database is already closed by the test; closing it again may complain.
  afterAll(async () => t.cleanup().catch(() => {}))

  it('answers a friendly 500 page without internals, and readiness says unavailable', async () => {
    expect((await t.fetch('/readyz')).status).toBe(200)
    // Pull the database out from under the running server.
    await t.server.container.database.close()

    const response = await t.fetch('/sections/politics')
    expect(response.status).toBe(500)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-store')
    const html = await response.text()
    const $ = parseHtml(html)
    expect(textOf($, 'h1')).toBe('Something went wrong')
    expect($('main').text()).toContain('Please try again')
    expect(html).not.toMatch(/sqlite|kysely|driver|stack|at \//i)

    expect((await t.fetch('/readyz')).status).toBe(503)
  })
})
