import type { Metafile } from 'esbuild'
import { browserSource, buildBrowserBundles } from '../../http/index.ts'

/**
 * Builds the story editor's browser bundle in memory with esbuild: one
 * minified script (an IIFE, ES2020) and its stylesheet. The admin calls this
 * once and serves the result under /admin/assets/editor.<hash>.js and .css.
 */

/** The editor's one entry; the install's build bundles it too (src/server/prebuild-browser.ts). */
export const EDITOR_ENTRIES = { editor: browserSource(import.meta.url, 'browser', 'main.ts') }

/** The built bundle, with esbuild's record of which source files went in. */
export interface EditorBundleBuild {
  js: string
  css: string
  /** First 12 hex digits of a SHA-256 over script and stylesheet: changes whenever either does. */
  hash: string
  metafile: Metafile
}

/** Builds the bundle and keeps esbuild's metafile (for size and content checks). */
export async function buildEditorBundleWithMeta(): Promise<EditorBundleBuild> {
  const { bundles, metafile } = await buildBrowserBundles(EDITOR_ENTRIES)
  return { ...bundles.editor, metafile }
}

/**
 * The story editor's script and stylesheet, and a content hash for their
 * URLs. Throws esbuild's error when the sources do not build.
 */
export async function buildEditorBundle(): Promise<{ js: string; css: string; hash: string }> {
  const { js, css, hash } = await buildEditorBundleWithMeta()
  return { js, css, hash }
}
