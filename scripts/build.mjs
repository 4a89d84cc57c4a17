// Builds dist/ from src/: the server compiled from TypeScript to JavaScript
// once, at install (`npm install` and `npm ci` run it through the `prepare`
// script), so `npm start` loads a few files of plain JavaScript instead of
// compiling some 300 modules at run time. See README "Running from the build".
//
//   node scripts/build.mjs [--out DIR]
//
// dist/main.js is the command line (src/cli/main.ts) with every module it
// imports, and chunks for what loads on first use; dist/wire-parser.js the
// wire parsers for their own process; dist/vendor/ the bundled packages. The
// files the server reads beside its modules (stylesheets, the demo pictures,
// the wire parser's process entry) are copied to where a file-for-file build
// would put them (dist/site/assets/site.css), and each module's import.meta.url
// says where it would be (dist/server/app.js), so every path a module takes
// from its own location holds. Browser code (folders with their own
// tsconfig.json) is not compiled with the server: the new build bundles it
// once (src/server/prebuild-browser.ts, the server's own bundling code) and
// keeps the scripts in dist/browser-bundles.json, which a server started from
// dist/ reads instead of running esbuild; run from src/, the server bundles it
// on first use.
import { build } from 'esbuild'
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { sourceStamp } from './source-stamp.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SRC = path.join(ROOT, 'src')
const { values } = parseArgs({ options: { out: { type: 'string' } } })
const OUT = path.resolve(values.out ?? path.join(ROOT, 'dist'))

/**
 * Pure-JavaScript packages the server loads at every start that come as
 * hundreds of small files (Kysely about 260 ES modules, zod about 100,
 * Fastify and its plugins some 300 CommonJS files with their dependencies):
 * they are bundled under vendor/, one file per package plus shared chunks,
 * as Node spends far longer finding, reading and linking many small files
 * than compiling a few large ones (over a second of a start before this).
 * They are imported only through their default export or ES module exports,
 * which bundling keeps. Packages with native code or files of their own
 * (better-sqlite3, sharp, esbuild, the AWS SDK) and everything loaded on
 * first use stay in node_modules.
 */
const VENDORED = [
  'kysely',
  'zod',
  'diff',
  'parse5',
  'entities',
  'fastify',
  '@fastify/compress',
  '@fastify/cookie',
  '@fastify/cors',
  '@fastify/etag',
  '@fastify/static',
  '@fastify/formbody',
  '@fastify/multipart',
  '@fastify/rate-limit',
]

// Counted for the report; the bundle takes in what src/cli/main.ts imports.
const isModule = (name) => /\.tsx?$/.test(name) && !/\.(test|case)\.tsx?$/.test(name) && !name.endsWith('.d.ts')
// Tests and notes stay in src/; everything else a module may read beside itself is copied.
const isCopied = (name) => !/\.tsx?$/.test(name) && !name.endsWith('.md')

const modules = []
const copies = []
function walk(dir) {
  const entries = readdirSync(dir, { withFileTypes: true })
  // A folder with its own tsconfig.json is browser code, bundled from src/ by the server (src/http/browser-bundle.ts).
  if (dir !== SRC && entries.some((e) => e.name === 'tsconfig.json')) return
  for (const entry of entries) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) walk(full)
    else if (isModule(entry.name)) modules.push(full)
    else if (isCopied(entry.name)) copies.push(full)
  }
}

const started = performance.now()
// Taken before compiling: a source saved during the build leaves dist/ marked older than it.
const stamp = sourceStamp(ROOT)
walk(SRC)

// Written next to the target and swapped in whole, so a failed or interrupted build never leaves half a dist/.
const staging = `${OUT}.building-${process.pid}`
rmSync(staging, { recursive: true, force: true })
let browserBundles
try {
  await build({
    entryPoints: Object.fromEntries(VENDORED.map((name) => [name, name])),
    outdir: path.join(staging, 'vendor'),
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // CommonJS code inside calls require() for Node's own modules.
    banner: { js: "import { createRequire as __vendorRequire } from 'node:module'; const require = __vendorRequire(import.meta.url);" },
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    absWorkingDir: ROOT,
    logLevel: 'warning',
  })
  await build({
    // The command line, the wire parser's process (which loads only the parsers), and the browser bundles' build (below).
    entryPoints: {
      main: path.join(SRC, 'cli', 'main.ts'),
      'wire-parser': path.join(SRC, 'wire', 'parser-process-modules.ts'),
      'prebuild-browser': path.join(SRC, 'server', 'prebuild-browser.ts'),
    },
    outdir: staging,
    bundle: true,
    // Modules loaded on first use (a database driver, the S3 store, …) become chunks of their own, loaded then.
    splitting: true,
    // Every output at the top of dist/: see `located` below.
    chunkNames: '[name]-[hash]',
    plugins: [
      {
        name: 'masthead',
        setup(b) {
          // Packages stay imports: from vendor/ for the bundled ones, from node_modules for the others.
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.kind === 'entry-point') return undefined
            return { path: VENDORED.includes(args.path) ? `./vendor/${args.path}.js` : args.path, external: true }
          })
          // A module that finds files from its own location (import.meta.url) finds them where it would be in a
          // file-for-file build: dist/server/app.js for src/server/app.ts. The files it reads are copied there.
          b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
            const source = await readFile(args.path, 'utf8')
            if (!source.includes('import.meta.url')) return undefined
            const located = `./${path.relative(SRC, args.path).split(path.sep).join('/').replace(/\.tsx?$/, '.js')}`
            return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(located)}, import.meta.url).href`), loader: args.path.endsWith('x') ? 'tsx' : 'ts' }
          })
        },
      },
    ],
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    // tsconfig.json gives the JSX runtime (Preact's).
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    // Stack traces can point back at src/ with NODE_OPTIONS=--enable-source-maps.
    sourcemap: 'linked',
    logLevel: 'warning',
  })
  for (const file of copies) {
    const target = path.join(staging, path.relative(SRC, file))
    mkdirSync(path.dirname(target), { recursive: true })
    copyFileSync(file, target)
  }
  // The browser scripts (story editor, reader forms), bundled by the new build's own code from src/ as a server run
  // from src/ bundles them on first use, and kept beside it: a server started from dist/ never runs esbuild.
  const { writePrebuiltBrowserBundles } = await import(pathToFileURL(path.join(staging, 'prebuild-browser.js')).href)
  browserBundles = await writePrebuiltBrowserBundles(path.join(staging, 'browser-bundles.json'))
  writeFileSync(path.join(staging, 'build.json'), `${JSON.stringify({ stamp, builtAt: new Date().toISOString(), modules: modules.length, files: copies.length }, null, 2)}\n`)
  rmSync(OUT, { recursive: true, force: true })
  renameSync(staging, OUT)
} finally {
  if (existsSync(staging)) rmSync(staging, { recursive: true, force: true })
}
console.log(`masthead: bundled ${modules.length} modules and ${browserBundles} browser scripts and copied ${copies.length} files into ${path.relative(process.cwd(), OUT) || '.'} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
