import { mkdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { AttachmentStore } from '../service.ts'

/** Attachments as files under one folder, outside the public media folder: they are never served directly. */
export function createLocalAttachmentStore(root: string): AttachmentStore {
  const fileOf = (key: string) => {
    if (!/^[a-z0-9_]+\/[a-z0-9_]+$/.test(key)) throw new Error(`Not an attachment key: ${key}`)
    return path.join(root, key)
  }
  return {
    async put(key, bytes) {
      const file = fileOf(key)
      await mkdir(path.dirname(file), { recursive: true })
      await writeFile(file, bytes, { flag: 'wx', mode: 0o600 })
    },
    async get(key) {
      return new Uint8Array(await readFile(fileOf(key)))
    },
    async remove(keys) {
      for (const key of keys) {
        const file = fileOf(key)
        await rm(file, { force: true })
        // The submission's folder goes with its last file; rmdir refuses while anything is left in it.
        await rmdir(path.dirname(file)).catch(() => {})
      }
    },
  }
}
