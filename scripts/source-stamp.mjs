// What decides whether dist/ is the build of the sources in this checkout.
// Shared by the build (scripts/build.mjs), which records the stamp, and the
// command line (bin/masthead.js), which compares it at every start: a
// checkout whose sources changed after the build runs from the sources.
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

/**
 * The newest change time and the number of files and folders under src/,
 * plus the times of the build script and tsconfig.json (its JSX settings): cheap enough to take at every start
 * (a few hundred stat calls), and it moves whenever a source file is edited,
 * added, removed or renamed, or a git checkout touches one.
 */
export function sourceStamp(root) {
  let newest = Math.max(statSync(path.join(root, 'scripts', 'build.mjs')).mtimeMs, statSync(path.join(root, 'tsconfig.json')).mtimeMs)
  let entries = 0
  const walk = (dir) => {
    newest = Math.max(newest, statSync(dir).mtimeMs)
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      entries++
      if (entry.isDirectory()) walk(full)
      else newest = Math.max(newest, statSync(full).mtimeMs)
    }
  }
  walk(path.join(root, 'src'))
  return `${Math.floor(newest)}:${entries}`
}
