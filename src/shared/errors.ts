import type { ZodError } from 'zod'

/** The kinds of failure a domain operation can report; only `server/http-errors.ts` maps them to HTTP. */
export type ErrorKind =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'unauthenticated'
  | 'too_large'
  | 'rate_limited'
  | 'unavailable'

/** One field-level problem, with a path like `body[2].caption`. */
export interface Issue {
  path: string
  message: string
  code: string
}

/**
 * An expected failure with a stable, catalogued code (see docs/errors.md).
 * Anything that is not a DomainError is a bug and is reported as a 500.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError'
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** Formats a zod path as `blocks[2].caption`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out === '' ? String(part) : `.${String(part)}`
  }
  return out
}

/** Turns a ZodError into an `invalid` DomainError carrying one issue per problem. */
export function fromZodError(error: ZodError, code: string, message = 'The input is not valid.'): DomainError {
  const issues = error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
    code: issue.code,
  }))
  return new DomainError('invalid', code, message, issues, { cause: error })
}
