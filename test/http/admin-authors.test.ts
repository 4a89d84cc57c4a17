import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { textOf } from '../support/html.ts'
import { makePicture } from '../support/pictures.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const EDITOR = { email: 'authors.editor@ledger.example', password: 'authors editor password' }
const AUTHOR = { email: 'authors.author@ledger.example', password: 'authors author password' }

for (const dialect of DIALECTS) {
  describe(`${dialect}: authors and desks in the admin`, () => {
    let t: TestServer
    let editor: AdminClient
    let author: AdminClient
    let editorId: string
    let authorUserId: string

    beforeAll(async () => {
      t = await startTestServer(dialect, { wirePollSeconds: 0 })
      const { auth } = t.server.container
      editorId = (await auth.createUser({ ...EDITOR, name: 'Edda Authors', role: 'editor' })).user.id
      authorUserId = (await auth.createUser({ ...AUTHOR, name: 'Ana Writer', role: 'author' })).user.id
      editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      author = new AdminClient(t.url)
      await author.signIn(AUTHOR.email, AUTHOR.password)
    })
    afterAll(async () => t?.cleanup())

    const db = () => t.server.container.database.db
    const audit = (action: string) => db().selectFrom('audit_log').selectAll().where('action', '=', action).execute()
    const form = { name: '', slug: '', jobTitle: '', bio: '', userId: '', links: '', pictureMediaId: '' }

    it('creates a person linked to a staff account, with links; shows it on the list; audited', async () => {
      const csrf = await editor.csrfFrom('/admin/authors/new')
      const created = await editor.post('/admin/authors', {
        ...form,
        _csrf: csrf,
        name: 'Ana Writer',
        jobTitle: 'Harbour reporter',
        bio: 'Covers the ports.',
        userId: authorUserId,
        links: 'Mastodon https://social.example/@ana\nhttps://ana.example',
      })
      expect(created.response.status).toBe(303)
      const made = (await t.server.container.authors.findBySlug('ana-writer'))!
      expect(created.response.headers.get('location')).toBe(`/admin/authors/${made.id}?done=created`)
      expect(made).toMatchObject({ kind: 'person', userId: authorUserId, jobTitle: 'Harbour reporter', links: [{ label: 'Mastodon', url: 'https://social.example/@ana' }, { label: 'ana.example', url: 'https://ana.example' }] })
      expect((await audit('author.created')).map((e) => [e.actor_id, e.target_id])).toEqual([[editorId, made.id]])
      const list = await editor.get('/admin/authors')
      expect(textOf(list.$, 'main')).toContain('Ana Writer')
      const page = await editor.get(`/admin/authors/${made.id}`)
      expect(page.$('#field-links').text()).toContain('Mastodon https://social.example/@ana')
    })

    it('creates a desk without an account; refuses a taken slug, a second byline for the same account and a non-http link at their fields', async () => {
      const csrf = await editor.csrfFrom('/admin/authors/new')
      const desk = await editor.post('/admin/authors', { ...form, _csrf: csrf, name: 'Night Desk', isDesk: 'on' })
      expect(desk.response.status).toBe(303)
      expect((await t.server.container.authors.findBySlug('night-desk'))!.kind).toBe('desk')

      const taken = await editor.post('/admin/authors', { ...form, _csrf: csrf, name: 'Night Desk', isDesk: 'on' })
      expect(taken.response.status).toBe(409)
      expect(textOf(taken.$, '#field-slug-error')).toContain('already uses the slug "night-desk"')
      const account = await editor.post('/admin/authors', { ...form, _csrf: csrf, name: 'Ana Again', userId: authorUserId })
      expect(account.response.status).toBe(409)
      expect(textOf(account.$, '#field-userId-error')).toContain('already signs as Ana Writer')
      const link = await editor.post('/admin/authors', { ...form, _csrf: csrf, name: 'Link Person', links: 'Site javascript:alert(1)' })
      expect(link.response.status).toBe(422)
      expect(textOf(link.$, '#field-links-error')).not.toBe('')
      expect(link.$('#field-name').attr('value')).toBe('Link Person')
      expect(await t.server.container.authors.findBySlug('link-person')).toBeNull()
      expect(await t.server.container.authors.findBySlug('ana-again')).toBeNull()
      expect(await audit('author.created')).toHaveLength(2)
    })

    it('changes an author, shown on the public page at once; deletes only an author no byline names', async () => {
      const ana = (await t.server.container.authors.findBySlug('ana-writer'))!
      let csrf = await editor.csrfFrom(`/admin/authors/${ana.id}`)
      const saved = await editor.post(`/admin/authors/${ana.id}`, { ...form, _csrf: csrf, name: 'Ana Writer', slug: 'ana-writer', jobTitle: 'Ports correspondent', userId: authorUserId })
      expect(saved.response.status).toBe(303)
      expect((await t.server.container.authors.getAuthor(ana.id)).jobTitle).toBe('Ports correspondent')
      expect(await (await t.fetch('/authors/ana-writer')).text()).toContain('Ports correspondent')
      expect((await audit('author.changed'))[0]).toMatchObject({ actor_id: editorId, target_id: ana.id })

      const staff = (await t.server.container.authors.findBySlug('staff'))!
      csrf = await editor.csrfFrom(`/admin/authors/${staff.id}`)
      const refused = await editor.post(`/admin/authors/${staff.id}/delete`, { _csrf: csrf })
      expect(refused.response.status).toBe(409)
      expect(textOf(refused.$, '.error-summary')).toContain('is in the byline of')
      expect(await t.server.container.authors.findBySlug('staff')).not.toBeNull()

      const deleted = await editor.post(`/admin/authors/${ana.id}/delete`, { _csrf: csrf })
      expect(deleted.response.status).toBe(303)
      expect(await t.server.container.authors.findBySlug('ana-writer')).toBeNull()
      expect(await audit('author.deleted')).toHaveLength(1)
    })

    it('takes a picture from the media library and refuses one that is not there', async () => {
      const portrait = await t.server.container.media.upload(
        { bytes: await makePicture('png', 400, 400), fileName: 'portrait.png', declaredType: null, alt: 'Portrait of the night desk', caption: '', credit: 'Photo: Ledger' },
        { userId: null },
      )
      const desk = (await t.server.container.authors.findBySlug('night-desk'))!
      const csrf = await editor.csrfFrom(`/admin/authors/${desk.id}`)
      const page = await editor.get(`/admin/authors/${desk.id}`)
      expect(page.$(`#field-pictureMediaId option[value="${portrait.id}"]`).text()).toContain('Portrait of the night desk')
      const missing = await editor.post(`/admin/authors/${desk.id}`, { ...form, _csrf: csrf, name: 'Night Desk', slug: 'night-desk', isDesk: 'on', pictureMediaId: 'med_missing' })
      expect(missing.response.status).toBe(422)
      expect(textOf(missing.$, '#field-pictureMediaId-error')).toBe('Choose a picture from the media library.')
      expect((await t.server.container.authors.getAuthor(desk.id)).pictureMediaId).toBeNull()
      const saved = await editor.post(`/admin/authors/${desk.id}`, { ...form, _csrf: csrf, name: 'Night Desk', slug: 'night-desk', isDesk: 'on', pictureMediaId: portrait.id })
      expect(saved.response.status).toBe(303)
      expect((await t.server.container.authors.getAuthor(desk.id)).pictureMediaId).toBe(portrait.id)
    })

    it('is for editors and admins: an author is refused and nothing is recorded', async () => {
      expect((await author.get('/admin/authors')).response.status).toBe(403)
      const csrf = await author.csrfFrom('/admin/account')
      const before = (await db().selectFrom('audit_log').select('id').where('action', 'like', 'author.%').execute()).length
      expect((await author.post('/admin/authors', { ...form, _csrf: csrf, name: 'Self Made' })).response.status).toBe(403)
      expect(await t.server.container.authors.findBySlug('self-made')).toBeNull()
      expect((await db().selectFrom('audit_log').select('id').where('action', 'like', 'author.%').execute()).length).toBe(before)
    })
  })
}
