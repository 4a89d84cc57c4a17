import type { Db } from '../../db/database.ts'
import type { Clock } from '../../shared/clock.ts'
import type { AttachmentStore } from '../service.ts'

/**
 * Attachments as rows of `submission_files`, so every node that shares the
 * database reads the files any node took in, without a shared disk. Tips'
 * files come here sealed, so a database dump shows only ciphertext, as it
 * does for the tips themselves.
 *
 * `earlier` is the store files went to before the switch (the local disk):
 * a key not in the table is read from it, and removing removes from both, so
 * turning this on loses nothing sent before.
 */
export function createDatabaseAttachmentStore(options: { db: Db; clock: Clock; earlier?: AttachmentStore }): AttachmentStore {
  const { db, earlier } = options
  return {
    async put(key, bytes) {
      // A key is written once; a second put of the same key is a bug and fails on the primary key.
      await db.insertInto('submission_files').values({ storage_key: key, bytes: Buffer.from(bytes), created_at: options.clock.now().toISOString() }).execute()
    },
    async get(key) {
      const row = await db.selectFrom('submission_files').select('bytes').where('storage_key', '=', key).executeTakeFirst()
      if (row) return new Uint8Array(row.bytes)
      if (earlier) return earlier.get(key)
      throw new Error(`No attachment is stored under ${key}`)
    },
    async remove(keys) {
      if (keys.length === 0) return
      await db.deleteFrom('submission_files').where('storage_key', 'in', [...keys]).execute()
      await earlier?.remove(keys)
    },
  }
}
