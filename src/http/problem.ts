import type { FastifyReply, FastifyRequest } from 'fastify'

/** What a JSON answer says about a failure: the fields of RFC 9457 problem details we fill, plus our stable code. */
export interface ProblemFailure {
  status: number
  code: string
  title: string
  detail: string
  issues?: readonly { path: string; message: string; code?: string }[]
}

/** The RFC 9457 problem details object for a failure, as `sendProblem` sends it (and the admin API stores it for replays). */
export function problemDetails(request: FastifyRequest, failure: ProblemFailure, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: `/problems/${failure.code.toLowerCase().replace(/_/g, '-')}`,
    title: failure.title,
    status: failure.status,
    detail: failure.detail,
    instance: request.url.split('?')[0],
    code: failure.code,
    ...(failure.issues ? { issues: failure.issues } : {}),
    requestId: request.id,
    ...extra,
  }
}

/**
 * Sends RFC 9457 problem details, the one shape every JSON surface (admin,
 * content API, public search) answers errors in: `type` derived from the
 * code, the request's path as `instance`, and its id to find it in the log.
 * `extra` adds members a client needs to recover (a conflict's current version).
 */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, failure: ProblemFailure, extra: Record<string, unknown> = {}) {
  return reply.code(failure.status).header('cache-control', 'no-store').type('application/problem+json; charset=utf-8').send(problemDetails(request, failure, extra))
}
