import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { EnvSchema } from './config.ts'

const ROOT = path.resolve(import.meta.dirname, '..', '..')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(full)
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : []
  })
}

// Upper-snake strings that are not error codes of ours: the environment variables config.ts reads (its messages name them),
// the one the cluster's primary sets for each worker (its number), and an AWS SDK setting.
const NOT_CODES = new Set([...Object.keys(EnvSchema.shape), 'MASTHEAD_WORKER', 'WHEN_REQUIRED'])

describe('error code catalogue', () => {
  it('lists every code used in src/', () => {
    const codes = new Set<string>()
    for (const file of sourceFiles(path.join(ROOT, 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g)) {
        if (!NOT_CODES.has(match[1]!)) codes.add(match[1]!)
      }
    }
    const docs = readdirSync(path.join(ROOT, 'docs'))
      .filter((f) => /^errors.*\.md$/.test(f))
      .map((f) => readFileSync(path.join(ROOT, 'docs', f), 'utf8'))
      .join('\n')
    const missing = [...codes].filter((code) => !docs.includes(`\`${code}\``)).sort()
    expect(codes.size).toBeGreaterThan(20)
    expect(missing).toEqual([])
  })
})
