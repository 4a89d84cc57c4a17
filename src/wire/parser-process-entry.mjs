// The wire parser's own process (see parser-process.ts). TypeScript sources
// run through tsx here too: a forked process does not inherit the parent's loader.
import process from 'node:process'
import { register } from 'tsx/esm/api'

register()
const { parseWire } = await import('./formats/index.ts')

process.on('message', ({ bytes, options }) => {
  process.send(parseWire(bytes, options))
})
// The server is gone (or closed us): nothing is left to parse for.
process.on('disconnect', () => process.exit(0))
process.send('ready')
