import type { Role } from '../../auth/index.ts'

/**
 * Who may use each admin route: the one table the session guard enforces for
 * every request. A route that is not listed here stops the server from
 * starting (closed, loudly: the shell's onRoute hook throws), and a test walks
 * the whole table for every role, so adding a route means deciding who may
 * use it. Finer rules (an author may edit only their own
 * stories) live in the domain services; this table is the coarse gate.
 *
 * Keys are `METHOD /route/pattern` exactly as registered with Fastify; HEAD
 * follows GET.
 */
export type Access = 'public' | readonly Role[]

const EVERYONE: readonly Role[] = ['admin', 'editor', 'author', 'contributor']
/** Staff who read agency copy on the wire desk. */
const DESK: readonly Role[] = ['admin', 'editor', 'author']
/** Who runs the newsroom: staff accounts, settings, the audit log. */
const ADMINS: readonly Role[] = ['admin']
/** Staff who act for the paper: publish, ingest, configure the desk. */
const EDITORS: readonly Role[] = ['admin', 'editor']

export const ACCESS: Readonly<Record<string, Access>> = {
  'GET /admin/assets/*': 'public',
  'GET /admin/sign-in': 'public',
  'POST /admin/sign-in': 'public',
  'GET /admin/sign-in/code': 'public',
  'POST /admin/sign-in/code': 'public',
  'GET /admin/password-reset': 'public',
  'POST /admin/password-reset': 'public',
  'GET /admin/password-reset/:token': 'public',
  'POST /admin/password-reset/:token': 'public',
  'GET /admin/invitations/:token': 'public',
  'POST /admin/invitations/:token': 'public',
  // The link itself proves the new address; no session needed. GET asks, POST (with the pre-session CSRF token) confirms.
  'GET /admin/email-confirm/:token': 'public',
  'POST /admin/email-confirm/:token': 'public',
  'POST /admin/sign-out': EVERYONE,
  'GET /admin/session/csrf': EVERYONE,
  'GET /admin/password': EVERYONE,
  'POST /admin/password': EVERYONE,
  'GET /admin': EVERYONE,
  'GET /admin/account': EVERYONE,
  'POST /admin/account/name': EVERYONE,
  'POST /admin/account/email': EVERYONE,
  'POST /admin/account/sign-out-others': EVERYONE,
  'GET /admin/account/two-factor': EVERYONE,
  'POST /admin/account/two-factor': EVERYONE,
  'POST /admin/account/two-factor/enable': EVERYONE,
  'POST /admin/account/two-factor/disable': EVERYONE,

  'GET /admin/staff': ADMINS,
  'POST /admin/staff/invite': ADMINS,
  'POST /admin/staff/invitations/resend': ADMINS,
  'POST /admin/staff/invitations/revoke': ADMINS,
  'POST /admin/staff/:id/role': ADMINS,
  'POST /admin/staff/:id/deactivate': ADMINS,
  'POST /admin/staff/:id/reactivate': ADMINS,
  // For someone locked out for good (app and recovery codes lost): admins only, on record, their sessions end.
  'POST /admin/staff/:id/two-factor-reset': ADMINS,
  'GET /admin/audit': ADMINS,
  'GET /admin/settings': ADMINS,
  'POST /admin/settings': ADMINS,
  // Admin API tokens act as the admin who made them: only admins make and revoke them.
  'GET /admin/api-tokens': ADMINS,
  'POST /admin/api-tokens': ADMINS,
  'POST /admin/api-tokens/:id/revoke': ADMINS,

  // The newsroom's records: editors and admins.
  'GET /admin/sections': EDITORS,
  'POST /admin/sections': EDITORS,
  'GET /admin/sections/:id': EDITORS,
  'POST /admin/sections/:id': EDITORS,
  'POST /admin/sections/:id/move': EDITORS,
  'POST /admin/sections/:id/delete': EDITORS,
  'GET /admin/tags': EDITORS,
  'POST /admin/tags': EDITORS,
  'GET /admin/tags/:id': EDITORS,
  'POST /admin/tags/:id': EDITORS,
  'POST /admin/tags/:id/merge': EDITORS,
  'GET /admin/authors': EDITORS,
  'GET /admin/authors/new': EDITORS,
  'POST /admin/authors': EDITORS,
  'GET /admin/authors/:id': EDITORS,
  'POST /admin/authors/:id': EDITORS,
  'POST /admin/authors/:id/delete': EDITORS,
  'GET /admin/sources': EDITORS,
  'GET /admin/sources/new': EDITORS,
  'POST /admin/sources': EDITORS,
  'GET /admin/sources/:id': EDITORS,
  'POST /admin/sources/:id': EDITORS,
  'POST /admin/sources/:id/delete': EDITORS,

  // The quotes ledger: editors merge two spellings of one speaker.
  'GET /admin/quotes': EDITORS,
  'POST /admin/quotes/merge': EDITORS,

  'GET /admin/wire': DESK,
  'GET /admin/wire/items/:id': DESK,
  'POST /admin/wire/items/:id/draft': EDITORS,
  'GET /admin/wire/raw/:id': DESK,
  'GET /admin/wire/upload': EDITORS,
  'POST /admin/wire/upload': EDITORS,
  'GET /admin/wire/quarantine': DESK,
  'GET /admin/wire/sources': DESK,
  'POST /admin/wire/sources': EDITORS,
  'POST /admin/wire/sources/:id/:action': EDITORS,
  'GET /admin/wire/rules': DESK,
  'POST /admin/wire/rules': EDITORS,
  'POST /admin/wire/rules/:id/delete': EDITORS,
  'GET /admin/articles/:id': EVERYONE,

  // The media library: everyone who writes uploads and uses pictures; the media service lets only
  // editors, admins and the uploader delete one, and never while a public story shows it.
  'GET /admin/media': EVERYONE,
  'GET /admin/media.json': EVERYONE,
  'GET /admin/media/upload': EVERYONE,
  'POST /admin/media/upload': EVERYONE,
  'GET /admin/media/:id': EVERYONE,
  'POST /admin/media/:id': EVERYONE,
  'POST /admin/media/:id/delete': EVERYONE,
  // Taking an agency's picture into the library: whoever reads the wire desk.
  'POST /admin/wire/items/:id/pictures/:index': DESK,

  // The reader desk's inbox: readers' letters, opinion pieces and tips (tips can endanger their senders) for the desk only.
  'GET /admin/inbox': EDITORS,
  'GET /admin/inbox/:id': EDITORS,
  'GET /admin/inbox/:id/files/:fileId': EDITORS,
  'POST /admin/inbox/:id/state': EDITORS,
  'POST /admin/inbox/:id/assign': EDITORS,
  'POST /admin/inbox/:id/notes': EDITORS,
  'POST /admin/inbox/:id/reply': EDITORS,
  'POST /admin/inbox/:id/follow-up': EDITORS,
  'POST /admin/inbox/:id/publish': EDITORS,

  // Webhooks send newsroom events to other systems, signed with secrets only admins see, once.
  'GET /admin/webhooks': ADMINS,
  'GET /admin/webhooks/new': ADMINS,
  'POST /admin/webhooks': ADMINS,
  'GET /admin/webhooks/:id': ADMINS,
  'POST /admin/webhooks/:id': ADMINS,
  'POST /admin/webhooks/:id/rotate': ADMINS,
  'POST /admin/webhooks/:id/delete': ADMINS,
  'POST /admin/webhooks/:id/deliveries/:deliveryId/resend': ADMINS,

  'GET /admin/notifications': EVERYONE,
  'POST /admin/notifications/read': EVERYONE,

  // Stories: everyone writes; the articles service decides whose stories each may read and change.
  'GET /admin/stories': EVERYONE,
  'POST /admin/stories': EVERYONE,
  'GET /admin/stories/:id': EVERYONE,
  'POST /admin/stories/:id': EVERYONE,
  'PUT /admin/stories/:id/draft': EVERYONE,
  'POST /admin/stories/:id/presence': EVERYONE,
  'POST /admin/stories/:id/submit': EVERYONE,
  'POST /admin/stories/:id/send-back': EDITORS,
  'POST /admin/stories/:id/publish': EDITORS,
  'POST /admin/stories/:id/schedule': EDITORS,
  'POST /admin/stories/:id/unschedule': EDITORS,
  'POST /admin/stories/:id/publish-changes': EDITORS,
  'POST /admin/stories/:id/discard-changes': EVERYONE,
  'POST /admin/stories/:id/correct': EDITORS,
  'POST /admin/stories/:id/unpublish': EDITORS,
  'POST /admin/stories/:id/withdraw': EDITORS,
  'POST /admin/stories/:id/restore': EVERYONE,
  'POST /admin/stories/:id/agency-update': EDITORS,
  'GET /admin/stories/:id/preview': EVERYONE,
  'POST /admin/stories/:id/share': EVERYONE,
  'GET /admin/stories/:id/history': EVERYONE,
  'GET /admin/stories/:id/conflicts/:conflictId': EVERYONE,
  'POST /admin/stories/:id/conflicts/:conflictId/resolve': EVERYONE,
}

/** Routes a person signed in with a one-time password may use before choosing their own. */
export const PASSWORD_CHANGE_ROUTES: ReadonlySet<string> = new Set(['GET /admin/password', 'POST /admin/password', 'POST /admin/sign-out'])

/** Routes an admin or editor may use before setting up two-factor sign-in when the newsroom requires it. */
export const TWO_FACTOR_SETUP_ROUTES: ReadonlySet<string> = new Set([
  'GET /admin/account/two-factor',
  'POST /admin/account/two-factor',
  'POST /admin/account/two-factor/enable',
  'POST /admin/sign-out',
  'GET /admin/password',
  'POST /admin/password',
])

/** The access key of a request's route, or null when no route matched (a 404). */
export function routeKey(method: string, url: string | undefined): string | null {
  if (!url) return null
  return `${method === 'HEAD' ? 'GET' : method} ${url}`
}

/** True when a signed-in person's role may use a route; false for unknown routes. */
export function mayUse(role: Role, key: string): boolean {
  const rule = ACCESS[key]
  return rule !== undefined && (rule === 'public' || rule.includes(role))
}
