import { randomBytes } from 'node:crypto'
import { mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { isMediaKey, type MediaStore } from '../service.ts'

/**
 * The MediaStore on the local disk: files under `root` (DATA_DIR/media),
 * served by the site under `urlPrefix` (/media/). Each file is written to a
 * temporary name and renamed into place, so a reader never sees half a file.
 * Several processes share it only through a shared disk; for several
 * machines use the S3 store (stores/s3.ts).
 */
export function createLocalDiskStore(options: { root: string; urlPrefix?: string }): MediaStore {
  const prefix = (options.urlPrefix ?? '/media/').replace(/\/?$/, '/')
  const fileOf = (key: string) => {
    if (!isMediaKey(key)) throw new Error(`Not a media key: ${key}`)
    return path.join(options.root, ...key.split('/'))
  }
  return {
    async put(key, bytes) {
      const file = fileOf(key)
      await mkdir(path.dirname(file), { recursive: true })
      const temporary = `${file}.${randomBytes(6).toString('hex')}.part`
      try {
        await writeFile(temporary, bytes)
        await rename(temporary, file)
      } catch (error) {
        await rm(temporary, { force: true })
        throw error
      }
    },
    async remove(keys) {
      const folders = new Set<string>()
      for (const key of keys) {
        const file = fileOf(key)
        await rm(file, { force: true })
        folders.add(path.dirname(file))
      }
      // Empty picture folders go too; a folder that still holds something stays.
      for (const folder of folders) await rmdir(folder).catch(() => {})
    },
    url(key) {
      fileOf(key)
      return `${prefix}${key}`
    },
  }
}
