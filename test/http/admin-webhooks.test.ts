import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifySignature, WEBHOOK_HEADERS } from '../../src/webhooks/index.ts'
import { AdminClient } from '../support/admin-client.ts'
import { DIALECTS } from '../support/dialects.ts'
import { textOf } from '../support/html.ts'
import { startTestServer, type TestServer } from '../support/test-context.ts'
import { startServer } from '../../src/server/main.ts'
import { vnuErrors } from '../support/vnu.ts'
import { eventually, startReceiver, type Receiver } from '../support/webhook-receiver.ts'

const ADMIN = { email: 'hooks.admin@ledger.example', password: 'hooks admin password' }
const EDITOR = { email: 'hooks.editor@ledger.example', password: 'hooks editor password' }

for (const dialect of DIALECTS) {
  describe(`${dialect}: webhooks in the admin`, { timeout: 180_000 }, () => {
    let t: TestServer
    let admin: AdminClient
    let editor: AdminClient
    let receiver: Receiver
    const pages: { name: string; html: string }[] = []

    beforeAll(async () => {
      ;[t, receiver] = await Promise.all([startTestServer(dialect, { loadDemo: false, wirePollSeconds: 0, webhooks: { everySeconds: 1, allowPrivateNetwork: true } }), startReceiver()])
      const { auth } = t.server.container
      await auth.createUser({ ...ADMIN, name: 'Hana Hooks', role: 'admin' })
      await auth.createUser({ ...EDITOR, name: 'Ed Itor', role: 'editor' })
      admin = new AdminClient(t.url)
      await admin.signIn(ADMIN.email, ADMIN.password)
      editor = new AdminClient(t.url)
      await editor.signIn(EDITOR.email, EDITOR.password)
    }, 180_000)
    afterAll(async () => {
      await receiver?.stop()
      await t?.cleanup()
    })

    const keep = (name: string, html: string) => pages.push({ name: `${dialect} ${name}`, html })

    it('registers an endpoint and shows its secret once; the worker delivers signed events; the log shows each attempt; send again sends it once more', async () => {
      const form = await admin.get('/admin/webhooks/new')
      expect(form.response.status).toBe(200)
      keep('new endpoint', form.html)
      const csrf = form.$('input[name="_csrf"]').attr('value')!
      const created = await admin.post('/admin/webhooks', { _csrf: csrf, url: receiver.url, description: 'The app team', events: ['story.updated', 'submission.received'] })
      expect(created.response.status).toBe(201)
      keep('secret shown', created.html)
      const secret = textOf(created.$, '#webhook-secret')
      expect(secret).toMatch(/^whsec_/)
      const [endpoint] = await t.server.container.webhooks.listEndpoints()
      expect(endpoint).toMatchObject({ url: receiver.url, description: 'The app team', events: ['story.updated', 'submission.received'] })

      // Never again: not on the list, not on the endpoint's page.
      const listed = await admin.get('/admin/webhooks')
      keep('list', listed.html)
      expect(textOf(listed.$, 'main')).toContain(receiver.url)
      expect(listed.html).not.toContain(secret)
      const page = await admin.get(`/admin/webhooks/${endpoint!.id}`)
      expect(page.html).not.toContain(secret)
      expect(textOf(page.$, 'main')).toContain('Nothing has been sent here yet.')

      // A reader's tip goes out by the worker on its timer: 500 first, then (sent again) 200.
      receiver.answer({ status: 500, body: 'receiver is down' })
      const tip = await t.server.container.submissions.submitTip({ text: 'Something is going on at the depot.', name: '', email: '', contact: '' })
      await eventually(() => receiver.received.length === 1, 20_000)
      const [request] = receiver.received
      expect(JSON.parse(request!.body)).toMatchObject({ type: 'submission.received', data: { kind: 'tip', id: tip.id } })
      expect(verifySignature({ secret, body: request!.body, timestamp: String(request!.headers[WEBHOOK_HEADERS.timestamp]), signature: String(request!.headers[WEBHOOK_HEADERS.signature]), nowSeconds: Math.floor(Date.now() / 1000) })).toBe(true)
      await eventually(async () => (await t.server.container.webhooks.deliveries(endpoint!.id))[0]!.attempts === 1)

      const log = await admin.get(`/admin/webhooks/${endpoint!.id}`)
      keep('endpoint with log', log.html)
      const row = textOf(log.$, '.webhook-log tbody tr')
      expect(row).toContain('submission.received')
      expect(row).toContain('Waiting')
      expect(row).toContain('HTTP 500')
      expect(row).toContain('receiver is down')

      // The retry is scheduled 15–30 s away; "send again" sends it now.
      const [delivery] = await t.server.container.webhooks.deliveries(endpoint!.id)
      const resent = await admin.post(`/admin/webhooks/${endpoint!.id}/deliveries/${delivery!.id}/resend`, { _csrf: log.$('input[name="_csrf"]').attr('value')! })
      expect(resent.response.status).toBe(303)
      expect(resent.response.headers.get('location')).toBe(`/admin/webhooks/${endpoint!.id}?done=resent#delivery-${delivery!.id}`)
      await eventually(() => receiver.received.length === 2, 20_000)
      await eventually(async () => (await t.server.container.webhooks.deliveries(endpoint!.id))[0]!.status === 'delivered')
      expect(receiver.received[1]!.headers[WEBHOOK_HEADERS.id]).toBe(delivery!.id)
      const after = await admin.get(`/admin/webhooks/${endpoint!.id}?done=resent`)
      keep('endpoint after send again', after.html)
      expect(textOf(after.$, '.webhook-log tbody tr')).toContain('Delivered')
      expect(after.$('.webhook-log .attempts li').length).toBe(2)
      expect(textOf(after.$, '[role="status"]')).toContain('queued to be sent again')
      const audit = await t.server.container.database.db.selectFrom('audit_log').select('action').where('action', 'like', 'webhook.%').execute()
      expect(audit.map((a) => a.action).sort()).toEqual(['webhook.created', 'webhook.resent'])

      // A new secret replaces the old one at once, shown once.
      const rotated = await admin.post(`/admin/webhooks/${endpoint!.id}/rotate`, { _csrf: log.$('input[name="_csrf"]').attr('value')! })
      expect(rotated.response.status).toBe(200)
      keep('new secret', rotated.html)
      const second = textOf(rotated.$, '#webhook-secret')
      expect(second).toMatch(/^whsec_/)
      expect(second).not.toBe(secret)
      expect((await admin.get(`/admin/webhooks/${endpoint!.id}`)).html).not.toContain(second)
    })

    it('refuses an invalid address and an unknown event at their fields, keeping what was typed', async () => {
      const csrf = await admin.csrfFrom('/admin/webhooks/new')
      const before = (await t.server.container.webhooks.listEndpoints()).length
      const bad = await admin.post('/admin/webhooks', { _csrf: csrf, url: 'hooks.example/no-scheme', description: 'Kept', events: ['story.published'] })
      expect(bad.response.status).toBe(422)
      keep('bad address', bad.html)
      expect(textOf(bad.$, '#field-url-error')).toBe('Enter a full address such as https://hooks.example.org/masthead.')
      expect(bad.$('#field-url').attr('value')).toBe('hooks.example/no-scheme')
      expect(bad.$('#field-description').attr('value')).toBe('Kept')
      expect(bad.$('#field-event-story\\.published').attr('checked')).toBeDefined()
      expect(bad.$('.error-summary a[href="#field-url"]').length).toBe(1)

      const unknown = await admin.post('/admin/webhooks', { _csrf: csrf, url: 'https://hooks.example/x', description: '', events: ['story.published', 'story.deleted'] })
      expect(unknown.response.status).toBe(422)
      expect(textOf(unknown.$, '#field-events-error')).toBe('There is no event called “story.deleted”. Choose from the list.')
      const none = await admin.post('/admin/webhooks', { _csrf: csrf, url: 'https://hooks.example/x', description: '' })
      expect(none.response.status).toBe(422)
      keep('no events', none.html)
      expect(textOf(none.$, '#field-events-error')).toBe('Choose at least one event to send.')
      expect((await t.server.container.webhooks.listEndpoints()).length).toBe(before)
    })

    it('is for admins only: an editor is refused and nothing changes', async () => {
      expect((await editor.get('/admin/webhooks')).response.status).toBe(403)
      const csrf = await editor.csrfFrom('/admin/account')
      const before = (await t.server.container.webhooks.listEndpoints()).length
      expect((await editor.post('/admin/webhooks', { _csrf: csrf, url: 'https://hooks.example/x', events: ['story.published'] })).response.status).toBe(403)
      expect((await t.server.container.webhooks.listEndpoints()).length).toBe(before)
      expect((await admin.get('/admin/webhooks/whk_missing')).response.status).toBe(404)
    })

    it('two servers on the same database, each running the worker on its timer, send each delivery once', async () => {
      const second = await startServer(t.config, { logger: false })
      const other = await startReceiver()
      try {
        const { endpoint } = await t.server.container.webhooks.createEndpoint({ url: other.url, events: ['story.unpublished'] }, { userId: null })
        // Queued from both servers, as two processes would queue their own events.
        for (let i = 0; i < 20; i++) {
          const by = i % 2 === 0 ? t.server.container : second.container
          await by.webhooks.enqueue('story.unpublished', { id: `art_${i}`, url: `https://news.example/articles/${i}`, headline: `Story ${i}`, status: 'unpublished' })
        }
        await eventually(async () => (await t.server.container.webhooks.deliveries(endpoint.id)).every((d) => d.status === 'delivered'), 60_000)
        // Two more ticks of both workers: nothing is sent twice.
        await new Promise((r) => setTimeout(r, 2500))
        expect(other.received).toHaveLength(20)
        expect(new Set(other.received.map((r) => r.headers[WEBHOOK_HEADERS.id])).size).toBe(20)
        expect(new Set(other.received.map((r) => JSON.parse(r.body).data.id)).size).toBe(20)
        expect((await t.server.container.webhooks.deliveries(endpoint.id)).map((d) => d.attempts)).toEqual(Array.from({ length: 20 }, () => 1))
      } finally {
        await second.close()
        await other.stop()
      }
    })

    it('every page seen is valid HTML', async () => {
      expect(pages.length).toBeGreaterThanOrEqual(7)
      expect(await vnuErrors(pages)).toEqual({})
    })
  })
}
