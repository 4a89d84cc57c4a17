import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildEditorBundleWithMeta, type EditorBundleBuild } from './build.ts'

/** The most the editor may cost a newsroom laptop on a poor connection, gzipped. */
const MAX_GZIPPED_BYTES = 200 * 1024

describe('editor bundle', () => {
  let bundle: EditorBundleBuild
  beforeAll(async () => {
    bundle = await buildEditorBundleWithMeta()
  })

  it(`stays within ${MAX_GZIPPED_BYTES / 1024} KB gzipped, script and stylesheet together`, () => {
    const gzipped = gzipSync(bundle.js, { level: 9 }).length + gzipSync(bundle.css, { level: 9 }).length
    console.info(`editor bundle: ${(gzipped / 1024).toFixed(1)} KB gzipped (${(bundle.js.length / 1024).toFixed(0)} KB script, ${(bundle.css.length / 1024).toFixed(1)} KB CSS before gzip)`)
    expect(gzipped).toBeLessThanOrEqual(MAX_GZIPPED_BYTES)
  })

  it('carries no server code and no zod: only ProseMirror, its helpers and our browser modules', () => {
    const inputs = Object.keys(bundle.metafile.inputs)
    expect(inputs.filter((file) => /node_modules\/(zod|kysely|fastify|preact)\//.test(file))).toEqual([])
    const ours = inputs.filter((file) => file.startsWith('src/')).sort()
    expect(ours.filter((file) => !file.startsWith('src/admin/editor/'))).toEqual(['src/articles/links.ts'])
  })

  it('has a stylesheet and a stable content hash', async () => {
    expect(bundle.css).toContain('.mh-prose')
    expect(bundle.hash).toMatch(/^[0-9a-f]{12}$/)
    const again = await buildEditorBundleWithMeta()
    expect(again.hash).toBe(bundle.hash)
  })
})
