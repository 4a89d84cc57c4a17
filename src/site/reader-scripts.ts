import type { Metafile } from 'esbuild'
import { browserSource, buildBrowserBundles } from '../http/index.ts'

/**
 * The reader forms' two scripts, built in memory with esbuild like the story
 * editor's bundle: `reader-forms` (the proof of work, for the letter and
 * opinion forms) and `reader-tip` (the same, and the tip sealed with age in
 * the browser). Served from our own origin under a content hash.
 */

const source = (file: string) => browserSource(import.meta.url, 'browser', file)

/** The reader forms' entries; the install's build bundles them too (src/server/prebuild-browser.ts). */
export const READER_SCRIPT_ENTRIES = { 'reader-forms': source('reader-forms.ts'), 'reader-tip': source('tip.ts') }

export interface ReaderScript {
  /** The URL path it is served at, with the content hash. */
  path: string
  js: string
}

export interface ReaderScripts {
  forms: ReaderScript
  tip: ReaderScript
  metafile: Metafile
}

export async function buildReaderScripts(): Promise<ReaderScripts> {
  const { bundles, metafile } = await buildBrowserBundles(READER_SCRIPT_ENTRIES)
  const script = (name: keyof typeof bundles): ReaderScript => ({ path: `/assets/${name}.${bundles[name].hash}.js`, js: bundles[name].js })
  return { forms: script('reader-forms'), tip: script('reader-tip'), metafile }
}
