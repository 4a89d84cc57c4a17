import type { Kysely } from 'kysely'
import type { Database } from '../db/database.ts'
import type { Mailer } from '../mail/index.ts'
import type { Clock } from '../shared/clock.ts'
import { newId } from '../shared/ids.ts'
import { toPage, type Page, type PageRequest } from '../shared/pagination.ts'
import type { NotificationKind } from './tables.ts'

/** A member of staff as notifications need them. */
export interface Person {
  id: string
  name: string
  email: string
}

export interface Notification {
  id: string
  kind: NotificationKind
  articleId: string | null
  actorId: string | null
  message: string
  createdAt: string
  readAt: string | null
}

export interface NotifyInput {
  kind: NotificationKind
  recipients: readonly Person[]
  /** Who caused it; never notified about their own act. */
  actorId: string | null
  articleId: string | null
  subject: string
  message: string
  /** A link into the admin, added to the mail. */
  link: string | null
}

export interface NotificationDeps {
  db: Kysely<Database>
  clock: Clock
  mailer: Mailer
  /** Reports mail that could not be sent; the notification itself is stored first, so nothing is lost. */
  onMailError: (error: unknown, to: string) => void
}

/**
 * Notifications for the newsroom: stored for the admin, then mailed. A mail
 * that fails is reported and the notification stays in the admin.
 */
export function createNotificationService(deps: NotificationDeps) {
  const { db, clock, mailer } = deps

  async function notify(input: NotifyInput): Promise<number> {
    const at = clock.now().toISOString()
    const recipients = [...new Map(input.recipients.filter((p) => p.id !== input.actorId).map((p) => [p.id, p])).values()]
    if (recipients.length === 0) return 0
    await db
      .insertInto('notifications')
      .values(
        recipients.map((person) => ({
          id: newId('ntf'),
          user_id: person.id,
          kind: input.kind,
          article_id: input.articleId,
          actor_id: input.actorId,
          message: input.message,
          created_at: at,
          read_at: null,
        })),
      )
      .execute()
    const text = `${input.message}\n${input.link ? `\n${input.link}\n` : ''}\n— You get this because you work in the newsroom. Notifications are also listed in the admin.\n`
    await Promise.all(
      recipients.map((person) =>
        mailer.send({ to: `"${person.name.replace(/["\\\r\n]/g, '')}" <${person.email}>`, subject: input.subject, text }).catch((error: unknown) => deps.onMailError(error, person.email)),
      ),
    )
    return recipients.length
  }

  async function list(userId: string, request: PageRequest): Promise<Page<Notification>> {
    const rows = await db
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(request.perPage + 1)
      .offset((request.page - 1) * request.perPage)
      .execute()
    return toPage(
      rows.map((r) => ({ id: r.id, kind: r.kind, articleId: r.article_id, actorId: r.actor_id, message: r.message, createdAt: r.created_at, readAt: r.read_at })),
      request,
    )
  }

  async function unreadCount(userId: string): Promise<number> {
    const row = await db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async function markAllRead(userId: string): Promise<void> {
    await db.updateTable('notifications').set({ read_at: clock.now().toISOString() }).where('user_id', '=', userId).where('read_at', 'is', null).execute()
  }

  return { notify, list, unreadCount, markAllRead }
}

export type NotificationService = ReturnType<typeof createNotificationService>
