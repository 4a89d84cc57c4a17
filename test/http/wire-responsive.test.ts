import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

/**
 * The server keeps answering while the wire desk works (issues 12 and 13): a
 * hostile upload is parsed in the parser's own process, and a long ingest
 * gives the event loop a turn between chunks. While the work runs, /healthz
 * and the public front page are asked for in turn, and the slowest answer
 * must stay under SLOWEST_ANSWER_MS. Before the fixes an answer waited for the
 * whole parse or the whole ingest (tens of seconds); the bound is generous
 * because CI runs this beside other test files on two cores (answers of 2.2 to
 * 2.3 s were seen on a machine also running benchmarks).
 */

const SLOWEST_ANSWER_MS = 4_000

const EDITOR = { email: 'desk@example.org', password: 'a desk editor password' }
const utf8 = (text: string) => new TextEncoder().encode(text)

/** Issue 12's file: a 200 KB attribute on the root, 20,000 items, and a broken end. */
function salvageFile(): Uint8Array {
  let text = `<?xml version="1.0"?>\n<rss version="2.0" data-pad="${'x'.repeat(200 * 1024)}"><channel><title>t</title>`
  for (let i = 0; i < 20_000; i++) text += `<item><guid>g${i}</guid><title>t${i}</title></item>`
  return utf8(`${text}<broken></channel></rss>`)
}

/** Issue 13's templated results copy: one agency, near-identical items. */
function templatedFeed(count: number): Uint8Array {
  const words = 'harbour council ferry minister election budget strike port river school vaccine court grid energy oil talks migration border trade farm'.split(' ')
  const pick = (i: number, n: number) => Array.from({ length: n }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ')
  const items = Array.from({ length: count }, (_, i) => `<item><guid>urn:t:${i}</guid><title>${pick(i, 8)} ${i}</title><description>${pick(i, 120)}</description></item>`)
  return utf8(`<?xml version="1.0"?><rss version="2.0"><channel><title>Results Agency</title><link>https://results.example/</link><description>x</description>${items.join('')}</channel></rss>`)
}

interface Answers {
  /** Answers that came while the work was still running. */
  whileRunning: number
  /** The slowest of them, in milliseconds. */
  slowestMs: number
}

/** Asks /healthz and the front page, in turn, until `work` settles. */
async function answersWhile(t: TestServer, work: Promise<unknown>): Promise<Answers> {
  let settled = false
  void work.finally(() => (settled = true)).catch(() => {})
  const answers: Answers = { whileRunning: 0, slowestMs: 0 }
  for (let i = 0; !settled; i++) {
    const path = i % 2 === 0 ? '/healthz' : '/'
    const started = performance.now()
    const response = await t.fetch(path, { signal: AbortSignal.timeout(60_000) })
    const body = await response.text()
    const took = performance.now() - started
    const stillRunning = !settled
    expect(response.status, path).toBe(200)
    if (path === '/healthz') expect(JSON.parse(body)).toEqual({ status: 'ok' })
    if (stillRunning) {
      answers.whileRunning++
      answers.slowestMs = Math.max(answers.slowestMs, took)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return answers
}

describe.each(DIALECTS)('%s: the server answers while the wire desk works', (dialect) => {
  let t: TestServer
  beforeAll(async () => {
    t = await startTestServer(dialect, { wirePollSeconds: 0 })
    await t.server.container.auth.createUser({ ...EDITOR, name: 'Desk Editor', role: 'editor' })
  })
  afterAll(async () => t?.cleanup())

  it('answers /healthz during an upload of the issue 12 salvage file, which is then read whole', async () => {
    const editor = new AdminClient(t.url)
    await editor.signIn(EDITOR.email, EDITOR.password)
    const csrf = await editor.csrfFrom('/admin/wire/upload')
    const upload = editor.upload('/admin/wire/upload', { _csrf: csrf }, [{ name: 'salvage.xml', bytes: salvageFile(), type: 'application/rss+xml' }])
    const answers = await answersWhile(t, upload)
    expect(answers.whileRunning).toBeGreaterThan(0)
    expect(answers.slowestMs).toBeLessThan(SLOWEST_ANSWER_MS)
    const { response, $ } = await upload
    expect(response.status).toBe(200)
    expect($('table tbody tr').first().find('td').map((_, td) => $(td).text()).get().slice(0, 2)).toEqual(['salvage.xml', '20000'])
  }, 600_000)

  it('answers /healthz and the front page promptly during a long ingest in this process', async () => {
    const ingest = t.server.container.wire.ingest({ bytes: templatedFeed(3_000), origin: 'results.xml' })
    const answers = await answersWhile(t, ingest)
    expect(answers.whileRunning).toBeGreaterThan(0)
    expect(answers.slowestMs).toBeLessThan(SLOWEST_ANSWER_MS)
    expect((await ingest).imported).toBe(3_000)
  }, 600_000)
})
