// The wire parser's own thread (see parser-thread.ts). TypeScript sources run
// through tsx here too: a worker does not inherit the loader of its parent.
import { parentPort } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
const { parseWire } = await import('./formats/index.ts')

parentPort.on('message', ({ bytes, options }) => {
  parentPort.postMessage(parseWire(bytes, options))
})
