export { adminRoutes, type AdminDeps } from './routes.ts'
export { SESSION_COOKIE } from './shell/shell.tsx'
export { ACCESS } from './shell/access.ts'
export { buildEditorBundle, EDITOR_ENTRIES } from './editor/index.ts'
