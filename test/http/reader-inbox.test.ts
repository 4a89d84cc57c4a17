import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { parseHtml, textOf } from '../support/html.ts'
import { startSmtp, type TestSmtp } from '../support/smtp.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const EDITOR = { email: 'letters.editor@example.org', password: 'a letters editor password' }
const AUTHOR = { email: 'reporter@example.org', password: 'a reporter password' }
const HOSTILE = '<script>alert(1)</script>\n<img src=x onerror="alert(2)">\n<a href="javascript:alert(3)">click</a>\n\u202Eevil\u202C \u200Bzero\u200Dwidth ' + 'L'.repeat(5000)

for (const dialect of DIALECTS) {
  describe(`${dialect}: the reader desk's inbox`, () => {
    let t: TestServer
    let smtp: TestSmtp
    let editor: AdminClient
    beforeAll(async () => {
      smtp = await startSmtp()
      t = await startTestServer(dialect, { wirePollSeconds: 0, pageCache: false, smtpUrl: smtp.url, readerForms: { minSeconds: 0, perAddress: 1000, perHour: 10000 } })
      await t.server.container.auth.createUser({ ...EDITOR, name: 'Letters Editor', role: 'editor' })
      await t.server.container.auth.createUser({ ...AUTHOR, name: 'Reporter', role: 'author' })
      editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
    })
    afterAll(async () => {
      await t?.cleanup()
      await smtp?.close()
    })

    it('a letter goes from new through review to a draft story with the writer as byline and "Reader submission" as credit, then out with the disclaimer', async () => {
      const { submissions, articles, authors, sources, sections } = t.server.container
      const story = (await articles.listPublished({}, { page: 1, perPage: 1 })).items[0]!
      const receipt = await submissions.submitLetter({ name: 'Ines Duarte', town: 'Porto', email: 'ines@example.org', about: story.slug, text: 'The night shift was missing.\n\nThey keep the port running.' })
      const list = await editor.get('/admin/inbox?kind=letter')
      expect(list.response.status).toBe(200)
      expect(list.$('.admin-nav a').map((_, a) => list.$(a).text()).get()).toContain('Inbox')
      const link = list.$('a').filter((_, a) => list.$(a).text() === receipt.reference)
      expect(link).toHaveLength(1)
      const page = await editor.get(link.attr('href')!)
      expect(textOf(page.$, 'h1')).toBe(`Letter ${receipt.reference}`)
      expect(page.$('.reader-body').text()).toBe('The night shift was missing.\n\nThey keep the port running.')
      expect(page.html).toContain(story.title)
      const base = `/admin/inbox/${receipt.id}`
      const csrf = page.$('input[name="_csrf"]').first().attr('value')!

      // Declining needs a reason; the message is at the field.
      const noReason = await editor.post(`${base}/state`, { _csrf: csrf, to: 'declined', reason: '' })
      expect(noReason.response.status).toBe(422)
      expect(textOf(noReason.$, '#field-reason-error')).toMatch(/Say why/)
      // Accepting a new letter skips review: refused as a conflict.
      const skip = await editor.post(`${base}/state`, { _csrf: csrf, to: 'accepted' })
      expect(skip.response.status).toBe(409)
      for (const to of ['in_review', 'accepted']) {
        const moved = await editor.post(`${base}/state`, { _csrf: csrf, to })
        expect(moved.response.status).toBe(303)
      }
      expect((await editor.post(`${base}/notes`, { _csrf: csrf, body: 'Cut the second paragraph?' })).response.status).toBe(303)
      const before = smtp.messages.length
      expect((await editor.post(`${base}/reply`, { _csrf: csrf, subject: 'Your letter', reply: 'We will print it on Friday.' })).response.status).toBe(303)
      const mail = (await smtp.waitFor(before + 1))[before]!
      expect(mail.subject).toBe(`Your letter (${receipt.reference})`)
      expect(mail.text).toContain('We will print it on Friday.')
      const after = await editor.get(base)
      expect(after.$('.notes li').map((_, li) => after.$(li).text()).get().join('\n')).toMatch(/Note by Letters Editor[\s\S]*Cut the second paragraph\?[\s\S]*Reply sent by Letters Editor[\s\S]*We will print it on Friday\./)

      const made = await editor.post(`${base}/publish`, { _csrf: csrf })
      expect(made.response.status).toBe(303)
      const location = made.response.headers.get('location')!
      expect(location).toMatch(/^\/admin\/stories\/art_/)
      const draft = await articles.findById(location.split('/').pop()!)
      expect(draft).toMatchObject({ status: 'draft', title: `Letter: ${story.title}` })
      const [author] = await authors.byIds(draft!.authorIds)
      expect(author).toMatchObject({ name: 'Ines Duarte, Porto', kind: 'person' })
      const [source] = await sources.byIds([draft!.sourceId!])
      // "Reader submission", not the demo's "Letter to the editor" source: the same credit for letters and opinion pieces.
      expect(source).toMatchObject({ kind: 'reader', slug: 'reader-submission', credit: 'Reader submission' })
      const letters = (await sections.listSections()).find((s) => s.slug === 'letters')!
      expect(draft!.sectionIds).toEqual([letters.id])
      expect((await editor.get(location)).response.status).toBe(200)
      expect(textOf((await editor.get(base)).$, 'dd')).toBe('Published')
      // Published twice? No: it is no longer accepted.
      expect((await editor.post(`${base}/publish`, { _csrf: csrf })).response.status).toBe(409)

      await articles.publish(draft!.id, {}, { userId: null })
      const published = await articles.findById(draft!.id)
      const publicPage = parseHtml(await (await t.fetch(`/articles/${published!.slug}`)).text())
      expect(publicPage('main').text()).toContain('They keep the port running.')
      expect(textOf(publicPage, '.disclaimer')).toContain('do not necessarily reflect the views of the paper')
      expect(textOf(publicPage, '.byline')).toBe('By Ines Duarte, Porto')

      const audit = await t.server.container.audit.list({}, { page: 1, perPage: 50 })
      const mine = audit.items.filter((e) => e.targetId === receipt.id).map((e) => e.action)
      expect(mine).toEqual(expect.arrayContaining(['submission.state_changed', 'submission.replied', 'submission.published']))
    })

    it('search, state and assignee filters narrow the list', async () => {
      const { submissions } = t.server.container
      const a = await submissions.submitOpinion({ name: 'Rosa Lind', email: 'rosa@example.org', bio: 'Teacher.', headline: 'Teach the Grid', text: 'Schools should explain it.' })
      const b = await submissions.submitOpinion({ name: 'Karl Ode', email: 'karl@example.org', bio: 'Engineer.', headline: 'Build the lines', text: 'Faster permits.' })
      const staff = await t.server.container.auth.listStaff()
      const me = staff.find((s) => s.email === EDITOR.email)!
      const page = await editor.get(`/admin/inbox/${b.id}`)
      const csrf = page.$('input[name="_csrf"]').first().attr('value')!
      expect((await editor.post(`/admin/inbox/${b.id}/assign`, { _csrf: csrf, assignee: me.id })).response.status).toBe(303)
      const refs = async (query: string) => {
        const { $ } = await editor.get(`/admin/inbox?kind=opinion&${query}`)
        return $('tbody a').map((_, el) => $(el).text()).get()
      }
      expect(await refs('q=grid')).toEqual([a.reference])
      expect(await refs(`q=${b.reference}`)).toEqual([b.reference])
      expect(await refs(`assignee=${me.id}`)).toEqual([b.reference])
      expect(await refs('assignee=none')).toEqual([a.reference])
      expect(await refs('state=declined')).toEqual([])
      expect(await refs('q=50%25_off')).toEqual([])
    })

    it('tips are for editors and admins only, and every opening is in the audit log', async () => {
      const { submissions, audit } = t.server.container
      const tip = await submissions.submitTip({ text: 'The tender was rigged.', name: '', email: '', contact: '' })
      const author = new AdminClient(t.url)
      await author.signIn(AUTHOR.email, AUTHOR.password)
      expect((await author.get('/admin/inbox?kind=tip')).response.status).toBe(403)
      expect((await author.get(`/admin/inbox/${tip.id}`)).response.status).toBe(403)
      const count = async () => (await audit.list({ action: 'submission.tip_opened' }, { page: 1, perPage: 100 })).items.filter((e) => e.targetId === tip.id).length
      expect(await count()).toBe(0)
      await editor.get(`/admin/inbox/${tip.id}`)
      await editor.get(`/admin/inbox/${tip.id}`)
      expect(await count()).toBe(2)
      const page = await editor.get(`/admin/inbox/${tip.id}`)
      expect(page.html).toContain('The sender left no email address')
    })

    it('an admin can keep tips to admins: editors then see no tip, open none and cannot be assigned one', async () => {
      const { submissions, settings, auth } = t.server.container
      const chief = { email: 'tips.chief@example.org', password: 'a tips chief password' }
      if (!(await auth.listStaff()).some((m) => m.email === chief.email)) await auth.createUser({ ...chief, name: 'Tips Chief', role: 'admin' })
      const admin = new AdminClient(t.url)
      await admin.signIn(chief.email, chief.password)
      const tip = await submissions.submitTip({ text: 'Only the chief should read this.', name: '', email: '', contact: '' })
      const form = await admin.formValues('/admin/settings', 'form.record-form')
      expect(form.tipReaders).toBe('desk')
      const refused = await admin.post('/admin/settings', { ...form, tipReaders: 'everyone', _csrf: await admin.csrfFrom('/admin/settings') })
      expect(refused.response.status).toBe(422)
      expect(textOf(refused.$, '#field-tipReaders-error, .field-error')).toContain('Choose who may open tips')
      const saved = await admin.post('/admin/settings', { ...form, tipReaders: 'admins', _csrf: await admin.csrfFrom('/admin/settings') })
      expect(saved.response.status).toBe(303)
      try {
        expect((await editor.get('/admin/inbox?kind=tip')).response.status).toBe(403)
        expect((await editor.get(`/admin/inbox/${tip.id}`)).response.status).toBe(403)
        const letters = await editor.get('/admin/inbox')
        expect(letters.response.status).toBe(200)
        const opened = await admin.get(`/admin/inbox/${tip.id}`)
        expect(opened.response.status).toBe(200)
        const choices = opened.$('#field-assignee option').map((_, o) => opened.$(o).text().trim()).get()
        expect(choices).toContain('Tips Chief')
        expect(choices).not.toContain('Letters Editor')
        const editorId = (await auth.listStaff()).find((m) => m.email === EDITOR.email)!.id
        const assigned = await admin.post(`/admin/inbox/${tip.id}/assign`, { _csrf: await admin.csrfFrom(`/admin/inbox/${tip.id}`), assignee: editorId })
        expect(assigned.response.status).toBe(422)
      } finally {
        await settings.update({ tipReaders: 'desk' })
      }
      expect((await editor.get(`/admin/inbox/${tip.id}`)).response.status).toBe(200)
    })

    it('every download of a tip\'s file is in the audit log, by whom and which file', async () => {
      const { submissions, audit } = t.server.container
      const tip = await submissions.submitTip({ text: 'See the ledger.', name: '', email: '', contact: '' }, [{ fileName: 'ledger.txt', bytes: new TextEncoder().encode('ledger lines\n') }])
      const page = await editor.get(`/admin/inbox/${tip.id}`)
      const href = page.$('a').filter((_, a) => page.$(a).text() === 'ledger.txt').attr('href')!
      const downloads = async () => (await audit.list({ action: 'submission.tip_file_opened' }, { page: 1, perPage: 100 })).items.filter((e) => e.targetId === tip.id)
      expect(await downloads()).toHaveLength(0)
      for (let i = 0; i < 2; i++) {
        const response = await fetch(`${t.url}${href}`, { headers: { cookie: editor.cookieHeader() } })
        expect(await response.text()).toBe('ledger lines\n')
      }
      const entries = await downloads()
      expect(entries).toHaveLength(2)
      // The stored name (file-1.txt), never the sealed one the tipster gave.
      expect(entries[0]).toMatchObject({ summary: `Downloaded file-1.txt of tip ${tip.reference}` })
      expect(entries[0]!.actorId).toBeTruthy()
    })

    it('hostile reader text is shown verbatim in the admin and never runs', async () => {
      const { submissions } = t.server.container
      const receipt = await submissions.submitLetter({ name: '<img src=x onerror=alert(9)>', town: '"><script>alert(8)</script>', email: 'eve@example.org', text: HOSTILE })
      const list = await editor.get('/admin/inbox?kind=letter')
      expect(list.$('script')).toHaveLength(0)
      expect(list.$('img')).toHaveLength(0)
      const page = await editor.get(`/admin/inbox/${receipt.id}`)
      expect(page.$('.reader-body').text()).toBe(HOSTILE)
      expect(page.$('script')).toHaveLength(0)
      expect(page.$('img')).toHaveLength(0)
      expect(page.$('a[href^="javascript:"]')).toHaveLength(0)
      expect(page.html).not.toContain('<script>alert')
      expect(page.response.headers.get('content-security-policy')).toContain("script-src 'none'")
    })
  })
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: "Make it a story" on a site without the demo paper`, () => {
    let t: TestServer
    let editor: AdminClient
    beforeAll(async () => {
      t = await startTestServer(dialect, { wirePollSeconds: 0, pageCache: false, loadDemo: false, readerForms: { minSeconds: 0, perAddress: 1000, perHour: 10000 } })
      await t.server.container.auth.createUser({ ...EDITOR, name: 'Letters Editor', role: 'editor' })
      editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
    })
    afterAll(async () => {
      await t?.cleanup()
    })

    async function accept(id: string) {
      const csrf = await editor.csrfFrom(`/admin/inbox/${id}`)
      for (const to of ['in_review', 'accepted']) expect((await editor.post(`/admin/inbox/${id}/state`, { _csrf: csrf, to })).response.status).toBe(303)
      return csrf
    }

    it('makes the Opinion and Letters sections and the "Reader submission" source on first use, and credits both kinds to it', async () => {
      const { submissions, articles, sources, sections, authors } = t.server.container
      expect((await sections.listSections()).map((s) => s.slug)).not.toContain('letters')
      expect((await sources.listAll()).filter((s) => s.kind === 'reader')).toEqual([])

      const opinion = await submissions.submitOpinion({ name: 'Rosa Lind', email: 'rosa@example.org', bio: 'Rosa teaches physics.', headline: 'Teach the grid', text: 'Our schools should explain the grid.' })
      const csrf = await accept(opinion.id)
      const made = await editor.post(`/admin/inbox/${opinion.id}/publish`, { _csrf: csrf })
      expect(made.response.status, made.html.slice(0, 300)).toBe(303)
      const draft = (await articles.findById(made.response.headers.get('location')!.split('/').pop()!))!
      expect(draft.title).toBe('Teach the grid')
      const [source] = await sources.byIds([draft.sourceId!])
      expect(source).toMatchObject({ slug: 'reader-submission', name: 'Reader submission', credit: 'Reader submission', kind: 'reader' })
      const all = await sections.listSections()
      const opinionSection = all.find((s) => s.slug === 'opinion')!
      expect(draft.sectionIds).toEqual([opinionSection.id])
      expect((await authors.byIds(draft.authorIds))[0]).toMatchObject({ name: 'Rosa Lind', bio: 'Rosa teaches physics.' })

      const letter = await submissions.submitLetter({ name: 'Ines Duarte', town: 'Porto', email: 'ines@example.org', text: 'The night shift was missing.' })
      const made2 = await editor.post(`/admin/inbox/${letter.id}/publish`, { _csrf: await accept(letter.id) })
      expect(made2.response.status).toBe(303)
      const letterDraft = (await articles.findById(made2.response.headers.get('location')!.split('/').pop()!))!
      const letters = (await sections.listSections()).find((s) => s.slug === 'letters')!
      expect(letters).toMatchObject({ name: 'Letters', parentId: opinionSection.id })
      expect(letterDraft.sectionIds).toEqual([letters.id])
      // The same source, made once.
      expect(letterDraft.sourceId).toBe(source!.id)
      expect((await sources.listAll()).filter((s) => s.kind === 'reader')).toHaveLength(1)
      const audit = await t.server.container.audit.list({}, { page: 1, perPage: 50 })
      expect(audit.items.map((e) => e.action)).toEqual(expect.arrayContaining(['section.created', 'source.created']))
    })
  })
}
