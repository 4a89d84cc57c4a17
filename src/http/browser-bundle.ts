import { createHash } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Metafile } from 'esbuild'

/**
 * Our browser scripts (the story editor, the reader forms) built in memory
 * with esbuild the one way: bundled, minified, an IIFE for ES2020, no
 * comments kept. Each entry comes back with its script, its stylesheet when
 * it imports CSS, and a content hash for immutable URLs.
 */
export interface BrowserBundle {
  js: string
  css: string
  /** First 12 hex digits of a SHA-256 over script and stylesheet: changes whenever either does. */
  hash: string
}

/**
 * A file of browser code beside the module at `moduleUrl`. Run from src/,
 * that is beside it; run from the build in dist/ (which compiles the server's
 * modules only), it is the same place in src/: browser code is bundled from
 * its TypeScript sources at run time either way.
 */
export function browserSource(moduleUrl: string, ...segments: string[]): string {
  const module = fileURLToPath(moduleUrl)
  if (!module.endsWith('.js')) return path.join(path.dirname(module), ...segments)
  // This file is dist/http/browser-bundle.js in the build: dist/ is one folder up, src/ beside it.
  const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
  return path.join(dist, '..', 'src', path.relative(dist, path.dirname(module)), ...segments)
}

/** Builds each entry (name → source file); throws esbuild's error when the sources do not build. */
export async function buildBrowserBundles<Name extends string>(entryPoints: Record<Name, string>): Promise<{ bundles: Record<Name, BrowserBundle>; metafile: Metafile }> {
  // Loaded on first use: a server builds its scripts when a page first asks for them, and most CLI commands never do.
  const { build } = await import('esbuild')
  const result = await build({
    entryPoints,
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    outdir: 'browser-bundles',
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
  })
  const output = (name: string, ext: string) => result.outputFiles.find((file) => file.path.endsWith(`/${name}.${ext}`))?.text ?? ''
  const bundles = {} as Record<Name, BrowserBundle>
  for (const name of Object.keys(entryPoints) as Name[]) {
    const js = output(name, 'js')
    const css = output(name, 'css')
    bundles[name] = { js, css, hash: createHash('sha256').update(js).update('\0').update(css).digest('hex').slice(0, 12) }
  }
  return { bundles, metafile: result.metafile }
}
