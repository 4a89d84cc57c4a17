/**
 * What the wire parser's own process runs (parser-process-entry.mjs): the
 * parsers and the preparation of each item for storing (fingerprint,
 * serialized versions) worked out beside them. One module, so the build can
 * bundle it alone as dist/wire-parser.js.
 */
export { parseWire } from './formats/index.ts'
export { prepareItem } from './prepared.ts'
