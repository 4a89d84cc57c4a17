import type { Scope } from './tokens.ts'

/**
 * Every operation of the admin API with the scope it needs: the routes are
 * registered with these scopes, the OpenAPI document lists them, and the tests
 * walk the table (each operation without its scope answers 403).
 */
export const ADMIN_API_OPERATIONS = [
  { method: 'GET', path: '/stories', scope: 'stories:read' },
  { method: 'POST', path: '/stories', scope: 'stories:write' },
  { method: 'GET', path: '/stories/{id}', scope: 'stories:read' },
  { method: 'PATCH', path: '/stories/{id}', scope: 'stories:write' },
  { method: 'POST', path: '/stories/{id}/publish', scope: 'stories:publish' },
  { method: 'POST', path: '/stories/{id}/schedule', scope: 'stories:publish' },
  { method: 'POST', path: '/stories/{id}/unpublish', scope: 'stories:publish' },
  { method: 'POST', path: '/stories/{id}/correct', scope: 'stories:publish' },
  { method: 'POST', path: '/media', scope: 'media:write' },
  { method: 'POST', path: '/wire', scope: 'wire:import' },
  { method: 'GET', path: '/submissions', scope: 'readers:read' },
] as const satisfies readonly { method: string; path: string; scope: Scope }[]

export type AdminApiOperation = (typeof ADMIN_API_OPERATIONS)[number]
export type OperationKey = `${AdminApiOperation['method']} ${AdminApiOperation['path']}`

const SCOPE_OF = new Map<string, Scope>(ADMIN_API_OPERATIONS.map((o) => [`${o.method} ${o.path}`, o.scope]))

/** The scope an operation needs. */
export const scopeOf = (key: OperationKey): Scope => SCOPE_OF.get(key)!
