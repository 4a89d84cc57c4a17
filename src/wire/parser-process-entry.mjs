// The wire parser's own process (see parser-process.ts). TypeScript sources
// run through tsx here too: a forked process does not inherit the parent's loader.
import process from 'node:process'
import { register } from 'tsx/esm/api'

register()
const { parseWire } = await import('./formats/index.ts')
const { itemFingerprint } = await import('./fingerprint.ts')

process.on('message', ({ bytes, options }) => {
  const report = parseWire(bytes, options)
  // Worked out here, beside the next input's parse, rather than in the storing process (ParsedInput in ingest.ts).
  process.send({ ...report, fingerprints: report.items.map(itemFingerprint) })
})
// The server is gone (or closed us): nothing is left to parse for.
process.on('disconnect', () => process.exit(0))
process.send('ready')
