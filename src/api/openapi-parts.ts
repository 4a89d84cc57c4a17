import { z } from 'zod'

/**
 * The vocabulary both APIs' OpenAPI documents are written in: short names for
 * common JSON Schema shapes, a zod schema as JSON Schema, and the problem
 * details every error answers with.
 */

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
export const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] })
export const str = { type: 'string' }
export const int = { type: 'integer' }
export const dateTime = { type: 'string', format: 'date-time' }

/** A zod schema as JSON Schema 2020-12, as it reads input or as it gives output. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io }) as Record<string, unknown>
  delete out.$schema
  return out
}

export const json = (schema: Record<string, unknown>, description: string) => ({ description, content: { 'application/json': { schema } } })
export const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } })

/** Problem details (RFC 9457) as src/http/problem.ts sends them; `extra` adds an API's own members. */
export function problemSchema(extra: Record<string, unknown> = {}) {
  return {
    type: 'object',
    required: ['type', 'title', 'status', 'code'],
    properties: {
      type: str,
      title: str,
      status: int,
      detail: str,
      instance: str,
      code: { type: 'string', description: 'A stable code from docs/errors.md.' },
      issues: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: str, message: str, code: str } } },
      requestId: str,
      ...extra,
    },
  }
}
