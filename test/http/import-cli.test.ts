import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, startServe } from '../support/cli.ts'
import { wireFixturePath } from '../support/wire-fixtures.ts'

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/import')

describe('masthead import', () => {
  it('imports a WordPress export with its pictures; the story is public and its old permalinks answer 301; a second run imports nothing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'masthead-import-cli-'))
    const env = { DATA_DIR: dir, MASTHEAD_DEMO: 'false' }
    try {
      const run = await runCli(['import', 'wordpress', path.join(FIXTURES, 'wordpress-1.2.xml'), '--media', path.join(FIXTURES, 'wp-uploads')], env, 120_000)
      expect(run.code, run.stderr).toBe(2)
      expect(run.stdout).toContain('imported 6, unchanged 0, kept as drafts 0, pictures 2')
      expect(run.stdout).toMatch(/skipped pages: IMPORT_PAGE_SKIPPED 1 page was left out: .* Its old address is not redirected: \/about\//)
      expect(run.stdout).toMatch(/skipped comments: IMPORT_COMMENTS_SKIPPED 2 comments/)
      // Not a terminal: no progress bar on standard error.
      expect(run.stderr).toBe('')

      const again = await runCli(['import', 'wordpress', path.join(FIXTURES, 'wordpress-1.2.xml'), '--media', path.join(FIXTURES, 'wp-uploads')], env, 120_000)
      expect(again.stdout).toContain('imported 0, unchanged 6, kept as drafts 0, pictures 0, redirects 0')

      const ghost = await runCli(['import', 'ghost', path.join(FIXTURES, 'ghost-5.json'), '--media', path.join(FIXTURES, 'ghost-images')], env, 120_000)
      expect(ghost.code, ghost.stderr).toBe(2)
      expect(ghost.stdout).toContain('imported 3, unchanged 0')

      const hostile = await runCli(['import', 'wordpress', path.join(FIXTURES, 'hostile-entities.xml')], env)
      expect(hostile.code).toBe(1)
      expect(hostile.stderr).toContain('cannot be read as a WordPress export (WIRE_ENTITY_REFUSED)')
      const missing = await runCli(['import', 'ghost', path.join(dir, 'nothing.json')], env)
      expect(missing.code).toBe(1)
      expect(missing.stderr).toContain('is not a file')

      const serve = await startServe(env)
      try {
        const page = await fetch(`${serve.url}/articles/harbour-cranes`)
        expect(page.status).toBe(200)
        expect(await page.text()).toContain('Harbour cranes to stay until autumn')
        for (const old of ['/2024/05/harbour-cranes/', '/2024/05/harbour-cranes', '/?p=10']) {
          const moved = await fetch(`${serve.url}${old}`, { redirect: 'manual' })
          expect(moved.status, old).toBe(301)
          expect(moved.headers.get('location'), old).toBe('/articles/harbour-cranes')
        }
        const accented = await fetch(`${serve.url}/2024/06/%C3%A9lections-le-port-vote/`, { redirect: 'manual' })
        expect(accented.headers.get('location')).toBe('/articles/elections-le-port-vote')
        // Old archive addresses answer 301 with the new section, tag and author pages, which are there.
        const archives: [string, string][] = [
          ['/category/news/harbour/', '/sections/harbour'],
          ['/category/harbour/', '/sections/harbour'],
          ['/tag/shipping/', '/tags/shipping'],
          ['/author/mira/', '/authors/mira'],
          ['/tag/environment/', '/tags/environment'],
          ['/author/kofi/', '/authors/kofi'],
        ]
        for (const [old, target] of archives) {
          const moved = await fetch(`${serve.url}${old}`, { redirect: 'manual' })
          expect(moved.status, old).toBe(301)
          expect(moved.headers.get('location'), old).toBe(target)
          expect((await fetch(`${serve.url}${target}`)).status, target).toBe(200)
        }
        expect((await fetch(`${serve.url}/about/`)).status).toBe(404)
        const ghostOld = await fetch(`${serve.url}/river-bank-repairs/`, { redirect: 'manual' })
        expect(ghostOld.status).toBe(301)
        expect((await fetch(`${serve.url}/articles/river-bank-repairs`)).status).toBe(200)
        expect((await fetch(`${serve.url}/2024/05/never-was/`)).status).toBe(404)
        expect((await fetch(`${serve.url}/?p=999`)).status).toBe(200)
      } finally {
        await serve.stop()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 240_000)
})

describe('masthead wire import of a folder', () => {
  it('reads sub-folders and says how many files it found; --no-recursive keeps to the folder itself', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'masthead-wire-folders-'))
    const env = { DATA_DIR: path.join(dir, 'data'), MASTHEAD_DEMO: 'false' }
    try {
      const drop = path.join(dir, 'drop')
      mkdirSync(path.join(drop, '2026', '12'), { recursive: true })
      mkdirSync(path.join(drop, '.hidden'), { recursive: true })
      copyFileSync(wireFixturePath('ninjs/v1-acp-harbour-talks.json'), path.join(drop, '2026', '12', 'item.json'))
      copyFileSync(wireFixturePath('ninjs/v1-acp-harbour-talks.json'), path.join(drop, '.hidden', 'item.json'))

      const flat = await runCli(['wire', 'import', drop, '--no-recursive'], env)
      expect(flat.code, flat.stderr).toBe(0)
      expect(flat.stdout).toContain(`found 0 files in ${drop} (1 sub-folder not read: --no-recursive)`)
      expect(flat.stdout).toContain('imported 0, updated 0, unchanged 0, rejected 0')

      const deep = await runCli(['wire', 'import', drop], env)
      expect(deep.code, deep.stderr).toBe(0)
      expect(deep.stdout).toContain(`found 1 file in ${drop} (2 sub-folders included)`)
      expect(deep.stdout).toContain('imported 1, updated 0, unchanged 0, rejected 0')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
