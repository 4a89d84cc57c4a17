import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildReaderScripts, type ReaderScripts } from './reader-scripts.ts'

describe('the reader forms scripts', () => {
  let scripts: ReaderScripts
  beforeAll(async () => {
    scripts = await buildReaderScripts()
  })

  it('stay small: the proof of work alone under 2 KB gzipped, with age for tips under 64 KB', () => {
    const forms = gzipSync(scripts.forms.js, { level: 9 }).length
    const tip = gzipSync(scripts.tip.js, { level: 9 }).length
    console.info(`reader scripts: forms ${forms} B, tip ${(tip / 1024).toFixed(1)} KB gzipped`)
    expect(forms).toBeLessThan(2 * 1024)
    expect(tip).toBeLessThan(64 * 1024)
  })

  it('carry only our browser modules and age with its own dependencies, under content-hashed paths', () => {
    const inputs = Object.keys(scripts.metafile.inputs)
    // The proof's rule is the one server file they share (plain TypeScript, so the server and the browser cannot disagree).
    expect(inputs.filter((file) => file.startsWith('src/') && !file.startsWith('src/site/browser/'))).toEqual(['src/submissions/proof-rule.ts'])
    expect(inputs.filter((file) => /node_modules\/(zod|kysely|fastify|preact)\//.test(file))).toEqual([])
    expect(scripts.forms.path).toMatch(/^\/assets\/reader-forms\.[0-9a-f]{12}\.js$/)
    expect(scripts.tip.path).toMatch(/^\/assets\/reader-tip\.[0-9a-f]{12}\.js$/)
  })
})
