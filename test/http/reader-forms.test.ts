import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFormGuard, formSecret, solveProof } from '../../src/submissions/index.ts'
import { DIALECTS } from '../support/dialects.ts'
import { parseHtml, textOf } from '../support/html.ts'
import { startSmtp, type TestSmtp } from '../support/smtp.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

/** A browser's GET of a form page: the form's token and the page. */
async function openForm(t: TestServer, path: string) {
  const response = await t.fetch(path)
  const html = await response.text()
  const $ = parseHtml(html)
  return { response, html, $, token: $('input[name="_form"]').first().attr('value') ?? '' }
}

async function postForm(t: TestServer, path: string, fields: Record<string, string>) {
  const response = await t.fetch(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) })
  const html = await response.text()
  return { response, html, $: parseHtml(html) }
}

async function postMultipart(t: TestServer, path: string, fields: Record<string, string>, files: { name: string; bytes: Uint8Array; type?: string }[] = []) {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  for (const f of files) form.append('files', new Blob([Buffer.from(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name)
  const response = await t.fetch(path, { method: 'POST', body: form })
  const html = await response.text()
  return { response, html, $: parseHtml(html) }
}

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n')
const HOSTILE = '<script>alert(1)</script> <img src=x onerror="alert(2)"> <a href="javascript:alert(3)">x</a> \u202Egnp.exe\u200B ' + 'W'.repeat(3000)

for (const dialect of DIALECTS) {
  describe(`${dialect}: the reader forms`, () => {
    let t: TestServer
    let smtp: TestSmtp
    beforeAll(async () => {
      smtp = await startSmtp()
      t = await startTestServer(dialect, { wirePollSeconds: 0, pageCache: false, smtpUrl: smtp.url, readerForms: { minSeconds: 0, perAddress: 1000, perHour: 10000 } })
    })
    afterAll(async () => {
      await t?.cleanup()
      await smtp?.close()
    })

    it('/contact keeps the contact text and offers the three forms, each also at its own address', async () => {
      const page = await openForm(t, '/contact')
      expect(page.response.status).toBe(200)
      expect(page.response.headers.get('cache-control')).toBe('no-store')
      // Our own scripts only (the proof of work, the tip sealed in the browser); the forms work without them.
      expect(page.response.headers.get('content-security-policy')).toContain("script-src 'self'")
      expect(page.html).toContain('The newsroom reads every message.')
      expect(page.$('form[action="/contact/letter"]')).toHaveLength(1)
      expect(page.$('form[action="/contact/opinion"][enctype="multipart/form-data"]')).toHaveLength(1)
      expect(page.$('form[action="/contact/tip"][enctype="multipart/form-data"]')).toHaveLength(1)
      expect(page.$('script').map((_, el) => page.$(el).attr('src')).get()).toEqual([expect.stringMatching(/^\/assets\/reader-tip\.[0-9a-f]{12}\.js$/)])
      for (const kind of ['letter', 'opinion', 'tip']) {
        const own = await openForm(t, `/contact/${kind}`)
        expect(own.response.status).toBe(200)
        expect(own.$('h1').text()).toMatch(/letter|opinion|tip/i)
        expect(own.token).toMatch(/^\d+\.[\w-]+$/)
      }
    })

    it('an article page links to the letter form with the story filled in', async () => {
      const { articles } = t.server.container
      const page = await articles.listPublished({}, { page: 1, perPage: 1 })
      const story = page.items[0]!
      const article = parseHtml(await (await t.fetch(`/articles/${story.slug}`)).text())
      const link = article('a').filter((_, a) => article(a).text() === 'Write a letter about this story')
      expect(link.attr('href')).toBe(`/contact/letter?about=${story.slug}`)
      const form = await openForm(t, link.attr('href')!)
      expect(textOf(form.$, 'form p:contains("About:")')).toBe(`About: ${story.title}`)
      expect(form.$('input[name="about"]').attr('value')).toBe(story.slug)
    })

    it('a letter with problems comes back with each message at its field and everything typed kept', async () => {
      const { token } = await openForm(t, '/contact/letter')
      const words = Array.from({ length: 401 }, (_, i) => `word${i}`).join(' ')
      const sent = await postForm(t, '/contact/letter', { _form: token, name: 'Ines Duarte', town: '', email: 'not an address', text: words, website: '' })
      expect(sent.response.status).toBe(422)
      expect(textOf(sent.$, '#letter-town-error')).toMatch(/town/)
      expect(textOf(sent.$, '#letter-email-error')).toMatch(/email address/)
      expect(textOf(sent.$, '#letter-text-error')).toBe('Keep it to 400 words or fewer.')
      expect(sent.$('#letter-name').attr('value')).toBe('Ines Duarte')
      expect(sent.$('#letter-email').attr('value')).toBe('not an address')
      expect(sent.$('#letter-text').text()).toBe(words)
      expect(sent.$('#letter-town').attr('aria-invalid')).toBe('true')
      expect(sent.$('#letter-town').attr('aria-describedby')).toBe('letter-town-error')
    })

    it('a letter is confirmed with a reference and an email', async () => {
      const before = smtp.messages.length
      const { token } = await openForm(t, '/contact/letter')
      const sent = await postForm(t, '/contact/letter', { _form: token, name: 'Ines Duarte', town: 'Porto', email: 'ines@example.org', text: 'The harbour story missed the night shift.\n\nThey work too.', website: '' })
      expect(sent.response.status).toBe(200)
      const reference = textOf(sent.$, '.reference')
      expect(reference).toMatch(/^L-[A-Z0-9]{8}$/)
      expect(sent.html).toContain('We sent a confirmation to the email address you gave.')
      const mail = (await smtp.waitFor(before + 1))[before]!
      expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('ines@example.org')
      expect(mail.subject).toBe(`We received your letter (${reference})`)
      expect(mail.text).toContain(reference)
      const stored = await t.server.container.database.db.selectFrom('submissions').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow()
      expect(stored).toMatchObject({ kind: 'letter', state: 'new', name: 'Ines Duarte', town: 'Porto', body: 'The harbour story missed the night shift.\n\nThey work too.' })
    })

    it('an opinion piece takes one attachment whose type is read from the bytes, not the name', async () => {
      const fields = { name: 'Rosa Lind', email: 'rosa@example.org', bio: 'Rosa Lind teaches physics.', headline: 'Teach the grid', text: 'Our schools should explain the grid.', website: '' }
      const { token } = await openForm(t, '/contact/opinion')
      const lying = await postMultipart(t, '/contact/opinion', { _form: token, ...fields }, [{ name: 'notes.pdf', bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]), type: 'application/pdf' }])
      expect(lying.response.status).toBe(422)
      expect(textOf(lying.$, '#opinion-files-error')).toMatch(/“notes.pdf” is not a file we can take/)
      expect(lying.$('#opinion-headline').attr('value')).toBe('Teach the grid')
      expect(lying.$('#opinion-text').text()).toBe('Our schools should explain the grid.')
      const { token: again } = await openForm(t, '/contact/opinion')
      const sent = await postMultipart(t, '/contact/opinion', { _form: again, ...fields }, [{ name: 'draft.bin', bytes: PDF }])
      expect(sent.response.status, sent.html.slice(0, 500)).toBe(200)
      const reference = textOf(sent.$, '.reference')
      const db = t.server.container.database.db
      const row = await db.selectFrom('submissions').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()
      const files = await db.selectFrom('submission_attachments').selectAll().where('submission_id', '=', row.id).execute()
      expect(files.map((f) => [f.file_name, f.media_type, f.size])).toEqual([['draft.bin', 'application/pdf', PDF.length]])
    })

    it('a file over the limit is refused with the text kept', async () => {
      const { token } = await openForm(t, '/contact/tip')
      const big = new Uint8Array(11 * 1024 * 1024).fill(0x41)
      const sent = await postMultipart(t, '/contact/tip', { _form: token, text: 'The council hid the audit.', name: '', email: '', contact: 'Signal: @someone', website: '' }, [{ name: 'audit.txt', bytes: big }])
      expect(sent.response.status).toBe(413)
      expect(textOf(sent.$, '#tip-files-error')).toMatch(/too large/)
      expect(sent.$('#tip-text').text()).toBe('The council hid the audit.')
      expect(sent.$('#tip-contact').attr('value')).toBe('Signal: @someone')
    })

    it('files each within their limit but over the limit for one send are refused, and nothing is stored', async () => {
      const { token } = await openForm(t, '/contact/tip')
      const db = t.server.container.database.db
      const count = async () => Number((await db.selectFrom('submissions').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n)
      const before = await count()
      // Three files of 9 MB: each under the 10 MB a file may have, together over the 25 MB a send may carry.
      const files = [1, 2, 3].map((n) => ({ name: `part-${n}.txt`, bytes: new Uint8Array(9 * 1024 * 1024).fill(0x41) }))
      const sent = await postMultipart(t, '/contact/tip', { _form: token, text: 'The ledgers are in three parts.', name: '', email: '', contact: '', website: '' }, files)
      expect(sent.response.status).toBe(413)
      expect(textOf(sent.$, '#tip-files-error')).toMatch(/at most 10 MB each, 5 files and 25 MB at once/)
      expect(sent.$('#tip-text').text()).toBe('The ledgers are in three parts.')
      expect(await count()).toBe(before)
    })

    it('an anonymous tip is confirmed without mail and stores no address of the sender', async () => {
      const before = smtp.messages.length
      const { token } = await openForm(t, '/contact/tip')
      const sent = await postMultipart(t, '/contact/tip', { _form: token, text: 'Look at the port tender.', name: '', email: '', contact: '', website: '' }, [{ name: 'tender.txt', bytes: new TextEncoder().encode('plain words\n') }])
      expect(sent.response.status).toBe(200)
      expect(textOf(sent.$, '.reference')).toMatch(/^T-/)
      expect(sent.html).toContain('You gave no email address, so no confirmation was sent.')
      expect(smtp.messages.length).toBe(before)
      const row = await t.server.container.database.db.selectFrom('submissions').selectAll().where('reference', '=', textOf(sent.$, '.reference')).executeTakeFirstOrThrow()
      expect(JSON.stringify(row)).not.toContain('127.0.0.1')
    })

    it('spam defences: the honeypot, a forged token, a form sent too fast or too late', async () => {
      const values = { name: 'Bot', town: 'Nowhere', email: 'bot@example.org', text: 'Buy things.' }
      const count = async () => Number((await t.server.container.database.db.selectFrom('submissions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
      const start = await count()
      const { token } = await openForm(t, '/contact/letter')
      const trapped = await postForm(t, '/contact/letter', { _form: token, ...values, website: 'https://spam.example' })
      expect(trapped.response.status).toBe(422)
      expect(textOf(trapped.$, '.form-problem')).toMatch(/Leave this empty/)
      expect(trapped.$('#letter-text').text()).toBe('Buy things.')
      const forged = await postForm(t, '/contact/letter', { _form: '1700000000000.forged', ...values, website: '' })
      expect(forged.response.status).toBe(400)
      const secret = await formSecret(t.server.container.database.db)
      const fromFuture = createFormGuard({ secret, now: () => Date.now() + 60_000, minSeconds: 0, maxAgeSeconds: 86400 }).issue('letter')
      const fast = await postForm(t, '/contact/letter', { _form: fromFuture, ...values, website: '' })
      expect(fast.response.status).toBe(422)
      expect(textOf(fast.$, '.form-problem')).toMatch(/quicker than a person/)
      const stale = createFormGuard({ secret, now: () => Date.now() - 2 * 86400_000, minSeconds: 0, maxAgeSeconds: 86400 }).issue('letter')
      const late = await postForm(t, '/contact/letter', { _form: stale, ...values, website: '' })
      expect(late.response.status).toBe(422)
      // A letter's token does not open the tip form.
      const crossed = await postMultipart(t, '/contact/tip', { _form: token, text: 'x', website: '' })
      expect(crossed.response.status).toBe(400)
      expect(await count()).toBe(start)
    })

    it('hostile text is shown back verbatim and never as markup', async () => {
      const { token } = await openForm(t, '/contact/letter')
      const sent = await postForm(t, '/contact/letter', { _form: token, name: '<b onmouseover=alert(1)>Eve</b>', town: '', email: 'eve@example.org', text: HOSTILE, website: '' })
      expect(sent.response.status).toBe(422)
      expect(sent.$('#letter-text').text()).toBe(HOSTILE)
      expect(sent.$('#letter-name').attr('value')).toBe('<b onmouseover=alert(1)>Eve</b>')
      expect(sent.$('script:not([src^="/assets/reader-"])')).toHaveLength(0)
      expect(sent.$('img')).toHaveLength(0)
      expect(sent.$('b')).toHaveLength(0)
    })
  })
}

const REDIS_URL = 'redis://127.0.0.1:6379'

for (const dialect of DIALECTS) {
  describe(`${dialect}: reader form rate limits`, () => {
    const servers: TestServer[] = []
    afterAll(async () => {
      for (const s of servers) await s.cleanup()
    })

    // With the proof solved, as a browser with JavaScript sends it: these limits are the ones for everyone.
    async function sendLetter(t: TestServer, text: string) {
      const page = await openForm(t, '/contact/letter')
      const proof = page.$('input[name="_proof"]').attr('value')!
      return postForm(t, '/contact/letter', { _form: page.token, _proof: proof, _proof_answer: solveProof(proof), name: 'Ada Reader', town: 'Lyon', email: 'ada@example.org', text, website: '' })
    }

    it('without Redis, one address may send only so many forms; the refused text stays in the form', async () => {
      const t = await startTestServer(dialect, { wirePollSeconds: 0, readerForms: { minSeconds: 0, perAddress: 2, perHour: 100 } })
      servers.push(t)
      expect((await sendLetter(t, 'First.')).response.status).toBe(200)
      expect((await sendLetter(t, 'Second.')).response.status).toBe(200)
      const third = await sendLetter(t, 'Third, kept.')
      expect(third.response.status).toBe(429)
      expect(textOf(third.$, '.form-problem')).toMatch(/wait ten minutes/)
      expect(third.$('#letter-text').text()).toBe('Third, kept.')
    })

    it('without Redis, the limit on everyone holds too', async () => {
      const t = await startTestServer(dialect, { wirePollSeconds: 0, readerForms: { minSeconds: 0, perAddress: 100, perHour: 1 } })
      servers.push(t)
      expect((await sendLetter(t, 'First.')).response.status).toBe(200)
      const second = await sendLetter(t, 'Second.')
      expect(second.response.status).toBe(429)
      expect(textOf(second.$, '.form-problem')).toMatch(/very many messages/)
    })

    it('with Redis, two processes share one count per address', async () => {
      const prefix = `masthead-test-${dialect}-${process.pid}-${Date.now()}:`
      const options = { wirePollSeconds: 0, redisUrl: REDIS_URL, redisPrefix: prefix, readerForms: { minSeconds: 0, perAddress: 2, perHour: 100 } }
      const a = await startTestServer(dialect, options)
      servers.push(a)
      const b = await startTestServer(dialect, options)
      servers.push(b)
      expect((await sendLetter(a, 'One on A.')).response.status).toBe(200)
      expect((await sendLetter(b, 'One on B.')).response.status).toBe(200)
      const refused = await sendLetter(a, 'Third, anywhere.')
      expect(refused.response.status).toBe(429)
      expect((await sendLetter(b, 'Fourth.')).response.status).toBe(429)
      const count = await b.server.container.database.db.selectFrom('submissions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
      expect(Number(count.n)).toBe(1)
    })
  })
}
