import { wireFixture } from '../support/wire-fixtures.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { textOf } from '../support/html.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const fixture = wireFixture
const EDITOR = { email: 'desk@example.org', password: 'a desk editor password' }
const AUTHOR = { email: 'writer@example.org', password: 'a staff writer password' }

for (const dialect of DIALECTS) {
  describe(`${dialect}: the wire desk in the admin`, () => {
    let t: TestServer
    beforeAll(async () => {
      t = await startTestServer(dialect, { wirePollSeconds: 0 })
      await t.server.container.auth.createUser({ ...EDITOR, name: 'Desk Editor', role: 'editor' })
      await t.server.container.auth.createUser({ ...AUTHOR, name: 'Staff Writer', role: 'author' })
    })
    afterAll(async () => t?.cleanup())

    it('sends people who are not signed in to the sign-in page, and refuses wrong passwords alike', async () => {
      const anonymous = new AdminClient(t.url)
      const { response } = await anonymous.get('/admin/wire?q=harbour')
      expect(response.status).toBe(303)
      expect(response.headers.get('location')).toBe('/admin/sign-in?next=%2Fadmin%2Fwire%3Fq%3Dharbour')

      const page = await anonymous.get('/admin/sign-in')
      expect(page.response.headers.get('cache-control')).toBe('no-store')
      expect(page.response.headers.get('x-frame-options')).toBe('DENY')
      expect(page.$('label[for="field-email"]').text()).toBe('Email')

      for (const [email, password] of [
        [EDITOR.email, 'wrong password!!'],
        ['nobody@example.org', EDITOR.password],
      ]) {
        const csrf = await anonymous.csrfFrom('/admin/sign-in')
        const failed = await anonymous.post('/admin/sign-in', { _csrf: csrf, email: email!, password: password! })
        expect(failed.response.status).toBe(401)
        expect(textOf(failed.$, '[role="alert"]')).toBe('That email and password do not match an account.')
        expect(failed.$('input[name="email"]').attr('value')).toBe(email)
        expect(anonymous.hasCookie('masthead_session')).toBe(false)
      }

      // A sign-in form without its CSRF token is refused.
      const forged = await anonymous.post('/admin/sign-in', { email: EDITOR.email, password: EDITOR.password })
      expect(forged.response.status).toBe(403)
    })

    it('an editor uploads copy, sees it on the desk with its versions and raw source, and makes a credited draft', async () => {
      const editor = new AdminClient(t.url)
      const signedIn = await editor.signIn(EDITOR.email, EDITOR.password)
      expect(signedIn.status).toBe(303)
      expect(signedIn.headers.get('location')).toBe('/admin/wire')
      expect(signedIn.headers.getSetCookie().join()).toMatch(/masthead_session=.*HttpOnly.*SameSite=Lax/i)

      const csrf = await editor.csrfFrom('/admin/wire/upload')
      const uploaded = await editor.upload('/admin/wire/upload', { _csrf: csrf }, [
        { name: 'talks-v1.xml', bytes: fixture('newsml-g2/acp-harbour-talks-v1.xml'), type: 'application/xml' },
        { name: 'junk.bin', bytes: fixture('broken/binary-junk.bin') },
      ])
      expect(uploaded.response.status).toBe(200)
      const rows = uploaded.$('table tbody tr')
      expect(rows).toHaveLength(2)
      expect(rows.eq(0).find('td').map((_, td) => uploaded.$(td).text()).get().slice(0, 4)).toEqual(['talks-v1.xml', '1', '0', '0'])
      expect(rows.eq(1).text()).toContain('WIRE_')
      expect(uploaded.$('table thead th').last().text()).toBe('Warnings')
      expect(rows.eq(0).find('td').last().text()).toBe('0')
      // What was tolerated is shown beside the counts: a broken message read item by item.
      const recovered = await editor.upload('/admin/wire/upload', { _csrf: await editor.csrfFrom('/admin/wire/upload') }, [
        { name: 'one-broken.xml', bytes: fixture('newsml-g2/meridian-news-message-one-broken.xml'), type: 'application/xml' },
      ])
      expect(recovered.$('table tbody tr td').last().text()).toContain('WIRE_DOCUMENT_RECOVERED')

      const desk = await editor.get('/admin/wire')
      const link = desk.$('a.item-title').filter((_, a) => desk.$(a).text() === 'Coastal neighbours reopen talks on shared harbour')
      expect(link).toHaveLength(1)
      const itemPath = link.attr('href')!

      // A second version arrives; the item page lists both and shows what changed.
      const csrf2 = await editor.csrfFrom('/admin/wire/upload')
      await editor.upload('/admin/wire/upload', { _csrf: csrf2 }, [{ name: 'talks-v2.xml', bytes: fixture('newsml-g2/acp-harbour-talks-v2-correction.xml') }])
      const item = await editor.get(`${itemPath}?from=1&to=2`)
      expect(textOf(item.$, 'h1')).toBe('Coastal neighbours reopen talks on shared harbour (CORRECTED)')
      expect(item.$('table tbody tr')).toHaveLength(2)
      expect(item.$('.diff ins').text()).toContain('CORRECTED')
      expect(item.$('#notes-title').text()).toContain('never published')
      const rawHref = item.$('a').filter((_, a) => item.$(a).text() === 'Raw source').first().attr('href')!
      const raw = await editor.get(rawHref)
      expect(raw.response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
      expect(raw.response.headers.get('content-security-policy')).toContain('sandbox')
      expect(raw.html).toContain('<newsItem')

      // Create the draft: it keeps the agency's credit.
      const draftCsrf = item.$(`form[action="${itemPath}/draft"] input[name="_csrf"]`).attr('value')!
      const made = await editor.post(`${itemPath}/draft`, { _csrf: draftCsrf })
      expect(made.response.status).toBe(303)
      const draftPath = made.response.headers.get('location')!
      expect(draftPath).toMatch(/^\/admin\/stories\/art_/)
      const draft = await editor.get(draftPath)
      expect(textOf(draft.$, 'h1')).toBe('Coastal neighbours reopen talks on shared harbour (CORRECTED)')
      const credit = draft.$('#field-sourceId option[selected]')
      expect(credit.text()).toBe('Agence Continentale de Presse (Source: ACP)')
      expect(credit.parent('optgroup').attr('label')).toBe('Agencies')

      // The kill arrives: the draft warns its editors.
      const csrf3 = await editor.csrfFrom('/admin/wire/upload')
      await editor.upload('/admin/wire/upload', { _csrf: csrf3 }, [{ name: 'talks-v3.xml', bytes: fixture('newsml-g2/acp-harbour-talks-v3-kill.xml') }])
      const warned = await editor.get(draftPath)
      expect(textOf(warned.$, '[role="alert"]')).toContain('killed')

      // The junk file is in quarantine with its bytes.
      const quarantine = await editor.get('/admin/wire/quarantine')
      expect(quarantine.$('main a').filter((_, a) => quarantine.$(a).text() === 'upload: junk.bin')).toHaveLength(1)
    })

    it('refuses an oversize upload with a clear page and imports nothing from it', async () => {
      const editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      const before = (await t.server.container.wire.listDesk({}, { page: 1, perPage: 100 })).items.length
      const csrf = await editor.csrfFrom('/admin/wire/upload')
      const huge = new Uint8Array(21 * 1024 * 1024).fill(0x20)
      const refused = await editor.upload('/admin/wire/upload', { _csrf: csrf }, [
        { name: 'ok.json', bytes: fixture('ninjs/v2-meridian-river-flood.json') },
        { name: 'huge.xml', bytes: huge },
      ])
      expect(refused.response.status).toBe(413)
      expect(textOf(refused.$, 'main p')).toContain('at most 20 MB')
      expect((await t.server.container.wire.listDesk({}, { page: 1, perPage: 100 })).items.length).toBe(before)
    })

    it('editors manage routing rules and sources; form errors come back beside their fields', async () => {
      const editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      const sections = await t.server.container.sections.listSections()
      const politics = sections.find((s) => s.slug === 'politics')!

      let csrf = await editor.csrfFrom('/admin/wire/rules')
      const invalid = await editor.post('/admin/wire/rules', { _csrf: csrf, name: 'Nothing to match' })
      expect(invalid.response.status).toBe(422)
      expect(invalid.$('#field-agency-error').text()).toContain('at least one of agency')
      expect(invalid.$('input[name="name"]').attr('value')).toBe('Nothing to match')

      csrf = await editor.csrfFrom('/admin/wire/rules')
      const ok = await editor.post('/admin/wire/rules', { _csrf: csrf, name: 'Politics from AN', agency: 'an', sectionIds: [politics.id], priority: '10' })
      expect(ok.response.status).toBe(303)
      expect((await editor.get('/admin/wire/rules')).$('tbody').text()).toContain('Politics from AN')

      csrf = await editor.csrfFrom('/admin/wire/sources')
      const badSource = await editor.post('/admin/wire/sources', { _csrf: csrf, name: 'ACP world', slug: 'acp-world', kind: 'feed', url: '' })
      expect(badSource.response.status).toBe(422)
      expect(badSource.$('#field-url-error').text()).toBe('A feed needs a URL.')
      csrf = await editor.csrfFrom('/admin/wire/sources')
      await editor.post('/admin/wire/sources', { _csrf: csrf, name: 'ACP world', slug: 'acp-world', kind: 'feed', url: 'https://wire.acp.example/world.xml' })
      const sourcesPage = await editor.get('/admin/wire/sources')
      expect(sourcesPage.$('tbody').text()).toContain('https://wire.acp.example/world.xml')
      expect(sourcesPage.$('tbody').text()).toContain('never')

      // Pause the feed, then delete the rule.
      const pause = sourcesPage.$('form[action$="/disable"]')
      const paused = await editor.post(pause.attr('action')!, { _csrf: pause.find('input[name="_csrf"]').attr('value')! })
      expect(paused.response.status).toBe(303)
      expect((await t.server.container.wire.findSourceBySlug('acp-world'))?.enabled).toBe(false)
      const rules = await editor.get('/admin/wire/rules')
      const del = rules.$('form[action$="/delete"]').first()
      await editor.post(del.attr('action')!, { _csrf: del.find('input[name="_csrf"]').attr('value')! })
      expect((await editor.get('/admin/wire/rules')).$('tbody').text()).not.toContain('Politics from AN')

      // Each change is on record under the editor's name; the refused ones are not.
      const me = await t.server.container.auth.findByEmail(EDITOR.email)
      const log = await t.server.container.audit.list({ actorId: me!.id }, { page: 1, perPage: 100 })
      const wireEntries = log.items.filter((e) => e.action.startsWith('wire.')).map((e) => e.action).sort()
      expect(wireEntries).toEqual(['wire.rule_created', 'wire.rule_deleted', 'wire.source_changed', 'wire.source_created'])
    })

    it('authors may read the desk but not make drafts or rules; sign-out ends the session', async () => {
      const author = new AdminClient(t.url)
      await author.signIn(AUTHOR.email, AUTHOR.password)
      const desk = await author.get('/admin/wire')
      expect(desk.response.status).toBe(200)
      const item = desk.$('a.item-title').first().attr('href')!
      const itemPage = await author.get(item)
      expect(itemPage.$('button').filter((_, b) => itemPage.$(b).text() === 'Create draft')).toHaveLength(0)
      const csrf = await author.csrfFrom('/admin/wire')
      const refused = await author.post(`${item}/draft`, { _csrf: csrf })
      expect(refused.response.status).toBe(403)
      expect(textOf(refused.$, 'h1')).toBe('Not allowed')
      expect((await author.get('/admin/wire/upload')).response.status).toBe(403)

      const out = await author.post('/admin/sign-out', { _csrf: await author.csrfFrom('/admin/wire') })
      expect(out.response.status).toBe(303)
      expect((await author.get('/admin/wire')).response.status).toBe(303)
    })

    it('a one-time password must be changed before anything else', async () => {
      const { generatedPassword } = await t.server.container.auth.createUser({ email: 'new@example.org', name: 'New Editor', role: 'editor' })
      const fresh = new AdminClient(t.url)
      const response = await fresh.signIn('new@example.org', generatedPassword!)
      expect(response.headers.get('location')).toBe('/admin/password')
      expect((await fresh.get('/admin/wire')).response.headers.get('location')).toBe('/admin/password')

      let csrf = await fresh.csrfFrom('/admin/password')
      const short = await fresh.post('/admin/password', { _csrf: csrf, current: generatedPassword!, next: 'short' })
      expect(short.response.status).toBe(422)
      expect(short.$('#field-next-error').text()).toContain('12 characters')
      csrf = await fresh.csrfFrom('/admin/password')
      const changed = await fresh.post('/admin/password', { _csrf: csrf, current: generatedPassword!, next: 'my own long password' })
      expect(changed.response.status).toBe(303)
      expect(changed.response.headers.get('location')).toBe('/admin/password?done=changed')
      expect((await fresh.get('/admin/wire')).response.status).toBe(200)
    })
  })
}
