import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { wireFixturePath } from '../support/wire-fixtures.ts'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.ts'

// Six runs of the real command, each starting Node and compiling the sources: slow on a busy machine.
describe('masthead wire import', { timeout: 180_000 }, () => {
  it('imports a folder, summarises, and exits 2 when anything was rejected; a clean re-import exits 0', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'masthead-wire-cli-'))
    const env = { DATA_DIR: dir, MASTHEAD_DEMO: 'false' }
    try {
      const folder = await runCli(['wire', 'import', wireFixturePath('newsml-g2')], env)
      expect(folder.code, folder.stderr).toBe(2)
      const summary = /imported (\d+), updated (\d+), unchanged (\d+), rejected (\d+)/.exec(folder.stdout)
      expect(summary).not.toBeNull()
      expect(Number(summary![1])).toBeGreaterThan(3)
      expect(Number(summary![4])).toBeGreaterThan(0)
      expect(folder.stdout).toMatch(/rejected .*meridian-news-message-one-broken\.xml newsItem\[1\].*WIRE_MALFORMED/)
      // What was tolerated is said too: the broken message was read item by item.
      expect(folder.stdout).toMatch(/rejected \d+ \(\d+ warnings, listed below\)/)
      expect(folder.stdout).toMatch(/warning .*meridian-news-message-one-broken\.xml document: WIRE_DOCUMENT_RECOVERED/)

      const again = await runCli(['wire', 'import', wireFixturePath('newsml-g2/acp-harbour-talks-v1.xml')], env)
      expect(again.code).toBe(0)
      expect(again.stdout).toContain('imported 0, updated 0, unchanged 1, rejected 0')

      const missing = await runCli(['wire', 'import', path.join(dir, 'nothing-here.xml')], env)
      expect(missing.code).toBe(1)
      expect(missing.stderr).toContain('is neither a file, a folder nor an http(s) URL')

      const unknownSource = await runCli(['wire', 'import', wireFixturePath('ninjs/v3-an-election-count.json'), '--source', 'nope'], env)
      expect(unknownSource.code).toBe(1)
      expect(unknownSource.stderr).toContain('No wire source "nope"')

      const added = await runCli(['wire', 'source-add', '--slug', 'an-drop', '--name', 'AN drop', '--kind', 'folder', '--folder', dir], env)
      expect(added.code, added.stderr).toBe(0)
      const listed = await runCli(['wire', 'sources'], env)
      expect(listed.stdout).toContain('an-drop\tfolder')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    // Six runs of the command line, each starting Node and tsx: generous on a busy machine.
  }, 180_000)
})
