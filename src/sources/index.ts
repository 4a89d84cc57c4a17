export { createSourceService, SourceErrors, type Source, type SourceService, type CreateSource } from './service.ts'
export type { SourceKind } from './tables.ts'
