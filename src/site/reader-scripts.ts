import { createHash } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Metafile } from 'esbuild'

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
  const result = await build({
    entryPoints: { 'reader-forms': path.join(DIR, 'reader-forms.ts'), 'reader-tip': path.join(DIR, 'tip.ts') },
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    outdir: 'reader-scripts',
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
  })
  const script = (name: string): ReaderScript => {
    const js = result.outputFiles.find((file) => file.path.endsWith(`${name}.js`))?.text ?? ''
    return { path: `/assets/${name}.${createHash('sha256').update(js).digest('hex').slice(0, 12)}.js`, js }
  }
  return { forms: script('reader-forms'), tip: script('reader-tip'), metafile: result.metafile }
}
