import { mkdir, readFile, readdir, rename, stat } from 'node:fs/promises'
import path from 'node:path'

/**
 * A drop folder on the local disk: agencies (or an editor) put files in it;
 * each file is ingested once, then moved to `processed/` or `rejected/` beside
 * it, so the folder itself only ever holds what is still to do.
 */
export interface DropFolder {
  /** Files ready to read, oldest first. */
  listReady(folder: string): Promise<string[]>
  read(file: string): Promise<Uint8Array>
  /** Moves a file into `processed/` or `rejected/`, never overwriting an earlier file of the same name. */
  moveTo(file: string, outcome: 'processed' | 'rejected'): Promise<string>
  /** A picture file in the folder by its plain name: null when missing, `too-large` past the limit. */
  readBeside(folder: string, name: string, maxBytes: number): Promise<Uint8Array | null | 'too-large'>
}

/**
 * Pictures an agency drops beside its copy (a ninjs or NewsML-G2 picture
 * item naming `harbour.jpg`) are not copy: they stay in the folder, where the
 * media library reads them when an editor adds the picture.
 */
const PICTURE_FILE = /\.(jpe?g|png|webp|avif|gif)$/i

/**
 * How long a file must sit unchanged before we read it: a file still being
 * copied in would otherwise be read half-written.
 */
const SETTLE_MS = 2000

export function createDropFolder(options: { settleMs?: number; now?: () => number } = {}): DropFolder {
  const settleMs = options.settleMs ?? SETTLE_MS
  const now = options.now ?? Date.now
  return {
    async listReady(folder) {
      const entries = await readdir(folder, { withFileTypes: true })
      const files: { file: string; mtime: number }[] = []
      for (const entry of entries) {
        // Dot-files are editors' temporary files and partial uploads by convention.
        if (!entry.isFile() || entry.name.startsWith('.') || PICTURE_FILE.test(entry.name)) continue
        const file = path.join(folder, entry.name)
        const info = await stat(file)
        if (now() - info.mtimeMs >= settleMs) files.push({ file, mtime: info.mtimeMs })
      }
      return files.sort((a, b) => a.mtime - b.mtime || a.file.localeCompare(b.file)).map((f) => f.file)
    },
    async read(file) {
      return new Uint8Array(await readFile(file))
    },
    async readBeside(folder, name, maxBytes) {
      // The name comes from agency copy: a plain name only, resolved inside the folder.
      if (name !== path.basename(name) || name === '.' || name === '..' || /[\\/\0]/.test(name)) return null
      const file = path.join(folder, name)
      try {
        const info = await stat(file)
        if (!info.isFile()) return null
        if (info.size > maxBytes) return 'too-large'
        return new Uint8Array(await readFile(file))
      } catch {
        return null
      }
    },
    async moveTo(file, outcome) {
      const target = path.join(path.dirname(file), outcome)
      await mkdir(target, { recursive: true })
      const base = path.basename(file)
      let destination = path.join(target, base)
      for (let n = 1; await exists(destination); n++) {
        const ext = path.extname(base)
        destination = path.join(target, `${path.basename(base, ext)}.${n}${ext}`)
      }
      await rename(file, destination)
      return destination
    },
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file)
    return true
  } catch {
    return false
  }
}
