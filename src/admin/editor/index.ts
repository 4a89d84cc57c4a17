export { buildEditorBundle } from './build.ts'
export { bodyToDoc, canonicalBody, docToBody, UnsupportedBodyError } from './convert.ts'
