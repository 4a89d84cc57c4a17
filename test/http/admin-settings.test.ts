import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { parseHtml, textOf } from '../support/html.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const ADMIN = { email: 'settings.admin@ledger.example', password: 'settings admin password' }
const EDITOR = { email: 'settings.editor@ledger.example', password: 'settings editor password' }

for (const dialect of DIALECTS) {
  describe(`${dialect}: site settings in the admin`, () => {
    let t: TestServer
    let admin: AdminClient
    let editor: AdminClient
    let adminId: string

    beforeAll(async () => {
      t = await startTestServer(dialect, { wirePollSeconds: 0 })
      const { auth } = t.server.container
      adminId = (await auth.createUser({ ...ADMIN, name: 'Ada Admin', role: 'admin' })).user.id
      await auth.createUser({ ...EDITOR, name: 'Eli Editor', role: 'editor' })
      admin = new AdminClient(t.url)
      await admin.signIn(ADMIN.email, ADMIN.password)
      editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
    })
    afterAll(async () => t?.cleanup())

    const db = () => t.server.container.database.db
    const audit = () => db().selectFrom('audit_log').selectAll().where('action', '=', 'settings.changed').execute()

    /** The settings form as the page shows it, so a test changes only what it names. */
    const formValues = () => admin.formValues('/admin/settings', 'form.record-form')

    it('saves the settings; the public pages show them at once, audited', async () => {
      expect(await (await t.fetch('/')).text()).not.toContain('The Coastal Courier')
      const saved = await admin.post('/admin/settings', {
        ...(await formValues()),
        siteName: 'The Coastal Courier',
        tagline: 'News from the harbour towns',
        timeZone: 'America/Bogota',
        contactText: 'Write to the Courier newsroom.',
        socialLinks: 'Mastodon https://social.example/@courier',
        copyrightNotice: '© 2026 The Coastal Courier',
        usageTerms: 'Partners may run these stories whole, with the credit line.',
      })
      expect(saved.response.status).toBe(303)
      expect(saved.response.headers.get('location')).toBe('/admin/settings?done=saved')
      const home = parseHtml(await (await t.fetch('/')).text())
      expect(textOf(home, 'header')).toContain('The Coastal Courier')
      expect(textOf(home, 'header')).toContain('News from the harbour towns')
      expect(home('footer a[href="https://social.example/@courier"]').text()).toBe('Mastodon')
      expect(await (await t.fetch('/contact')).text()).toContain('Write to the Courier newsroom.')
      // Partners' ninjs carries the notice and the terms.
      const ninjs = JSON.parse(await (await t.fetch('/ninjs/stories.json')).text()) as { items: Record<string, unknown>[] }
      expect(ninjs.items[0]).toMatchObject({ copyrightnotice: '© 2026 The Coastal Courier', usageterms: 'Partners may run these stories whole, with the credit line.' })
      const settings = await t.server.container.settings.get()
      expect(settings).toMatchObject({ siteName: 'The Coastal Courier', timeZone: 'America/Bogota', socialLinks: [{ name: 'Mastodon', url: 'https://social.example/@courier' }] })
      const entries = await audit()
      expect(entries).toHaveLength(1)
      expect(entries[0]).toMatchObject({ actor_id: adminId })
      expect(entries[0]!.summary).toContain('siteName')
      const page = await admin.get('/admin/settings?done=saved')
      expect(textOf(page.$, '[role="status"]')).toBe('The settings are saved.')
    })

    it('refuses a time zone that does not exist and a base URL that is not http(s), at their fields, saving nothing', async () => {
      const before = await t.server.container.settings.get()
      const bad = await admin.post('/admin/settings', { ...(await formValues()), siteName: 'Half Saved Name', timeZone: 'Mars/Olympus_Mons', baseUrl: 'ftp://news.example.org' })
      expect(bad.response.status).toBe(422)
      expect(textOf(bad.$, '#field-timeZone-error')).toContain('Not a time zone we know')
      expect(textOf(bad.$, '#field-baseUrl-error')).toBe('The address must start with http:// or https://.')
      expect(bad.$('#field-siteName').attr('value')).toBe('Half Saved Name')
      expect(bad.$('.error-summary a[href="#field-timeZone"]').length).toBe(1)
      const notUrl = await admin.post('/admin/settings', { ...(await formValues()), baseUrl: 'news dot example' })
      expect(notUrl.response.status).toBe(422)
      expect(textOf(notUrl.$, '#field-baseUrl-error')).toContain('Give a full address')
      const logo = await admin.post('/admin/settings', { ...(await formValues()), logoMediaId: 'med_not_there' })
      expect(logo.response.status).toBe(422)
      expect(textOf(logo.$, '#field-logoMediaId-error')).toBe('Choose a picture from the media library.')
      const link = await admin.post('/admin/settings', { ...(await formValues()), socialLinks: 'Feed javascript:alert(1)' })
      expect(link.response.status).toBe(422)
      expect(textOf(link.$, '#field-socialLinks-error')).not.toBe('')
      expect(await t.server.container.settings.get()).toEqual(before)
      expect(await audit()).toHaveLength(1)
    })

    it('is for admins only: an editor is refused and nothing is recorded', async () => {
      expect((await editor.get('/admin/settings')).response.status).toBe(403)
      const csrf = await editor.csrfFrom('/admin/account')
      const refused = await editor.post('/admin/settings', { _csrf: csrf, siteName: 'Editor Was Here' })
      expect(refused.response.status).toBe(403)
      expect((await t.server.container.settings.get()).siteName).toBe('The Coastal Courier')
      expect(await audit()).toHaveLength(1)
      const nav = (await editor.get('/admin/sections')).$
      expect(nav('a[href="/admin/settings"]').length).toBe(0)
      expect((await admin.get('/admin/sections')).$('nav a[href="/admin/settings"]').length).toBe(1)
    })

    it('keeps declined submissions 90 days unless told otherwise: a choice of days or never, and nonsense is refused at the field', async () => {
      expect((await t.server.container.settings.get()).declinedRetentionDays).toBe(90)
      const page = await admin.get('/admin/settings')
      expect(page.$('#field-declinedRetentionDays option[selected]').attr('value')).toBe('90')
      expect(page.$('#field-declinedRetentionDays option').map((_, o) => page.$(o).attr('value')).get()).toEqual(['30', '60', '90', '180', '365', 'never'])
      const never = await admin.post('/admin/settings', { ...(await formValues()), declinedRetentionDays: 'never' })
      expect(never.response.status).toBe(303)
      expect((await t.server.container.settings.get()).declinedRetentionDays).toBeNull()
      expect((await admin.get('/admin/settings')).$('#field-declinedRetentionDays option[selected]').attr('value')).toBe('never')
      const bad = await admin.post('/admin/settings', { ...(await formValues()), declinedRetentionDays: 'soon' })
      expect(bad.response.status).toBe(422)
      expect(textOf(bad.$, '#field-declinedRetentionDays-error')).toBe('Choose how long declined submissions are kept.')
      const days = await admin.post('/admin/settings', { ...(await formValues()), declinedRetentionDays: '30' })
      expect(days.response.status).toBe(303)
      expect((await t.server.container.settings.get()).declinedRetentionDays).toBe(30)
      expect((await audit()).some((e) => e.summary.includes('declinedRetentionDays'))).toBe(true)
    })
  })
}
