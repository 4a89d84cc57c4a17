import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { textOf } from '../support/html.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const EDITOR = { email: 'tags.editor@ledger.example', password: 'tags editor password' }
const CONTRIBUTOR = { email: 'tags.contributor@ledger.example', password: 'tags contributor password' }

for (const dialect of DIALECTS) {
  describe(`${dialect}: tags in the admin`, () => {
    let t: TestServer
    let editor: AdminClient
    let contributor: AdminClient
    let editorId: string

    beforeAll(async () => {
      t = await startTestServer(dialect, { wirePollSeconds: 0 })
      const { auth } = t.server.container
      editorId = (await auth.createUser({ ...EDITOR, name: 'Tova Tags', role: 'editor' })).user.id
      await auth.createUser({ ...CONTRIBUTOR, name: 'Cai Contributor', role: 'contributor' })
      editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      contributor = new AdminClient(t.url)
      await contributor.signIn(CONTRIBUTOR.email, CONTRIBUTOR.password)
    })
    afterAll(async () => t?.cleanup())

    const db = () => t.server.container.database.db
    const audit = (action: string) => db().selectFrom('audit_log').selectAll().where('action', '=', action).execute()
    const tag = (slug: string) => t.server.container.sections.findTagBySlug(slug)
    const storiesOf = async (tagId: string) => (await db().selectFrom('article_tags').select('article_id').where('tag_id', '=', tagId).execute()).map((r) => r.article_id).sort()

    it('creates a tag, audited; a taken slug is refused at the field', async () => {
      const csrf = await editor.csrfFrom('/admin/tags')
      const created = await editor.post('/admin/tags', { _csrf: csrf, name: 'Ports and harbours', slug: '' })
      expect(created.response.status).toBe(303)
      const made = (await tag('ports-and-harbours'))!
      expect((await audit('tag.created')).map((e) => [e.actor_id, e.target_id])).toEqual([[editorId, made.id]])
      const taken = await editor.post('/admin/tags', { _csrf: csrf, name: 'Trade again', slug: 'trade' })
      expect(taken.response.status).toBe(409)
      expect(textOf(taken.$, '#field-slug-error')).toContain('Another tag already uses the slug "trade"')
      expect(await audit('tag.created')).toHaveLength(1)
    })

    it('renames a tag; its old address answers 301 to the new one', async () => {
      const trade = (await tag('trade'))!
      expect((await t.fetch('/tags/trade')).status).toBe(200)
      const csrf = await editor.csrfFrom(`/admin/tags/${trade.id}`)
      const saved = await editor.post(`/admin/tags/${trade.id}`, { _csrf: csrf, name: 'Tradewinds', slug: 'world-trade' })
      expect(saved.response.status).toBe(303)
      const old = await t.fetch('/tags/trade')
      expect(old.status).toBe(301)
      expect(old.headers.get('location')).toBe('/tags/world-trade')
      expect(await (await t.fetch('/tags/world-trade')).text()).toContain('Tradewinds')
      const [entry] = await audit('tag.renamed')
      expect(entry).toMatchObject({ actor_id: editorId, target_id: trade.id })
      // Search knows the new name at once: the stories were re-indexed in the rename's transaction.
      const found = await t.server.container.search.search({ q: 'tradewinds' })
      const tagged = await storiesOf(trade.id)
      expect(found.kind === 'results' ? found.hits.map((h) => h.article.id).filter((id) => tagged.includes(id)).length : 0).toBeGreaterThan(0)
      expect(entry!.summary).toContain('/tags/trade')
    })

    it('merges a tag into another: stories move, routing rules follow, both old addresses answer 301', async () => {
      const energy = (await tag('energy'))!
      const climate = (await tag('climate'))!
      const rule = await t.server.container.wire.createRule({ name: 'Energy copy', keyword: 'pipeline', tagIds: [energy.id, climate.id] })
      const expected = [...new Set([...(await storiesOf(energy.id)), ...(await storiesOf(climate.id))])].sort()
      expect((await storiesOf(energy.id)).length).toBeGreaterThan(0)

      // Renamed first, so the merge must carry the older address along too.
      let csrf = await editor.csrfFrom(`/admin/tags/${energy.id}`)
      await editor.post(`/admin/tags/${energy.id}`, { _csrf: csrf, name: 'Energy supply', slug: 'energy-supply' })

      const self = await editor.post(`/admin/tags/${energy.id}/merge`, { _csrf: csrf, intoId: energy.id })
      expect(self.response.status).toBe(422)
      expect(textOf(self.$, '#field-intoId-error')).toContain('cannot be merged into itself')
      const none = await editor.post(`/admin/tags/${energy.id}/merge`, { _csrf: csrf, intoId: '' })
      expect(none.response.status).toBe(422)
      expect(textOf(none.$, '#field-intoId-error')).toBe('Choose the tag to keep.')
      expect(await tag('energy-supply')).not.toBeNull()
      expect(await audit('tag.merged')).toHaveLength(0)

      csrf = await editor.csrfFrom(`/admin/tags/${energy.id}`)
      const merged = await editor.post(`/admin/tags/${energy.id}/merge`, { _csrf: csrf, intoId: climate.id })
      expect(merged.response.status).toBe(303)
      expect(merged.response.headers.get('location')).toBe(`/admin/tags/${climate.id}?done=merged`)
      expect(await tag('energy-supply')).toBeNull()
      expect(await storiesOf(climate.id)).toEqual(expected)
      for (const old of ['/tags/energy', '/tags/energy-supply']) {
        const response = await t.fetch(old)
        expect(response.status, old).toBe(301)
        expect(response.headers.get('location')).toBe('/tags/climate')
      }
      const rules = await t.server.container.wire.listRules()
      expect(rules.find((r) => r.id === rule.id)!.tagIds).toEqual([climate.id])
      const [entry] = await audit('tag.merged')
      expect(entry).toMatchObject({ actor_id: editorId, target_id: climate.id })
    })

    it('is for editors and admins: a contributor is refused and nothing is recorded', async () => {
      const climate = (await tag('climate'))!
      expect((await contributor.get('/admin/tags')).response.status).toBe(403)
      const csrf = await contributor.csrfFrom('/admin/account')
      const before = (await db().selectFrom('audit_log').select('id').where('action', 'like', 'tag.%').execute()).length
      expect((await contributor.post(`/admin/tags/${climate.id}`, { _csrf: csrf, name: 'Hijacked', slug: 'hijacked' })).response.status).toBe(403)
      expect((await tag('climate'))!.name).toBe(climate.name)
      expect((await db().selectFrom('audit_log').select('id').where('action', 'like', 'tag.%').execute()).length).toBe(before)
    })
  })
}
