import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'

const ADMIN = { email: 'tokens.admin@example.org', password: 'tokens admin password' }
const EDITOR = { email: 'tokens.editor@example.org', password: 'tokens editor password' }

for (const dialect of DIALECTS) {
  describe(`${dialect}: admin API tokens in the admin, without JavaScript`, () => {
    let t: TestServer
    let admin: AdminClient
    let adminId: string

    beforeAll(async () => {
      t = await startTestServer(dialect, { wirePollSeconds: 0, loadDemo: false })
      const { auth } = t.server.container
      adminId = (await auth.createUser({ ...ADMIN, name: 'Tove Admin', role: 'admin' })).user.id
      await auth.createUser({ ...EDITOR, name: 'Eddie Editor', role: 'editor' })
      admin = new AdminClient(t.url)
      expect((await admin.signIn(ADMIN.email, ADMIN.password)).status).toBe(303)
    }, 120_000)
    afterAll(async () => t?.cleanup())

    const api = (token: string) => t.fetch('/api/admin/v1/stories', { headers: { authorization: `Bearer ${token}` } })

    it('makes a token with scopes and an expiry, shows it once, and keeps only a hash', async () => {
      const csrf = await admin.csrfFrom('/admin/api-tokens')
      const made = await admin.post('/admin/api-tokens', { _csrf: csrf, name: 'Newsletter builder', scopes: ['stories:read', 'readers:read'], expiresInDays: '30' })
      expect(made.response.status).toBe(201)
      expect(made.response.headers.get('cache-control')).toContain('no-store')
      const token = made.$('#new-token').attr('value')!
      expect(token).toMatch(/^mat_[A-Za-z0-9_-]{43}$/)

      const { database } = t.server.container
      const row = await database.db.selectFrom('admin_api_tokens').selectAll().where('name', '=', 'Newsletter builder').executeTakeFirstOrThrow()
      expect(JSON.stringify(row)).not.toContain(token)
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/)
      expect(row.created_by).toBe(adminId)
      expect(JSON.parse(row.scopes)).toEqual(['stories:read', 'readers:read'])
      expect(Date.parse(row.expires_at!) - Date.parse(row.created_at)).toBe(30 * 86_400_000)

      // Shown once: the list never has it again, but shows its use.
      expect((await api(token)).status).toBe(200)
      const listed = await admin.get('/admin/api-tokens')
      expect(listed.html).not.toContain(token)
      const cells = listed.$('tr').filter((_, el) => listed.$(el).text().includes('Newsletter builder'))
      expect(cells.text()).toContain('stories:read')
      expect(cells.find('time').length).toBe(2)
      expect(cells.text()).not.toContain('Never')
    })

    it('refuses a token without a name or scope, keeping what was typed', async () => {
      const csrf = await admin.csrfFrom('/admin/api-tokens')
      const refused = await admin.post('/admin/api-tokens', { _csrf: csrf, name: 'Half made', expiresInDays: '7' })
      expect(refused.response.status).toBe(422)
      expect(refused.$('.error-summary').text()).toContain('Choose at least one scope.')
      expect(refused.$('#field-name').attr('value')).toBe('Half made')
      expect(refused.$('#field-expiresInDays option[selected]').attr('value')).toBe('7')
      const odd = await admin.post('/admin/api-tokens', { _csrf: csrf, name: 'Odd', scopes: ['stories:read', 'everything'], expiresInDays: '3' })
      expect(odd.response.status).toBe(422)
      expect(await t.server.container.adminTokens.list()).toHaveLength(1)
    })

    it('revokes a token at once, and records making and revoking it', async () => {
      const csrf = await admin.csrfFrom('/admin/api-tokens')
      const made = await admin.post('/admin/api-tokens', { _csrf: csrf, name: 'Doomed', scopes: ['stories:read'], expiresInDays: '0' })
      const token = made.$('#new-token').attr('value')!
      expect((await api(token)).status).toBe(200)
      const id = (await t.server.container.adminTokens.list()).find((k) => k.name === 'Doomed')!.id
      const revoked = await admin.post(`/admin/api-tokens/${id}/revoke`, { _csrf: csrf })
      expect(revoked.response.status).toBe(200)
      expect(revoked.html).toContain('The token is revoked')
      expect((await api(token)).status).toBe(401)
      const { audit } = t.server.container
      const entries = (await audit.list({ actorId: adminId }, { page: 1, perPage: 100 })).items.filter((e) => e.targetId === id)
      expect(entries.map((e) => e.action).sort()).toEqual(['api.call', 'api_token.created', 'api_token.revoked'])
      const missing = await admin.post('/admin/api-tokens/tok_missing/revoke', { _csrf: csrf })
      expect(missing.response.status).toBe(404)
    })

    it('is for admins only', async () => {
      const editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
      expect((await editor.get('/admin/api-tokens')).response.status).toBe(403)
      const csrf = await editor.csrfFrom('/admin/password')
      expect((await editor.post('/admin/api-tokens', { _csrf: csrf, name: 'Sneaky', scopes: ['stories:publish'] })).response.status).toBe(403)
      const { html } = await editor.get('/admin')
      expect(html).not.toContain('/admin/api-tokens')
    })
  })
}
