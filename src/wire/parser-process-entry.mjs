// The wire parser's own process (see parser-process.ts). TypeScript sources
// run through tsx here too: a forked process does not inherit the parent's loader.
import process from 'node:process'
import { register } from 'tsx/esm/api'

register()
const { parseWire } = await import('./formats/index.ts')
const { prepareItem } = await import('./prepared.ts')

process.on('message', ({ bytes, options }) => {
  const report = parseWire(bytes, options)
  // Worked out here, beside the storing of the previous input, rather than in the storing process (prepared.ts).
  process.send({ ...report, prepared: report.items.map(prepareItem) })
})
// The server is gone (or closed us): nothing is left to parse for.
process.on('disconnect', () => process.exit(0))
process.send('ready')
