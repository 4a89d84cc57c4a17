import { createWriteStream } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import multipart from '@fastify/multipart'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { DomainError } from '../shared/errors.ts'

/**
 * File uploads for the admin and the public reader forms. Multipart bodies are accepted only on the routes
 * registered inside `uploadScope`, and only read after the session guard has
 * let the request in; the CSRF token must be the first part, so a forged or
 * anonymous upload is refused before a byte of any file is read. Files stream
 * to a temporary folder with limits per file and per request, never into
 * memory (issue 12, item 3). Every other admin route has no multipart parser,
 * so Fastify answers 415 before reading such a body.
 */

export interface UploadLimits {
  /** Bytes per file. */
  maxFileBytes: number
  maxFiles: number
  /** Bytes of all files in one request. */
  maxTotalBytes: number
}

export interface ReceivedFile {
  field: string
  filename: string
  /** What the browser claimed; never trusted for the type, which is read from the bytes. */
  mimetype: string
  /** Where the file waits on disk; empty for uploads kept in memory. */
  path: string
  size: number
  read(): Promise<Uint8Array>
}

export interface ReceivedUpload {
  fields: Record<string, string[]>
  files: ReceivedFile[]
  /** Removes the temporary files; call it in `finally`. */
  cleanup(): Promise<void>
}

/** Registers routes that take multipart bodies in their own scope, so no other route parses them. */
export async function uploadScope(app: FastifyInstance, define: (scope: FastifyInstance) => void | Promise<void>, options: { maxFieldBytes?: number } = {}): Promise<void> {
  await app.register(async (scope) => {
    // Limits here are outer bounds; receiveUpload applies each route's own.
    await scope.register(multipart, { limits: { fieldNameSize: 100, fieldSize: options.maxFieldBytes ?? 64 * 1024, fields: 40, parts: 250, headerPairs: 200 } })
    // An upload refused part-way (past a limit, a wrong token) is answered before its body has all
    // arrived, and the rest is never read: close the connection after the answer, or a client still
    // sending would keep it, and its next request on that connection would wait for ever.
    scope.addHook('onSend', async (request, reply, payload) => {
      if (!request.raw.complete) reply.header('connection', 'close')
      return payload
    })
    await define(scope)
  })
}

/**
 * Reads a multipart request whose first part must be a valid `_csrf` field,
 * streaming files to `tmpDir`. Throws DomainErrors: forbidden for a missing or
 * wrong token, too_large past a limit, invalid (REQUEST_MALFORMED, a 400) when
 * the body cannot be read. Nothing is left on disk when it throws.
 */
export async function receiveUpload(
  request: FastifyRequest,
  options: UploadLimits & {
    tmpDir: string
    isValidCsrf: (token: string) => boolean
    /**
     * The name of the first part that must hold the token; `_csrf` in the admin, the signed form token on public forms.
     * Null when the caller has already authenticated the request by other means (the admin API's bearer token): no part is a guard.
     */
    guardField?: string | null
    /** The error thrown when the first part is missing or wrong. */
    guardError?: () => DomainError
    /**
     * Keep files in memory instead of the temporary folder: for content that
     * must not touch the disk before it is sealed (tips). The limits bound the memory.
     */
    isInMemory?: boolean
    /** Called with the fields read so far when the upload fails, so a form can show them again. */
    onFailure?: (fields: Record<string, string[]>) => void
  },
): Promise<ReceivedUpload> {
  const guardField = options.guardField === undefined ? '_csrf' : options.guardField
  const refuse = options.guardError ?? (() => new DomainError('forbidden', 'ADMIN_CSRF_INVALID', 'The form had expired or did not come from this site. Reload the page and try again.'))
  await mkdir(options.tmpDir, { recursive: true })
  const dir = await mkdtemp(path.join(options.tmpDir, 'upload-'))
  const fields: Record<string, string[]> = {}
  const files: ReceivedFile[] = []
  const cleanup = () => rm(dir, { recursive: true, force: true })
  let total = 0
  let isFirst = guardField !== null
  try {
    const parts = request.parts({ limits: { fileSize: options.maxFileBytes, files: options.maxFiles } })
    for await (const part of parts) {
      if (isFirst) {
        isFirst = false
        if (part.type !== 'field' || part.fieldname !== guardField || !options.isValidCsrf(String(part.value))) throw refuse()
        continue
      }
      if (part.type === 'field') {
        ;(fields[part.fieldname] ??= []).push(String(part.value))
        continue
      }
      if (!part.filename) {
        // An empty file input still sends a part; drain it.
        part.file.resume()
        continue
      }
      const target = path.join(dir, String(files.length))
      let size = 0
      const chunks: Buffer[] = []
      part.file.on('data', (chunk: Buffer) => {
        size += chunk.length
        total += chunk.length
        if (total > options.maxTotalBytes) part.file.destroy(tooLarge(options))
      })
      if (options.isInMemory) {
        for await (const chunk of part.file) chunks.push(chunk as Buffer)
        if (part.file.truncated) throw tooLarge(options)
        const bytes = new Uint8Array(Buffer.concat(chunks))
        files.push({ field: part.fieldname, filename: part.filename, mimetype: part.mimetype, path: '', size, read: async () => bytes })
        continue
      }
      await pipeline(part.file, createWriteStream(target))
      files.push({ field: part.fieldname, filename: part.filename, mimetype: part.mimetype, path: target, size, read: async () => new Uint8Array(await readFile(target)) })
    }
    if (isFirst && guardField !== null) throw refuse()
    return { fields, files, cleanup }
  } catch (error) {
    await cleanup()
    options.onFailure?.(fields)
    throw asUploadError(error, options)
  }
}

function tooLarge(limits: UploadLimits): DomainError {
  const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`
  return new DomainError(
    'too_large',
    'UPLOAD_TOO_LARGE',
    `That upload is too large: each file may be at most ${mb(limits.maxFileBytes)}, ${limits.maxFiles} files and ${mb(limits.maxTotalBytes)} at once. Nothing from it was kept.`,
  )
}

function asUploadError(error: unknown, limits: UploadLimits): unknown {
  if (error instanceof DomainError) return error
  const status = typeof error === 'object' && error !== null && 'statusCode' in error ? Number((error as { statusCode: unknown }).statusCode) : 0
  if (status === 413) return tooLarge(limits)
  // busboy's own complaints (no boundary, truncated body, bad headers) and a closed connection: the body is unreadable.
  return new DomainError('invalid', 'REQUEST_MALFORMED', 'The upload could not be read: the form data was malformed or cut short. Try again.', [], { cause: error })
}
