import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../src/server/main.ts'
import { PASSPHRASE_WORDS } from '../../src/submissions/index.ts'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { parseHtml, textOf } from '../support/html.ts'
import { findInClear, startLoggedServer, type LoggedServer } from '../support/plain-text-search.ts'

const EDITOR = { email: 'follow.editor@example.org', password: 'a follow-up editor password' }
const MARKER = `MARKER${Math.random().toString(36).slice(2, 12)}`
const DENIED = 'That reference and passphrase do not open a tip.'


for (const dialect of DIALECTS) {
  describe(`${dialect}: a tip's follow-up page`, { timeout: 180_000 }, () => {
    let target: LoggedServer
    let server: RunningServer
    let url: string
    let editor: AdminClient
    beforeAll(async () => {
      target = await startLoggedServer(dialect, { minSeconds: 0, perAddress: 1000, perHour: 10000 })
      ;({ server, url } = target)
      await server.container.auth.createUser({ ...EDITOR, name: 'Follow Editor', role: 'editor' })
      editor = new AdminClient(url)
      await editor.signIn(EDITOR.email, EDITOR.password)
    }, 180_000)
    afterAll(async () => {
      await target?.close()
    })

    async function sendTip(text: string) {
      const page = parseHtml(await (await fetch(`${url}/contact/tip`)).text())
      const form = new FormData()
      form.append('_form', page('input[name="_form"]').attr('value')!)
      form.append('text', text)
      form.append('website', '')
      const response = await fetch(`${url}/contact/tip`, { method: 'POST', body: form })
      const $ = parseHtml(await response.text())
      expect(response.status).toBe(200)
      return { reference: textOf($, '.reference'), passphrase: textOf($, '.passphrase'), $ }
    }

    async function lookUp(reference: string, passphrase: string, extra: Record<string, string> = {}) {
      const form = parseHtml(await (await fetch(`${url}/contact/tip/follow-up`)).text())
      const response = await fetch(`${url}/contact/tip/follow-up`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _form: form('input[name="_form"]').attr('value')!, reference, passphrase, website: '', ...extra }),
      })
      const html = await response.text()
      return { response, html, $: parseHtml(html) }
    }

    async function addMore(access: string, text: string, files: { name: string; bytes: Uint8Array }[] = []) {
      const form = new FormData()
      form.append('_form', access)
      form.append('text', text)
      form.append('website', '')
      for (const f of files) form.append('files', new Blob([Buffer.from(f.bytes)]), f.name)
      const response = await fetch(`${url}/contact/tip/follow-up/add`, { method: 'POST', body: form, redirect: 'manual' })
      const html = await response.text()
      return { response, html, $: parseHtml(html) }
    }

    const tipId = async (reference: string) => (await server.container.database.db.selectFrom('submissions').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()).id

    it('the confirmation shows a passphrase of eight words; only its scrypt hash is stored', async () => {
      const sent = await sendTip('The harbour contract went to a cousin.')
      expect(sent.reference).toMatch(/^T-[A-Z0-9]{8}$/)
      const words = sent.passphrase.split(' ')
      expect(words).toHaveLength(8)
      for (const w of words) expect(PASSPHRASE_WORDS).toContain(w)
      expect(sent.$('a[href="/contact/tip/follow-up"]')).toHaveLength(1)
      const contact = parseHtml(await (await fetch(`${url}/contact`)).text())
      expect(contact('nav a[href="/contact/tip/follow-up"]').text()).toBe('Follow up on a tip you sent')
      const row = await server.container.database.db.selectFrom('submissions').select(['passphrase_hash']).where('reference', '=', sent.reference).executeTakeFirstOrThrow()
      expect(row.passphrase_hash).toMatch(/^scrypt\$/)
      expect(row.passphrase_hash!.includes(words[0]!)).toBe(false)
    })

    it('a wrong passphrase, an unknown reference and nonsense all get the same answer, and no cookie is ever set', async () => {
      const sent = await sendTip('Second tip.')
      const other = await sendTip('Third tip.')
      const wrongPass = await lookUp(sent.reference, other.passphrase)
      const unknown = await lookUp('T-2222AAAA', sent.passphrase)
      const nonsense = await lookUp('hello', 'not the words')
      for (const answer of [wrongPass, unknown, nonsense]) {
        expect(answer.response.status).toBe(403)
        expect(textOf(answer.$, '.form-problem')).toContain(DENIED)
        expect(answer.response.headers.get('set-cookie')).toBeNull()
        expect(answer.$('input[name="passphrase"]').attr('value')).toBeUndefined()
      }
      // The three pages differ only in their fresh form token and the reference typed.
      const strip = (html: string) => html.replace(/name="_form" value="[^"]*"/, '').replace(/name="reference"[^>]*>/, '')
      expect(strip(unknown.html)).toBe(strip(wrongPass.html))
      const empty = await lookUp('', '')
      expect(empty.response.status).toBe(422)
      expect(empty.$('#follow-up-reference-error').text()).toMatch(/Give the reference/)
      // Without the signed form token: refused before anything is checked.
      const forged = await fetch(`${url}/contact/tip/follow-up`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ reference: sent.reference, passphrase: sent.passphrase }) })
      expect(forged.status).toBe(400)
      // Typed in lower case, with hyphens instead of spaces: still opens.
      const sloppy = await lookUp(sent.reference.toLowerCase(), sent.passphrase.toUpperCase().replace(/ /g, '-'))
      expect(sloppy.response.status).toBe(200)
      expect(sloppy.response.headers.get('set-cookie')).toBeNull()
      expect(sloppy.response.headers.get('cache-control')).toBe('no-store')
      expect(textOf(sloppy.$, 'h1')).toBe(`Your tip ${sent.reference}`)
    })

    it('the editor replies on the follow-up page; the tipster reads it, adds more with a file, and the editor sees it; all sealed, nothing in clear anywhere', async () => {
      const sent = await sendTip('The council minutes were altered.')
      const id = await tipId(sent.reference)
      const first = await lookUp(sent.reference, sent.passphrase)
      expect(first.$('.notes li')).toHaveLength(0)

      const page = await editor.get(`/admin/inbox/${id}`)
      const csrf = page.$('input[name="_csrf"]').first().attr('value')!
      const empty = await editor.post(`/admin/inbox/${id}/follow-up`, { _csrf: csrf, followUp: '  ' })
      expect(empty.response.status).toBe(422)
      expect(textOf(empty.$, '#field-followUp-error')).toBe('Write the reply.')
      const replied = await editor.post(`/admin/inbox/${id}/follow-up`, { _csrf: csrf, followUp: `Can you send the original minutes? ${MARKER}-reply` })
      expect(replied.response.status).toBe(303)

      const second = await lookUp(sent.reference, sent.passphrase)
      expect(second.response.status).toBe(200)
      expect(textOf(second.$, '.notes li .reader-text')).toBe(`Can you send the original minutes? ${MARKER}-reply`)
      const access = second.$('form[action="/contact/tip/follow-up/add"] input[name="_form"]').attr('value')!
      expect(access.startsWith(`${id}.`)).toBe(true)

      // An access token for another tip is no key to this one.
      const other = await sendTip('Unrelated.')
      const forged = await addMore(`${await tipId(other.reference)}${access.slice(id.length)}`, 'Forged.')
      expect(forged.response.status).toBe(403)
      expect(textOf(forged.$, '.form-problem')).toMatch(/closes 30 minutes after you open it/)
      // A forged token stops the upload at its first part: nothing after it is read.
      expect(forged.$('input[name="text"]')).toHaveLength(0)

      const added = await addMore(access, `Here they are. ${MARKER}-added`, [{ name: `minutes-${MARKER}.txt`, bytes: new TextEncoder().encode(`Minutes ${MARKER}\n`) }])
      expect(added.response.status).toBe(200)
      expect(textOf(added.$, '[role="status"]')).toBe('Thank you: the newsroom has your new information.')
      // The tipster's own words are not shown back: only that they wrote, and when.
      expect(added.html.includes(`${MARKER}-added`)).toBe(false)
      expect(added.$('.notes li .meta').last().text()).toMatch(/^You added information, .* \(one file\)$/)

      const list = await editor.get('/admin/inbox?kind=tip')
      const listed = list.$('tr').filter((_, tr) => list.$(tr).find(`a[href="/admin/inbox/${id}"]`).length === 1)
      expect(listed.text()).toMatch(/more from the sender/)
      expect(list.html.includes(MARKER)).toBe(false)
      const seen = await editor.get(`/admin/inbox/${id}`)
      const thread = seen.$('section[aria-labelledby="follow-up-title"] .notes > li')
      expect(thread).toHaveLength(2)
      expect(thread.eq(0).text()).toMatch(/Reply by Follow Editor/)
      expect(thread.eq(1).text()).toContain(`Here they are. ${MARKER}-added`)
      const link = seen.$('a').filter((_, a) => seen.$(a).text() === `minutes-${MARKER}.txt`)
      expect(link).toHaveLength(1)
      const download = await fetch(`${url}${link.attr('href')}`, { headers: { cookie: editor.cookieHeader() } })
      expect(await download.text()).toBe(`Minutes ${MARKER}\n`)

      const actions = (await server.container.audit.list({}, { page: 1, perPage: 200 })).items.filter((e) => e.targetId === id).map((e) => e.action)
      expect(actions).toEqual(expect.arrayContaining(['submission.tip_follow_up_replied', 'submission.tip_follow_up_added', 'submission.tip_opened']))

      // Nothing in clear: not the replies, not the additions, not the passphrase, in the database, DATA_DIR or the logs.
      const { found, filesRead, dump } = findInClear(target, [MARKER, sent.passphrase])
      expect(found).toEqual([])
      expect(filesRead).toBeGreaterThan(1)
      if (dialect === 'postgres') expect(dump).toContain(sent.reference)
      expect(target.logs.length).toBeGreaterThan(0)
    })

    it('one tip can be tried ten times an hour, right or wrong; the eleventh is refused even with the right passphrase', async () => {
      const sent = await sendTip('Guess me.')
      for (let i = 0; i < 10; i++) expect((await lookUp(sent.reference, 'acorn acorn acorn acorn acorn acorn acorn acorn')).response.status).toBe(403)
      const right = await lookUp(sent.reference, sent.passphrase)
      expect(right.response.status).toBe(429)
      expect(textOf(right.$, '.form-problem')).toMatch(/too many tries/)
    })
  })
}

describe('the follow-up look-up with the usual minimum time to fill in a form', () => {
  let target: LoggedServer
  beforeAll(async () => {
    target = await startLoggedServer('sqlite', { minSeconds: 60, perAddress: 100, perHour: 1000 })
  }, 120_000)
  afterAll(async () => {
    await target?.close()
  })

  it('opens at once: pasting a reference and a passphrase is quick, and no reader text is at stake', async () => {
    const receipt = await target.server.container.submissions.submitTip({ text: 'Quick to paste.', name: '', email: '', contact: '' })
    const page = parseHtml(await (await fetch(`${target.url}/contact/tip/follow-up`)).text())
    const response = await fetch(`${target.url}/contact/tip/follow-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _form: page('input[name="_form"]').attr('value')!, reference: receipt.reference, passphrase: receipt.passphrase!, website: '' }),
    })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain(receipt.reference)
  })
})
