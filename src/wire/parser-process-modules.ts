/**
 * What the wire parser's own process runs (parser-process-entry.mjs): the
 * parsers and the fingerprint worked out beside them. One module, so the
 * build can bundle it alone as dist/wire-parser.js.
 */
export { parseWire } from './formats/index.ts'
export { itemFingerprint } from './fingerprint.ts'
