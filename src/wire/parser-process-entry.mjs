// The wire parser's own process (see parser-process.ts). Copied into dist/ by
// the build, where the compiled parser sits beside it; in src/ the TypeScript
// sources run through tsx, since a forked process does not inherit the
// parent's loader.
import { existsSync } from 'node:fs'
import process from 'node:process'

const built = new URL('./formats/index.js', import.meta.url)
let parseWire
let prepareItem
if (existsSync(built)) {
  ;({ parseWire } = await import(built.href))
  ;({ prepareItem } = await import(new URL('./prepared.js', import.meta.url).href))
} else {
  const { register } = await import('tsx/esm/api')
  register()
  ;({ parseWire } = await import('./formats/index.ts'))
  ;({ prepareItem } = await import('./prepared.ts'))
}

process.on('message', ({ bytes, options }) => {
  const report = parseWire(bytes, options)
  // Worked out here, beside the storing of the previous input, rather than in the storing process (prepared.ts).
  process.send({ ...report, prepared: report.items.map(prepareItem) })
})
// The server is gone (or closed us): nothing is left to parse for.
process.on('disconnect', () => process.exit(0))
process.send('ready')
