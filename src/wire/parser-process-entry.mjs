// The wire parser's own process (see parser-process.ts). Copied into
// dist/wire/ by the build, where it loads parser-process-modules.ts as the
// build bundled it, dist/wire-parser.js; in src/ the TypeScript sources run
// through tsx, since a forked process does not inherit the parent's loader.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import process from 'node:process'
import { serialize } from 'node:v8'

const built = new URL('../wire-parser.js', import.meta.url)
let modules
if (existsSync(built)) {
  modules = await import(built.href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  modules = await import('./parser-process-modules.ts')
}
const { parseWire, prepareItem } = modules

// An input comes as bytes, or as the name of a file to read them from; with a file comes the name of the one
// to write the reply to (see parser-process.ts). The parent removes both files.
process.on('message', ({ bytes, inputFile, replyFile, options }) => {
  // Each item is prepared as soon as it is read (prepared.ts: worked out here, beside the storing of the
  // previous input, rather than in the storing process), so only its strings wait for the end of the input.
  // The body, the bulk of an item, travels once, inside the prepared JSON (a ParserReply).
  const prepared = []
  const heads = []
  const input = inputFile ? readFileSync(inputFile) : bytes
  const { items: _none, ...report } = parseWire(input, {
    ...options,
    onItem: (item) => {
      prepared.push(prepareItem(item))
      heads.push({ ...item, body: null })
    },
  })
  const reply = { ...report, prepared, heads }
  if (replyFile) {
    try {
      writeFileSync(replyFile, serialize(reply))
      return process.send({ replyFile: true })
    } catch {
      // No room for the file: the reply goes through the channel.
    }
  }
  process.send(reply)
})
// The server is gone (or closed us): nothing is left to parse for.
process.on('disconnect', () => process.exit(0))
process.send('ready')
