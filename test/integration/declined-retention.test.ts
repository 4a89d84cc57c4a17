import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Clock } from '../../src/shared/clock.ts'
import { buildContainer, type Container } from '../../src/server/container.ts'
import type { PeriodicJob } from '../../src/jobs/index.ts'
import { DIALECTS } from '../support/dialects.ts'
import { buildTestContainer, type TestContainer } from '../support/test-context.ts'

const DAY = 24 * 3600_000
const T0 = Date.parse('2026-03-01T09:00:00.000Z')

/** A clock the test moves by hand; both instances read the same one. */
function movableClock(start: number): Clock & { set(ms: number): void } {
  let at = start
  return { now: () => new Date(at), set: (ms) => void (at = ms) }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

for (const dialect of DIALECTS) {
  describe(`${dialect}: declined submissions are deleted after the retention period, once across processes`, { timeout: 180_000 }, () => {
    const clock = movableClock(T0)
    let a: TestContainer
    let b: Container
    let actor: { userId: string; role: 'editor' }
    beforeAll(async () => {
      a = await buildTestContainer(dialect, { clock })
      // A second instance on the same database and DATA_DIR: another server process.
      b = await buildContainer(a.container.config, { clock })
      const user = await a.container.auth.createUser({ email: 'retention.editor@example.org', password: 'a retention editor password', name: 'Retention Editor', role: 'editor' })
      actor = { userId: user.user.id, role: 'editor' }
    }, 180_000)
    afterAll(async () => {
      await b?.close()
      await a?.cleanup()
    })

    const file = (name: string) => ({ fileName: name, bytes: new TextEncoder().encode(`contents of ${name}\n`) })
    const decline = (id: string) => a.container.submissions.move(id, { to: 'declined', reason: 'Not for us.' }, actor)
    /** The job as each instance has it, counting runs and slow enough that the two overlap. */
    function counted(container: Container, calls: { n: number }): PeriodicJob {
      const job = container.periodicJobs.find((j) => j.name === 'submissions.declined-retention')!
      return {
        ...job,
        run: async () => {
          calls.n += 1
          await sleep(300)
          return job.run()
        },
      }
    }
    async function keysOf(id: string) {
      return (await a.container.database.db.selectFrom('submission_attachments').select('storage_key').where('submission_id', '=', id).execute()).map((r) => r.storage_key)
    }
    const onDisk = (key: string) => existsSync(path.join(a.container.config.dataDir, 'submissions', key))

    it('two instances run the job at once: it runs once; expired declined items go with their files, notes and messages; the rest stay', async () => {
      const { submissions } = a.container
      const { db } = a.container.database
      const oldLetter = await submissions.submitLetter({ name: 'Old Letter', town: 'Braga', email: 'old@example.org', text: 'An old letter.' })
      const oldOpinion = await submissions.submitOpinion({ name: 'Old Opinion', email: 'op@example.org', bio: 'A reader.', headline: 'Old view', text: 'An old piece.' }, [file('draft.txt')])
      const oldTip = await submissions.submitTip({ text: 'An old tip.', name: '', email: '', contact: '' }, [file('proof.txt')])
      await submissions.addFromTipster(oldTip.id, { text: 'More on the old tip.' }, [file('more.txt')])
      await submissions.replyOnFollowUp(oldTip.id, { body: 'Thanks.' }, actor)
      await submissions.addNote(oldTip.id, { body: 'Checked; nothing there.' }, actor)
      const keptNew = await submissions.submitTip({ text: 'A tip still new.', name: '', email: '', contact: '' }, [file('fresh.txt')])
      const backInReview = await submissions.submitLetter({ name: 'Second Look', town: 'Faro', email: 'second@example.org', text: 'Declined, then reconsidered.' })
      for (const s of [oldLetter, oldOpinion, oldTip, backInReview]) await decline(s.id)
      await submissions.move(backInReview.id, { to: 'in_review', reason: '' }, actor)
      // Declined 80 days later: not yet expired when the others are.
      clock.set(T0 + 80 * DAY)
      const recent = await submissions.submitOpinion({ name: 'Recent', email: 'recent@example.org', bio: 'A reader.', headline: 'Recent view', text: 'A recent piece.' }, [file('recent.txt')])
      await decline(recent.id)

      const oldKeys = [...(await keysOf(oldOpinion.id)), ...(await keysOf(oldTip.id))]
      const keptKeys = [...(await keysOf(keptNew.id)), ...(await keysOf(recent.id))]
      expect(oldKeys).toHaveLength(3)
      expect(keptKeys).toHaveLength(2)
      for (const key of [...oldKeys, ...keptKeys]) expect(onDisk(key)).toBe(true)

      clock.set(T0 + 91 * DAY)
      const calls = { n: 0 }
      const turns = await Promise.all([a.container.jobRunner.runIfDue(counted(a.container, calls)), b.jobRunner.runIfDue(counted(b, calls))])
      expect(calls.n).toBe(1)
      expect(turns.map((t) => t.result).sort()).toEqual(['not-due', 'ran'])
      const ran = turns.find((t) => t.result === 'ran')!
      expect(ran.result === 'ran' && ran.outcome).toBe('older than 90 days: 1 letters, 1 opinion pieces, 1 tips, 3 files deleted')

      const left = (await db.selectFrom('submissions').select('id').execute()).map((r) => r.id).sort()
      expect(left).toEqual([keptNew.id, backInReview.id, recent.id].sort())
      for (const table of ['submission_attachments', 'submission_notes', 'tip_messages'] as const) {
        expect(await db.selectFrom(table).select('id').where('submission_id', 'in', [oldLetter.id, oldOpinion.id, oldTip.id]).execute(), table).toEqual([])
      }
      for (const key of oldKeys) expect(onDisk(key), key).toBe(false)
      for (const id of [oldOpinion.id, oldTip.id]) expect(existsSync(path.join(a.container.config.dataDir, 'submissions', id))).toBe(false)
      for (const key of keptKeys) expect(onDisk(key), key).toBe(true)

      const audit = (await a.container.audit.list({ action: 'submission.purged' }, { page: 1, perPage: 10 })).items
      expect(audit).toHaveLength(1)
      expect(audit[0]!.actorId).toBeNull()
      expect(audit[0]!.summary).toBe('Deleted declined submissions older than 90 days: 1 letters, 1 opinion pieces, 1 tips, 3 files')

      // Done for the day: neither instance runs it again until the period is over.
      const again = await Promise.all([a.container.jobRunner.runIfDue(counted(a.container, calls)), b.jobRunner.runIfDue(counted(b, calls))])
      expect(again.map((t) => t.result)).toEqual(['not-due', 'not-due'])
      const row = await db.selectFrom('job_runs').selectAll().where('name', '=', 'submissions.declined-retention').executeTakeFirstOrThrow()
      expect(row).toMatchObject({ next_due_at: new Date(T0 + 92 * DAY).toISOString(), lease_owner: null, lease_until: null })
      expect(row.last_outcome).toMatch(/^ok: older than 90 days/)

      // The next day the recent opinion piece is still young; 90 days after its decline it goes too.
      clock.set(T0 + 92 * DAY)
      expect((await b.jobRunner.runIfDue(counted(b, calls))).result).toBe('ran')
      expect(await db.selectFrom('submissions').select('id').where('id', '=', recent.id).executeTakeFirst()).toBeDefined()
      clock.set(T0 + 171 * DAY)
      expect((await a.container.jobRunner.runIfDue(counted(a.container, calls))).result).toBe('ran')
      expect(await db.selectFrom('submissions').select('id').where('id', '=', recent.id).executeTakeFirst()).toBeUndefined()
      // keptKeys: the new tip's file first (stays), then the recent opinion piece's (gone now).
      expect(onDisk(keptKeys[0]!)).toBe(true)
      expect(onDisk(keptKeys[1]!)).toBe(false)
      expect(calls.n).toBe(3)
    })

    it('"Never" in the settings keeps declined submissions; the job still runs once a day and says so', async () => {
      const { submissions, settings } = a.container
      clock.set(T0 + 200 * DAY)
      const letter = await submissions.submitLetter({ name: 'Kept', town: 'Evora', email: 'kept@example.org', text: 'Keep me.' })
      await decline(letter.id)
      await settings.update({ declinedRetentionDays: null })
      clock.set(T0 + 600 * DAY)
      const turn = await b.jobRunner.runIfDue(b.periodicJobs[0]!)
      expect(turn).toMatchObject({ result: 'ran', outcome: 'retention is off' })
      expect(await a.container.database.db.selectFrom('submissions').select('id').where('id', '=', letter.id).executeTakeFirst()).toBeDefined()
      await settings.update({ declinedRetentionDays: 90 })
    })

    it('many rounds of two runners racing for a job: one run per period each time; a failure makes it due again after the retry delay', async () => {
      let runs = 0
      const job: PeriodicJob = {
        name: `race-${dialect}`,
        everyMs: DAY,
        run: async () => {
          runs += 1
          await sleep(20)
          return 'ok'
        },
      }
      const start = T0 + 1000 * DAY
      for (let round = 0; round < 8; round++) {
        clock.set(start + round * DAY)
        const turns = await Promise.all([a.container.jobRunner.runIfDue(job), b.jobRunner.runIfDue(job), a.container.jobRunner.runIfDue(job)])
        expect(turns.filter((t) => t.result === 'ran'), `round ${round}`).toHaveLength(1)
      }
      expect(runs).toBe(8)

      const failing: PeriodicJob = { name: `fail-${dialect}`, everyMs: DAY, run: async () => Promise.reject(new Error('disk full')) }
      clock.set(start + 20 * DAY)
      const failed = await a.container.jobRunner.runIfDue(failing)
      expect(failed.result).toBe('failed')
      const row = await a.container.database.db.selectFrom('job_runs').selectAll().where('name', '=', failing.name).executeTakeFirstOrThrow()
      expect(row).toMatchObject({ last_outcome: 'failed: disk full', lease_owner: null, next_due_at: new Date(start + 20 * DAY + 15 * 60_000).toISOString() })
      expect((await b.jobRunner.runIfDue(failing)).result).toBe('not-due')
      clock.set(start + 20 * DAY + 16 * 60_000)
      expect((await b.jobRunner.runIfDue(failing)).result).toBe('failed')
    })
  })
}
