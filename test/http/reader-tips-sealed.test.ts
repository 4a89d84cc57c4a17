import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { RunningServer } from '../../src/server/main.ts'
import { rotateTipKeys } from '../../src/submissions/stores/age-keys.ts'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { parseHtml, textOf } from '../support/html.ts'
import { findInClear, startLoggedServer, type LoggedServer } from '../support/plain-text-search.ts'
import { startSmtp, type TestSmtp } from '../support/smtp.ts'

const EDITOR = { email: 'tips.editor@example.org', password: 'a tips editor password' }
const MARKER = `MARKER${Math.random().toString(36).slice(2, 12)}`
const AGE_HEADER = 'age-encryption.org/v1\n'


for (const dialect of DIALECTS) {
  describe(`${dialect}: tips are sealed to the newsroom's key`, () => {
    let target: LoggedServer
    let server: RunningServer
    let url: string
    beforeAll(async () => {
      target = await startLoggedServer(dialect, { minSeconds: 0, perAddress: 100, perHour: 1000 })
      ;({ server, url } = target)
      await server.container.auth.createUser({ ...EDITOR, name: 'Tips Editor', role: 'editor' })
    })
    afterAll(async () => {
      await target?.close()
    })

    async function sendTip(text: string, files: { name: string; bytes: Uint8Array }[]) {
      const page = parseHtml(await (await fetch(`${url}/contact/tip`)).text())
      const form = new FormData()
      form.append('_form', page('input[name="_form"]').attr('value')!)
      form.append('text', text)
      form.append('name', `Name ${MARKER}`)
      // The exact case: the search is case-sensitive, and a lowercased marker would hide an address kept as typed.
      form.append('email', `${MARKER}@example.org`)
      form.append('contact', `Signal ${MARKER}`)
      form.append('website', '')
      for (const f of files) form.append('files', new Blob([Buffer.from(f.bytes)]), f.name)
      // A user agent that names the sender: it must not reach the logs either.
      const response = await fetch(`${url}/contact/tip`, { method: 'POST', body: form, headers: { 'user-agent': `Browser/${MARKER}` } })
      const $ = parseHtml(await response.text())
      return { status: response.status, reference: textOf($, '.reference'), page: $ }
    }

    it('the logs of a tip and its follow-up page carry no client address, port or user agent', async () => {
      const before = target.logs.length
      const sent = await sendTip(`Address check ${MARKER}.`, [])
      expect(sent.status).toBe(200)
      await fetch(`${url}/contact/tip/follow-up`)
      const lines = target.logs.slice(before).join('').split('\n').filter(Boolean)
      const requestLines = lines.map((l) => JSON.parse(l) as { req?: { host?: string; url?: string } }).filter((l) => l.req)
      // The POST to /contact/tip and the follow-up page were logged, so an empty search cannot pass for a clean one.
      expect(requestLines.map((l) => l.req!.url)).toEqual(expect.arrayContaining(['/contact/tip', '/contact/tip/follow-up']))
      for (const line of requestLines) {
        expect(Object.keys(line.req!).sort()).toEqual(['host', 'method', 'url'])
        // The host is the site's (the URL the test fetched), not the client's; without it no line names 127.0.0.1.
        const { host: _host, ...rest } = line.req!
        expect(JSON.stringify({ ...line, req: rest })).not.toMatch(/127\.0\.0\.1|::1|remoteAddress|remotePort/)
      }
      expect(target.logs.slice(before).join('')).not.toContain(MARKER)
    })

    it('a tip leaves no trace of its words in the database, DATA_DIR or the logs; the stored blobs are age files', async () => {
      const sent = await sendTip(`The mayor's deal ${MARKER} is in the annex.`, [{ name: `annex-${MARKER}.txt`, bytes: new TextEncoder().encode(`Annex ${MARKER}\n`) }])
      expect(sent.status).toBe(200)
      const db = server.container.database.db
      const row = await db.selectFrom('submissions').selectAll().where('reference', '=', sent.reference).executeTakeFirstOrThrow()
      expect(row.body).toBe('')
      expect([row.name, row.email, row.contact]).toEqual([null, null, null])
      expect(Buffer.from(row.sealed!, 'base64').toString('latin1').startsWith(AGE_HEADER)).toBe(true)
      const file = await db.selectFrom('submission_attachments').selectAll().where('submission_id', '=', row.id).executeTakeFirstOrThrow()
      expect(file.file_name).toBe('file-1.txt')
      const onDisk = readFileSync(path.join(target.database.dataDir, 'submissions', file.storage_key))
      expect(onDisk.toString('latin1').startsWith(AGE_HEADER)).toBe(true)

      const { found, filesRead, dump } = findInClear(target, [MARKER])
      expect(found).toEqual([])
      // No SMTP server here: mail would be written to DATA_DIR/outbox unencrypted, so a tip gets none, and its page says why.
      const outbox = path.join(target.database.dataDir, 'outbox')
      expect(existsSync(outbox) ? readdirSync(outbox) : []).toEqual([])
      expect(sent.page('.receipt, main').text()).toContain('We sent no confirmation to your email address')
      expect(filesRead).toBeGreaterThan(1)
      if (dialect === 'postgres') expect(dump).toContain(sent.reference)
      expect(target.logs.length).toBeGreaterThan(0)
    })

    it('an editor opens the tip with the key file: its words, contact details and file come back', async () => {
      const sent = await sendTip(`Second tip ${MARKER}.`, [{ name: 'ledger.txt', bytes: new TextEncoder().encode('ledger lines\n') }])
      const row = await server.container.database.db.selectFrom('submissions').select('id').where('reference', '=', sent.reference).executeTakeFirstOrThrow()
      const editor = new AdminClient(url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      const page = await editor.get(`/admin/inbox/${row.id}`)
      expect(page.response.status).toBe(200)
      expect(page.$('.reader-body').text()).toBe(`Second tip ${MARKER}.`)
      expect(page.html).toContain(`Signal ${MARKER}`)
      const link = page.$('a').filter((_, a) => page.$(a).text() === 'ledger.txt')
      const download = await fetch(`${url}${link.attr('href')}`, { headers: { cookie: editor.cookieHeader() } })
      expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="ledger.txt"/)
      expect(await download.text()).toBe('ledger lines\n')
      const list = await editor.get('/admin/inbox?kind=tip')
      expect(list.html.includes(MARKER)).toBe(false)
      // The tipster gave a name, sealed with the tip: the list says so rather than calling the sender anonymous.
      const listed = list.$('tr').filter((_, tr) => list.$(tr).find('a').text() === sent.reference)
      expect(listed.find('td').eq(3).text()).toBe('Sealed: open the tip')
    })

    it('the standard age tool opens a stored tip and its file with the key file, as an editor without Masthead would', async () => {
      const sent = await sendTip(`Tool check ${MARKER}.`, [{ name: 'memo.txt', bytes: new TextEncoder().encode(`memo ${MARKER}\n`) }])
      const db = server.container.database.db
      const row = await db.selectFrom('submissions').selectAll().where('reference', '=', sent.reference).executeTakeFirstOrThrow()
      const keyFile = path.join(target.database.dataDir, 'keys', 'tips.key')
      // The words sit in the database as base64 of an age file (README, "Opening a tip without Masthead").
      const words = execFileSync('age', ['--decrypt', '--identity', keyFile], { input: Buffer.from(row.sealed!, 'base64') }).toString('utf8')
      expect(JSON.parse(words)).toMatchObject({ text: `Tool check ${MARKER}.`, email: `${MARKER}@example.org` })
      const file = await db.selectFrom('submission_attachments').selectAll().where('submission_id', '=', row.id).executeTakeFirstOrThrow()
      const bytes = execFileSync('age', ['--decrypt', '--identity', keyFile, path.join(target.database.dataDir, 'submissions', file.storage_key)])
      expect(bytes.toString('utf8')).toBe(`memo ${MARKER}\n`)
    })

    it('with no SMTP server a tip gets no email reply from the inbox: the desk is told to use the follow-up page, nothing is written to the outbox', async () => {
      const sent = await sendTip(`Reply check ${MARKER}.`, [])
      const row = await server.container.database.db.selectFrom('submissions').select('id').where('reference', '=', sent.reference).executeTakeFirstOrThrow()
      const editor = new AdminClient(url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      const csrf = await editor.csrfFrom(`/admin/inbox/${row.id}`)
      const refused = await editor.post(`/admin/inbox/${row.id}/reply`, { _csrf: csrf, subject: 'About your tip', reply: `We would like to talk ${MARKER}.` })
      expect(refused.response.status).toBe(409)
      expect(refused.html).toContain('Reply on the tip’s follow-up page instead')
      // The reply is kept in the form for the desk to move to the follow-up page.
      expect(refused.html).toContain(`We would like to talk ${MARKER}.`)
      const outbox = path.join(target.database.dataDir, 'outbox')
      expect(existsSync(outbox) ? readdirSync(outbox) : []).toEqual([])
    })

    it('after a rotation new tips use the new key and old tips still open; a missing key file is a clear error, not a 500', async () => {
      const keyFile = path.join(target.database.dataDir, 'keys', 'tips.key')
      expect(existsSync(keyFile)).toBe(true)
      const old = await sendTip('Before the rotation.', [])
      await rotateTipKeys(keyFile)
      expect(readFileSync(keyFile, 'utf8').match(/^AGE-SECRET-KEY-/gm)).toHaveLength(2)
      const fresh = await sendTip('After the rotation.', [])
      const db = server.container.database.db
      const ids = Object.fromEntries(
        await Promise.all([old, fresh].map(async (t) => [t.reference, (await db.selectFrom('submissions').select('id').where('reference', '=', t.reference).executeTakeFirstOrThrow()).id])),
      )
      const editor = new AdminClient(url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      expect((await editor.get(`/admin/inbox/${ids[old.reference]}`)).$('.reader-body').text()).toBe('Before the rotation.')
      expect((await editor.get(`/admin/inbox/${ids[fresh.reference]}`)).$('.reader-body').text()).toBe('After the rotation.')

      renameSync(keyFile, `${keyFile}.away`)
      try {
        const missing = await editor.get(`/admin/inbox/${ids[fresh.reference]}`)
        expect(missing.response.status).toBe(503)
        expect(missing.html).toContain('The tip key file')
        expect(missing.html).toContain('masthead keys init')
      } finally {
        renameSync(`${keyFile}.away`, keyFile)
      }
    })
  })
}

describe('mail about a tip that the mail server refuses', () => {
  let target: LoggedServer
  let smtp: TestSmtp
  const errors: string[] = []
  let restore: () => void
  beforeAll(async () => {
    smtp = await startSmtp({ refuse: true })
    target = await startLoggedServer('sqlite', { minSeconds: 0, perAddress: 100, perHour: 1000 }, { smtpUrl: smtp.url })
    await target.server.container.auth.createUser({ ...EDITOR, name: 'Tips Editor', role: 'editor' })
    // Failed mail is reported on stderr (the container's onMailError): keep what is written there.
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      errors.push(args.map((a) => (a instanceof Error ? `${a.message} ${JSON.stringify(a)}` : String(a))).join(' '))
    })
    restore = () => spy.mockRestore()
  })
  afterAll(async () => {
    restore?.()
    await target?.close()
    await smtp?.close()
  })

  it('is reported without the tipster\'s address, for the confirmation and for a reply from the inbox', async () => {
    const page = parseHtml(await (await fetch(`${target.url}/contact/tip`)).text())
    const form = new FormData()
    form.append('_form', page('input[name="_form"]').attr('value')!)
    form.append('text', 'A tip whose confirmation bounces.')
    form.append('email', `${MARKER}@example.org`)
    form.append('website', '')
    const response = await fetch(`${target.url}/contact/tip`, { method: 'POST', body: form })
    expect(response.status).toBe(200)
    const reference = textOf(parseHtml(await response.text()), '.reference')
    expect(errors.join('\n')).toContain('a mail to a tipster failed (EENVELOPE 550)')

    const row = await target.server.container.database.db.selectFrom('submissions').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()
    const editor = new AdminClient(target.url)
    await editor.signIn(EDITOR.email, EDITOR.password)
    const csrf = await editor.csrfFrom(`/admin/inbox/${row.id}`)
    const failed = await editor.post(`/admin/inbox/${row.id}/reply`, { _csrf: csrf, subject: 'About your tip', reply: 'Can we talk?' })
    expect(failed.response.status).toBe(409)
    expect(failed.html).toContain('The mail server did not take the reply')
    expect(failed.html).toContain('Can we talk?')
    expect(errors.length).toBeGreaterThanOrEqual(2)
    expect(errors.join('\n')).not.toContain(MARKER)
    expect(findInClear(target, [MARKER]).found).toEqual([])
  })

  it("is reported without a letter writer's address either", async () => {
    const page = parseHtml(await (await fetch(`${target.url}/contact/letter`)).text())
    const writer = `${MARKER}-letter@example.org`
    const fields = { _form: page('input[name="_form"]').attr('value')!, name: 'Ines Duarte', town: 'Porto', email: writer, text: 'A letter whose confirmation bounces.', website: '' }
    const response = await fetch(`${target.url}/contact/letter`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) })
    expect(response.status).toBe(200)
    expect(errors.join('\n')).toContain('a mail to the sender of a letter failed (EENVELOPE 550)')
    expect(errors.join('\n')).not.toContain(writer)
  })
})
