import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_DECLINE_REASONS } from '../../src/settings/index.ts'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { parseHtml, textOf } from '../support/html.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const ADMIN = { email: 'desk.admin@ledger.example', password: 'desk admin password' }
const EDITOR = { email: 'desk.editor@ledger.example', password: 'desk editor password' }

/** The reader desk's settings, changed where admins change them: word limits and the usual decline reasons. */
for (const dialect of DIALECTS) {
  describe(`${dialect}: the reader desk's settings`, () => {
    let t: TestServer
    let admin: AdminClient
    let editor: AdminClient

    beforeAll(async () => {
      t = await startTestServer(dialect, { wirePollSeconds: 0, pageCache: false, readerForms: { minSeconds: 0, perAddress: 1000, perHour: 10000 } })
      const { auth } = t.server.container
      await auth.createUser({ ...ADMIN, name: 'Ada Admin', role: 'admin' })
      await auth.createUser({ ...EDITOR, name: 'Eli Editor', role: 'editor' })
      admin = new AdminClient(t.url)
      await admin.signIn(ADMIN.email, ADMIN.password)
      editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
    })
    afterAll(async () => t?.cleanup())

    /** The settings form as the page shows it, so a test changes only what it names. */
    const formValues = () => admin.formValues('/admin/settings', 'form.record-form')

    it('the letter and opinion word limits are changed in Site settings, checked at their fields, and used by the forms', async () => {
      const page = await admin.get('/admin/settings')
      expect(page.$('#field-letterWordLimit').attr('value')).toBe('400')
      expect(page.$('#field-opinionWordLimit').attr('value')).toBe('1200')
      for (const [letterWordLimit, message] of [
        ['10', 'Allow letters at least 50 words.'],
        ['many', 'Give the most words a letter may have, as a whole number.'],
        ['90000', 'Allow letters at most 5,000 words.'],
      ] as const) {
        const bad = await admin.post('/admin/settings', { ...(await formValues()), letterWordLimit })
        expect(bad.response.status).toBe(422)
        expect(textOf(bad.$, '#field-letterWordLimit-error')).toBe(message)
        expect(bad.$('#field-letterWordLimit').attr('value')).toBe(letterWordLimit)
      }
      expect((await t.server.container.settings.get()).letterWordLimit).toBe(400)
      const saved = await admin.post('/admin/settings', { ...(await formValues()), letterWordLimit: '60', opinionWordLimit: '800' })
      expect(saved.response.status).toBe(303)
      expect(await t.server.container.settings.get()).toMatchObject({ letterWordLimit: 60, opinionWordLimit: 800 })

      const form = parseHtml(await (await t.fetch('/contact/letter')).text())
      expect(form('#letter-text-hint').text() || form.html()).toContain('At most 60 words.')
      const long = Array.from({ length: 70 }, (_, i) => `word${i}`).join(' ')
      const sent = await t.fetch('/contact/letter', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _form: form('input[name="_form"]').attr('value')!, name: 'Ines', town: 'Porto', email: 'ines@example.org', text: long, website: '' }),
      })
      expect(sent.status).toBe(422)
      expect(await sent.text()).toContain('Keep it to 60 words or fewer.')
    })

    it('the usual decline reasons are edited by admins and offered in the inbox; a reason written out still wins', async () => {
      const page = await admin.get('/admin/settings')
      expect(page.$('#field-declineReasons').text()).toBe(DEFAULT_DECLINE_REASONS.join('\n'))
      const tooLong = await admin.post('/admin/settings', { ...(await formValues()), declineReasons: `Fine.\n${'x'.repeat(301)}` })
      expect(tooLong.response.status).toBe(422)
      expect(textOf(tooLong.$, '#field-declineReasons-error')).toBe('Keep each reason under 300 characters.')
      const saved = await admin.post('/admin/settings', { ...(await formValues()), declineReasons: 'Off topic for the Ledger.\r\n\r\n  Already answered in print.  \n' })
      expect(saved.response.status).toBe(303)
      expect((await t.server.container.settings.get()).declineReasons).toEqual(['Off topic for the Ledger.', 'Already answered in print.'])
      // Editors may not change them.
      expect((await editor.post('/admin/settings', { _csrf: await editor.csrfFrom('/admin/inbox'), declineReasons: 'Mine.' })).response.status).toBe(403)

      const { submissions } = t.server.container
      const one = await submissions.submitLetter({ name: 'Ana', town: 'Lyon', email: 'ana@example.org', text: 'A short letter.' })
      const detail = await editor.get(`/admin/inbox/${one.id}`)
      expect(detail.$('#field-reasonTemplate option').map((_, o) => detail.$(o).attr('value')).get()).toEqual(['', 'Off topic for the Ledger.', 'Already answered in print.'])
      const csrf = detail.$('input[name="_csrf"]').first().attr('value')!
      // Neither chosen nor written: refused at the field.
      const none = await editor.post(`/admin/inbox/${one.id}/state`, { _csrf: csrf, to: 'declined', reasonTemplate: '', reason: '' })
      expect(none.response.status).toBe(422)
      expect(none.$('#field-reasonTemplate option[selected]').attr('value')).toBe('')
      const chosen = await editor.post(`/admin/inbox/${one.id}/state`, { _csrf: csrf, to: 'declined', reasonTemplate: 'Already answered in print.', reason: '' })
      expect(chosen.response.status).toBe(303)
      expect((await submissions.open(one.id, { userId: null, role: 'admin' })).submission.declineReason).toBe('Already answered in print.')

      const two = await submissions.submitLetter({ name: 'Bo', town: 'Gent', email: 'bo@example.org', text: 'Another short letter.' })
      const written = await editor.post(`/admin/inbox/${two.id}/state`, { _csrf: csrf, to: 'declined', reasonTemplate: 'Off topic for the Ledger.', reason: 'Sent to the sports desk instead.' })
      expect(written.response.status).toBe(303)
      expect((await submissions.open(two.id, { userId: null, role: 'admin' })).submission.declineReason).toBe('Sent to the sports desk instead.')
    })
  })
}
