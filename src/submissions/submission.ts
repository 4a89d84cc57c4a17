import type { SubmissionsTable } from './tables.ts'

/** Letter to the editor, opinion piece (op-ed) or news tip. */
export type SubmissionKind = SubmissionsTable['kind']
/** Where a submission stands on the desk. */
export type SubmissionState = SubmissionsTable['state']

export const SUBMISSION_KINDS: readonly SubmissionKind[] = ['letter', 'opinion', 'tip']
export const SUBMISSION_STATES: readonly SubmissionState[] = ['new', 'in_review', 'accepted', 'published', 'declined']

/** Words for people, in the inbox and the audit log. */
export const KIND_LABELS: Record<SubmissionKind, string> = { letter: 'Letter', opinion: 'Opinion piece', tip: 'Tip' }
export const STATE_LABELS: Record<SubmissionState, string> = { new: 'New', in_review: 'In review', accepted: 'Accepted', published: 'Published', declined: 'Declined' }

/** A submission as the desk sees it. */
export interface Submission {
  id: string
  kind: SubmissionKind
  reference: string
  state: SubmissionState
  declineReason: string | null
  name: string | null
  town: string | null
  email: string | null
  contact: string | null
  bio: string | null
  headline: string | null
  body: string
  aboutArticleId: string | null
  aboutTitle: string | null
  assigneeId: string | null
  articleId: string | null
  createdAt: string
  updatedAt: string
}

export interface SubmissionAttachment {
  id: string
  submissionId: string
  /** The follow-up message it came with; null when it came with the submission. */
  messageId: string | null
  fileName: string
  mediaType: string
  size: number
  createdAt: string
}

export interface SubmissionNote {
  id: string
  kind: 'note' | 'reply'
  authorId: string | null
  body: string
  createdAt: string
}

/** A message on a tip's follow-up page, opened: a reply from the desk or more from the tipster. */
export interface TipMessage {
  id: string
  direction: 'to_tipster' | 'from_tipster'
  /** The editor who replied; null for the tipster. */
  authorId: string | null
  text: string
  createdAt: string
}

/** Moves the desk may make by hand; "published" is reached only through publishing a draft. */
const MOVES: Record<SubmissionState, readonly SubmissionState[]> = {
  new: ['in_review', 'declined'],
  in_review: ['accepted', 'declined'],
  accepted: ['in_review', 'declined'],
  published: [],
  declined: ['in_review'],
}

/** True when a submission may go from one state to another by hand. */
export function canMove(from: SubmissionState, to: SubmissionState): boolean {
  return MOVES[from].includes(to)
}

/** The states a submission may be moved to from where it is. */
export function nextStates(from: SubmissionState): readonly SubmissionState[] {
  return MOVES[from]
}

/** Words in a text as a reader would count them. */
export function countWords(text: string): number {
  return text.split(/\s+/u).filter((w) => w.length > 0).length
}

export function rowToSubmission(row: SubmissionsTable): Submission {
  return {
    id: row.id,
    kind: row.kind,
    reference: row.reference,
    state: row.state,
    declineReason: row.decline_reason,
    name: row.name,
    town: row.town,
    email: row.email,
    contact: row.contact,
    bio: row.bio,
    headline: row.headline,
    body: row.body,
    aboutArticleId: row.about_article_id,
    aboutTitle: row.about_title,
    assigneeId: row.assignee_id,
    articleId: row.article_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
