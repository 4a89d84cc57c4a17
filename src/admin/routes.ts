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
import { mediaRoutes } from './media/routes.tsx'
import { inboxRoutes } from './inbox/routes.tsx'
import type { SubmissionService } from '../submissions/index.ts'
import type { MediaService } from '../media/index.ts'
import { sectionsRoutes } from './sections/routes.tsx'
import { tagsRoutes } from './tags/routes.tsx'
import { authorsRoutes } from './authors/routes.tsx'
import { sourcesRoutes } from './sources/routes.tsx'
import { settingsRoutes } from './settings/routes.tsx'
import { dashboardRoutes } from './dashboard/routes.tsx'
import { webhooksRoutes } from './webhooks/routes.tsx'
import type { WebhookService } from '../webhooks/index.ts'
import { apiTokensRoutes } from './api-tokens/routes.tsx'
import type { AdminTokens } from '../api/index.ts'
import type { AuditLog } from '../audit/index.ts'
import type { Mailer } from '../mail/index.ts'
import type { WindowCounter } from '../rate-limits/index.ts'
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
  publicOrigin: (request: FastifyRequest) => Promise<string>
  /** The story editor's browser bundle, built once (see server/app.ts); null serves the editor as a plain form. */
  editorBundle: () => Promise<{ js: string; css: string; hash: string } | null>
  /** Pictures for a select: the newest, plus those in `include` (already chosen). */
  mediaChoices: (include?: readonly string[]) => Promise<{ id: string; label: string }[]>
  media: MediaService
  mailer: Mailer
  audit: AuditLog
  quotes: QuoteService
  /** Empties this process's public page cache and remembered settings after a change readers can see. */
  onPublicChange: () => void
  /** How long another process may keep showing a page after a change here, in seconds. */
  publicCacheSeconds: number
  submissions: SubmissionService
  webhooks: WebhookService
  adminTokens: AdminTokens
  requestCounter: WindowCounter
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
    requestCounter: deps.requestCounter,
  })

  await app.register(dashboardRoutes, { ...deps, kit })
  await app.register(accountRoutes, { ...deps, kit })
  await app.register(staffRoutes, { ...deps, kit })
  await app.register(auditRoutes, { ...deps, kit })
  await app.register(quotesRoutes, { ...deps, kit })
  await app.register(sectionsRoutes, { ...deps, kit })
  await app.register(tagsRoutes, { ...deps, kit })
  await app.register(authorsRoutes, { ...deps, kit })
  await app.register(sourcesRoutes, { ...deps, kit })
  await app.register(settingsRoutes, { ...deps, kit })
  await app.register(apiTokensRoutes, { ...deps, kit })
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
  await app.register(mediaRoutes, { ...deps, kit })
  await app.register(inboxRoutes, { ...deps, kit })
  await app.register(webhooksRoutes, { ...deps, kit })
}
