import type { Db } from '../db/database.ts'
import { newId } from '../shared/ids.ts'
import { toPage, type Page, type PageRequest } from '../shared/pagination.ts'
import type { Kysely } from 'kysely'
import type { Database } from '../db/database.ts'

/**
 * Every action the audit log knows, with the words the log page shows. A
 * feature records only actions listed here, so the log and its filter agree.
 */
export const AUDIT_ACTIONS = {
  'auth.sign_in': 'Signed in',
  'auth.sign_in_failed': 'Failed sign-in',
  'auth.sign_out': 'Signed out',
  'auth.sign_out_others': 'Signed out other devices',
  'auth.password_changed': 'Changed password',
  'auth.password_reset_requested': 'Asked for a password reset',
  'auth.password_reset': 'Reset password',
  'auth.two_factor_enabled': 'Turned on two-factor sign-in',
  'auth.two_factor_disabled': 'Turned off two-factor sign-in',
  'auth.recovery_code_used': 'Signed in with a recovery code',
  'staff.invited': 'Invited a colleague',
  'staff.invitation_revoked': 'Revoked an invitation',
  'staff.joined': 'Accepted an invitation',
  'staff.role_changed': 'Changed a role',
  'staff.deactivated': 'Deactivated an account',
  'staff.reactivated': 'Reactivated an account',
  'staff.two_factor_reset': "Turned off a colleague's two-factor sign-in",
  'staff.profile_changed': 'Changed a profile',
  'staff.email_changed': 'Changed an email address',
  'article.published': 'Published a story',
  'article.updated': 'Published an update',
  'article.corrected': 'Published a correction',
  'article.unpublished': 'Unpublished a story',
  'article.withdrawn': 'Withdrew a story',
  'article.scheduled': 'Scheduled a story',
  'article.unscheduled': 'Took a story off the schedule',
  'settings.changed': 'Changed site settings',
  'section.created': 'Created a section',
  'section.changed': 'Changed a section',
  'section.deleted': 'Deleted a section',
  'tag.created': 'Created a tag',
  'tag.renamed': 'Renamed a tag',
  'tag.merged': 'Merged tags',
  'quote.speakers_merged': 'Merged two spellings of a quoted speaker',
  'author.created': 'Created an author or desk',
  'author.changed': 'Changed an author or desk',
  'author.deleted': 'Deleted an author or desk',
  'source.created': 'Created a source',
  'source.changed': 'Changed a source',
  'source.deleted': 'Deleted a source',
  'wire.rule_created': 'Created a routing rule',
  'wire.rule_deleted': 'Deleted a routing rule',
  'wire.source_created': 'Added a wire source',
  'wire.source_changed': 'Paused or resumed a wire source',
  'media.added': 'Added a picture to the media library',
  'media.deleted': 'Deleted a picture from the media library',
  'api_token.created': 'Made an admin API token',
  'api_token.revoked': 'Revoked an admin API token',
  'api.call': 'Called the admin API',
  'submission.tip_opened': 'Opened a tip',
  'submission.tip_file_opened': "Downloaded a tip's file",
  'submission.state_changed': 'Moved a reader submission',
  'submission.assigned': 'Assigned a reader submission',
  'submission.replied': 'Replied to a reader',
  'submission.published': 'Made a draft from a reader submission',
  'submission.tip_follow_up_replied': "Replied on a tip's follow-up page",
  'submission.tip_follow_up_added': "A tipster added information on the follow-up page",
  'submission.purged': 'Deleted expired declined submissions',
  'webhook.created': 'Added a webhook endpoint',
  'webhook.changed': 'Changed a webhook endpoint',
  'webhook.secret_rotated': 'Issued a new webhook signing secret',
  'webhook.deleted': 'Deleted a webhook endpoint',
  'webhook.resent': 'Sent a webhook delivery again',
} as const

export type AuditAction = keyof typeof AUDIT_ACTIONS

export interface AuditEntry {
  actorId: string | null
  action: AuditAction
  targetType?: string | null
  targetId?: string | null
  summary: string
  /** When it happened; defaults to now. Pass the change's own timestamp so they agree. */
  at?: string
}

export interface AuditRecord {
  id: string
  at: string
  actorId: string | null
  action: AuditAction
  targetType: string | null
  targetId: string | null
  summary: string
}

/**
 * Records an entry on `db`, which should be the transaction making the change,
 * so there is no change without its entry and no entry without its change.
 */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId('aud'),
      at: entry.at ?? new Date().toISOString(),
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      summary: entry.summary.slice(0, 500),
    })
    .execute()
}

export interface AuditFilter {
  actorId?: string
  action?: AuditAction
  /** Instants (ISO, UTC): entries at or after `from` and strictly before `before`. Callers turn the site's calendar days into these. */
  from?: string
  before?: string
}

/** Reading the log: newest first, filtered, paged. There is no way to change it. */
export function createAuditLog(deps: { db: Kysely<Database> }) {
  async function list(filter: AuditFilter, request: PageRequest): Promise<Page<AuditRecord>> {
    let query = deps.db.selectFrom('audit_log').selectAll()
    if (filter.actorId) query = query.where('actor_id', '=', filter.actorId)
    if (filter.action) query = query.where('action', '=', filter.action)
    if (filter.from) query = query.where('at', '>=', filter.from)
    if (filter.before) query = query.where('at', '<', filter.before)
    const rows = await query
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(request.perPage + 1)
      .offset((request.page - 1) * request.perPage)
      .execute()
    return toPage(
      rows.map((r) => ({ id: r.id, at: r.at, actorId: r.actor_id, action: r.action as AuditAction, targetType: r.target_type, targetId: r.target_id, summary: r.summary })),
      request,
    )
  }
  return { list }
}

export type AuditLog = ReturnType<typeof createAuditLog>
