export { buildEditorBundle, EDITOR_ENTRIES } from './build.ts'
export { bodyToDoc, canonicalBody, docToBody, UnsupportedBodyError } from './convert.ts'
