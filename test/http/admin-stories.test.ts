import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { parseHtml, textOf } from '../support/html.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'
import { wireFixture } from '../support/wire-fixtures.ts'
import { vnuErrors } from '../support/vnu.ts'

const AUTHOR = { email: 'rita@ledger.example', password: 'rita the reporter' }
const EDITOR = { email: 'ed@ledger.example', password: 'ed the night editor' }
const CONTRIBUTOR = { email: 'cleo@ledger.example', password: 'cleo contributes' }

for (const dialect of DIALECTS) {
  describe(`${dialect}: the story desk over HTTP`, () => {
    let t: TestServer
    let author: AdminClient
    let editor: AdminClient
    let ids: { politics: string; caribbean: string; desk: string; staff: string }
    let edUserId: string

    beforeAll(async () => {
      t = await startTestServer(dialect, { wirePollSeconds: 0 })
      const { auth, sections, authors, sources } = t.server.container
      await auth.createUser({ ...AUTHOR, name: 'Rita Reporter', role: 'author' })
      edUserId = (await auth.createUser({ ...EDITOR, name: 'Ed Editor', role: 'editor' })).user.id
      await auth.createUser({ ...CONTRIBUTOR, name: 'Cleo Contributor', role: 'contributor' })
      const all = await sections.listSections()
      const desks = (await authors.listAll()).filter((a) => a.kind === 'desk')
      const staff = (await sources.listAll()).filter((s) => s.kind === 'staff')
      ids = { politics: all.find((s) => s.slug === 'politics')!.id, caribbean: all.find((s) => s.slug === 'venezuela')!.id, desk: desks[0]!.id, staff: staff[0]!.id }
      author = new AdminClient(t.url)
      await author.signIn(AUTHOR.email, AUTHOR.password)
      editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
    })
    afterAll(async () => t?.cleanup())

    async function newStory(client: AdminClient): Promise<string> {
      const csrf = await client.csrfFrom('/admin/stories')
      const { response } = await client.post('/admin/stories', { _csrf: csrf })
      expect(response.status).toBe(303)
      const location = response.headers.get('location')!
      expect(location).toMatch(/^\/admin\/stories\/art_[0-9a-z]+$/)
      return location
    }

    async function formOf(client: AdminClient, path: string) {
      const page = await client.get(path)
      const form = page.$('#story-form')
      return {
        page,
        csrf: form.find('input[name="_csrf"]').attr('value')!,
        baseVersion: Number(form.find('input[name="baseVersion"]').attr('value')),
      }
    }

    it('writes a story without JavaScript: fields, byline, sections, credit and tags, kept across a reload', async () => {
      const path = await newStory(author)
      const { csrf, baseVersion } = await formOf(author, path)
      const saved = await author.post(path, {
        _csrf: csrf,
        baseVersion: String(baseVersion),
        title: 'Ferry crews agree new rota after talks',
        dek: 'A deal ends a week of cancelled crossings.',
        slug: '',
        dateline: 'BRIDGETOWN',
        bodyText: 'Ferry crews and the port authority agreed a new rota on Monday.\n\nCrossings resume on Tuesday.',
        primarySectionId: ids.caribbean,
        sectionIds: [ids.politics],
        authorsShown: '1',
        authorIds: [ids.desk, ''],
        sourceId: ids.staff,
        tagNames: 'Ferries, Labour disputes, ferries',
        seoTitle: '',
        seoDescription: '',
        featuredMediaId: '',
      })
      expect(saved.response.status).toBe(303)
      expect(saved.response.headers.get('location')).toBe(`${path}?done=saved`)
      const page = await author.get(`${path}?done=saved`)
      expect(textOf(page.$, '[role="status"].notice')).toBe('Saved.')
      expect(page.$('#field-title').attr('value')).toBe('Ferry crews agree new rota after talks')
      expect(page.$('#field-slug').attr('value')).toBe('')
      expect(page.$('#field-slug-hint').text()).toContain('/articles/ferry-crews-agree-new-rota-after-talks')
      expect(page.$('#field-primarySectionId option[selected]').attr('value')).toBe(ids.caribbean)
      expect(page.$(`input[name="sectionIds"][value="${ids.politics}"]`).attr('checked')).toBeDefined()
      expect(page.$('#field-author-0 option[selected]').attr('value')).toBe(ids.desk)
      expect(page.$('#field-tagNames').attr('value')).toBe('Ferries, Labour disputes')
      expect(page.$('textarea[name="bodyText"]').text()).toBe('Ferry crews and the port authority agreed a new rota on Monday.\n\nCrossings resume on Tuesday.')
      expect(JSON.parse(page.$('#story-body').attr('value')!)).toHaveLength(2)
    })

    it('refuses a taken address at its field and keeps everything typed', async () => {
      const path = await newStory(author)
      const { csrf, baseVersion } = await formOf(author, path)
      const refused = await author.post(path, {
        _csrf: csrf,
        baseVersion: String(baseVersion),
        title: 'A headline I typed',
        slug: 'ferry-crews-agree-new-rota-after-talks',
        bodyText: 'Words I must not lose.',
      })
      expect(refused.response.status).toBe(422)
      expect(textOf(refused.$, '#field-slug-error')).toBe('Another story uses this address. Choose another.')
      expect(refused.$('#field-slug').attr('aria-invalid')).toBe('true')
      expect(refused.$('#field-slug').attr('value')).toBe('ferry-crews-agree-new-rota-after-talks')
      expect(refused.$('#field-title').attr('value')).toBe('A headline I typed')
      expect(refused.$('textarea[name="bodyText"]').text()).toBe('Words I must not lose.')
    })

    it('autosaves JSON with versions: saved, conflict with both versions, bad input, expired session, forged request', async () => {
      const path = await newStory(author)
      const id = path.split('/').pop()!
      const { csrf, baseVersion } = await formOf(author, path)
      const body = [{ type: 'paragraph', content: [{ text: 'Autosaved words.' }] }]
      const first = await author.json('PUT', `${path}/draft`, { baseVersion, fields: { title: 'Autosaved headline', slug: '', tagNames: '' }, body }, csrf)
      expect(first.response.status).toBe(200)
      expect(first.data).toMatchObject({ version: baseVersion + 1, savedAt: expect.any(String) })

      // The editor saves on top; the author's next autosave is based on the older version.
      const editorForm = await formOf(editor, path)
      const ed = await editor.json('PUT', `${path}/draft`, { baseVersion: editorForm.baseVersion, fields: { dek: 'From the desk.' }, body }, editorForm.csrf)
      expect(ed.response.status).toBe(200)
      const stale = await author.json('PUT', `${path}/draft`, { baseVersion: first.data.version, fields: { title: 'Author still typing' }, body: [{ type: 'paragraph', content: [{ text: 'Mine.' }] }] }, csrf)
      expect(stale.response.status).toBe(409)
      expect(stale.response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(stale.data).toMatchObject({
        code: 'ARTICLE_VERSION_CONFLICT',
        status: 409,
        conflictCopyId: expect.stringMatching(/^cfl_/),
        current: { version: ed.data.version, fields: { title: 'Autosaved headline', dek: 'From the desk.' }, body, savedBy: { name: 'Ed Editor' } },
      })
      const page = await author.get(path)
      expect(page.$('a[href*="/conflicts/"]').length).toBe(1)
      const conflict = await author.get(page.$('a[href*="/conflicts/"]').attr('href')!)
      expect(conflict.$('.story-diff ins').text()).toContain('Mine')

      // A body that breaks the schema: the problem names the field, nothing is saved.
      const bad = await author.json('PUT', `${path}/draft`, { baseVersion: ed.data.version, fields: {}, body: [{ type: 'paragraph', content: [{ text: 'x', marks: [{ type: 'link', href: 'javascript:alert(1)' }] }] }] }, csrf)
      expect(bad.response.status).toBe(422)
      expect(bad.data.issues[0].path).toMatch(/^changes\.body\[0\]/)
      const unreadable = await fetch(`${t.url}${path}/draft`, { method: 'PUT', headers: { cookie: author.cookieHeader(), 'content-type': 'application/json', 'x-csrf-token': csrf }, body: '{"baseVersion": 3, "fields": ' })
      expect(unreadable.status).toBe(400)

      const forged = await author.json('PUT', `${path}/draft`, { baseVersion: ed.data.version, fields: {}, body }, 'not-the-token')
      expect(forged.response.status).toBe(403)
      expect(forged.data.code).toBe('ADMIN_CSRF_INVALID')

      const signedOut = new AdminClient(t.url)
      const expired = await signedOut.json('PUT', `${path}/draft`, { baseVersion: ed.data.version, fields: {}, body }, csrf)
      expect(expired.response.status).toBe(401)
      expect(expired.data).toMatchObject({ code: 'AUTH_REQUIRED', status: 401 })

      // Presence: each sees the other.
      const presence = await author.json('POST', `${path}/presence`, {}, csrf)
      expect(presence.data.others.map((o: { name: string }) => o.name)).toEqual(['Ed Editor'])
      expect((await t.server.container.articles.listConflicts(id)).length).toBe(1)
    })

    it('goes from a writer through review to the site, with an update, a correction and unpublishing', async () => {
      const path = await newStory(author)
      const { csrf, baseVersion } = await formOf(author, path)
      await author.post(path, {
        _csrf: csrf,
        baseVersion: String(baseVersion),
        title: 'Council backs sea wall plan',
        slug: '',
        bodyText: 'The council voted for the sea wall.',
        primarySectionId: ids.politics,
        authorsShown: '1',
        authorIds: [ids.desk],
        sourceId: ids.staff,
      })
      // Writers cannot publish, whatever they post.
      expect((await author.post(`${path}/publish`, { _csrf: csrf })).response.status).toBe(403)
      const submitted = await author.post(`${path}/submit`, { _csrf: csrf })
      expect(submitted.response.headers.get('location')).toBe(`${path}?done=submitted`)

      const queue = await editor.get('/admin/stories?view=review')
      expect(queue.$('a.item-title').map((_, a) => queue.$(a).text()).get()).toContain('Council backs sea wall plan')

      // Scheduling in the past is refused at its field.
      const edCsrf = (await formOf(editor, path)).csrf
      const past = await editor.post(`${path}/schedule`, { _csrf: edCsrf, at: '2020-01-01T09:00' })
      expect(past.response.status).toBe(422)
      expect(textOf(past.$, '#field-at-error')).toBe('Choose a time in the future, or publish now.')

      const published = await editor.post(`${path}/publish`, { _csrf: edCsrf })
      expect(published.response.status).toBe(303)
      const site = await t.fetch('/articles/council-backs-sea-wall-plan')
      expect(site.status).toBe(200)
      const $ = parseHtml(await site.text())
      expect(textOf($, 'h1')).toBe('Council backs sea wall plan')
      expect(textOf($, '.article-body')).toContain('The council voted for the sea wall.')
      // Its writer may read it now but not change it: the page says so and marks the text read-only for the editor script.
      const writersView = await author.get(path)
      expect(textOf(writersView.$, 'p.notice')).toContain('You can read this story but not change it now.')
      expect(writersView.$('#story-editor').attr('data-read-only')).toBe('true')
      expect((await editor.get(path)).$('#story-editor').attr('data-read-only')).toBeUndefined()
      const politics = parseHtml(await (await t.fetch('/sections/politics')).text())
      expect(politics('a').map((_, a) => politics(a).text()).get()).toContain('Council backs sea wall plan')

      // An edit waits until it is published as an update.
      const form = await formOf(editor, path)
      await editor.post(path, { _csrf: form.csrf, baseVersion: String(form.baseVersion), title: 'Council backs sea wall plan after long debate' })
      expect(textOf(parseHtml(await (await t.fetch('/articles/council-backs-sea-wall-plan')).text()), 'h1')).toBe('Council backs sea wall plan')
      await editor.post(`${path}/publish-changes`, { _csrf: form.csrf, kind: 'update' })
      const updated = parseHtml(await (await t.fetch('/articles/council-backs-sea-wall-plan')).text())
      expect(textOf(updated, 'h1')).toBe('Council backs sea wall plan after long debate')
      expect(updated('time').parent().text()).toMatch(/Updated /)

      const short = await editor.post(`${path}/correct`, { _csrf: form.csrf, text: 'Oops' })
      expect(short.response.status).toBe(422)
      expect(textOf(short.$, '#field-text-error')).toBe('Say what was wrong and what is right.')
      await editor.post(`${path}/correct`, { _csrf: form.csrf, text: 'An earlier version misnamed the council.' })
      const corrected = await (await t.fetch('/articles/council-backs-sea-wall-plan')).text()
      expect(corrected).toContain('An earlier version misnamed the council.')

      const history = await editor.get(`${path}/history`)
      expect(history.$('ol.history li').text()).toContain('published a correction')
      const noReason = await editor.post(`${path}/unpublish`, { _csrf: form.csrf, note: '' })
      expect(noReason.response.status).toBe(422)
      await editor.post(`${path}/unpublish`, { _csrf: form.csrf, note: 'Legal asked us to hold it.' })
      expect((await t.fetch('/articles/council-backs-sea-wall-plan')).status).toBe(404)
    })

    it('holds back killed agency copy: notices, refusals, an unattended schedule, the one-click withdrawal and its 410 page, and a newer version taken in', async () => {
      const { wire, articles } = t.server.container
      const edActor = { userId: edUserId, role: 'editor' as const }
      const fromWire = async (fixture: string) => {
        const report = await wire.ingest({ bytes: wireFixture(fixture), origin: fixture })
        const itemId = report.items[0]!.itemId
        const draft = await wire.createDraft(itemId, edActor, { authorIds: [ids.desk] })
        await articles.edit(draft.id, { sectionIds: [ids.politics] }, edActor)
        return { itemId, id: draft.id, path: `/admin/stories/${draft.id}` }
      }

      // A public story from agency copy; the agency sends a newer version, which the editor takes in.
      const harbour = await fromWire('newsml-g2/acp-harbour-talks-v1.xml')
      const edCsrf = (await formOf(editor, harbour.path)).csrf
      expect((await editor.post(`${harbour.path}/publish`, { _csrf: edCsrf })).response.status).toBe(303)
      const slug = (await articles.findById(harbour.id))!.slug
      expect((await t.fetch(`/articles/${slug}`)).status).toBe(200)
      await wire.ingest({ bytes: wireFixture('newsml-g2/acp-harbour-talks-v2-correction.xml'), origin: 'v2' })
      const newer = await editor.get(harbour.path)
      expect(textOf(newer.$, '.notice-warn')).toContain('The agency sent version 2; this story was made from version 1.')
      const take = await editor.post(`${harbour.path}/agency-update`, { _csrf: edCsrf, itemId: harbour.itemId })
      expect(take.response.headers.get('location')).toBe(`${harbour.path}?done=agency`)
      const taken = await editor.get(`${harbour.path}?done=agency`)
      expect(taken.$('#field-title').attr('value')).toBe('Coastal neighbours reopen talks on shared harbour (CORRECTED)')
      expect(taken.$('form[action$="/agency-update"]').length).toBe(0)

      // A second story, scheduled before its copy is killed.
      const count = await fromWire('ninjs/v3-an-election-count.json')
      const scheduled = await editor.post(`${count.path}/schedule`, { _csrf: edCsrf, at: '2099-01-01T09:00' })
      expect(scheduled.response.status).toBe(303)

      // Both items are killed.
      await wire.ingest({ bytes: wireFixture('newsml-g2/acp-harbour-talks-v3-kill.xml'), origin: 'v3' })
      await wire.ingest({ bytes: wireFixture('ninjs/v3-an-election-count-kill.json'), origin: 'kill' })
      const list = await editor.get('/admin/stories')
      const rowOf = (title: string) => list.$('a.item-title').filter((_, a) => list.$(a).text() === title).closest('tr, li')
      expect(rowOf('Coastal neighbours reopen talks on shared harbour').text()).toContain('Killed by the agency')
      expect(rowOf('Count in Harlow Vale goes to a second night').text()).toContain('Killed by the agency')

      // The scheduled one does not go out by itself: at its time it goes back to draft, with the reason in its history.
      await t.server.container.database.db.updateTable('articles').set({ scheduled_at: '2026-01-01T00:00:00.000Z' }).where('id', '=', count.id).execute()
      expect(await articles.publishDue({ userId: null })).toEqual([])
      expect((await articles.findById(count.id))!.status).toBe('draft')
      const countPage = await editor.get(count.path)
      expect(textOf(countPage.$, '[role="alert"]')).toContain('cannot be scheduled')
      expect(countPage.$('form[action$="/schedule"]').length).toBe(0)
      expect((await editor.get(`${count.path}/history`)).$('ol.history li').text()).toContain('the agency killed the copy it was made from')

      // Scheduling and publishing it are refused on the server, at their fields, until an editor confirms "Publish anyway".
      const noSchedule = await editor.post(`${count.path}/schedule`, { _csrf: edCsrf, at: '2099-01-01T09:00' })
      expect(noSchedule.response.status).toBe(409)
      expect(textOf(noSchedule.$, '#field-at-error')).toContain('cannot be scheduled')
      const noPublish = await editor.post(`${count.path}/publish`, { _csrf: edCsrf })
      expect(noPublish.response.status).toBe(409)
      expect(textOf(noPublish.$, '#field-publishAnyway-error')).toContain('tick “Publish anyway”')
      expect(noPublish.$('.error-summary a[href="#field-publishAnyway"]').length).toBe(1)
      expect((await articles.findById(count.id))!.status).toBe('draft')

      // The public one: a warning with a one-click withdrawal, which leaves a short note at its address (410 Gone).
      const killed = await editor.get(harbour.path)
      expect(textOf(killed.$, '[role="alert"]')).toContain('The agency has killed the copy this story was made from. It must not stay on the site')
      const withdraw = killed.$('[role="alert"] form[action$="/withdraw"]')
      expect(withdraw.find('button').text()).toBe('Withdraw from the site')
      const done = await editor.post(withdraw.attr('action')!, Object.fromEntries(withdraw.find('input').map((_, i) => [[killed.$(i).attr('name')!, killed.$(i).attr('value') ?? '']]).get()))
      expect(done.response.headers.get('location')).toBe(`${harbour.path}?done=withdrawn`)
      const gone = await t.fetch(`/articles/${slug}`)
      expect(gone.status).toBe(410)
      expect(gone.headers.get('content-type')).toMatch(/^text\/html/)
      const goneHtml = parseHtml(await gone.text())
      expect(textOf(goneHtml, 'main')).toContain('This story was withdrawn because the news agency that supplied it withdrew it.')

      // Publishing again needs the confirmation, which the history records.
      expect((await editor.post(`${harbour.path}/publish`, { _csrf: edCsrf })).response.status).toBe(409)
      expect((await editor.post(`${harbour.path}/publish`, { _csrf: edCsrf, publishAnyway: '1' })).response.status).toBe(303)
      expect((await t.fetch(`/articles/${slug}`)).status).toBe(200)
      expect((await editor.get(`${harbour.path}/history`)).$('ol.history li').text()).toContain('Published although the agency had killed the copy it was made from.')
      // Every page with the kill's notices and refusals is valid HTML.
      expect(await vnuErrors([
        { name: 'killed draft', html: countPage.html },
        { name: 'publish refused', html: noPublish.html },
        { name: 'schedule refused', html: noSchedule.html },
        { name: 'killed public story', html: killed.html },
        { name: 'newer version', html: newer.html },
      ])).toEqual({})
    })

    it('refuses to publish a featured picture without alt text, at its field, and keeps an older chosen picture on offer', async () => {
      const { media } = t.server.container
      const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } }).png().toBuffer()
      const bare = await media.upload({ bytes: png, fileName: 'quay-at-dawn.png', declaredType: null, alt: '', caption: 'The quay at dawn.', credit: 'Photo: Ledger' }, { userId: null })
      const path = await newStory(editor)
      const { csrf, baseVersion } = await formOf(editor, path)
      const saved = await editor.post(path, {
        _csrf: csrf,
        baseVersion: String(baseVersion),
        title: 'Quay reopens after repairs',
        slug: '',
        bodyText: 'The quay reopened on Monday.',
        primarySectionId: ids.politics,
        authorsShown: '1',
        authorIds: [ids.desk],
        sourceId: ids.staff,
        featuredMediaId: bare.id,
      })
      expect(saved.response.status).toBe(303)
      const page = await editor.get(path)
      expect(page.$('#field-featuredMediaId option[selected]').text()).toContain('no alt text')

      const refused = await editor.post(`${path}/publish`, { _csrf: csrf })
      expect(refused.response.status).toBe(422)
      expect(textOf(refused.$, '#field-featuredMediaId-error')).toBe('The featured picture has no alt text. Add it in the media library, or choose another picture.')
      expect(refused.$('#field-featuredMediaId').attr('aria-invalid')).toBe('true')
      expect(refused.$('.error-summary a[href="#field-featuredMediaId"]').length).toBe(1)
      expect(await vnuErrors([{ name: 'featured picture refused', html: refused.html }])).toEqual({})
      expect((await t.server.container.articles.findById(path.split('/').pop()!))!.status).toBe('draft')

      // A picture older than the newest few is still offered while it is the chosen one.
      await media.upload({ bytes: png, fileName: 'newer.png', declaredType: null, alt: 'A newer picture', caption: '', credit: '' }, { userId: null })
      expect((await media.choices(1)).map((c) => c.id)).not.toContain(bare.id)
      expect((await media.choices(1, [bare.id])).map((c) => c.id)).toContain(bare.id)

      await media.updateText(bare.id, { alt: 'Fishing boats tied up at the repaired quay', caption: 'The quay at dawn.', credit: 'Photo: Ledger' })
      expect((await editor.post(`${path}/publish`, { _csrf: csrf })).response.status).toBe(303)
    })

    it('filters the list by status, section, author and credit, and pages through it keeping the filters', async () => {
      const { articles, authors, sources } = t.server.container
      const edActor = { userId: edUserId, role: 'editor' as const }
      const allAuthors = await authors.listAll()
      const [first, second] = [allAuthors[0]!, allAuthors[1]!]
      const agency = (await sources.listAll()).find((s) => s.kind === 'agency')!
      const make = async (title: string, fields: { sectionIds: string[]; authorIds: string[]; sourceId: string }, publish = false) => {
        const story = await articles.createDraft({ title, body: [{ type: 'paragraph', content: [{ text: 'Words.' }] }], tagIds: [], featuredMediaId: null, ...fields }, edActor)
        if (publish) await articles.publish(story.id, {}, edActor)
        return story
      }
      await make('Sieve: harbour vote', { sectionIds: [ids.politics], authorIds: [first.id], sourceId: ids.staff })
      await make('Sieve: ferry strike', { sectionIds: [ids.caribbean], authorIds: [second.id], sourceId: ids.staff }, true)
      await make('Sieve: agency copy', { sectionIds: [ids.caribbean, ids.politics], authorIds: [first.id, second.id], sourceId: agency.id })
      const titles = async (query: string) => {
        const page = await editor.get(`/admin/stories?view=all&q=Sieve&${query}`)
        expect(page.response.status).toBe(200)
        return page.$('a.item-title').map((_, a) => page.$(a).text()).get().sort()
      }
      expect(await titles('')).toEqual(['Sieve: agency copy', 'Sieve: ferry strike', 'Sieve: harbour vote'])
      expect(await titles('status=published')).toEqual(['Sieve: ferry strike'])
      expect(await titles('status=draft')).toEqual(['Sieve: agency copy', 'Sieve: harbour vote'])
      expect(await titles(`section=${ids.caribbean}`)).toEqual(['Sieve: agency copy', 'Sieve: ferry strike'])
      expect(await titles(`author=${first.id}`)).toEqual(['Sieve: agency copy', 'Sieve: harbour vote'])
      expect(await titles(`author=${second.id}&section=${ids.politics}`)).toEqual(['Sieve: agency copy'])
      expect(await titles('credit=staff')).toEqual(['Sieve: ferry strike', 'Sieve: harbour vote'])
      expect(await titles(`credit=${agency.id}`)).toEqual(['Sieve: agency copy'])
      // The chosen filters stay chosen in the form.
      const kept = await editor.get(`/admin/stories?view=all&q=Sieve&credit=${agency.id}&status=draft`)
      expect(kept.$('#filter-credit option[selected]').attr('value')).toBe(agency.id)

      // Fifty to a page; the pager keeps the filters.
      for (let i = 1; i <= 52; i++) await make(`Ream ${String(i).padStart(2, '0')}`, { sectionIds: [ids.politics], authorIds: [first.id], sourceId: ids.staff })
      const one = await editor.get('/admin/stories?view=all&q=Ream&status=draft')
      const firstPage = one.$('a.item-title').map((_, a) => one.$(a).text()).get()
      expect(firstPage).toHaveLength(50)
      expect(one.$('nav.pager a').text()).toBe('Older')
      const older = one.$('nav.pager a').attr('href')!
      expect(new URLSearchParams(older.split('?')[1])).toEqual(new URLSearchParams({ view: 'all', status: 'draft', q: 'Ream', page: '2' }))
      const two = await editor.get(older)
      const secondPage = two.$('a.item-title').map((_, a) => two.$(a).text()).get()
      expect(secondPage).toHaveLength(2)
      expect(new Set([...firstPage, ...secondPage]).size).toBe(52)
      expect(two.$('nav.pager a').text()).toBe('Newer')
    })

    it('compares two versions in the history: a word-level diff of the text and the fields', async () => {
      const path = await newStory(author)
      const { csrf, baseVersion } = await formOf(author, path)
      await author.post(path, { _csrf: csrf, baseVersion: String(baseVersion), title: 'Port strike ends', slug: '', bodyText: 'Dockers returned to work on Monday.', primarySectionId: ids.politics, authorsShown: '1', authorIds: [ids.desk], sourceId: ids.staff })
      await author.post(`${path}/submit`, { _csrf: csrf })
      const again = await formOf(editor, path)
      await editor.post(path, { _csrf: again.csrf, baseVersion: String(again.baseVersion), title: 'Port strike ends after pay deal', bodyText: 'Dockers returned to work on Tuesday.', primarySectionId: ids.caribbean, authorsShown: '1', authorIds: [ids.desk], sourceId: ids.staff })

      const history = await editor.get(`${path}/history`)
      const submitted = history.$('input[name="from"]').filter((_, i) => (history.$(i).attr('aria-label') ?? '').startsWith('Compare from Sent for review')).attr('value')!
      expect(submitted).toMatch(/^snp_/)
      const compared = await editor.get(`${path}/history?from=${submitted}&to=current`)
      expect(compared.response.status).toBe(200)
      expect(textOf(compared.$, '#diff-title')).toMatch(/^From Sent for review, .+ to the current version$/)
      const diff = Object.fromEntries(compared.$('.story-diff dt').map((_, dt) => [[compared.$(dt).text(), compared.$(dt).next('dd')]]).get())
      expect(diff['Headline'].find('ins').text()).toContain('after pay deal')
      expect(diff['Headline'].find('del').length).toBe(0)
      const text = diff['Text']
      expect(text.find('del').text()).toContain('Monday')
      expect(text.find('ins').text()).toContain('Tuesday')
      expect(compared.$('.story-diff dt').map((_, dt) => compared.$(dt).text()).get()).toContain('Sections')
      // The chosen pair stays chosen; an unknown version compares nothing rather than failing.
      expect(compared.$(`input[name="from"][value="${submitted}"]`).attr('checked')).toBeDefined()
      const unknown = await editor.get(`${path}/history?from=snp_nope&to=current`)
      expect(unknown.response.status).toBe(200)
      expect(unknown.$('.story-diff').length).toBe(0)
    })

    it('previews with the public templates and shares a private link', async () => {
      const path = await newStory(author)
      const { csrf, baseVersion } = await formOf(author, path)
      await author.post(path, { _csrf: csrf, baseVersion: String(baseVersion), title: 'Embargoed: the budget', slug: '', bodyText: 'Numbers under embargo.' })
      const preview = await author.get(`${path}/preview`)
      expect(preview.response.status).toBe(200)
      expect(textOf(preview.$, '.preview-banner')).toContain('Preview')
      expect(preview.$('meta[name="robots"]').attr('content')).toBe('noindex, nofollow')
      expect(textOf(preview.$, 'h1')).toBe('Embargoed: the budget')

      const shared = await author.post(`${path}/share`, { _csrf: csrf })
      const link = shared.$('#preview-link').attr('value')!
      expect(link).toMatch(/\/preview\/[A-Za-z0-9_-]{20,}$/)
      const outside = await fetch(link.replace(/^https?:\/\/[^/]+/, t.url))
      expect(outside.status).toBe(200)
      expect(outside.headers.get('cache-control')).toBe('no-store')
      expect(outside.headers.get('x-robots-tag')).toBe('noindex, nofollow')
      expect(await outside.text()).toContain('Numbers under embargo.')
      expect((await t.fetch('/preview/abcdefghijklmnopqrstuvwxyz012345')).status).toBe(404)
      // The story itself is still not public.
      expect((await t.fetch('/articles/embargoed-the-budget')).status).toBe(404)
    })

    it('keeps other people out of stories that are not theirs', async () => {
      const path = await newStory(author)
      const contributor = new AdminClient(t.url)
      await contributor.signIn(CONTRIBUTOR.email, CONTRIBUTOR.password)
      const refused = await contributor.get(path)
      expect(refused.response.status).toBe(403)
      const list = await contributor.get('/admin/stories?view=all')
      expect(list.$('a.item-title').length).toBe(0)
      const csrf = await contributor.csrfFrom('/admin/stories')
      expect((await contributor.post(`${path}/submit`, { _csrf: csrf })).response.status).toBe(403)
      expect((await contributor.json('PUT', `${path}/draft`, { baseVersion: 1, fields: { title: 'Taken over' }, body: [] }, csrf)).response.status).toBe(403)
    })
  })
}
