/** One thing a member of staff should know about, shown in the admin and mailed. */
export interface NotificationsTable {
  id: string
  user_id: string
  kind: NotificationKind
  article_id: string | null
  actor_id: string | null
  message: string
  created_at: string
  read_at: string | null
}

export type NotificationKind = 'story_submitted' | 'story_returned' | 'story_published'

export interface NotificationsTables {
  notifications: NotificationsTable
}
