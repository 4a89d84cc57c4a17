import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildContainer, type Container } from '../../src/server/container.ts'
import { defineConfig, tipKeyFileOf } from '../../src/server/config.ts'
import { createDatabaseAttachmentStore } from '../../src/submissions/stores/database.ts'
import { createLocalAttachmentStore } from '../../src/submissions/stores/local-disk.ts'
import { DIALECTS } from '../support/dialects.ts'
import { buildTestContainer, type TestContainer } from '../support/test-context.ts'

const file = (name: string, text: string) => ({ fileName: name, bytes: new TextEncoder().encode(text) })
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

for (const dialect of DIALECTS) {
  describe(`${dialect}: files readers attach, kept in the database (MASTHEAD_SUBMISSION_FILES=database)`, { timeout: 120_000 }, () => {
    let a: TestContainer
    /** Another node: the same database and tip key, its own DATA_DIR. */
    let b: Container
    let otherDataDir: string
    let actor: { userId: string; role: 'editor' }
    beforeAll(async () => {
      a = await buildTestContainer(dialect, { config: { submissionFiles: 'database' } })
      otherDataDir = mkdtempSync(path.join(os.tmpdir(), 'masthead-node-b-'))
      b = await buildContainer(
        defineConfig({ ...a.container.config, dataDir: otherDataDir, tipKeyFile: tipKeyFileOf(a.container.config), submissionFiles: 'database' }),
      )
      const user = await a.container.auth.createUser({ email: 'files.editor@example.org', password: 'a files editor password', name: 'Files Editor', role: 'editor' })
      actor = { userId: user.user.id, role: 'editor' }
    }, 120_000)
    afterAll(async () => {
      await b?.close()
      await a?.cleanup()
      if (otherDataDir) rmSync(otherDataDir, { recursive: true, force: true })
    })

    it('a tip and an opinion piece sent through one node are read with their files on another, and no file touches either disk', async () => {
      const tip = await a.container.submissions.submitTip({ text: 'The ferry contract was signed twice.', name: '', email: '', contact: '' }, [file('contract.txt', 'Clause 4 differs.\n')])
      const opinion = await a.container.submissions.submitOpinion(
        { name: 'Ines Vale', email: 'ines@example.org', bio: 'A harbour pilot.', headline: 'Keep the night ferry', text: 'The night ferry matters.' },
        [file('notes.txt', 'Timetable notes.\n')],
      )
      for (const [receipt, name, body] of [
        [tip, 'contract.txt', 'Clause 4 differs.\n'],
        [opinion, 'notes.txt', 'Timetable notes.\n'],
      ] as const) {
        const seen = await b.submissions.open(receipt.id, actor)
        expect(seen.attachments).toHaveLength(1)
        const got = await b.submissions.attachment(receipt.id, seen.attachments[0]!.id, actor)
        expect(got.fileName).toBe(name)
        expect(text(got.bytes)).toBe(body)
      }
      expect(existsSync(path.join(a.container.config.dataDir, 'submissions'))).toBe(false)
      expect(existsSync(path.join(otherDataDir, 'submissions'))).toBe(false)

      // What the database holds of the tip's file is sealed: its words are not in the row.
      const rows = await a.container.database.db.selectFrom('submission_files').select(['storage_key', 'bytes']).execute()
      expect(rows).toHaveLength(2)
      const tipKey = (await a.container.database.db.selectFrom('submission_attachments').select('storage_key').where('submission_id', '=', tip.id).executeTakeFirstOrThrow()).storage_key
      const sealed = Buffer.from(rows.find((r) => r.storage_key === tipKey)!.bytes)
      expect(sealed.includes('Clause 4')).toBe(false)
      expect(sealed.subarray(0, 22).toString()).toBe('age-encryption.org/v1\n')
    })

    it('files sent while they went to disk are still read after the switch, and removing clears both places', async () => {
      // The same site before the switch: a node keeping files on its disk.
      const before = await buildContainer(defineConfig({ ...a.container.config, submissionFiles: 'disk' }))
      try {
        const old = await before.submissions.submitOpinion(
          { name: 'Old Hand', email: 'old@example.org', bio: 'A reader.', headline: 'From before', text: 'Sent before the switch.' },
          [file('before.txt', 'Written to disk.\n')],
        )
        const key = (await a.container.database.db.selectFrom('submission_attachments').select('storage_key').where('submission_id', '=', old.id).executeTakeFirstOrThrow()).storage_key
        expect(existsSync(path.join(a.container.config.dataDir, 'submissions', key))).toBe(true)

        const seen = await a.container.submissions.open(old.id, actor)
        expect(text((await a.container.submissions.attachment(old.id, seen.attachments[0]!.id, actor)).bytes)).toBe('Written to disk.\n')
        await expect(b.submissions.attachment(old.id, seen.attachments[0]!.id, actor)).rejects.toThrow()

        // The store as the retention job uses it: one remove clears the row and the file on disk.
        const store = createDatabaseAttachmentStore({
          db: a.container.database.db,
          clock: { now: () => new Date() },
          earlier: createLocalAttachmentStore(path.join(a.container.config.dataDir, 'submissions')),
        })
        await store.put('sub_x/sat_y', new Uint8Array([1, 2, 3]))
        await store.remove([key, 'sub_x/sat_y'])
        expect(existsSync(path.join(a.container.config.dataDir, 'submissions', key))).toBe(false)
        await expect(store.get('sub_x/sat_y')).rejects.toThrow(/ENOENT/)
      } finally {
        await before.close()
      }
    })
  })
}
