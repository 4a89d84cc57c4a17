import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { textOf } from '../support/html.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const EDITOR = { email: 'sections.editor@ledger.example', password: 'sections editor password' }
const AUTHOR = { email: 'sections.author@ledger.example', password: 'sections author password' }

for (const dialect of DIALECTS) {
  describe(`${dialect}: sections in the admin`, () => {
    let t: TestServer
    let editor: AdminClient
    let author: AdminClient
    let editorId: string

    beforeAll(async () => {
      t = await startTestServer(dialect, { wirePollSeconds: 0 })
      const { auth } = t.server.container
      editorId = (await auth.createUser({ ...EDITOR, name: 'Sana Sections', role: 'editor' })).user.id
      await auth.createUser({ ...AUTHOR, name: 'Abel Author', role: 'author' })
      editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      author = new AdminClient(t.url)
      await author.signIn(AUTHOR.email, AUTHOR.password)
    })
    afterAll(async () => t?.cleanup())

    const db = () => t.server.container.database.db
    const audit = (action: string) => db().selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('at').execute()
    const section = async (slug: string) => (await t.server.container.sections.listSections()).find((s) => s.slug === slug)

    it('creates a section under a parent, audited; a taken slug is a message at the field and nothing is saved', async () => {
      const europe = (await section('europe'))!
      const csrf = await editor.csrfFrom('/admin/sections')
      const created = await editor.post('/admin/sections', { _csrf: csrf, name: 'Portugal', slug: '', description: 'News from Portugal.', kind: 'country', parentId: europe.id })
      expect(created.response.status).toBe(303)
      expect(created.response.headers.get('location')).toBe('/admin/sections?done=created')
      const portugal = (await section('portugal'))!
      expect(portugal).toMatchObject({ name: 'Portugal', parentId: europe.id, kind: 'country' })
      const entries = await audit('section.created')
      expect(entries.map((e) => [e.actor_id, e.target_id])).toEqual([[editorId, portugal.id]])

      const taken = await editor.post('/admin/sections', { _csrf: csrf, name: 'Portugal again', slug: 'portugal', description: '', kind: 'country', parentId: '' })
      expect(taken.response.status).toBe(409)
      expect(textOf(taken.$, '#field-slug-error')).toContain('Another section already uses the slug "portugal"')
      expect(taken.$('#field-name').attr('value')).toBe('Portugal again')
      expect(taken.$('.error-summary a[href="#field-slug"]').length).toBe(1)
      expect(await audit('section.created')).toHaveLength(1)

      const blank = await editor.post('/admin/sections', { _csrf: csrf, name: '', slug: '', description: '', kind: 'nonsense', parentId: '' })
      expect(blank.response.status).toBe(422)
      expect(textOf(blank.$, '#field-name-error')).not.toBe('')
      expect(textOf(blank.$, '#field-kind-error')).toBe('Choose what kind of section it is.')
    })

    it('renames a section; the old public address answers 301 to the new one, page number kept', async () => {
      const science = (await section('science'))!
      expect((await t.fetch('/sections/science')).status).toBe(200)
      const csrf = await editor.csrfFrom(`/admin/sections/${science.id}`)
      const saved = await editor.post(`/admin/sections/${science.id}`, { _csrf: csrf, name: 'Science & health', slug: 'science-health', description: science.description, kind: 'topic', parentId: '' })
      expect(saved.response.status).toBe(303)
      const moved = await t.fetch('/sections/science')
      expect(moved.status).toBe(301)
      expect(moved.headers.get('location')).toBe('/sections/science-health')
      expect((await t.fetch('/sections/science?page=2')).headers.get('location')).toBe('/sections/science-health?page=2')
      const page = await t.fetch('/sections/science-health')
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('Science &amp; health')
      const [entry] = await audit('section.changed')
      expect(entry!.summary).toContain('/sections/science → /sections/science-health')

      // Renamed again: the first address still finds it.
      const again = await editor.post(`/admin/sections/${science.id}`, { _csrf: csrf, name: 'Science', slug: 'sci', description: '', kind: 'topic', parentId: '' })
      expect(again.response.status).toBe(303)
      expect((await t.fetch('/sections/science')).headers.get('location')).toBe('/sections/sci')
      expect((await t.fetch('/sections/science-health')).headers.get('location')).toBe('/sections/sci')
    })

    it('moves a section under another parent, and refuses to move one under its own descendant', async () => {
      const northAmerica = (await section('north-america'))!
      const latinAmerica = (await section('latin-america'))!
      const mexico = (await section('mexico'))!
      const csrf = await editor.csrfFrom(`/admin/sections/${mexico.id}`)
      const moved = await editor.post(`/admin/sections/${mexico.id}`, { _csrf: csrf, name: 'Mexico', slug: 'mexico', description: mexico.description, kind: 'country', parentId: northAmerica.id })
      expect(moved.response.status).toBe(303)
      expect((await section('mexico'))!.parentId).toBe(northAmerica.id)

      const before = (await audit('section.changed')).length
      const usa = (await section('usa'))!
      const cycle = await editor.post(`/admin/sections/${northAmerica.id}`, { _csrf: csrf, name: 'North America', slug: 'north-america', description: '', kind: 'region', parentId: usa.id })
      expect(cycle.response.status).toBe(422)
      expect(textOf(cycle.$, '#field-parentId-error')).toContain('cannot go under itself or one of its own sub-sections')
      const self = await editor.post(`/admin/sections/${latinAmerica.id}`, { _csrf: csrf, name: 'Latin America', slug: 'latin-america', description: '', kind: 'region', parentId: latinAmerica.id })
      expect(self.response.status).toBe(422)
      expect((await section('north-america'))!.parentId).toBeNull()
      expect((await section('north-america'))!.name).toBe('North America')
      expect(await audit('section.changed')).toHaveLength(before)
    })

    it('reorders sections among their siblings', async () => {
      const tops = async () => (await t.server.container.sections.listSections()).filter((s) => s.parentId === null).map((s) => s.slug)
      const order = await tops()
      const second = (await section(order[1]!))!
      const csrf = await editor.csrfFrom('/admin/sections')
      const up = await editor.post(`/admin/sections/${second.id}/move`, { _csrf: csrf, direction: 'up' })
      expect(up.response.status).toBe(303)
      expect(await tops()).toEqual([order[1], order[0], ...order.slice(2)])
      // The front page follows the new order.
      const home = await (await t.fetch('/')).text()
      expect(home.indexOf(`/sections/${order[1]}`)).toBeLessThan(home.indexOf(`/sections/${order[0]}"`))
      await editor.post(`/admin/sections/${second.id}/move`, { _csrf: csrf, direction: 'down' })
      expect(await tops()).toEqual(order)
    })

    it('deletes a section only when empty or after its stories have somewhere to go', async () => {
      const csrf = await editor.csrfFrom('/admin/sections')
      const europe = (await section('europe'))!
      const germany = (await section('germany'))!
      const business = (await section('business'))!
      const before = await t.server.container.sections.storyCounts()
      expect(before.get(business.id)).toBeGreaterThan(0)

      const withChildren = await editor.post(`/admin/sections/${europe.id}/delete`, { _csrf: csrf, moveTo: '' })
      expect(withChildren.response.status).toBe(409)
      expect(textOf(withChildren.$, '.error-summary')).toContain('has sub-sections')

      const refused = await editor.post(`/admin/sections/${business.id}/delete`, { _csrf: csrf, moveTo: '' })
      expect(refused.response.status).toBe(422)
      expect(textOf(refused.$, '#field-moveTo-error')).toMatch(/still has \d+ stor(y|ies)\. Choose the section they move to\./)
      expect(await section('business')).toBeDefined()
      expect(await audit('section.deleted')).toHaveLength(0)

      const deleted = await editor.post(`/admin/sections/${business.id}/delete`, { _csrf: csrf, moveTo: germany.id })
      expect(deleted.response.status).toBe(303)
      expect(await section('business')).toBeUndefined()
      const after = await t.server.container.sections.storyCounts()
      expect(after.get(germany.id)).toBeGreaterThanOrEqual(before.get(business.id)!)
      const old = await t.fetch('/sections/business')
      expect(old.status).toBe(301)
      expect(old.headers.get('location')).toBe('/sections/germany')
      const [entry] = await audit('section.deleted')
      expect(entry).toMatchObject({ actor_id: editorId, target_id: business.id })

      // An empty section goes without asking.
      await editor.post('/admin/sections', { _csrf: csrf, name: 'Empty corner', slug: 'empty-corner', description: '', kind: 'topic', parentId: '' })
      const empty = (await section('empty-corner'))!
      expect((await editor.post(`/admin/sections/${empty.id}/delete`, { _csrf: csrf, moveTo: '' })).response.status).toBe(303)
      expect((await t.fetch('/sections/empty-corner')).status).toBe(404)
    })

    it('is for editors and admins: an author is refused and nothing is recorded', async () => {
      expect((await author.get('/admin/sections')).response.status).toBe(403)
      const csrf = await author.csrfFrom('/admin/account')
      const count = (await db().selectFrom('audit_log').select('id').where('action', 'like', 'section.%').execute()).length
      const refused = await author.post('/admin/sections', { _csrf: csrf, name: 'Sneaky', slug: 'sneaky', description: '', kind: 'topic', parentId: '' })
      expect(refused.response.status).toBe(403)
      expect(await section('sneaky')).toBeUndefined()
      expect((await db().selectFrom('audit_log').select('id').where('action', 'like', 'section.%').execute()).length).toBe(count)
      expect((await author.get('/admin/stories')).$('a[href="/admin/sections"]').length).toBe(0)
      expect((await editor.get('/admin/stories')).$('a[href="/admin/sections"]').length).toBeGreaterThan(0)
    })
  })
}
