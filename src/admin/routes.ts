import type { FastifyInstance } from 'fastify'
import type { ArticleService } from '../articles/index.ts'
import type { AuthService } from '../auth/index.ts'
import type { SectionService } from '../sections/index.ts'
import type { SettingsService } from '../settings/index.ts'
import type { Clock } from '../shared/clock.ts'
import type { SourceService } from '../sources/index.ts'
import type { AuthorService } from '../authors/index.ts'
import type { NotificationService } from '../notifications/index.ts'
import type { SitePages } from '../site/index.ts'
import type { WireService } from '../wire/index.ts'
import { accountRoutes } from './account/routes.tsx'
import { installShell, type ShellDeps } from './shell/shell.tsx'
import { storiesRoutes, type EditorAssets } from './stories/routes.tsx'
import { wireRoutes } from './wire/routes.tsx'
import { staffRoutes } from './staff/routes.tsx'
import { auditRoutes } from './audit/routes.tsx'
import { quotesRoutes } from './quotes/routes.tsx'
import type { QuoteService } from '../quotes/index.ts'
import type { AuditLog } from '../audit/index.ts'
import type { Mailer } from '../mail/index.ts'
import type { FastifyRequest } from 'fastify'

export interface AdminDeps {
  auth: AuthService
  wire: WireService
  sections: SectionService
  sources: SourceService
  articles: ArticleService
  settings: SettingsService
  clock: Clock
  describeError: ShellDeps['describeError']
  isHttpsOrigin: boolean
  /** A folder for uploads in progress. */
  tmpDir: string
  authors: AuthorService
  notifications: NotificationService
  pages: SitePages
  publicOrigin: (request: FastifyRequest) => string
  /** The story editor's browser bundle, built once (see server/app.ts); null serves the editor as a plain form. */
  editorBundle: () => Promise<{ js: string; css: string; hash: string } | null>
  mediaChoices: () => Promise<{ id: string; label: string }[]>
  mailer: Mailer
  audit: AuditLog
  quotes: QuoteService
}

/**
 * The newsroom admin under /admin. The shell (session guard, access table,
 * CSRF, headers, error page) is installed once in this scope; each area
 * registers its own routes and views on top of it.
 */
export async function adminRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const kit = await installShell(app, {
    auth: deps.auth,
    settings: deps.settings,
    describeError: deps.describeError,
    isHttpsOrigin: deps.isHttpsOrigin,
    unreadCount: (userId) => deps.notifications.unreadCount(userId),
    isTwoFactorRequired: async () => (await deps.settings.get()).requireTwoFactor,
  })

  app.get('/admin', async (request, reply) => {
    const user = kit.staff(request)
    const chrome = await kit.chrome(request, reply)
    // Until the dashboard exists, the first area this person may open.
    return reply.redirect(user.mustChangePassword ? '/admin/password' : (chrome.nav[0]?.href ?? '/admin/notifications'), 303)
  })

  await app.register(accountRoutes, { ...deps, kit })
  await app.register(staffRoutes, { ...deps, kit })
  await app.register(auditRoutes, { ...deps, kit })
  await app.register(quotesRoutes, { ...deps, kit })
  // The bundle is served from memory once built; the editor page asks for it and gets its addresses.
  let editorAssets: Promise<EditorAssets | null> | null = null
  const loadEditorAssets = () =>
    (editorAssets ??= deps.editorBundle().then((bundle) => {
      if (!bundle) return null
      const script = `/admin/assets/editor.${bundle.hash}.js`
      const style = `/admin/assets/editor.${bundle.hash}.css`
      kit.addAsset(script, 'text/javascript; charset=utf-8', bundle.js)
      kit.addAsset(style, 'text/css; charset=utf-8', bundle.css)
      return { script, style }
    }))
  await app.register(storiesRoutes, { ...deps, kit, editorAssets: loadEditorAssets })
  await app.register(wireRoutes, { ...deps, kit })
}
