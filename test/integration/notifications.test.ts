import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '../../src/articles/index.ts'
import { DIALECTS } from '../support/dialects.ts'
import { draftInput, makeWorld } from '../support/factories.ts'
import { startSmtp, type TestSmtp } from '../support/smtp.ts'
import { buildTestContainer, type TestContainer } from '../support/test-context.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-db.ts'
import { defineConfig } from '../../src/server/config.ts'
import { buildContainer, type Container } from '../../src/server/container.ts'
import { Writable } from 'node:stream'
import { pino } from 'pino'

async function until<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 25))
  }
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: newsroom notifications by mail`, () => {
    let smtp: TestSmtp
    let t: TestContainer
    const actors: Record<string, Actor & { email: string }> = {}

    beforeAll(async () => {
      smtp = await startSmtp()
      t = await buildTestContainer(dialect, { config: { smtpUrl: smtp.url, mailFrom: 'Ledger newsroom <newsroom@ledger.example>' } })
      for (const [name, role] of [
        ['Rita Reporter', 'author'],
        ['Ed Editor', 'editor'],
        ['Ada Admin', 'admin'],
      ] as const) {
        const email = `${name.split(' ')[0]!.toLowerCase()}@ledger.example`
        const { user } = await t.container.auth.createUser({ email, name, role, password: 'a long password here' })
        actors[role] = { userId: user.id, role, email }
      }
    })
    afterAll(async () => {
      await t?.cleanup()
      await smtp?.close()
    })

    it('tells editors about a story sent for review, and the writer when it comes back and when it is published', async () => {
      const { articles, notifications } = t.container
      const world = await makeWorld(t.container)
      const story = await articles.createDraft(draftInput(world, { title: 'Harbour pilots vote to strike' }), actors.author!)
      await articles.submitForReview(story.id, actors.author!)
      const review = await smtp.waitFor(2)
      expect(review.map((m) => (m.to as { text: string }).text).sort()).toEqual(['"Ada Admin" <ada@ledger.example>', '"Ed Editor" <ed@ledger.example>'])
      expect(review[0]!.subject).toBe('For review: “Harbour pilots vote to strike”')
      expect(review[0]!.from?.text).toBe('"Ledger newsroom" <newsroom@ledger.example>')
      expect(review[0]!.text).toContain('Rita Reporter sent “Harbour pilots vote to strike” for review.')
      expect(review[0]!.text).toContain(`/admin/stories/${story.id}`)

      await articles.sendBack(story.id, { note: 'Who confirmed the vote count?' }, actors.editor!)
      const back = (await smtp.waitFor(3))[2]!
      expect((back.to as { text: string }).text).toBe('"Rita Reporter" <rita@ledger.example>')
      expect(back.text).toContain('Ed Editor sent “Harbour pilots vote to strike” back to you: Who confirmed the vote count?')

      await articles.publish(story.id, {}, actors.editor!)
      const published = (await smtp.waitFor(4))[3]!
      expect(published.subject).toBe('Published: “Harbour pilots vote to strike”')

      // The same things are listed in the admin; nobody hears about their own act.
      const ritas = await until(async () => {
        const page = await notifications.list(actors.author!.userId!, { page: 1, perPage: 10 })
        return page.items.length === 2 && page.items
      })
      expect(ritas.map((n) => n.kind)).toEqual(['story_published', 'story_returned'])
      expect(await notifications.unreadCount(actors.author!.userId!)).toBe(2)
      await notifications.markAllRead(actors.author!.userId!)
      expect(await notifications.unreadCount(actors.author!.userId!)).toBe(0)
      const eds = await notifications.list(actors.editor!.userId!, { page: 1, perPage: 10 })
      expect(eds.items.map((n) => n.kind)).toEqual(['story_submitted'])
    })
  })
}

describe('without an SMTP server', () => {
  let t: TestContainer
  beforeAll(async () => {
    t = await buildTestContainer('sqlite')
  })
  afterAll(async () => t?.cleanup())

  it('writes each message as an .eml file in DATA_DIR/outbox', async () => {
    const sent = await t.container.mailer.send({ to: 'desk@ledger.example', subject: 'Line one\r\nBcc: sneaky@evil.example', text: 'Hello from the outbox.' })
    expect(sent.file).toMatch(new RegExp(`^${t.database.dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${path.sep}outbox${path.sep}.+\\.eml$`))
    const files = await readdir(path.join(t.database.dataDir, 'outbox'))
    expect(files).toHaveLength(1)
    const raw = await readFile(sent.file!, 'utf8')
    expect(raw).toContain('To: desk@ledger.example')
    expect(raw).toContain('Hello from the outbox.')
    // A header injected through the subject stays inside the subject.
    expect(raw).not.toMatch(/^Bcc:/m)
  })
})

describe('what the mail log says', () => {
  let database: TestDatabase
  let container: Container | null = null
  let lines: Record<string, unknown>[] = []
  /** A real pino logger at info, as the server runs, writing into `lines`. */
  const log = () =>
    pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>)
          done()
        },
      }),
    )
  beforeAll(async () => {
    database = await createTestDatabase('sqlite')
  })
  afterEach(async () => {
    await container?.close()
    container = null
    lines = []
  })
  afterAll(async () => database?.drop())
  const open = async (smtpUrl: string | null) => {
    container = await buildContainer(defineConfig({ dataDir: database.dataDir, database: database.target, loadDemo: false, logLevel: 'silent', smtpUrl }), { mailLog: log() })
    const { error } = await container.database.migrate()
    if (error) throw error
    return container
  }

  it('names each .eml file written to the outbox, at info, without the recipient', async () => {
    const c = await open(null)
    const sent = await c.mailer.send({ to: 'desk@ledger.example', subject: 'Outbox', text: 'Hello.' })
    const line = lines.find((l) => l.file === sent.file)
    expect(line).toMatchObject({ level: 30, msg: `mail written to ${sent.file}` })
    expect(JSON.stringify(lines)).not.toContain('desk@ledger.example')
  })

  it('says a notification mail failed without the address it was for', async () => {
    // A port nothing listens on: the connection is refused.
    const c = await open('smtp://127.0.0.1:9')
    const { user } = await c.auth.createUser({ email: 'rita@ledger.example', name: 'Rita Reporter', role: 'author', password: 'a long password here' })
    await c.notifications.notify({ kind: 'story_returned', recipients: [{ id: user.id, name: 'Rita Reporter', email: 'rita@ledger.example' }], actorId: null, articleId: null, subject: 'Back to you', message: 'Please check the figures.', link: null })
    const failure = lines.find((l) => l.msg === 'a notification mail could not be sent')
    expect(failure).toMatchObject({ level: 40, err: { code: expect.any(String), message: expect.any(String) } })
    expect(JSON.stringify(lines)).not.toContain('rita@ledger.example')
  })
})
