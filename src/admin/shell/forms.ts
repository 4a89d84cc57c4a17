import { DomainError } from '../../shared/errors.ts'
import type { FieldErrors } from './layout.tsx'

/** One form field as a string; empty when absent. Accepts urlencoded bodies and multipart field objects. */
export function field(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | null)?.[name]
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : ''
  if (value && typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value)
  return ''
}

/** Every value of a repeated form field (checkboxes, multi-selects). */
export function list(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | null)?.[name]
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
  return typeof value === 'string' && value !== '' ? [value] : []
}

/** A string query parameter, cut to a sane length; empty when absent or repeated. */
export function queryText(query: unknown, name: string, max = 200): string {
  const value = (query as Record<string, unknown> | null)?.[name]
  return typeof value === 'string' ? value.slice(0, max) : ''
}

/** Field messages keyed by the first segment of each issue's path; a form-level message when none names a field. */
export function issuesToFields(error: DomainError): FieldErrors {
  const errors: FieldErrors = {}
  for (const issue of error.issues) errors[issue.path.split(/[.[]/)[0] || '_form'] ??= issue.message
  if (Object.keys(errors).length === 0) errors._form = error.message
  return errors
}

/** True for the errors a form shows next to its fields rather than as an error page. */
export function isFormError(error: unknown): error is DomainError {
  return error instanceof DomainError && (error.kind === 'invalid' || error.kind === 'conflict')
}

// Printable ASCII that may appear in a path and query, without backslashes,
// quotes or angle brackets: anything else (CR/LF, U+2028, non-ASCII) cannot go
// into a Location header as is, and we have no reason to encode it for someone.
const ADMIN_PATH = /^\/admin(?:[/?][A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*)?$/

/** Where to go after signing in: only a plain path inside the admin, never another site. */
export function safeNext(next: unknown, fallback = '/admin'): string {
  if (typeof next !== 'string' || next.length > 1000 || !ADMIN_PATH.test(next) || next.startsWith('//')) return fallback
  return next
}
