import { Validator } from '@seriousme/openapi-schema-validator'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { expect } from 'vitest'

/** The parts of an OpenAPI 3.1 document the checker reads. */
interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, { type: string; in?: string; name?: string }> }
}

interface ResponseObject {
  content?: Record<string, unknown>
}

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1')

/**
 * Checks an API's answers against the OpenAPI document it serves: the document
 * is loaded once into Ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses) and each
 * answer is validated against its operation's schema for that status and
 * content type; a status the document describes without content must come
 * without a body. `seen` collects `METHOD path status` for coverage checks.
 *
 * @example
 * const checker = createOpenApiChecker(contentApiDocument)
 * const body = await checker.response('GET', '/stories/{ref}', await fetch(url))
 */
export function createOpenApiChecker(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats.default(ajv)
  ajv.addSchema(document, 'openapi')
  const seen = new Set<string>()

  function check(method: string, path: string, status: number, contentType: string, body: unknown): void {
    const operation = document.paths[path]?.[method.toLowerCase()] as { responses?: Record<string, ResponseObject> } | undefined
    expect(operation, `the document has ${method} ${path}`).toBeDefined()
    const described = operation!.responses?.[String(status)]
    expect(described, `the document describes ${status} for ${method} ${path}`).toBeDefined()
    seen.add(`${method} ${path} ${status}`)
    if (!described!.content) {
      expect(body, `${method} ${path} → ${status} has no body`).toBeNull()
      return
    }
    const type = contentType.split(';')[0]!.trim()
    const media = described!.content[type] as { schema?: unknown } | undefined
    expect(media, `the document describes ${status} ${type} for ${method} ${path}`).toBeDefined()
    // A media type without a schema (the document itself) says what comes, not its shape.
    if (media!.schema === undefined) return
    const pointer = `/paths/${escape(path)}/${method.toLowerCase()}/responses/${status}/content/${escape(type)}/schema`
    const validate = ajv.getSchema(`openapi#${pointer}`)
    expect(validate, `the document describes ${status} ${type} for ${method} ${path}`).toBeDefined()
    const ok = validate!(body)
    expect(ok ? [] : validate!.errors, `${method} ${path} → ${status}`).toEqual([])
  }

  /** Reads an answer's body (JSON, or null when empty), checks it under the operation's path template, and returns it. */
  async function response(method: string, path: string, answer: Response): Promise<any> {
    const text = await answer.text()
    const body = text ? JSON.parse(text) : null
    check(method, path, answer.status, answer.headers.get('content-type') ?? '', body)
    return body
  }

  /**
   * An answer to a path the document does not have: it must really be outside
   * the document, and its body must be the document's problem details.
   */
  async function unknownPath(path: string, answer: Response): Promise<any> {
    expect(Object.keys(document.paths), `${path} is not in the document`).not.toContain(path)
    expect(answer.headers.get('content-type') ?? '').toContain('application/problem+json')
    const body = await answer.json()
    const validate = ajv.getSchema('openapi#/components/schemas/Problem')
    expect(validate, 'the document has a Problem schema').toBeDefined()
    const ok = validate!(body)
    expect(ok ? [] : validate!.errors, `${path} → ${answer.status}`).toEqual([])
    return body
  }

  /**
   * A CORS preflight for a path of the document: it must allow every method
   * the document has there and every header a caller is told to send (header
   * parameters and header security schemes), so a browser can make each call
   * the document describes.
   */
  function preflight(path: string, answer: Response): void {
    const item = document.paths[path]
    expect(item, `the document has ${path}`).toBeDefined()
    expect(answer.status, `preflight of ${path}`).toBe(204)
    const allowedMethods = (answer.headers.get('access-control-allow-methods') ?? '').toUpperCase().split(/\s*,\s*/)
    for (const method of Object.keys(item!).filter((key) => ['get', 'put', 'post', 'delete', 'patch'].includes(key))) {
      expect(allowedMethods, `preflight of ${path} allows ${method}`).toContain(method.toUpperCase())
    }
    const allowedHeaders = (answer.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/)
    const headers = new Set<string>()
    for (const scheme of Object.values(document.components?.securitySchemes ?? {})) if (scheme.type === 'apiKey' && scheme.in === 'header' && scheme.name) headers.add(scheme.name.toLowerCase())
    for (const operation of Object.values(item!) as { parameters?: { in: string; name: string }[] }[]) {
      for (const parameter of operation.parameters ?? []) if (parameter.in === 'header') headers.add(parameter.name.toLowerCase())
    }
    for (const header of headers) expect(allowedHeaders, `preflight of ${path} allows ${header}`).toContain(header)
    seen.add(`OPTIONS ${path} 204`)
  }

  return { seen, check, response, unknownPath, preflight }
}

/** The document checked against the OpenAPI 3.1 JSON Schema; the validator's errors, none when valid. */
export async function openApiSchemaErrors(document: object): Promise<unknown[]> {
  const validator = new Validator()
  // The validator keeps what it is given; a copy keeps the exported document untouched.
  const result = await validator.validate(structuredClone(document) as Parameters<Validator['validate']>[0])
  expect(validator.version).toBe('3.1')
  return result.valid ? [] : (result.errors as unknown[])
}
