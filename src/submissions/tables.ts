/**
 * A letter, opinion piece or tip from a reader, as stored. Reader text is
 * plain text; it is escaped wherever it is shown and never treated as HTML.
 */
export interface SubmissionsTable {
  id: string
  kind: 'letter' | 'opinion' | 'tip'
  /** What the reader is given on the confirmation page and in the email, e.g. `L-7K3M9Q2D`. */
  reference: string
  state: 'new' | 'in_review' | 'accepted' | 'published' | 'declined'
  decline_reason: string | null
  name: string | null
  town: string | null
  email: string | null
  /** Other ways to reach a tipster (phone, Signal), as they wrote it. */
  contact: string | null
  bio: string | null
  headline: string | null
  body: string
  /** The published story a letter is about, and its headline when the letter was sent. */
  about_article_id: string | null
  about_title: string | null
  assignee_id: string | null
  /** The draft story made from it by "Publish". */
  article_id: string | null
  created_at: string
  updated_at: string
}

/** A file sent with an opinion piece or a tip. The bytes live in the attachment store under `storage_key`. */
export interface SubmissionAttachmentsTable {
  id: string
  submission_id: string
  file_name: string
  /** Read from the bytes, never from the name or the browser's claim. */
  media_type: string
  size: number
  storage_key: string
  created_at: string
}

/** An internal note by staff, or a reply sent to the reader (`kind = 'reply'`). */
export interface SubmissionNotesTable {
  id: string
  submission_id: string
  kind: 'note' | 'reply'
  author_id: string | null
  body: string
  created_at: string
}

/** Secrets the application makes for itself and every process shares (the public forms' signing key). */
export interface AppSecretsTable {
  name: string
  value: string
}

export interface SubmissionsTables {
  submissions: SubmissionsTable
  submission_attachments: SubmissionAttachmentsTable
  submission_notes: SubmissionNotesTable
  app_secrets: AppSecretsTable
}
