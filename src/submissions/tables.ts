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
  /** A tip's words, contact details and file names, sealed with age to the newsroom's key (base64); null for letters and opinion pieces. */
  sealed: string | null
  /** A tip's follow-up passphrase as a slow hash (`scrypt$…`, see auth/passwords.ts); null for other kinds and older tips. */
  passphrase_hash: string | null
  /** When it was declined; the retention job counts from here. Null unless declined. */
  declined_at: string | null
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
  /** The follow-up message a tipster sent it with; null for files sent with the tip itself. */
  message_id: string | null
}

/** An attachment's bytes when they are kept in the database (stores/database.ts); tips' are sealed. */
export interface SubmissionFilesTable {
  storage_key: string
  bytes: Uint8Array
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

/**
 * A message on a tip's follow-up page: a reply from the newsroom
 * (`to_tipster`) or more information from the tipster (`from_tipster`). Its
 * words and file names are sealed with age like the tip; only who and when are clear.
 */
export interface TipMessagesTable {
  id: string
  submission_id: string
  direction: 'to_tipster' | 'from_tipster'
  /** The editor who replied; null for the tipster. */
  author_id: string | null
  /** base64 of the age file holding `{ text, files }`. */
  sealed: string
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
  submission_files: SubmissionFilesTable
  submission_notes: SubmissionNotesTable
  tip_messages: TipMessagesTable
  app_secrets: AppSecretsTable
}
