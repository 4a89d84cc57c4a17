import type { ArticleStatus } from '../../articles/index.ts'

const LABELS: Record<ArticleStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  scheduled: 'Scheduled',
  published: 'Published',
  unpublished: 'Unpublished',
}

/** The status words the newsroom uses. */
export function statusLabel(status: ArticleStatus): string {
  return LABELS[status]
}

/** A story's status as a badge; the word carries the meaning, colour only helps. */
export function StatusBadge({ status }: { status: ArticleStatus }) {
  return <span class={`badge status-${status}`}>{LABELS[status]}</span>
}
