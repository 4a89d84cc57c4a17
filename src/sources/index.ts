export { createSourceService, SourceErrors, type Source, type SourceService, type CreateSource, type UpdateSource, type SourceActor } from './service.ts'
export type { SourceKind } from './tables.ts'
