import type { ExpressionBuilder } from 'kysely'
import type { Role } from '../auth/index.ts'
import type { Database } from '../db/database.ts'
import { DomainError } from '../shared/errors.ts'
import type { Article } from './article.ts'
import { ArticleErrors } from './errors.ts'

/**
 * What a reader may see, as a query constraint: published and already out.
 * Scheduled stories whose time has come but that the scheduler has not flipped
 * yet stay hidden until it does, so a story never appears without its revision.
 */
export function publiclyVisible(now: string) {
  return (eb: ExpressionBuilder<Database, 'articles'>) =>
    eb.and([eb('articles.status', '=', 'published'), eb('articles.published_at', '<=', now)])
}

/** Who is acting: a member of staff with their role, or the system (seed, scheduler, import) when `role` is absent. */
export interface Actor {
  userId: string | null
  role?: Role
}

/** Roles that act for the paper: they edit anyone's story, publish, schedule and unpublish. */
const DESK_ROLES: readonly Role[] = ['admin', 'editor']

/** True for the system and for editors and admins. */
export function actsForThePaper(actor: Actor): boolean {
  return actor.role === undefined || DESK_ROLES.includes(actor.role)
}

function isOwn(actor: Actor, article: Article): boolean {
  return actor.userId !== null && article.createdBy === actor.userId
}

/**
 * Contributors see only their own stories; authors read every story; editors,
 * admins and the system everything.
 */
export function canRead(actor: Actor, article: Article): boolean {
  return actor.role !== 'contributor' || isOwn(actor, article)
}

/**
 * Authors and contributors edit their own stories until an editor schedules or
 * publishes them; editors and admins edit any story at any stage.
 */
export function canEdit(actor: Actor, article: Article): boolean {
  if (actsForThePaper(actor)) return true
  return isOwn(actor, article) && (article.status === 'draft' || article.status === 'in_review')
}

/**
 * A writer whose own story the desk scheduled or published while they were
 * typing: they may no longer change it, but what they send is kept as a
 * conflict copy for the desk rather than refused and lost.
 */
export function isHandedToDesk(actor: Actor, article: Article): boolean {
  return isOwn(actor, article) && !canEdit(actor, article)
}

export function assertCanRead(actor: Actor, article: Article): void {
  if (!canRead(actor, article)) throw new DomainError('forbidden', ArticleErrors.ARTICLE_FORBIDDEN, 'This story belongs to someone else; contributors see only their own.')
}

export function assertCanEdit(actor: Actor, article: Article): void {
  if (!canEdit(actor, article)) {
    const why = isOwn(actor, article) ? 'An editor has it now: it is scheduled or public.' : 'It is someone else’s story.'
    throw new DomainError('forbidden', ArticleErrors.ARTICLE_FORBIDDEN, `You cannot change this story. ${why}`)
  }
}

/** Publishing, scheduling, sending back, unpublishing and corrections are the desk's. */
export function assertActsForThePaper(actor: Actor): void {
  if (!actsForThePaper(actor)) throw new DomainError('forbidden', ArticleErrors.ARTICLE_FORBIDDEN, 'Only editors and admins can do this; send the story for review instead.')
}

/** A writer may send their own story for review; editors may send anyone's. */
export function assertCanSubmit(actor: Actor, article: Article): void {
  if (!actsForThePaper(actor) && !isOwn(actor, article)) throw new DomainError('forbidden', ArticleErrors.ARTICLE_FORBIDDEN, 'You can send only your own stories for review.')
}
