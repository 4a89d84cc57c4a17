import { Secret, TOTP } from 'otpauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { textOf } from '../support/html.ts'
import { startSmtp, type TestSmtp } from '../support/smtp.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const CHIEF = { email: 'chief@ledger.example', password: 'the chief password' }
const EDITOR = { email: 'ed@ledger.example', password: 'ed the night editor' }
const AUTHOR = { email: 'al@ledger.example', password: 'al writes the news' }

/** The one admin link in the latest mail to `to`. */
function linkInMail(smtp: TestSmtp, to: string): string {
  const mail = smtp.messages.filter((m) => JSON.stringify(m.to).includes(to)).at(-1)
  const link = mail?.text?.match(/https?:\/\/\S+(\/admin\/\S+)/)?.[1]
  if (!link) throw new Error(`no admin link in a mail to ${to}`)
  return link
}

/** Posts a form from a page, with that page's CSRF token. */
async function submit(client: AdminClient, from: string, action: string, fields: Record<string, string> = {}) {
  const csrf = await client.csrfFrom(from)
  return client.post(action, { _csrf: csrf, ...fields })
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: the staff page and one's own account over HTTP`, () => {
    let smtp: TestSmtp
    let t: TestServer
    let ids: { chief: string; editor: string; author: string }

    beforeAll(async () => {
      smtp = await startSmtp()
      t = await startTestServer(dialect, { wirePollSeconds: 0, loadDemo: false, smtpUrl: smtp.url })
      const { auth } = t.server.container
      const [chief, editor, author] = await Promise.all([
        auth.createUser({ ...CHIEF, name: 'Chief', role: 'admin' }),
        auth.createUser({ ...EDITOR, name: 'Ed Editor', role: 'editor' }),
        auth.createUser({ ...AUTHOR, name: 'Al Author', role: 'author' }),
      ])
      ids = { chief: chief.user.id, editor: editor.user.id, author: author.user.id }
    })
    afterAll(async () => {
      await t?.cleanup()
      await smtp?.close()
    })

    const entries = async (action: 'staff.two_factor_reset') => (await t.server.container.audit.list({ action }, { page: 1, perPage: 100 })).items

    it('an admin turns off the two-factor sign-in of a colleague who lost app and codes: admins only, on record, their sessions end', async () => {
      const { auth } = t.server.container
      const setup = await auth.beginTwoFactor(ids.author)
      const app = new TOTP({ secret: Secret.fromBase32(setup.secret), algorithm: 'SHA1', digits: 6, period: 30 })
      await auth.enableTwoFactor(ids.author, app.generate())

      // The author signs in with a code; that session must end with the reset.
      const al = new AdminClient(t.url)
      const step = await al.signIn(AUTHOR.email, AUTHOR.password)
      expect(step.headers.get('location')).toMatch(/^\/admin\/sign-in\/code/)
      const done = await submit(al, '/admin/sign-in/code', '/admin/sign-in/code', { code: app.generate({ timestamp: Date.now() + 30_000 }) })
      expect(done.response.status).toBe(303)
      expect((await al.get('/admin/account')).response.status).toBe(200)

      const chief = new AdminClient(t.url)
      await chief.signIn(CHIEF.email, CHIEF.password)
      const staff = await chief.get('/admin/staff')
      expect(staff.$(`form[action="/admin/staff/${ids.author}/two-factor-reset"] button`).text()).toContain('Reset two-factor')
      // Not offered where it is off, nor for oneself.
      expect(staff.$(`form[action="/admin/staff/${ids.editor}/two-factor-reset"]`)).toHaveLength(0)

      // An editor may not (the access table), and nothing is recorded for the refusal.
      const ed = new AdminClient(t.url)
      await ed.signIn(EDITOR.email, EDITOR.password)
      const refused = await submit(ed, '/admin/account', `/admin/staff/${ids.author}/two-factor-reset`)
      expect(refused.response.status).toBe(403)
      expect((await auth.getMember(ids.author)).hasTwoFactor).toBe(true)
      expect(await entries('staff.two_factor_reset')).toEqual([])

      const reset = await submit(chief, '/admin/staff', `/admin/staff/${ids.author}/two-factor-reset`)
      expect(reset.response.status).toBe(303)
      expect(reset.response.headers.get('location')).toBe('/admin/staff?done=two_factor_reset')
      const after = await chief.get('/admin/staff?done=two_factor_reset')
      expect(textOf(after.$, '[role="status"]')).toContain('Two-factor sign-in is off for that account')
      expect((await auth.getMember(ids.author)).hasTwoFactor).toBe(false)
      expect(await auth.recoveryCodesLeft(ids.author)).toBe(0)

      // Their session ended; the password alone lets them in again.
      expect((await al.get('/admin/account')).response.headers.get('location')).toMatch(/^\/admin\/sign-in\?next=/)
      const again = new AdminClient(t.url)
      expect((await again.signIn(AUTHOR.email, AUTHOR.password)).headers.get('location')).toBe('/admin/wire')

      const recorded = await entries('staff.two_factor_reset')
      expect(recorded).toHaveLength(1)
      expect(recorded[0]).toMatchObject({ actorId: ids.chief, targetType: 'user', targetId: ids.author })
    })

    it('staff and account forms answer with a redirect to the page and its message, so a refresh sends nothing again', async () => {
      const chief = new AdminClient(t.url)
      await chief.signIn(CHIEF.email, CHIEF.password)
      const mailsBefore = smtp.messages.length

      const expectDone = async (response: Response, location: string, message: string) => {
        expect(response.status, location).toBe(303)
        expect(response.headers.get('location')).toBe(location)
        const page = await chief.get(location)
        expect(page.response.status).toBe(200)
        expect(textOf(page.$, '[role="status"]')).toContain(message)
      }

      const invited = await submit(chief, '/admin/staff', '/admin/staff/invite', { email: 'paz@ledger.example', role: 'author' })
      await expectDone(invited.response, '/admin/staff?done=invited', 'The invitation is sent')
      await smtp.waitFor(mailsBefore + 1)
      // Loading the page again sent nothing and kept the link working.
      await chief.get('/admin/staff?done=invited')
      expect(smtp.messages.length).toBe(mailsBefore + 1)
      expect((await t.fetch(linkInMail(smtp, 'paz@ledger.example'))).status).toBe(200)

      await expectDone((await submit(chief, '/admin/staff', `/admin/staff/${ids.editor}/role`, { role: 'author' })).response, '/admin/staff?done=role', 'The role is changed.')
      await expectDone((await submit(chief, '/admin/staff', `/admin/staff/${ids.editor}/role`, { role: 'editor' })).response, '/admin/staff?done=role', 'The role is changed.')
      await expectDone((await submit(chief, '/admin/staff', `/admin/staff/${ids.editor}/deactivate`)).response, '/admin/staff?done=deactivated', 'deactivated')
      await expectDone((await submit(chief, '/admin/staff', `/admin/staff/${ids.editor}/reactivate`)).response, '/admin/staff?done=reactivated', 'active again')

      await expectDone((await submit(chief, '/admin/account', '/admin/account/name', { name: 'The Chief' })).response, '/admin/account?done=name', 'Your name is saved.')
      await expectDone((await submit(chief, '/admin/account', '/admin/account/sign-out-others')).response, '/admin/account?done=signed_out_others', 'Every other device was signed out.')
      const emailChange = await submit(chief, '/admin/account', '/admin/account/email', { email: 'chief.new@ledger.example', password: CHIEF.password })
      await expectDone(emailChange.response, '/admin/account?done=email', 'We sent a link to your new address.')
      const changed = await submit(chief, '/admin/password', '/admin/password', { current: CHIEF.password, next: 'the new chief password' })
      expect(changed.response.status).toBe(303)
      expect(changed.response.headers.get('location')).toBe('/admin/password?done=changed')
      expect((await chief.get('/admin/password?done=changed')).html).toContain('Your password is changed.')

      await t.server.container.auth.changePassword(ids.chief, { current: 'the new chief password', next: CHIEF.password }, '')
    })

    it('puts the public address from the site settings in the links it mails', async () => {
      const { settings } = t.server.container
      await settings.update({ baseUrl: 'https://news.ledger.example/' })
      try {
        const chief = new AdminClient(t.url)
        await chief.signIn(CHIEF.email, CHIEF.password)
        const mails = smtp.messages.length
        await submit(chief, '/admin/staff', '/admin/staff/invite', { email: 'far@ledger.example', role: 'author' })
        await smtp.waitFor(mails + 1)
        const mail = smtp.messages.filter((m) => JSON.stringify(m.to).includes('far@ledger.example')).at(-1)
        expect(mail?.text).toMatch(/https:\/\/news\.ledger\.example\/admin\/invitations\/\S+/)
      } finally {
        await settings.update({ baseUrl: null })
      }
    })

    it('lists invitations waiting, and sends one again (a new link) or revokes it, on record', async () => {
      const chief = new AdminClient(t.url)
      await chief.signIn(CHIEF.email, CHIEF.password)
      const mails = smtp.messages.length
      await submit(chief, '/admin/staff', '/admin/staff/invite', { email: 'wait@ledger.example', role: 'contributor' })
      await smtp.waitFor(mails + 1)
      const firstLink = linkInMail(smtp, 'wait@ledger.example')

      const listed = await chief.get('/admin/staff')
      const row = listed.$('section[aria-labelledby="invitations-title"] tbody tr').filter((_, tr) => listed.$(tr).find('th').text() === 'wait@ledger.example')
      expect(row).toHaveLength(1)
      expect(row.text()).toContain('Contributor')
      expect(row.text()).toMatch(/by (The )?Chief/)

      const again = await submit(chief, '/admin/staff', '/admin/staff/invitations/resend', { email: 'wait@ledger.example' })
      expect(again.response.headers.get('location')).toBe('/admin/staff?done=resent')
      await smtp.waitFor(mails + 2)
      const secondLink = linkInMail(smtp, 'wait@ledger.example')
      expect(secondLink).not.toBe(firstLink)
      expect((await t.fetch(firstLink)).status).toBe(404)
      expect((await t.fetch(secondLink)).status).toBe(200)
      expect(smtp.messages.at(-1)!.subject).toContain('invited you')

      const revoked = await submit(chief, '/admin/staff', '/admin/staff/invitations/revoke', { email: 'wait@ledger.example' })
      expect(revoked.response.headers.get('location')).toBe('/admin/staff?done=revoked')
      expect((await t.fetch(secondLink)).status).toBe(404)
      const after = await chief.get('/admin/staff?done=revoked')
      expect(textOf(after.$, '[role="status"]')).toContain('The invitation is revoked')
      expect(after.html).not.toContain('<th scope="row">wait@ledger.example</th>')
      const revokes = (await t.server.container.audit.list({ action: 'staff.invitation_revoked' }, { page: 1, perPage: 10 })).items
      expect(revokes.map((e) => ({ actorId: e.actorId, summary: e.summary }))).toEqual([{ actorId: ids.chief, summary: 'Revoked the invitation to wait@ledger.example' }])

      // Nothing waiting any more: a clear refusal, no entry, no mail.
      const gone = await submit(chief, '/admin/staff', '/admin/staff/invitations/resend', { email: 'wait@ledger.example' })
      expect(gone.response.status).toBe(409)
      expect(textOf(gone.$, '[role="alert"]')).toContain('No invitation to wait@ledger.example is waiting')
      expect((await submit(chief, '/admin/staff', '/admin/staff/invitations/revoke', { email: 'wait@ledger.example' })).response.status).toBe(409)
      expect((await t.server.container.audit.list({ action: 'staff.invitation_revoked' }, { page: 1, perPage: 10 })).items).toHaveLength(1)
      expect(smtp.messages.length).toBe(mails + 2)
      // Editors may not.
      const ed = new AdminClient(t.url)
      await ed.signIn(EDITOR.email, EDITOR.password)
      expect((await submit(ed, '/admin/account', '/admin/staff/invitations/revoke', { email: 'paz@ledger.example' })).response.status).toBe(403)
    })

    it('refuses to demote the last admin with a message beside its role', async () => {
      const { auth } = t.server.container
      const first = (await auth.listStaff()).find((m) => m.name === 'Administrator')
      if (first) await auth.deactivate({ userId: null }, first.id)
      expect(await auth.countAdmins()).toBe(1)
      const chief = new AdminClient(t.url)
      await chief.signIn(CHIEF.email, CHIEF.password)
      const demoted = await submit(chief, '/admin/staff', `/admin/staff/${ids.chief}/role`, { role: 'editor' })
      expect(demoted.response.status).toBe(409)
      const select = demoted.$(`#role-${ids.chief}`)
      expect(select.attr('aria-invalid')).toBe('true')
      expect(select.attr('aria-describedby')).toBe(`role-${ids.chief}-error`)
      expect(textOf(demoted.$, `#role-${ids.chief}-error`)).toContain('would leave the newsroom without an admin')
      expect((await auth.getMember(ids.chief)).role).toBe('admin')
      if (first) await auth.reactivate({ userId: null }, first.id)
    })

    it('opening an email-confirmation link changes nothing; its button, with a CSRF token, does', async () => {
      const ed = new AdminClient(t.url)
      await ed.signIn(EDITOR.email, EDITOR.password)
      const before = smtp.messages.length
      await submit(ed, '/admin/account', '/admin/account/email', { email: 'edward@ledger.example', password: EDITOR.password })
      await smtp.waitFor(before + 1)
      const link = linkInMail(smtp, 'edward@ledger.example')
      const { auth } = t.server.container

      // A mail scanner opens the link, twice: the address stays and the link keeps working.
      const scanner = new AdminClient(t.url)
      for (let i = 0; i < 2; i++) {
        const opened = await scanner.get(link)
        expect(opened.response.status).toBe(200)
        expect(opened.$(`form[action="${link}"] button`).text()).toBe('Confirm the address')
        expect(opened.html).toContain('edward@ledger.example')
      }
      expect((await auth.getMember(ids.editor)).email).toBe(EDITOR.email)

      // A forged post (no token, or a token from another browser) is refused.
      expect((await scanner.post(link, {})).response.status).toBe(403)
      const other = new AdminClient(t.url)
      expect((await other.post(link, { _csrf: await scanner.csrfFrom(link) })).response.status).toBe(403)
      expect((await auth.getMember(ids.editor)).email).toBe(EDITOR.email)

      const owner = new AdminClient(t.url)
      const confirmed = await submit(owner, link, link)
      expect(confirmed.response.status).toBe(200)
      expect(textOf(confirmed.$, 'h1')).toBe('Address confirmed')
      expect((await auth.getMember(ids.editor)).email).toBe('edward@ledger.example')
      // Once only.
      expect((await owner.get(link)).response.status).toBe(404)
      await auth.requestEmailChange(ids.editor, { email: EDITOR.email, password: EDITOR.password }).then((l) => auth.confirmEmailChange(l.token))

      // Invitation and reset links were already safe to open: their pages only show a form.
      const chief = new AdminClient(t.url)
      await chief.signIn(CHIEF.email, CHIEF.password)
      const mails = smtp.messages.length
      await submit(chief, '/admin/staff', '/admin/staff/invite', { email: 'opened@ledger.example', role: 'contributor' })
      await submit(new AdminClient(t.url), '/admin/password-reset', '/admin/password-reset', { email: AUTHOR.email })
      await smtp.waitFor(mails + 2)
      for (const url of [linkInMail(smtp, 'opened@ledger.example'), linkInMail(smtp, AUTHOR.email)]) {
        for (let i = 0; i < 2; i++) expect((await scanner.get(url)).response.status, url).toBe(200)
      }
    })
  })
}

describe('when the mail server fails or is slow', () => {
  let t: TestServer
  let refusing: TestSmtp

  beforeAll(async () => {
    refusing = await startSmtp({ refuse: true })
    t = await startTestServer('sqlite', { wirePollSeconds: 0, loadDemo: false, smtpUrl: refusing.url })
    await t.server.container.auth.createUser({ ...CHIEF, name: 'Chief', role: 'admin' })
  })
  afterAll(async () => {
    await t?.cleanup()
    await refusing?.close()
  })

  it('keeps an invitation whose mail was refused and gives the admin its link to pass on by hand', async () => {
    const chief = new AdminClient(t.url)
    await chief.signIn(CHIEF.email, CHIEF.password)
    const invited = await submit(chief, '/admin/staff', '/admin/staff/invite', { email: 'paz@ledger.example', role: 'author' })
    expect(invited.response.status).toBe(200)
    const alert = textOf(invited.$, '[role="alert"]')
    expect(alert).toContain('The invitation to paz@ledger.example is saved, but the mail could not be sent')
    const link = invited.$('[role="alert"] code').text()
    expect(link).toMatch(/^http:\/\/.+\/admin\/invitations\/[\w-]+$/)
    // The link works, and the invitation is on record.
    const opened = await t.fetch(new URL(link).pathname)
    expect(opened.status).toBe(200)
    expect(await opened.text()).toContain('paz@ledger.example')
    expect((await t.server.container.audit.list({ action: 'staff.invited' }, { page: 1, perPage: 10 })).items).toHaveLength(1)
  })

  it('says an email-change mail could not be sent, without an error page', async () => {
    const chief = new AdminClient(t.url)
    await chief.signIn(CHIEF.email, CHIEF.password)
    const change = await submit(chief, '/admin/account', '/admin/account/email', { email: 'chief.new@ledger.example', password: CHIEF.password })
    expect(change.response.status).toBe(200)
    expect(textOf(change.$, '[role="alert"]')).toContain('The confirmation mail to chief.new@ledger.example could not be sent')
    expect(change.$('#field-email').attr('value')).toBe('chief.new@ledger.example')
    // A reset whose mail fails answers as any other.
    const reset = await submit(new AdminClient(t.url), '/admin/password-reset', '/admin/password-reset', { email: CHIEF.email })
    expect(reset.response.headers.get('location')).toBe('/admin/password-reset?sent=1')
  })

  it('answers a password reset without waiting for a slow mail server, then sends the mail', async () => {
    const slow = await startSmtp({ holdGreeting: true })
    const s = await startTestServer('sqlite', { wirePollSeconds: 0, loadDemo: false, smtpUrl: slow.url })
    try {
      await s.server.container.auth.createUser({ ...AUTHOR, name: 'Al Author', role: 'author' })
      // The mail server says nothing until released. An answer that waited for it would
      // come only after nodemailer gave up (30 s), past this test's limit, and no mail would follow.
      const answers: (string | null)[] = []
      for (const email of [AUTHOR.email, 'nobody@ledger.example']) {
        const { response } = await submit(new AdminClient(s.url), '/admin/password-reset', '/admin/password-reset', { email })
        expect(response.status).toBe(303)
        answers.push(response.headers.get('location'))
      }
      expect(answers).toEqual(['/admin/password-reset?sent=1', '/admin/password-reset?sent=1'])
      expect(slow.messages).toHaveLength(0)
      slow.release()
      const [mail] = await slow.waitFor(1)
      expect(mail!.text).toContain('/admin/password-reset/')
      const page = await new AdminClient(s.url).get('/admin/password-reset?sent=1')
      expect(textOf(page.$, '[role="status"]')).toContain('If an account has that address')
    } finally {
      slow.release()
      await s.cleanup()
      await slow.close()
    }
  }, 20_000)
})
