import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Metafile } from 'esbuild'
import { buildBrowserBundles } from '../http/index.ts'

/**
 * The reader forms' two scripts, built in memory with esbuild like the story
 * editor's bundle: `reader-forms` (the proof of work, for the letter and
 * opinion forms) and `reader-tip` (the same, and the tip sealed with age in
 * the browser). Served from our own origin under a content hash.
 */

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'browser')

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
  const { bundles, metafile } = await buildBrowserBundles({ 'reader-forms': path.join(DIR, 'reader-forms.ts'), 'reader-tip': path.join(DIR, 'tip.ts') })
  const script = (name: keyof typeof bundles): ReaderScript => ({ path: `/assets/${name}.${bundles[name].hash}.js`, js: bundles[name].js })
  return { forms: script('reader-forms'), tip: script('reader-tip'), metafile }
}
