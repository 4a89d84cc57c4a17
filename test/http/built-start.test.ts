import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { DEMO_CONTENT } from '../../src/db/seed/demo-content.ts'
import { buildReaderScripts } from '../../src/site/index.ts'

/**
 * `npm install` builds dist/ (the `prepare` script), and `npm start` runs it
 * without compiling TypeScript. Here the build runs in a copy of the checkout
 * (so the real dist/ is left alone), and `masthead serve` starts from it on an
 * empty data folder with a loader hook writing down every module Node loads:
 * the site answers, and neither tsx nor any TypeScript file was among them,
 * nor esbuild (the browser scripts were bundled by the build).
 */

const ROOT = path.resolve(import.meta.dirname, '../..')
const MODULE_LOG = path.join(ROOT, 'test/support/module-log.mjs')

describe('the build made at install', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'masthead-built-'))
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  it('serves the site from dist/ on an empty data folder, loading no tsx and no TypeScript', async () => {
    const checkout = path.join(work, 'checkout')
    for (const part of ['bin', 'scripts', 'src', 'package.json', 'tsconfig.json']) cpSync(path.join(ROOT, part), path.join(checkout, part), { recursive: true })
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(checkout, 'node_modules'))
    const build = spawnSync(process.execPath, [path.join(checkout, 'scripts/build.mjs')], { cwd: checkout, encoding: 'utf8' })
    expect(build.status, build.stderr).toBe(0)
    expect(existsSync(path.join(checkout, 'dist/main.js'))).toBe(true)
    expect(existsSync(path.join(checkout, 'dist/site/assets/site.css'))).toBe(true)
    expect(existsSync(path.join(checkout, 'dist/wire/parser-process-entry.mjs'))).toBe(true)

    const dataDir = path.join(work, 'data')
    mkdirSync(dataDir)
    const log = path.join(work, 'modules.txt')
    const child = spawn(process.execPath, [path.join(checkout, 'bin/masthead.js'), 'serve'], {
      cwd: checkout,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'production', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', MASTHEAD_WIRE_POLL_SECONDS: '0', NODE_OPTIONS: `--import=${MODULE_LOG}`, MASTHEAD_MODULE_LOG: log },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`masthead serve did not start\n${stdout}\n${stderr}`)), 60_000)
        child.stdout.on('data', () => {
          const match = /Masthead is running at (\S+)/.exec(stdout)
          if (match) {
            clearTimeout(timer)
            resolve(match[1]!)
          }
        })
        child.on('exit', (code) => reject(new Error(`masthead serve exited with ${code}\n${stdout}\n${stderr}`)))
      })
      const home = await fetch(url)
      expect(home.status).toBe(200)
      expect(await home.text()).toContain('The Hemisphere Ledger')
      const article = await fetch(`${url}/articles/${DEMO_CONTENT.articles[0]!.slug}`)
      expect(article.status).toBe(200)
      expect(await article.text()).toContain(DEMO_CONTENT.articles[0]!.title)
      // The stylesheet and the demo pictures are read from beside the built modules.
      const css = /href="(\/assets\/site\.[0-9a-f]+\.css)"/.exec(await (await fetch(url)).text())?.[1]
      expect((await fetch(`${url}${css}`)).status).toBe(200)
      // Browser code was bundled by the build, from the same sources and in the same way as a server run from src/ does it.
      const tip = /src="(\/assets\/reader-tip\.[0-9a-f]+\.js)"/.exec(await (await fetch(`${url}/contact/tip`)).text())?.[1]
      expect(tip).toBe((await buildReaderScripts()).tip.path)
      expect((await fetch(`${url}${tip}`)).status).toBe(200)
    } finally {
      child.kill('SIGTERM')
      await exited
    }

    const loaded = readFileSync(log, 'utf8').trim().split('\n')
    expect(loaded).toContain(pathToFileURL(path.join(checkout, 'dist/main.js')).href)
    expect(loaded.filter((url) => /\/node_modules\/tsx\//.test(url))).toEqual([])
    expect(loaded.filter((url) => /\.(?:ts|tsx|mts)$/.test(url))).toEqual([])
    // The browser scripts came from dist/browser-bundles.json: esbuild never ran.
    expect(existsSync(path.join(checkout, 'dist/browser-bundles.json'))).toBe(true)
    expect(loaded.filter((url) => /\/node_modules\/esbuild\//.test(url))).toEqual([])
    // Nothing went wrong on the way, the scripts' build included (its failure is logged, not thrown).
    expect(stderr).toBe('')
    expect(stdout).not.toMatch(/"level":(?:40|50|60)/)

    // Wire copy past a few kilobytes is parsed in a process of its own, which loads the build's parsers too.
    const items = Array.from({ length: 300 }, (_, i) => `<item><title>Harbour story ${i}</title><description>What happened at the harbour, part ${i}: the ships came in, the cranes stood still, and the port said why.</description><guid>built-${i}</guid></item>`)
    const feed = path.join(work, 'feed.xml')
    writeFileSync(feed, `<?xml version="1.0"?><rss version="2.0"><channel><title>Agency</title><link>https://agency.example/</link><description>Wire</description>${items.join('')}</channel></rss>`)
    expect(readFileSync(feed).length).toBeGreaterThan(40 * 1024)
    const wireLog = path.join(work, 'wire-modules.txt')
    const wire = spawnSync(process.execPath, [path.join(checkout, 'bin/masthead.js'), 'wire', 'import', feed], {
      cwd: checkout,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_OPTIONS: `--import=${MODULE_LOG}`, MASTHEAD_MODULE_LOG: wireLog },
    })
    expect(wire.status, wire.stderr).toBe(0)
    expect(wire.stdout).toContain('imported 300')
    const wireLoaded = readFileSync(wireLog, 'utf8').trim().split('\n')
    expect(wireLoaded).toContain(pathToFileURL(path.join(checkout, 'dist/wire-parser.js')).href)
    expect(wireLoaded.filter((url) => /\/node_modules\/tsx\/|\.(?:ts|tsx|mts)$/.test(url))).toEqual([])
    // A whole build, a start and an import: past the default 30 s on a busy two-core machine.
  }, 120_000)
})
