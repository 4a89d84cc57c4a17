#!/usr/bin/env node
// Masthead's command line. It runs the build in dist/ (made by `npm run build`,
// which `npm install` and `npm ci` run through `prepare`) when that build is of
// the sources in this checkout; otherwise (no build yet, sources edited since,
// `npm install --ignore-scripts`) it runs the TypeScript sources through tsx's
// loader, so a checkout always starts. MASTHEAD_FROM_SOURCES=1 asks for the
// sources even when the build is current.
import { readFileSync } from 'node:fs'
import module from 'node:module'
import { fileURLToPath } from 'node:url'
import { sourceStamp } from '../scripts/source-stamp.mjs'

const root = new URL('..', import.meta.url)

/** 'current', 'stale' or 'missing': whether dist/ was built from the sources as they are now. */
function buildState() {
  let built
  try {
    built = JSON.parse(readFileSync(new URL('dist/build.json', root), 'utf8')).stamp
  } catch {
    return 'missing'
  }
  return built === sourceStamp(fileURLToPath(root)) ? 'current' : 'stale'
}

const state = process.env.MASTHEAD_FROM_SOURCES === '1' ? 'sources asked for' : buildState()
if (state === 'current') {
  // Node 22.1 and later keep V8's compiled code of the build on disk (in the system's temporary folder) between
  // starts, so a restart skips compiling it again; Node 20 has no such cache and starts as before.
  module.enableCompileCache?.()
  await import('../dist/main.js')
} else {
  // In development an edited source is the usual reason; a production start should know it compiles at run time.
  if (state === 'stale' && process.env.NODE_ENV === 'production') {
    process.stderr.write('masthead: dist/ is older than src/, so the sources are compiled as they load; run `npm run build` for a faster start\n')
  }
  const { register } = await import('tsx/esm/api')
  register()
  await import('../src/cli/main.ts')
}
