import type { z } from 'zod'
import { fromZodError } from './errors.ts'

/**
 * Parses untrusted input with a schema, throwing an `invalid` DomainError with
 * field-level issues when it does not fit.
 * @example parseInput(CreateDraft, body, 'ARTICLE_INVALID')
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, code: string): z.output<S> {
  const result = schema.safeParse(input)
  if (!result.success) throw fromZodError(result.error, code)
  return result.data
}
