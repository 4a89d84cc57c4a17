import { Secret, TOTP } from 'otpauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordAudit, type AuditAction, type AuditRecord } from '../../src/audit/index.ts'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { textOf } from '../support/html.ts'
import { startSmtp, type TestSmtp } from '../support/smtp.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const CHIEF = { email: 'chief@ledger.example', password: 'the chief password' }
const EDITOR = { email: 'ed@ledger.example', password: 'ed the night editor' }
const AUTHOR = { email: 'rita@ledger.example', password: 'rita the reporter' }

/**
 * The audit log over HTTP (issue 7: "an entry for every action in the table
 * and none for refused ones"): each action people take through the admin's
 * own routes leaves exactly one entry naming who, what and which record, a
 * refused attempt leaves none, and the log page filters by person, action and
 * the site's days, and pages.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: the audit log`, () => {
    let smtp: TestSmtp
    let t: TestServer
    let ids: { chief: string; editor: string; author: string }
    let chief: AdminClient
    let editor: AdminClient
    let author: AdminClient

    beforeAll(async () => {
      smtp = await startSmtp()
      t = await startTestServer(dialect, { wirePollSeconds: 0, smtpUrl: smtp.url })
      const { auth } = t.server.container
      ids = {
        chief: (await auth.createUser({ ...CHIEF, name: 'Chief', role: 'admin' })).user.id,
        editor: (await auth.createUser({ ...EDITOR, name: 'Ed Editor', role: 'editor' })).user.id,
        author: (await auth.createUser({ ...AUTHOR, name: 'Rita Reporter', role: 'author' })).user.id,
      }
      ;[chief, editor, author] = [new AdminClient(t.url), new AdminClient(t.url), new AdminClient(t.url)]
      await chief.signIn(CHIEF.email, CHIEF.password)
      await editor.signIn(EDITOR.email, EDITOR.password)
      await author.signIn(AUTHOR.email, AUTHOR.password)
    })
    afterAll(async () => {
      await t?.cleanup()
      await smtp?.close()
    })

    async function allEntries(): Promise<AuditRecord[]> {
      return (await t.server.container.audit.list({}, { page: 1, perPage: 10_000 })).items
    }

    /** Runs one action and returns the entries it added to the log. */
    async function added(run: () => Promise<unknown>): Promise<AuditRecord[]> {
      const before = new Set((await allEntries()).map((e) => e.id))
      await run()
      return (await allEntries()).filter((e) => !before.has(e.id))
    }

    /** Runs one action and checks it left exactly one entry: this actor, action and record. */
    async function expectOne(run: () => Promise<unknown>, expected: { actorId: string | null; action: AuditAction; targetId: string | null }) {
      const entries = await added(run)
      expect(
        entries.map((e) => ({ actorId: e.actorId, action: e.action, targetId: e.targetId })),
        expected.action,
      ).toEqual([expected])
    }

    async function post(client: AdminClient, from: string, action: string, fields: Record<string, string | string[]> = {}, status = 303) {
      const csrf = await client.csrfFrom(from)
      const result = await client.post(action, { _csrf: csrf, ...fields })
      expect(result.response.status, `${action}: ${textOf(result.$, '[role="alert"]')}`).toBe(status)
      return result
    }

    it('records each step of a story through the admin routes, and nothing for a refused one', async () => {
      const { sections, authors, sources } = t.server.container
      const section = (await sections.listSections()).find((s) => s.slug === 'politics')!
      const desk = (await authors.listAll()).find((a) => a.kind === 'desk')!
      const staff = (await sources.listAll()).find((s) => s.kind === 'staff')!

      const created = await post(author, '/admin/stories', '/admin/stories')
      const path = created.response.headers.get('location')!
      const id = path.split('/').at(-1)!
      const form = (await author.get(path)).$('#story-form')
      await post(author, path, path, {
        baseVersion: form.find('input[name="baseVersion"]').attr('value')!,
        title: 'Harbour board resigns',
        slug: '',
        bodyText: 'The harbour board resigned on Friday.',
        primarySectionId: section.id,
        authorsShown: '1',
        authorIds: [desk.id],
        sourceId: staff.id,
      })

      // An author cannot publish: refused, and not on record.
      expect(await added(() => post(author, path, `${path}/publish`, {}, 403))).toEqual([])

      const at = { actorId: ids.editor, targetId: id }
      await expectOne(() => post(editor, path, `${path}/schedule`, { at: '2099-01-05T09:00' }), { ...at, action: 'article.scheduled' })
      await expectOne(() => post(editor, path, `${path}/unschedule`), { ...at, action: 'article.unscheduled' })
      await expectOne(() => post(editor, path, `${path}/publish`), { ...at, action: 'article.published' })
      const edit = (await editor.get(path)).$('#story-form')
      await post(editor, path, path, { baseVersion: edit.find('input[name="baseVersion"]').attr('value')!, title: 'Harbour board resigns over dredging deal' })
      await expectOne(() => post(editor, path, `${path}/publish-changes`, { kind: 'update' }), { ...at, action: 'article.updated' })
      await expectOne(() => post(editor, path, `${path}/correct`, { text: 'An earlier version gave the wrong day.' }), { ...at, action: 'article.corrected' })
      // A correction without its text is refused at the field: no entry.
      expect(await added(() => post(editor, path, `${path}/correct`, { text: '' }, 422))).toEqual([])
      await expectOne(() => post(editor, path, `${path}/unpublish`, { note: 'Legal asked us to hold it.' }), { ...at, action: 'article.unpublished' })
      await expectOne(() => post(editor, path, `${path}/publish`), { ...at, action: 'article.published' })
      await expectOne(() => post(editor, path, `${path}/withdraw`, { note: 'The board reversed its decision.' }), { ...at, action: 'article.withdrawn' })
    })

    it("records a person's own account actions, each once, with the person and their account", async () => {
      const me = { actorId: ids.author, targetId: ids.author }
      await expectOne(() => post(author, '/admin/account', '/admin/account/name', { name: 'Rita R. Reporter' }), { ...me, action: 'staff.profile_changed' })

      // Two-factor on, through its pages.
      const started = await post(author, '/admin/account/two-factor', '/admin/account/two-factor', {}, 200)
      const app = new TOTP({ secret: Secret.fromBase32(started.$('code.secret').text().replace(/\s/g, '')), algorithm: 'SHA1', digits: 6, period: 30 })
      let codes: string[] = []
      await expectOne(
        async () => {
          const on = await post(author, '/admin/account/two-factor', '/admin/account/two-factor/enable', { code: app.generate() }, 200)
          codes = on.$('ul.codes code').map((_, c) => on.$(c).text()).get()
        },
        { ...me, action: 'auth.two_factor_enabled' },
      )
      expect(codes).toHaveLength(10)

      // A recovery code at sign-in, from a second browser.
      const phone = new AdminClient(t.url)
      await phone.signIn(AUTHOR.email, AUTHOR.password)
      await expectOne(() => post(phone, '/admin/sign-in/code', '/admin/sign-in/code', { code: codes[0]! }), { ...me, action: 'auth.recovery_code_used' })
      // A wrong password to turn it off is refused: no entry.
      expect(await added(() => post(author, '/admin/account', '/admin/account/two-factor/disable', { password: 'not my password' }, 422))).toEqual([])
      await expectOne(() => post(author, '/admin/account', '/admin/account/two-factor/disable', { password: AUTHOR.password }), { ...me, action: 'auth.two_factor_disabled' })

      await expectOne(() => post(author, '/admin/account', '/admin/account/sign-out-others'), { ...me, action: 'auth.sign_out_others' })
      expect((await phone.get('/admin/account')).response.status).toBe(303)
      await expectOne(() => post(author, '/admin/password', '/admin/password', { current: AUTHOR.password, next: 'rita has a new one' }), { ...me, action: 'auth.password_changed' })

      // An email change is on record when confirmed, not when asked for.
      const mails = smtp.messages.length
      expect(await added(() => post(author, '/admin/account', '/admin/account/email', { email: 'rita.r@ledger.example', password: 'rita has a new one' }))).toEqual([])
      await smtp.waitFor(mails + 1)
      const confirm = smtp.messages.at(-1)!.text!.match(/\/admin\/email-confirm\/\S+/)![0]
      await expectOne(() => post(new AdminClient(t.url), confirm, confirm, {}, 200), { ...me, action: 'staff.email_changed' })

      await expectOne(() => post(author, '/admin/account', '/admin/sign-out'), { ...me, action: 'auth.sign_out' })

      // A reset by mail: asked for (by nobody signed in), then done by the owner of the link.
      const anonymous = new AdminClient(t.url)
      await expectOne(() => post(anonymous, '/admin/password-reset', '/admin/password-reset', { email: 'rita.r@ledger.example' }), { actorId: null, action: 'auth.password_reset_requested', targetId: ids.author })
      expect(await added(() => post(anonymous, '/admin/password-reset', '/admin/password-reset', { email: 'nobody@ledger.example' }))).toEqual([])
      await smtp.waitFor(mails + 2)
      const reset = smtp.messages.at(-1)!.text!.match(/\/admin\/password-reset\/\S+/)![0]
      await expectOne(() => post(anonymous, reset, reset, { password: 'rita after the reset' }, 200), { ...me, action: 'auth.password_reset' })
    })

    it('filters the log page by person, action and the days of the site time zone, and pages', async () => {
      const { auth, settings, database } = t.server.container
      const pat = (await auth.createUser({ email: 'pat@ledger.example', name: 'Pat Pager', password: 'pat pages the log', role: 'editor' })).user.id
      await settings.update({ timeZone: 'America/New_York' })
      // 22:00 on 1 March in New York is 03:00 on 2 March in UTC; 01:00 on 2 March there is 06:00 UTC.
      await recordAudit(database.db, { actorId: pat, action: 'tag.created', targetType: 'tag', targetId: 'tag_late', summary: 'Late on the first', at: '2026-03-02T03:00:00.000Z' })
      await recordAudit(database.db, { actorId: pat, action: 'tag.created', targetType: 'tag', targetId: 'tag_early', summary: 'Early on the second', at: '2026-03-02T06:00:00.000Z' })
      for (let i = 0; i < 103; i++) {
        await recordAudit(database.db, { actorId: pat, action: 'section.changed', targetType: 'section', targetId: `sec_${i}`, summary: `Change ${String(i).padStart(3, '0')}`, at: new Date(Date.UTC(2026, 0, 10, 12, 0, i)).toISOString() })
      }

      const rows = async (query: string) => {
        const page = await chief.get(`/admin/audit?${query}`)
        expect(page.response.status).toBe(200)
        return { summaries: page.$('tbody tr td:last-child').map((_, td) => page.$(td).text()).get(), $: page.$ }
      }

      const firstOfMarch = await rows(`actor=${pat}&from=2026-03-01&to=2026-03-01`)
      expect(firstOfMarch.summaries).toEqual(['Late on the first'])
      expect((await rows(`actor=${pat}&from=2026-03-02&to=2026-03-02`)).summaries).toEqual(['Early on the second'])
      expect((await rows(`actor=${pat}&from=2026-03-01`)).summaries).toEqual(['Early on the second', 'Late on the first'])
      expect((await rows(`actor=${pat}&action=tag.created`)).summaries).toEqual(['Early on the second', 'Late on the first'])
      const nobody = await rows(`actor=${ids.author}&action=tag.created`)
      expect(nobody.summaries).toEqual([])
      expect(nobody.$('main').text()).toContain('Nothing recorded matches.')
      // The form keeps what was asked.
      expect(firstOfMarch.$('#filter-from').attr('value')).toBe('2026-03-01')
      expect(firstOfMarch.$(`#filter-actor option[value="${pat}"]`).attr('selected')).toBeDefined()

      // 103 entries of one kind: 100 on the first page, newest first, and the rest on the next.
      const first = await rows(`actor=${pat}&action=section.changed`)
      expect(first.summaries).toHaveLength(100)
      expect(first.summaries[0]).toBe('Change 102')
      const older = first.$('nav.pager a').filter((_, a) => first.$(a).text() === 'Older').attr('href')!
      expect(older).toBe(`/admin/audit?actor=${pat}&action=section.changed&page=2`)
      const second = await rows(older.replace('/admin/audit?', ''))
      expect(second.summaries).toEqual(['Change 002', 'Change 001', 'Change 000'])
      expect(second.$('nav.pager a').map((_, a) => second.$(a).text()).get()).toEqual(['Newer'])

      // Only admins read it.
      expect((await editor.get('/admin/audit')).response.status).toBe(403)
      await settings.update({ timeZone: 'UTC' })
    })
  })
}
