import { Body, Correct, CreateDraft, Note, SaveStory, Schedule } from '../../articles/index.ts'
import { dateTime, int, json, jsonSchema, nullable, problem, problemSchema, ref, str } from '../openapi-parts.ts'
import { ADMIN_API_OPERATIONS } from './operations.ts'
import { SCOPES } from './tokens.ts'

/**
 * The admin API's OpenAPI 3.1 document, served at /api/admin/v1/openapi.json.
 * Request bodies are generated from the same zod schemas the articles service
 * and the story editor use (CreateDraft, SaveStory, …), so the document cannot
 * drift from what is checked; the test suite validates every answer it gets
 * against the response schemas here.
 */

const bool = { type: 'boolean' }
const strings = { type: 'array', items: str }
const object = (properties: Record<string, unknown>, required: string[] = Object.keys(properties)) => ({ type: 'object', required, properties, additionalProperties: false })

const STATUSES = { enum: ['draft', 'in_review', 'scheduled', 'published', 'unpublished'] }

const StoryFields = object({
  title: str,
  slug: str,
  dek: nullable(str),
  seoTitle: nullable(str),
  seoDescription: nullable(str),
  dateline: nullable(str),
  body: ref('Body'),
  sectionIds: strings,
  authorIds: strings,
  tagIds: strings,
  sourceId: nullable(str),
  featuredMediaId: nullable(str),
})

const Story = object({
  id: str,
  status: STATUSES,
  version: { type: 'integer', description: 'The edit version: send it as `baseVersion` with an edit.' },
  revision: { type: 'integer', description: 'Public revisions so far (publications, updates, corrections, unpublishing).' },
  hasPendingChanges: { type: 'boolean', description: 'A published story has saved changes readers do not see yet; `fields` shows them.' },
  fields: ref('StoryFields'),
  createdAt: dateTime,
  createdBy: nullable(str),
  modifiedAt: dateTime,
  modifiedBy: nullable(str),
  publishedAt: nullable(dateTime),
  updatedAt: nullable(dateTime),
  scheduledAt: nullable(dateTime),
  withdrawnAt: nullable(dateTime),
})

const StoryRow = object({
  id: str,
  slug: str,
  title: str,
  status: STATUSES,
  sectionIds: strings,
  authorIds: strings,
  sourceId: nullable(str),
  createdBy: nullable(str),
  modifiedBy: nullable(str),
  modifiedAt: dateTime,
  scheduledAt: nullable(dateTime),
  publishedAt: nullable(dateTime),
  hasPendingChanges: bool,
})

const Picture = object({ id: str, fileName: str, width: int, height: int, alt: str, caption: str, credit: str, createdAt: dateTime })

const Issue = object({ where: str, code: str, message: str })
const IngestReport = object({
  file: str,
  rawId: str,
  format: nullable(str),
  imported: int,
  updated: int,
  unchanged: int,
  rejected: { type: 'array', items: Issue },
  warnings: { type: 'array', items: Issue },
  items: { type: 'array', items: object({ itemId: str, outcome: { enum: ['imported', 'updated', 'unchanged'] }, headline: str }) },
})

const submissionBase = { id: str, kind: { enum: ['letter', 'opinion', 'tip'] }, reference: str, state: { enum: ['new', 'in_review', 'accepted', 'published', 'declined'] }, createdAt: dateTime, assigneeId: nullable(str) }
const Submission = {
  oneOf: [
    { ...object({ ...submissionBase, kind: { enum: ['letter', 'opinion'] }, title: str, from: nullable(str) }), description: 'A letter or an opinion piece.' },
    { ...object({ ...submissionBase, kind: { const: 'tip' } }), description: 'A tip: metadata only. Its words and its sender are sealed and never leave the inbox.' },
  ],
}

const Problem = problemSchema({
  requiredScope: { enum: [...SCOPES], description: 'On ADMIN_API_SCOPE_MISSING: the scope the call needs.' },
  currentVersion: { type: 'integer', description: 'On ARTICLE_VERSION_CONFLICT: the story’s version now.' },
  conflictCopyId: { type: 'string', description: 'On ARTICLE_VERSION_CONFLICT from an edit: the stale edit, kept as a conflict copy the editor shows.' },
})

const jsonBody = (schema: Record<string, unknown>, required = true) => ({ required, content: { 'application/json': { schema } } })
const storyAnswer = (description: string) => json(object({ story: ref('Story') }), description)
const idParam = { name: 'id', in: 'path', required: true, description: 'The story id (art_…).', schema: str }
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Makes a retry safe: the same key with the same request within 24 hours replays the first answer (with `Idempotent-Replayed: true`) instead of doing it again; the same key with another request is 422 ADMIN_API_IDEMPOTENCY_MISMATCH.',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
}
const query = (name: string, description: string, schema: Record<string, unknown> = str, required = false) => ({ name, in: 'query', required, description, schema })

const common = {
  '400': problem('The body or query does not match the schema (ADMIN_API_BODY_INVALID); `issues` names each field.'),
  '401': problem('No token, or the token is unknown, expired or revoked.'),
  '403': problem('The token lacks the scope the call needs (ADMIN_API_SCOPE_MISSING, naming it in `requiredScope`), or the token’s maker may not do this to this story.'),
  '429': problem('Too many calls with this token; see Retry-After.'),
}
const writeErrors = {
  '413': problem('The body is larger than 8 MB (UPLOAD_TOO_LARGE).'),
  '415': problem('The body is not JSON (ADMIN_API_BODY_INVALID).'),
  '404': problem('No story has this id.'),
  '409': problem('The story’s state does not allow this (ARTICLE_BAD_TRANSITION), the edit is based on an old version (ARTICLE_VERSION_CONFLICT, with `currentVersion`), or the first request with this Idempotency-Key is still running.'),
  '422': problem('The service refused the change (e.g. ARTICLE_NOT_PUBLISHABLE, ARTICLE_REFERENCE_UNKNOWN), or the Idempotency-Key was used with another request.'),
}
const uploadErrors = {
  '413': problem('A file or the request is larger than allowed (UPLOAD_TOO_LARGE).'),
  '422': problem('The file was refused (e.g. MEDIA_UNSUPPORTED), or the Idempotency-Key was used with another request.'),
  '409': problem('The first request with this Idempotency-Key is still running.'),
}

const summaries: Record<string, { operationId: string; summary: string; parameters?: unknown[]; requestBody?: unknown; responses: Record<string, unknown> }> = {
  'GET /stories': {
    operationId: 'listStories',
    summary: 'Stories in any state, most recently changed first.',
    parameters: [
      query('status', 'Only stories in this state.', STATUSES),
      query('q', 'Words in the headline.'),
      query('page', 'Page number (1).', { type: 'integer', minimum: 1 }),
      query('perPage', 'Stories per page, 1 to 100 (20).', { type: 'integer', minimum: 1, maximum: 100 }),
    ],
    responses: { '200': json(object({ stories: { type: 'array', items: ref('StoryRow') }, page: int, perPage: int, hasNext: bool }), 'A page of stories.') },
  },
  'POST /stories': {
    operationId: 'createDraft',
    summary: 'Starts a draft. Every field may be left out; publishing checks what is missing.',
    parameters: [idempotencyKey],
    requestBody: jsonBody(jsonSchema(CreateDraft, 'input')),
    responses: { '201': storyAnswer('The new draft.'), '415': writeErrors['415'], '422': writeErrors['422'], '409': writeErrors['409'] },
  },
  'GET /stories/{id}': {
    operationId: 'getStory',
    summary: 'One story in any state, with its edit version.',
    parameters: [idParam],
    responses: { '200': storyAnswer('The story.'), '404': writeErrors['404'] },
  },
  'PATCH /stories/{id}': {
    operationId: 'editStory',
    summary: 'Saves changes as the story editor does: `baseVersion` is the version they are based on; a stale one is 409 with `currentVersion` (the edit is kept as a conflict copy). A published story’s changes wait until published.',
    parameters: [idParam, idempotencyKey],
    requestBody: jsonBody(jsonSchema(SaveStory, 'input')),
    responses: { '200': storyAnswer('The story after the save.'), ...writeErrors },
  },
  'POST /stories/{id}/publish': {
    operationId: 'publishStory',
    summary: 'Publishes now; for a published story, publishes its saved changes (a public update unless `isMinor`).',
    parameters: [idParam, idempotencyKey],
    requestBody: jsonBody({ type: 'object', properties: { isMinor: { type: 'boolean', default: false } }, additionalProperties: false }, false),
    responses: { '200': storyAnswer('The published story.'), ...writeErrors },
  },
  'POST /stories/{id}/schedule': {
    operationId: 'scheduleStory',
    summary: 'Schedules for a future time.',
    parameters: [idParam, idempotencyKey],
    requestBody: jsonBody(jsonSchema(Schedule, 'input')),
    responses: { '200': storyAnswer('The scheduled story.'), ...writeErrors },
  },
  'POST /stories/{id}/unpublish': {
    operationId: 'unpublishStory',
    summary: 'Takes a story off the site, saying why.',
    parameters: [idParam, idempotencyKey],
    requestBody: jsonBody(jsonSchema(Note, 'input')),
    responses: { '200': storyAnswer('The unpublished story.'), ...writeErrors },
  },
  'POST /stories/{id}/correct': {
    operationId: 'correctStory',
    summary: 'Adds a public correction to a published story, with its pending changes or the changes given (which need `baseVersion`).',
    parameters: [idParam, idempotencyKey],
    requestBody: jsonBody({ ...jsonSchema(Correct, 'input'), additionalProperties: false }),
    responses: { '200': storyAnswer('The corrected story.'), ...writeErrors },
  },
  'POST /media': {
    operationId: 'uploadPicture',
    summary: 'Adds a picture to the media library.',
    parameters: [idempotencyKey],
    requestBody: {
      required: true,
      content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' }, alt: str, caption: str, credit: str } } } },
    },
    responses: { '201': json(object({ picture: ref('Picture') }), 'The picture as stored.'), ...uploadErrors },
  },
  'POST /wire': {
    operationId: 'importWire',
    summary: 'Ingests agency copy (ninjs, NewsML-G2, RSS, Atom) as an upload on the wire desk would; each file gets a report.',
    parameters: [idempotencyKey],
    requestBody: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: { type: 'object', required: ['files'], properties: { files: { type: 'array', items: { type: 'string', contentMediaType: 'application/octet-stream' } }, source: { type: 'string', description: 'A wire source id (wsrc_…) to file the copy under.' } } },
        },
      },
    },
    responses: { '200': json(object({ reports: { type: 'array', items: ref('IngestReport') } }), 'One report per file; rejected items are listed, not thrown.'), ...uploadErrors },
  },
  'GET /submissions': {
    operationId: 'listSubmissions',
    summary: 'The reader desk’s inbox, newest first: letters and opinion pieces with their titles; tips as metadata only.',
    parameters: [
      query('kind', 'Which tab of the inbox.', { enum: ['letter', 'opinion', 'tip'] }, true),
      query('state', 'Only submissions in this state.', { enum: ['new', 'in_review', 'accepted', 'published', 'declined'] }),
      query('page', 'Page number (1).', { type: 'integer', minimum: 1 }),
      query('perPage', 'Submissions per page, 1 to 100 (20).', { type: 'integer', minimum: 1, maximum: 100 }),
    ],
    responses: { '200': json(object({ submissions: { type: 'array', items: ref('Submission') }, page: int, perPage: int, hasNext: bool }), 'A page of submissions.') },
  },
}

const paths: Record<string, Record<string, unknown>> = {}
for (const op of ADMIN_API_OPERATIONS) {
  const doc = summaries[`${op.method} ${op.path}`]!
  ;(paths[op.path] ??= {})[op.method.toLowerCase()] = {
    ...doc,
    'x-required-scope': op.scope,
    security: [{ bearerToken: [op.scope] }],
    responses: { ...common, ...doc.responses },
  }
}
paths['/openapi.json'] = { get: { operationId: 'openapi', summary: 'This document.', security: [], responses: { '200': { description: 'The OpenAPI document.', content: { 'application/json': {} } } } } }

export const adminApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Masthead admin API',
    version: '1',
    description:
      'Stories in any state, drafts, edits, publishing, pictures, agency copy and the reader desk, for programs working for the newsroom. Send a token made at /admin/api-tokens as `Authorization: Bearer <token>`; each call acts as the admin who made the token and needs the scope named in `x-required-scope`. Every call is recorded in the audit log.',
  },
  servers: [{ url: '/api/admin/v1' }],
  security: [{ bearerToken: [] }],
  paths,
  components: {
    securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer', description: `Scopes: ${SCOPES.join(', ')}.` } },
    schemas: { Story, StoryFields, StoryRow, Picture, IngestReport, Submission, Problem, Body: jsonSchema(Body, 'output') },
  },
}
