import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
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

/** What `buildBrowserBundles` gives back, as the build keeps it in dist/browser-bundles.json. */
export interface BuiltBundles<Name extends string> {
  bundles: Record<Name, BrowserBundle>
  metafile: Metafile
}

/**
 * The bundles the install's build made (src/server/prebuild-browser.ts, run
 * by scripts/build.mjs), beside the build's modules; none when the server
 * runs from src/. dist/ counts as current only while src/ is as it was built
 * from, browser code included, so these are the bundles a build now would make.
 */
const PREBUILT_FILE = import.meta.url.endsWith('.js') ? fileURLToPath(new URL('../browser-bundles.json', import.meta.url)) : null
let prebuilt: Promise<Record<string, BuiltBundles<string>>> | null = null

/** Which build a set of entries is, in dist/browser-bundles.json: their names and their sources' places under src/. */
export function prebuiltKey(entryPoints: Record<string, string>): string {
  const src = browserSource(import.meta.url, '..')
  return Object.entries(entryPoints)
    .map(([name, file]) => `${name}=${path.relative(src, file).split(path.sep).join('/')}`)
    .sort()
    .join('&')
}

async function prebuiltFor<Name extends string>(entryPoints: Record<Name, string>): Promise<BuiltBundles<Name> | null> {
  if (PREBUILT_FILE === null) return null
  prebuilt ??= readFile(PREBUILT_FILE, 'utf8').then(
    (text) => JSON.parse(text) as Record<string, BuiltBundles<string>>,
    // A build from before bundles were kept, or a dist/ put together by hand: bundle at run time as before.
    () => ({}),
  )
  return ((await prebuilt)[prebuiltKey(entryPoints)] as BuiltBundles<Name> | undefined) ?? null
}

/**
 * Each entry's bundle (name → source file): the one the install's build made
 * when running from dist/, else built now. Throws esbuild's error when the
 * sources do not build.
 */
export async function buildBrowserBundles<Name extends string>(entryPoints: Record<Name, string>): Promise<BuiltBundles<Name>> {
  return (await prebuiltFor(entryPoints)) ?? bundleBrowserCode(entryPoints)
}

/** Bundles each entry with esbuild, now. */
export async function bundleBrowserCode<Name extends string>(entryPoints: Record<Name, string>): Promise<BuiltBundles<Name>> {
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
