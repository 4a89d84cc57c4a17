import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import type { MediaFinder } from '../service.ts'

/** The largest file read from an uploads folder; the media library refuses bigger ones anyway. */
const MAX_FILE_BYTES = 100 * 1024 * 1024

/**
 * Finds an old site's pictures in a folder the operator copied: WordPress's
 * `wp-content/uploads` (addresses `…/wp-content/uploads/2024/05/photo.jpg`) or
 * Ghost's `content/images` (`…/content/images/2024/05/photo.jpg`). The part of
 * the address after that marker is looked up under the folder; a path that
 * would leave the folder is never read. A found file's key is its SHA-256.
 */
export function createMediaFolder(folder: string): MediaFinder {
  const root = path.resolve(folder)
  return async (url: string) => {
    let pathname: string
    try {
      pathname = decodeURIComponent(new URL(url, 'http://old.invalid').pathname)
    } catch {
      return null
    }
    const marker = /\/(?:wp-content\/uploads|content\/images)\/(.+)$/.exec(pathname)
    const relative = (marker ? marker[1]! : pathname.replace(/^\/+/, '')).replace(/^size\/w\d+\//, '')
    const candidates = [relative]
    // WordPress names resized copies photo-300x200.jpg; the original is the better source.
    const original = relative.replace(/-\d{2,5}x\d{2,5}(\.[A-Za-z0-9]+)$/, '$1')
    if (original !== relative) candidates.unshift(original)
    for (const candidate of candidates) {
      const full = path.resolve(root, candidate)
      if (full !== root && !full.startsWith(root + path.sep)) continue
      const info = await stat(full).catch(() => null)
      if (!info?.isFile() || info.size > MAX_FILE_BYTES) continue
      const bytes = new Uint8Array(await readFile(full))
      // Remembered by content: the same picture from a renamed folder, a moved site or another post is one library item.
      return { bytes, fileName: path.basename(full), key: `sha256:${createHash('sha256').update(bytes).digest('hex')}` }
    }
    return null
  }
}
