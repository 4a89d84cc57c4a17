import { Body } from '../../articles/index.ts'
import { dateTime, json, jsonSchema, nullable, problem, problemSchema, ref, str } from '../openapi-parts.ts'

/**
 * The content API's OpenAPI 3.1 document, served at
 * /api/content/v1/openapi.json. The body's block schema is generated from
 * the same zod schema that validates stories, so the two cannot drift; the
 * test suite checks every answer it gets against this document.
 */

const blocks = jsonSchema(Body, 'output')
const url = { type: 'string', format: 'uri' }

const Ref = {
  type: 'object',
  required: ['id', 'slug', 'name', 'url'],
  properties: { id: str, slug: str, name: str, url },
  additionalProperties: false,
}

const AuthorRef = {
  type: 'object',
  required: ['id', 'slug', 'name', 'url', 'kind', 'jobTitle'],
  properties: { id: str, slug: str, name: str, url, kind: { enum: ['person', 'desk'] }, jobTitle: nullable(str) },
  additionalProperties: false,
}

const Story = {
  type: 'object',
  required: ['id', 'slug', 'url', 'headline', 'standfirst', 'dateline', 'publishedAt', 'updatedAt', 'primarySection', 'sections', 'authors', 'tags', 'credit', 'image', 'corrections', 'body', 'bodyHtml'],
  properties: {
    id: str,
    slug: str,
    url,
    headline: str,
    standfirst: nullable(str),
    dateline: nullable(str),
    publishedAt: dateTime,
    updatedAt: nullable(dateTime),
    primarySection: nullable(ref('Ref')),
    sections: { type: 'array', items: ref('Ref') },
    authors: { type: 'array', items: ref('AuthorRef') },
    tags: { type: 'array', items: ref('Ref') },
    credit: nullable({
      type: 'object',
      required: ['slug', 'name', 'credit', 'kind'],
      properties: { slug: str, name: str, credit: str, kind: { enum: ['staff', 'agency', 'partner', 'reader'] } },
      additionalProperties: false,
    }),
    image: nullable({
      type: 'object',
      required: ['url', 'width', 'height', 'alt', 'caption', 'credit'],
      properties: { url: str, width: { type: 'integer' }, height: { type: 'integer' }, alt: str, caption: nullable(str), credit: nullable(str) },
      additionalProperties: false,
    }),
    corrections: {
      type: 'array',
      items: { type: 'object', required: ['text', 'at'], properties: { text: str, at: dateTime }, additionalProperties: false },
    },
    body: ref('Body'),
    bodyHtml: { type: 'string', description: 'The body rendered by the site, every string escaped, links and pictures absolute.' },
  },
  additionalProperties: false,
}

const Problem = problemSchema()

const errors = {
  '400': problem('A query parameter is not valid: an unknown filter value, a bad cursor or date, an unknown parameter.'),
  '401': problem('A content key is required, or the key sent is not valid.'),
}
const query = (name: string, description: string, schema: Record<string, unknown> = str) => ({ name, in: 'query', required: false, description, schema })
const keyParam = query('key', 'A content key, when it cannot go in the X-Content-Key header.')

export const contentApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Masthead content API',
    version: '1',
    description: 'Public stories, sections, authors, tags and search, read-only. Send a content key in X-Content-Key when the site requires one.',
  },
  servers: [{ url: '/api/content/v1' }],
  security: [{}, { contentKey: [] }],
  paths: {
    '/stories': {
      get: {
        operationId: 'listStories',
        summary: 'Public stories, newest first, a cursor page at a time.',
        parameters: [
          query('section', 'A section slug; its sub-sections are included.'),
          query('author', 'An author or desk slug.'),
          query('tag', 'A tag slug.'),
          query('credit', 'A source slug (staff, an agency, a partner).'),
          query('updated_since', 'Only stories published or publicly updated at or after this instant.', dateTime),
          query('limit', 'Stories per page, 1 to 100 (20).', { type: 'integer', minimum: 1, maximum: 100 }),
          query('cursor', 'The `next` value of the page before.'),
          keyParam,
        ],
        responses: {
          '200': json({ type: 'object', required: ['stories', 'next'], properties: { stories: { type: 'array', items: ref('Story') }, next: nullable(str) }, additionalProperties: false }, 'A page of stories.'),
          '304': { description: 'Not modified since the ETag sent in If-None-Match.' },
          ...errors,
        },
      },
    },
    '/stories/{ref}': {
      get: {
        operationId: 'getStory',
        summary: 'One public story by id (art_…) or slug; an old slug gives the story under its current one.',
        parameters: [{ name: 'ref', in: 'path', required: true, schema: str }, keyParam],
        responses: {
          '200': json({ type: 'object', required: ['story'], properties: { story: ref('Story') }, additionalProperties: false }, 'The story.'),
          '304': { description: 'Not modified.' },
          '404': problem('No public story has this id or slug.'),
          ...errors,
        },
      },
    },
    '/sections': {
      get: {
        operationId: 'listSections',
        summary: 'The section tree, as a flat list with parents and order.',
        parameters: [keyParam],
        responses: {
          '200': json(
            {
              type: 'object',
              required: ['sections'],
              properties: {
                sections: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['id', 'slug', 'name', 'url', 'description', 'parentId', 'position'],
                    properties: { id: str, slug: str, name: str, url, description: str, parentId: nullable(str), position: { type: 'integer' } },
                    additionalProperties: false,
                  },
                },
              },
              additionalProperties: false,
            },
            'Every section.',
          ),
          ...errors,
        },
      },
    },
    '/authors': {
      get: {
        operationId: 'listAuthors',
        summary: 'People and desks who appear in bylines.',
        parameters: [keyParam],
        responses: {
          '200': json(
            {
              type: 'object',
              required: ['authors'],
              properties: {
                authors: {
                  type: 'array',
                  items: { ...AuthorRef, required: [...AuthorRef.required, 'bio'], properties: { ...AuthorRef.properties, bio: nullable(str) } },
                },
              },
              additionalProperties: false,
            },
            'Every author and desk.',
          ),
          ...errors,
        },
      },
    },
    '/tags': {
      get: {
        operationId: 'listTags',
        summary: 'Every tag.',
        parameters: [keyParam],
        responses: {
          '200': json({ type: 'object', required: ['tags'], properties: { tags: { type: 'array', items: ref('Ref') } }, additionalProperties: false }, 'Every tag.'),
          ...errors,
        },
      },
    },
    '/search': {
      get: {
        operationId: 'search',
        summary: 'Full-text search over public stories: words and "quoted phrases", best matches first.',
        parameters: [
          query('q', 'What to look for.'),
          query('page', 'Page number (1).', { type: 'integer', minimum: 1 }),
          query('section', 'A section slug.'),
          query('author', 'An author slug.'),
          query('credit', 'A source slug.'),
          query('from', 'Published on or after this day.', { type: 'string', format: 'date' }),
          query('to', 'Published on or before this day.', { type: 'string', format: 'date' }),
          keyParam,
        ],
        responses: {
          '200': json(
            {
              type: 'object',
              required: ['results', 'page', 'hasNext'],
              properties: {
                results: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['story', 'snippet', 'matches'],
                    properties: { story: ref('Story'), snippet: str, matches: { type: 'array', items: str } },
                    additionalProperties: false,
                  },
                },
                page: { type: 'integer' },
                hasNext: { type: 'boolean' },
                cut: {
                  description:
                    'Set when more stories matched than are ranked: only the newest `newest` matches, and older ones with the words in the headline, can be reached; search with `to=oldestDay` for the stories before.',
                  oneOf: [
                    { type: 'null' },
                    {
                      type: 'object',
                      required: ['newest', 'oldestDay'],
                      properties: { newest: { type: 'integer' }, oldestDay: { type: 'string', format: 'date' } },
                      additionalProperties: false,
                    },
                  ],
                },
              },
              additionalProperties: false,
            },
            'A page of results.',
          ),
          ...errors,
        },
      },
    },
    '/openapi.json': {
      get: { operationId: 'openapi', summary: 'This document.', responses: { '200': { description: 'The OpenAPI document.', content: { 'application/json': {} } } } },
    },
  },
  components: {
    securitySchemes: { contentKey: { type: 'apiKey', in: 'header', name: 'X-Content-Key' } },
    schemas: { Story, Ref, AuthorRef, Problem, Body: blocks },
  },
} as const
