import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { textOf } from '../support/html.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const EDITOR = { email: 'sources.editor@ledger.example', password: 'sources editor password' }
const AUTHOR = { email: 'sources.author@ledger.example', password: 'sources author password' }

for (const dialect of DIALECTS) {
  describe(`${dialect}: sources in the admin`, () => {
    let t: TestServer
    let editor: AdminClient
    let author: AdminClient
    let editorId: string

    beforeAll(async () => {
      t = await startTestServer(dialect, { wirePollSeconds: 0 })
      const { auth } = t.server.container
      editorId = (await auth.createUser({ ...EDITOR, name: 'Sol Sources', role: 'editor' })).user.id
      await auth.createUser({ ...AUTHOR, name: 'Ari Author', role: 'author' })
      editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      author = new AdminClient(t.url)
      await author.signIn(AUTHOR.email, AUTHOR.password)
    })
    afterAll(async () => t?.cleanup())

    const db = () => t.server.container.database.db
    const audit = (action: string) => db().selectFrom('audit_log').selectAll().where('action', '=', action).execute()

    it('creates an agency with its credit, audited; refuses a taken slug and a non-http address at their fields', async () => {
      const csrf = await editor.csrfFrom('/admin/sources/new')
      const created = await editor.post('/admin/sources', { _csrf: csrf, name: 'Harbour Press Service', credit: 'HPS', slug: '', kind: 'agency', url: 'https://hps.example' })
      expect(created.response.status).toBe(303)
      const made = (await t.server.container.sources.findBySlug('hps'))!
      expect(made).toMatchObject({ name: 'Harbour Press Service', credit: 'HPS', kind: 'agency', url: 'https://hps.example' })
      expect((await audit('source.created')).map((e) => [e.actor_id, e.target_id])).toEqual([[editorId, made.id]])
      expect(textOf((await editor.get('/admin/sources')).$, 'main')).toContain('Source: HPS')

      const taken = await editor.post('/admin/sources', { _csrf: csrf, name: 'Another HPS', credit: 'HPS', slug: 'hps', kind: 'agency', url: '' })
      expect(taken.response.status).toBe(409)
      expect(textOf(taken.$, '#field-slug-error')).toContain('Another source already uses the slug "hps"')
      const ftp = await editor.post('/admin/sources', { _csrf: csrf, name: 'File Agency', credit: 'FA', slug: '', kind: 'agency', url: 'ftp://files.example' })
      expect(ftp.response.status).toBe(422)
      expect(textOf(ftp.$, '#field-url-error')).toBe('The address must start with http:// or https://.')
      expect(ftp.$('#field-name').attr('value')).toBe('File Agency')
      expect(await t.server.container.sources.findBySlug('fa')).toBeNull()
      expect(await audit('source.created')).toHaveLength(1)
    })

    it("changes a source's credit and every credited story's page shows it at once; the slug stays", async () => {
      const counts = await t.server.container.sources.storyCounts()
      const all = await t.server.container.sources.listAll()
      const used = all.find((s) => (counts.get(s.id) ?? 0) > 0 && s.kind !== 'staff') ?? all.find((s) => (counts.get(s.id) ?? 0) > 0)!
      const story = await db().selectFrom('articles').select('slug').where('source_id', '=', used.id).where('status', '=', 'published').executeTakeFirstOrThrow()
      expect(await (await t.fetch(`/articles/${story.slug}`)).text()).toContain(used.credit)
      const csrf = await editor.csrfFrom(`/admin/sources/${used.id}`)
      const saved = await editor.post(`/admin/sources/${used.id}`, { _csrf: csrf, name: used.name, credit: 'Renamed Credit', slug: 'ignored-new-slug', kind: used.kind, url: '' })
      expect(saved.response.status).toBe(303)
      expect(await (await t.fetch(`/articles/${story.slug}`)).text()).toContain('Renamed Credit')
      expect((await t.server.container.sources.getSource(used.id)).slug).toBe(used.slug)
      expect((await audit('source.changed'))[0]).toMatchObject({ actor_id: editorId, target_id: used.id })

      const refused = await editor.post(`/admin/sources/${used.id}/delete`, { _csrf: csrf })
      expect(refused.response.status).toBe(409)
      expect(textOf(refused.$, '.error-summary')).toContain('cannot be deleted')
      expect(await t.server.container.sources.findBySlug(used.slug)).not.toBeNull()
    })

    it('deletes an unused source', async () => {
      const hps = (await t.server.container.sources.findBySlug('hps'))!
      const csrf = await editor.csrfFrom(`/admin/sources/${hps.id}`)
      const deleted = await editor.post(`/admin/sources/${hps.id}/delete`, { _csrf: csrf })
      expect(deleted.response.status).toBe(303)
      expect(await t.server.container.sources.findBySlug('hps')).toBeNull()
      expect((await audit('source.deleted')).map((e) => e.target_id)).toEqual([hps.id])
    })

    it('is for editors and admins: an author is refused and nothing is recorded', async () => {
      expect((await author.get('/admin/sources')).response.status).toBe(403)
      const csrf = await author.csrfFrom('/admin/account')
      const before = (await db().selectFrom('audit_log').select('id').where('action', 'like', 'source.%').execute()).length
      expect((await author.post('/admin/sources', { _csrf: csrf, name: 'Mine', credit: 'MINE', slug: '', kind: 'partner', url: '' })).response.status).toBe(403)
      expect(await t.server.container.sources.findBySlug('mine')).toBeNull()
      expect((await db().selectFrom('audit_log').select('id').where('action', 'like', 'source.%').execute()).length).toBe(before)
    })
  })
}
