import { DomainError, type ErrorKind, type Issue } from '../shared/errors.ts'

/** The one table from error kind to HTTP status. */
export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
}

/** What an error means for a response, decided once for every surface. */
export interface HttpFailure {
  status: number
  code: string
  title: string
  /** Safe to show; empty for 5xx so internals never leak. */
  detail: string
  issues: Issue[]
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign-in required',
  403: 'Not allowed',
  404: 'Page not found',
  409: 'Not possible right now',
  413: 'Too large',
  415: 'Unsupported content',
  421: 'Wrong address for this site',
  422: 'Invalid input',
  429: 'Too many requests',
  500: 'Something went wrong',
  503: 'Temporarily unavailable',
}

const FRAMEWORK_DETAIL: Record<number, string> = {
  400: 'The request could not be read: its address or body is malformed.',
  413: 'What was sent is too large.',
  415: 'This address does not accept that kind of content.',
  429: 'Too many requests in a short time. Wait a minute, then try again.',
}

/** Codes that mean the request itself could not be read: 400, not 422. */
const UNPARSEABLE = new Set(['PAGE_INVALID', 'REQUEST_MALFORMED', 'CONTENT_QUERY_INVALID', 'ADMIN_API_BODY_INVALID'])

function fastifyStatus(error: unknown): number | null {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const status = Number((error as { statusCode: unknown }).statusCode)
    if (status >= 400 && status < 500) return status
  }
  return null
}

/**
 * Maps any thrown value to an HTTP failure. Domain errors keep their code and
 * message; Fastify's own 4xx (bad JSON, too large) keep theirs; everything else
 * is a 500 with a generic message.
 */
export function toHttpFailure(error: unknown): HttpFailure {
  if (error instanceof DomainError) {
    // Bad query parameters and unreadable bodies are unparseable requests rather than a form to fix.
    const status = UNPARSEABLE.has(error.code) ? 400 : STATUS_BY_KIND[error.kind]
    return { status, code: error.code, title: TITLES[status] ?? 'Error', detail: error.message, issues: error.issues }
  }
  const status = fastifyStatus(error)
  if (status !== null) {
    const code = (error as { code?: unknown }).code
    // Framework messages can echo the request (a path, a header): say what they mean in our words instead.
    return {
      status,
      code: typeof code === 'string' ? code : 'HTTP_BAD_REQUEST',
      title: TITLES[status] ?? 'Bad request',
      detail: FRAMEWORK_DETAIL[status] ?? 'The request could not be handled.',
      issues: [],
    }
  }
  return { status: 500, code: 'INTERNAL', title: TITLES[500]!, detail: '', issues: [] }
}

/** Words for people on the HTML error page. */
export function humanMessage(failure: HttpFailure): string {
  if (failure.status === 404) return 'We could not find that page. It may have moved, or the address may be mistyped.'
  if (failure.status >= 500) return 'The newsroom’s server had a problem showing this page. Please try again in a moment.'
  return failure.detail || 'The request could not be handled.'
}
