import { writeFileSync } from 'node:fs'
import { EDITOR_ENTRIES } from '../admin/index.ts'
import { bundleBrowserCode, prebuiltKey, type BuiltBundles } from '../http/index.ts'
import { READER_SCRIPT_ENTRIES } from '../site/index.ts'

/** Every set of browser entries the server bundles on first use. */
const BROWSER_ENTRIES: Record<string, string>[] = [EDITOR_ENTRIES, READER_SCRIPT_ENTRIES]

/**
 * Run by scripts/build.mjs from the build it has just made: bundles every
 * browser entry the server bundles on first use (the story editor, the reader
 * forms' scripts) and writes them to `file` (dist/browser-bundles.json), so a
 * server started from dist/ serves them without running esbuild: no bundling
 * beside its first readers, no wait for the first editor. Returns how many
 * scripts were written.
 */
export async function writePrebuiltBrowserBundles(file: string): Promise<number> {
  const builds: Record<string, BuiltBundles<string>> = {}
  for (const entries of BROWSER_ENTRIES) builds[prebuiltKey(entries)] = await bundleBrowserCode(entries)
  writeFileSync(file, JSON.stringify(builds))
  return BROWSER_ENTRIES.reduce((count, entries) => count + Object.keys(entries).length, 0)
}
