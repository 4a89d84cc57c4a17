import { writeFileSync } from 'node:fs'
import { buildEditorBundle } from '../admin/index.ts'
import { recordBrowserBundles } from '../http/index.ts'
import { buildReaderScripts } from '../site/index.ts'

/**
 * Run by scripts/build.mjs from the build it has just made: builds every
 * browser bundle the server builds on first use (the story editor, the reader
 * forms' scripts) and writes them to `file` (dist/browser-bundles.json), so a
 * server started from dist/ serves them without running esbuild: no bundling
 * beside its first readers, no wait for the first editor. Returns how many
 * bundles were written.
 */
export async function writePrebuiltBrowserBundles(file: string): Promise<number> {
  const builds = await recordBrowserBundles(async () => {
    await buildEditorBundle()
    await buildReaderScripts()
  })
  writeFileSync(file, JSON.stringify(builds))
  return Object.values(builds).reduce((count, built) => count + Object.keys(built.bundles).length, 0)
}
