import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildContainer, type Container } from '../../src/server/container.ts'
import type { Clock } from '../../src/shared/clock.ts'
import { createWebhookService, verifySignature, WEBHOOK_HEADERS, type WebhookDelivery } from '../../src/webhooks/index.ts'
import { createHttpSender } from '../../src/webhooks/senders/http-post.ts'
import { classifyHost } from '../../src/http/index.ts'
import { DIALECTS } from '../support/dialects.ts'
import { draftInput, EDITOR, makeWorld } from '../support/factories.ts'
import { buildTestContainer, type TestContainer } from '../support/test-context.ts'
import { eventually, startReceiver, type Receiver } from '../support/webhook-receiver.ts'

const ADMIN = { userId: null }
const STORY = { id: 'art_test', url: 'https://news.example/articles/test', headline: 'A test', status: 'published' }

for (const dialect of DIALECTS) {
  describe(`${dialect}: webhooks`, () => {
    let ctx: TestContainer
    let c: Container
    let now: Date
    const clock: Clock = { now: () => new Date(now) }
    let receiver: Receiver
    const extra: Container[] = []

    beforeEach(async () => {
      now = new Date('2026-03-02T09:00:00Z')
      ctx = await buildTestContainer(dialect, { clock, config: { webhooks: { everySeconds: 0, allowPrivateNetwork: true } } })
      c = ctx.container
      receiver = await startReceiver()
    })
    afterEach(async () => {
      for (const other of extra.splice(0)) await other.close()
      await receiver.stop()
      await ctx.cleanup()
    })

    const register = (events: string[], url = receiver.url) => c.webhooks.createEndpoint({ url, description: 'Test receiver', events }, ADMIN)
    const deliveriesOf = async (endpointId: string): Promise<WebhookDelivery[]> => c.webhooks.deliveries(endpointId)
    const later = (ms: number) => {
      now = new Date(now.getTime() + ms)
    }

    it('sends a published story, signed over the timestamp and the body, with its headers', async () => {
      const { endpoint, secret } = await register(['story.published'])
      expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)
      const world = await makeWorld(c)
      const draft = await c.articles.createDraft(draftInput(world, { title: 'Harbour talks resume' }), EDITOR)
      await c.articles.publish(draft.id, {}, EDITOR)
      await eventually(async () => (await deliveriesOf(endpoint.id)).length === 1)

      const outcomes = await c.webhooks.deliverDue('worker-a')
      expect(outcomes.map((o) => o.result)).toEqual(['delivered'])
      expect(receiver.received).toHaveLength(1)
      const [request] = receiver.received
      const body = JSON.parse(request!.body)
      expect(body).toMatchObject({ type: 'story.published', created_at: now.toISOString(), data: { id: draft.id, headline: 'Harbour talks resume', status: 'published' } })
      expect(body.id).toMatch(/^whe_/)
      expect(body.data.url).toMatch(new RegExp(`/articles/${draft.slug}$`))
      expect(request!.headers['content-type']).toBe('application/json')
      expect(request!.headers[WEBHOOK_HEADERS.event]).toBe('story.published')
      expect(request!.headers[WEBHOOK_HEADERS.id]).toBe((await deliveriesOf(endpoint.id))[0]!.id)
      const timestamp = String(request!.headers[WEBHOOK_HEADERS.timestamp])
      expect(timestamp).toBe(String(Math.floor(now.getTime() / 1000)))
      const signature = String(request!.headers[WEBHOOK_HEADERS.signature])
      expect(verifySignature({ secret, body: request!.body, timestamp, signature, nowSeconds: Number(timestamp) })).toBe(true)
      // Any change to the body, the time or the secret breaks it.
      expect(verifySignature({ secret, body: request!.body.replace('Harbour', 'Harbor'), timestamp, signature, nowSeconds: Number(timestamp) })).toBe(false)
      expect(verifySignature({ secret, body: request!.body, timestamp: String(Number(timestamp) + 1), signature, nowSeconds: Number(timestamp) })).toBe(false)
      expect(verifySignature({ secret: `${secret}x`, body: request!.body, timestamp, signature, nowSeconds: Number(timestamp) })).toBe(false)
      // A replay long after is refused by the receiver's clock check.
      expect(verifySignature({ secret, body: request!.body, timestamp, signature, nowSeconds: Number(timestamp) + 3600 })).toBe(false)

      const [delivery] = await deliveriesOf(endpoint.id)
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200 })
      expect(delivery!.log[0]).toMatchObject({ statusCode: 200, isSuccess: true, responseSnippet: 'ok', error: null })
      // Delivered once is delivered: the next run sends nothing.
      expect(await c.webhooks.deliverDue('worker-a')).toEqual([])
    })

    it('retries a 500 with backoff and delivers on the 200 that follows; every attempt is logged', async () => {
      const { endpoint } = await register(['story.updated'])
      receiver.answer({ status: 500, body: 'database on fire' })
      await c.webhooks.enqueue('story.updated', STORY)
      expect((await c.webhooks.deliverDue('w')).map((o) => o.result)).toEqual(['retrying'])
      let [delivery] = await deliveriesOf(endpoint.id)
      expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500' })
      expect(delivery!.log[0]).toMatchObject({ statusCode: 500, isSuccess: false, responseSnippet: 'database on fire' })
      // Not before its time: 15 to 30 seconds after the first failure.
      const wait = Date.parse(delivery!.nextAttemptAt!) - now.getTime()
      expect(wait).toBeGreaterThanOrEqual(15_000)
      expect(wait).toBeLessThanOrEqual(30_000)
      expect(await c.webhooks.deliverDue('w')).toEqual([])
      later(wait)
      expect((await c.webhooks.deliverDue('w')).map((o) => o.result)).toEqual(['delivered'])
      ;[delivery] = await deliveriesOf(endpoint.id)
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200, nextAttemptAt: null })
      expect(delivery!.log.map((a) => a.statusCode)).toEqual([200, 500])
      expect(receiver.received).toHaveLength(2)
      // The same delivery, the same body, each time.
      expect(receiver.received[0]!.body).toBe(receiver.received[1]!.body)
      expect(receiver.received[0]!.headers[WEBHOOK_HEADERS.id]).toBe(receiver.received[1]!.headers[WEBHOOK_HEADERS.id])
    })

    it('gives up 24 hours after the first failure, with waits that grow, and "send again" starts a fresh round', async () => {
      const { endpoint } = await register(['story.updated'])
      receiver.answer(...Array.from({ length: 40 }, () => ({ status: 503 })))
      await c.webhooks.enqueue('story.updated', STORY)
      const firstAt = now.getTime()
      const waits: number[] = []
      for (let i = 0; i < 40; i++) {
        const [outcome] = await c.webhooks.deliverDue('w')
        if (outcome!.result === 'failed') break
        const next = Date.parse((await deliveriesOf(endpoint.id))[0]!.nextAttemptAt!)
        waits.push(next - now.getTime())
        now = new Date(next)
      }
      const [delivery] = await deliveriesOf(endpoint.id)
      expect(delivery!.status).toBe('failed')
      expect(Date.parse(delivery!.failedAt!) - firstAt).toBe(24 * 3600_000)
      expect(waits[3]!).toBeGreaterThan(waits[0]!)
      expect(Math.max(...waits)).toBeLessThanOrEqual(3 * 3600_000)
      expect(delivery!.attempts).toBe(waits.length + 1)
      expect(await c.webhooks.deliverDue('w')).toEqual([])

      receiver.forget()
      receiver.answer({ status: 204 })
      await c.webhooks.sendAgain(endpoint.id, delivery!.id, ADMIN)
      expect((await c.webhooks.deliverDue('w')).map((o) => o.result)).toEqual(['delivered'])
      expect((await deliveriesOf(endpoint.id))[0]).toMatchObject({ status: 'delivered', attempts: waits.length + 2 })
      await expect(c.webhooks.sendAgain(endpoint.id, 'whd_nope', ADMIN)).rejects.toMatchObject({ code: 'WEBHOOK_DELIVERY_NOT_FOUND' })
    })

    it('two app instances on one database deliver each event exactly once', async () => {
      await register(['story.updated'])
      const second = await buildContainer(c.config, { clock })
      extra.push(second)
      for (let i = 0; i < 30; i++) await c.webhooks.enqueue('story.updated', { ...STORY, headline: `Story ${i}` })
      const [a, b] = await Promise.all([c.webhooks.deliverDue('process-a'), second.webhooks.deliverDue('process-b')])
      expect(a.length + b.length).toBe(30)
      expect(receiver.received).toHaveLength(30)
      const ids = receiver.received.map((r) => r.headers[WEBHOOK_HEADERS.id])
      expect(new Set(ids).size).toBe(30)
      expect(new Set(receiver.received.map((r) => JSON.parse(r.body).data.headline)).size).toBe(30)
      expect(await Promise.all([c.webhooks.deliverDue('process-a'), second.webhooks.deliverDue('process-b')])).toEqual([[], []])
    })

    it('deliveries queued before a restart are sent after it, including an event announced just before closing', async () => {
      const { endpoint } = await register(['story.unpublished', 'submission.received'])
      const before = await buildContainer(c.config, { clock })
      await before.webhooks.enqueue('story.unpublished', STORY)
      await before.webhooks.enqueue('story.unpublished', STORY)
      // Closed straight after the announcement: closing waits for its delivery to be queued.
      await before.submissions.submitLetter({ name: 'Ada Reader', town: 'Porthaven', email: 'ada@example.org', text: 'The ferry timetable is wrong again.', about: '' })
      await before.close()
      expect(receiver.received).toHaveLength(0)
      const after = await buildContainer(c.config, { clock })
      extra.push(after)
      expect((await after.webhooks.deliverDue('restarted')).map((o) => o.result)).toEqual(['delivered', 'delivered', 'delivered'])
      expect((await deliveriesOf(endpoint.id)).every((d) => d.status === 'delivered')).toBe(true)
      expect(receiver.received.map((r) => JSON.parse(r.body).type).sort()).toEqual(['story.unpublished', 'story.unpublished', 'submission.received'])
    })

    it('an endpoint that never answers times out after 10 seconds and is retried', { timeout: 60_000 }, async () => {
      const { endpoint } = await register(['story.updated'])
      receiver.answer('hang')
      await c.webhooks.enqueue('story.updated', STORY)
      const started = Date.now()
      expect((await c.webhooks.deliverDue('w')).map((o) => o.result)).toEqual(['retrying'])
      expect(Date.now() - started).toBeGreaterThanOrEqual(9_500)
      const [delivery] = await deliveriesOf(endpoint.id)
      expect(delivery).toMatchObject({ status: 'pending', lastStatusCode: null, lastError: 'No answer within 10 s' })
      expect(delivery!.log[0]!.durationMs).toBeGreaterThanOrEqual(9_500)
    })

    it('an endpoint that hangs does not hold up the others', { timeout: 60_000 }, async () => {
      const quick = await startReceiver()
      try {
        await register(['story.updated'])
        const other = await register(['story.updated'], quick.url)
        receiver.answer('hang')
        await c.webhooks.enqueue('story.updated', STORY)
        const run = c.webhooks.deliverDue('w')
        const outcomes = run.catch(() => [])
        // Sent and recorded while the first request is still waiting for its answer (10 s).
        try {
          await eventually(async () => quick.received.length === 1 && (await deliveriesOf(other.endpoint.id))[0]!.status === 'delivered', 8_000)
        } finally {
          await outcomes
        }
        expect((await run).map((o) => o.result).sort()).toEqual(['delivered', 'retrying'])
      } finally {
        await quick.stop()
      }
    })

    it('never follows a redirect: a 302 to a private address is a failure, and nothing reaches the address', async () => {
      const inside = await startReceiver()
      try {
        const { endpoint } = await register(['story.updated'])
        receiver.answer({ status: 302, headers: { location: inside.url } })
        await c.webhooks.enqueue('story.updated', STORY)
        expect((await c.webhooks.deliverDue('w')).map((o) => o.result)).toEqual(['retrying'])
        expect(inside.received).toHaveLength(0)
        const [delivery] = await deliveriesOf(endpoint.id)
        expect(delivery).toMatchObject({ lastStatusCode: 302 })
        expect(delivery!.lastError).toContain('redirects are not followed')
      } finally {
        await inside.stop()
      }
    })

    it('without the private-network switch, loopback is refused at the form and again on connecting', async () => {
      const strict = createWebhookService({ db: c.database.db, clock, sender: createHttpSender({ timeoutMs: 2000 }), classifyHost, allowPrivateNetwork: false })
      for (const url of [receiver.url, 'http://localhost:9/hooks', 'http://[::1]/hooks', 'http://10.0.0.8/hooks', 'http://169.254.169.254/latest']) {
        const refused = await strict.createEndpoint({ url, events: ['story.updated'] }, ADMIN).catch((e: unknown) => e)
        expect(refused, url).toMatchObject({ code: 'WEBHOOK_PRIVATE_ADDRESS', issues: [{ path: 'url' }] })
      }
      // An endpoint stored while the switch was on is refused when the switch is off, at connection time.
      await register(['story.updated'])
      await c.webhooks.enqueue('story.updated', STORY)
      const [outcome] = await strict.deliverDue('strict')
      expect(outcome).toMatchObject({ result: 'retrying', statusCode: null })
      expect(outcome!.error).toContain('private address')
      const byName = await createHttpSender()({ url: receiver.url.replace('127.0.0.1', 'localhost'), headers: {}, body: '{}', allowPrivateNetwork: false })
      expect(byName).toMatchObject({ kind: 'failed' })
      expect((byName as { reason: string }).reason).toContain('private addresses')
      expect(receiver.received).toHaveLength(0)
    })

    it('refuses bad endpoints at their fields and stores nothing', async () => {
      const cases: [Record<string, unknown>, string, RegExp][] = [
        [{ url: 'not a url', events: ['story.published'] }, 'url', /full address/],
        [{ url: 'ftp://files.example/x', events: ['story.published'] }, 'url', /http:\/\/ or https:\/\//],
        [{ url: 'https://user:pw@hooks.example/x', events: ['story.published'] }, 'url', /passwords/],
        [{ url: 'https://hooks.example/x', events: [] }, 'events', /at least one event/],
        [{ url: 'https://hooks.example/x', events: ['story.published', 'story.deleted'] }, 'events', /no event called “story.deleted”/],
      ]
      for (const [input, path, message] of cases) {
        const error = await c.webhooks.createEndpoint(input as never, ADMIN).catch((e: unknown) => e)
        expect(error, JSON.stringify(input)).toMatchObject({ code: 'WEBHOOK_INVALID', issues: [expect.objectContaining({ path })] })
        expect((error as { issues: { message: string }[] }).issues[0]!.message).toMatch(message)
      }
      expect(await c.webhooks.listEndpoints()).toEqual([])
    })

    it('sends corrections as story.corrected (not also as an update), kills from the wire desk, and submissions without their words', async () => {
      const { endpoint } = await register(['story.updated', 'story.corrected', 'story.unpublished', 'wire.item_killed', 'submission.received'])
      const world = await makeWorld(c)
      const draft = await c.articles.createDraft(draftInput(world), EDITOR)
      await c.articles.publish(draft.id, {}, EDITOR)
      await c.articles.correct(draft.id, { text: 'An earlier version misspelt the minister’s name.' }, EDITOR)
      await c.articles.unpublish(draft.id, { note: 'Legal hold.' }, EDITOR)
      const tip = await c.submissions.submitTip({ text: 'The tender for the ferry was rigged.', name: 'Quiet Source', email: 'quiet@example.org', contact: 'Signal' })
      const kill = (pubstatus: string, version: number) =>
        new TextEncoder().encode(
          JSON.stringify({
            uri: 'urn:acp:webhook-kill-1',
            type: 'text',
            version: String(version),
            versioncreated: `2026-03-02T0${version}:00:00Z`,
            pubstatus,
            language: 'en',
            headlines: [{ value: 'Ferry operator named in tender inquiry' }],
            bodies: [{ contenttype: 'text/plain', value: 'The inquiry opened on Monday.' }],
            infosources: [{ name: 'Agence Continentale de Presse', literal: 'ACP' }],
          }),
        )
      await c.wire.ingest({ bytes: kill('usable', 1), origin: 'v1' })
      await c.wire.ingest({ bytes: kill('canceled', 2), origin: 'v2' })
      // Only the change to `canceled` is a kill; the same kill again is not another.
      await c.wire.ingest({ bytes: kill('canceled', 3), origin: 'v3' })
      await eventually(async () => (await deliveriesOf(endpoint.id)).length === 4)
      await new Promise((r) => setTimeout(r, 100))
      await c.webhooks.deliverDue('w')
      const bodies = receiver.received.map((r) => JSON.parse(r.body))
      expect(bodies.map((b) => b.type).sort()).toEqual(['story.corrected', 'story.unpublished', 'submission.received', 'wire.item_killed'])
      const corrected = bodies.find((b) => b.type === 'story.corrected')
      expect(corrected.data).toMatchObject({ id: draft.id, status: 'published', correction: { text: 'An earlier version misspelt the minister’s name.' } })
      expect(bodies.find((b) => b.type === 'story.unpublished').data).toMatchObject({ id: draft.id, status: 'unpublished' })
      expect(bodies.find((b) => b.type === 'wire.item_killed').data).toMatchObject({ headline: 'Ferry operator named in tender inquiry', agency_item_id: 'urn:acp:webhook-kill-1' })
      const received = bodies.find((b) => b.type === 'submission.received')
      expect(Object.keys(received.data).sort()).toEqual(['id', 'kind', 'received_at'])
      expect(received.data).toMatchObject({ kind: 'tip', id: tip.id })
      const raw = receiver.received.find((r) => r.body.includes('submission.received'))!.body
      for (const secret of ['tender', 'Quiet Source', 'quiet@example.org', 'Signal', tip.reference]) expect(raw).not.toContain(secret)
    })

    it('writes an event with its change: a change that fails after the event was written leaves neither; a committed one has its delivery at once', async () => {
      const { endpoint } = await register(['story.published', 'story.corrected', 'submission.received'])
      const world = await makeWorld(c)
      const draft = await c.articles.createDraft(draftInput(world, { title: 'Quay wall gives way' }), EDITOR)
      const pending = () => c.database.db.selectFrom('webhook_deliveries').select(['event_type', 'body']).where('endpoint_id', '=', endpoint.id).execute()
      // A listener registered after the webhooks' one fails inside the same transaction, after the delivery row was written.
      const failAfter = (name: 'article.published' | 'article.corrected') =>
        c.articleEventsInTransaction.on(name, async (trx) => {
          // The row is there inside the transaction…
          const rows = await trx.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', endpoint.id).execute()
          if (rows.length === 0) throw new Error('the delivery should have been written before this listener ran')
          throw new Error('a later step of the change failed')
        })
      let off = failAfter('article.published')
      await expect(c.articles.publish(draft.id, {}, EDITOR)).rejects.toThrow('a later step of the change failed')
      off()
      // …and gone with the change: no event for a story that was never published.
      expect(await pending()).toEqual([])
      expect((await c.articles.findById(draft.id))?.status).toBe('draft')

      // Committed: the delivery is there when publish returns, not some time after.
      await c.articles.publish(draft.id, {}, EDITOR)
      expect((await pending()).map((d) => d.event_type)).toEqual(['story.published'])

      off = failAfter('article.corrected')
      await expect(c.articles.correct(draft.id, { text: 'The wall is on the north quay.' }, EDITOR)).rejects.toThrow('a later step of the change failed')
      off()
      expect((await pending()).map((d) => d.event_type)).toEqual(['story.published'])
      expect(await c.database.db.selectFrom('corrections').select('id').where('article_id', '=', draft.id).execute()).toEqual([])
      await c.articles.correct(draft.id, { text: 'The wall is on the north quay.' }, EDITOR)
      expect((await pending()).map((d) => d.event_type).sort()).toEqual(['story.corrected', 'story.published'])

      // The reader desk: a submission and its event commit together.
      const letter = await c.submissions.submitLetter({ name: 'Ada Reader', town: 'Porthaven', email: 'ada@example.org', text: 'The quay has been cracked for years.', about: '' })
      const events = await pending()
      expect(events.map((d) => d.event_type).sort()).toEqual(['story.corrected', 'story.published', 'submission.received'])
      expect(JSON.parse(events.find((d) => d.event_type === 'submission.received')!.body).data).toMatchObject({ id: letter.id, kind: 'letter' })
    })

    it('the daily retention job deletes deliveries done more than 30 days ago, with their attempts, and keeps pending ones', async () => {
      const { endpoint } = await register(['story.updated'])
      receiver.answer({ status: 200 }, { status: 410 }, { status: 410 })
      for (let i = 0; i < 3; i++) await c.webhooks.enqueue('story.updated', { ...STORY, headline: `Old ${i}` })
      const old = await c.webhooks.deliverDue('w')
      expect(old.map((o) => o.result).sort()).toEqual(['delivered', 'retrying', 'retrying'])
      // Give up on one of the failing two: it is then failed, the other stays pending.
      const failing = old.filter((o) => o.result === 'retrying').map((o) => o.deliveryId)
      await c.database.db.updateTable('webhook_deliveries').set({ status: 'failed', next_attempt_at: null }).where('id', '=', failing[0]!).execute()
      later(31 * 24 * 3600_000)
      await c.webhooks.enqueue('story.updated', { ...STORY, headline: 'Recent' })
      const job = c.periodicJobs.find((j) => j.name === 'webhooks.log-retention')!
      expect(await job.run()).toBe('older than 30 days: 2 deliveries and 2 attempts deleted')
      const left = await deliveriesOf(endpoint.id)
      expect(left.map((d) => d.id).sort()).toEqual([failing[1]!, left.find((d) => d.createdAt === now.toISOString())!.id].sort())
      expect(await c.database.db.selectFrom('webhook_attempts').select('id').where('delivery_id', 'in', [old[0]!.deliveryId, failing[0]!]).execute()).toEqual([])
    })

    it('queues only for enabled endpoints that asked for the event; deleting an endpoint removes its queue', async () => {
      const wants = await register(['story.published'])
      const other = await register(['story.updated'])
      const paused = await c.webhooks.createEndpoint({ url: receiver.url, events: ['story.published'], enabled: false }, ADMIN)
      expect(await c.webhooks.enqueue('story.published', STORY)).toMatchObject({ deliveries: 1 })
      expect(await deliveriesOf(wants.endpoint.id)).toHaveLength(1)
      expect(await deliveriesOf(other.endpoint.id)).toHaveLength(0)
      expect(await deliveriesOf(paused.endpoint.id)).toHaveLength(0)
      await c.webhooks.deleteEndpoint(wants.endpoint.id, ADMIN)
      expect(await c.webhooks.deliverDue('w')).toEqual([])
      await expect(c.webhooks.deliveries(wants.endpoint.id)).rejects.toMatchObject({ code: 'WEBHOOK_NOT_FOUND' })
      const rotated = await c.webhooks.rotateSecret(other.endpoint.id, ADMIN)
      expect(rotated.secret).not.toBe(other.secret)
      const audit = await c.database.db.selectFrom('audit_log').select('action').where('action', 'like', 'webhook.%').execute()
      expect(audit.map((a) => a.action).sort()).toEqual(['webhook.created', 'webhook.created', 'webhook.created', 'webhook.deleted', 'webhook.secret_rotated'])
    })
  })
}
