import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../support/dialects.ts'
import { parseHtml, textOf } from '../support/html.ts'
import { startLoggedServer, type LoggedServer } from '../support/plain-text-search.ts'

const MARKER = `MARKER${Math.random().toString(36).slice(2, 12)}`
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n')

/**
 * The database failing in the middle of a send, made real with a trigger that
 * refuses an insert the send makes after its first one: the reader's words
 * must come back in the form, and nothing of the send may stay behind.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: a reader's send when the database fails`, () => {
    let target: LoggedServer
    beforeAll(async () => {
      target = await startLoggedServer(dialect, { minSeconds: 0, perAddress: 1000, perHour: 10000 })
    })
    afterAll(async () => {
      await target?.close()
    })

    const db = () => target.server.container.database.db

    async function failInserts(table: 'submissions' | 'submission_attachments', on = db()): Promise<() => Promise<void>> {
      if (dialect === 'sqlite') {
        await sql.raw(`create trigger fail_${table} before insert on ${table} begin select raise(abort, 'the database is unavailable (test)'); end`).execute(on)
        return async () => void (await sql.raw(`drop trigger fail_${table}`).execute(on))
      }
      await sql.raw(`create function fail_${table}() returns trigger language plpgsql as $$ begin raise exception 'the database is unavailable (test)'; end $$`).execute(on)
      await sql.raw(`create trigger fail_${table} before insert on ${table} for each row execute function fail_${table}()`).execute(on)
      return async () => {
        await sql.raw(`drop trigger fail_${table} on ${table}`).execute(on)
        await sql.raw(`drop function fail_${table}()`).execute(on)
      }
    }

    async function post(pathName: string, fields: Record<string, string>, files: { name: string; bytes: Uint8Array }[] = []) {
      const page = parseHtml(await (await fetch(`${target.url}${pathName}`)).text())
      const form = new FormData()
      form.append('_form', page('input[name="_form"]').first().attr('value')!)
      for (const [k, v] of Object.entries(fields)) form.append(k, v)
      for (const f of files) form.append('files', new Blob([Buffer.from(f.bytes)]), f.name)
      const response = await fetch(`${target.url}${pathName}`, { method: 'POST', body: form })
      return { status: response.status, $: parseHtml(await response.text()) }
    }

    const files = () => {
      const dir = path.join(target.database.dataDir, 'submissions')
      return existsSync(dir) ? readdirSync(dir, { recursive: true }).filter((f) => String(f).includes('/')) : []
    }

    it('an opinion piece whose file row fails: 503, the form filled in with a clear message, no row and no file kept; sent again it arrives', async () => {
      const fields = { name: 'Rosa Lind', email: 'rosa@example.org', bio: 'Rosa teaches physics.', headline: `Teach the grid ${MARKER}`, text: `Our schools should explain the grid.\n\n${MARKER}`, website: '' }
      const filesBefore = files().length
      const restore = await failInserts('submission_attachments')
      let failed: Awaited<ReturnType<typeof post>>
      try {
        failed = await post('/contact/opinion', fields, [{ name: 'draft.pdf', bytes: PDF }])
      } finally {
        await restore()
      }
      expect(failed.status).toBe(503)
      expect(textOf(failed.$, '.form-problem')).toMatch(/Your opinion piece was not saved.*Nothing was stored; everything you wrote is still here.*send it again/)
      expect(failed.$('#opinion-headline').attr('value')).toBe(fields.headline)
      expect(failed.$('#opinion-text').text()).toBe(fields.text)
      expect(failed.$('#opinion-bio').text() || failed.$('#opinion-bio').attr('value')).toBe(fields.bio)
      // The submission's row went with the failed file row (one transaction), and the file it had written was removed.
      expect(await db().selectFrom('submissions').select('id').where('headline', '=', fields.headline).execute()).toEqual([])
      expect(await db().selectFrom('submission_attachments').select('id').execute()).toEqual([])
      expect(files().length).toBe(filesBefore)

      const again = await post('/contact/opinion', fields, [{ name: 'draft.pdf', bytes: PDF }])
      expect(again.status).toBe(200)
      expect(await db().selectFrom('submissions').select('id').where('headline', '=', fields.headline).execute()).toHaveLength(1)
    })

    it('a tip that cannot be stored comes back in the form, and the log of the failure holds none of it', async () => {
      const before = target.logs.length
      const restore = await failInserts('submissions')
      let failed: Awaited<ReturnType<typeof post>>
      try {
        failed = await post('/contact/tip', { text: `The depot ${MARKER} is leaking.`, name: `Ana ${MARKER}`, email: `${MARKER}@example.org`, contact: '', website: '' })
      } finally {
        await restore()
      }
      expect(failed.status).toBe(503)
      expect(textOf(failed.$, '.form-problem')).toMatch(/Your tip was not saved/)
      expect(failed.$('#tip-text').text()).toBe(`The depot ${MARKER} is leaking.`)
      expect(failed.$('#tip-name').attr('value')).toBe(`Ana ${MARKER}`)
      expect(await db().selectFrom('submissions').select('id').where('kind', '=', 'tip').execute()).toEqual([])
      const logged = target.logs.slice(before).join('')
      expect(logged).toContain('SUBMISSION_NOT_SAVED')
      expect(logged).not.toContain(MARKER)
    })

    it("a send that failed on our side does not count against the reader's limit", async () => {
      // One send without a proof of work per address: the failed one is given back, so sending again arrives, and the next is refused.
      const tight = await startLoggedServer(dialect, { minSeconds: 0, perAddress: 3, perAddressWithoutProof: 1, perHour: 10000 })
      try {
        // Letters are sent urlencoded, as the form without JavaScript sends them.
        const sendLetter = async (n: number) => {
          const page = parseHtml(await (await fetch(`${tight.url}/contact/letter`)).text())
          const fields = { _form: page('input[name="_form"]').first().attr('value')!, name: 'Ivo Berg', email: 'ivo@example.org', town: 'Portvale', text: `The ferry timetable needs a winter stop, letter ${n} ${MARKER}.`, website: '' }
          return (await fetch(`${tight.url}/contact/letter`, { method: 'POST', body: new URLSearchParams(fields) })).status
        }
        const restore = await failInserts('submissions', tight.server.container.database.db)
        try {
          expect(await sendLetter(1)).toBe(503)
        } finally {
          await restore()
        }
        expect(await sendLetter(2)).toBe(200)
        expect(await sendLetter(3)).toBe(429)
      } finally {
        await tight.close()
      }
    })
  })
}
