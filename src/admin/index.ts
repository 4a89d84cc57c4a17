export { adminRoutes, SESSION_COOKIE, type AdminDeps } from './routes.tsx'
