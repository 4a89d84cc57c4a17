// The wire parser's own process (see parser-process.ts). Copied into
// dist/wire/ by the build, where it loads the parsers the build bundled as
// dist/wire-parser.js; in src/ the TypeScript sources run through tsx, since a
// forked process does not inherit the parent's loader.
import { existsSync } from 'node:fs'
import process from 'node:process'

const built = new URL('../wire-parser.js', import.meta.url)
let parseWire
if (existsSync(built)) {
  ;({ parseWire } = await import(built.href))
} else {
  const { register } = await import('tsx/esm/api')
  register()
  ;({ parseWire } = await import('./formats/index.ts'))
}

process.on('message', ({ bytes, options }) => {
  process.send(parseWire(bytes, options))
})
// The server is gone (or closed us): nothing is left to parse for.
process.on('disconnect', () => process.exit(0))
process.send('ready')
