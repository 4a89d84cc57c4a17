import { z } from 'zod'
import { SLUG_PATTERN } from '../shared/slug.ts'

const Ids = z.array(z.string().min(1).max(64)).max(50)
const Optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .default(null)

/** Create a routing rule. At least one criterion, and somewhere to route to. */
export const CreateRule = z
  .object({
    name: z.string().trim().min(1).max(120),
    priority: z.number().int().min(0).max(10_000).default(100),
    agency: Optional(200),
    subjectCode: Optional(500),
    keyword: Optional(300),
    language: Optional(20),
    sectionIds: Ids.default([]),
    tagIds: Ids.default([]),
    enabled: z.boolean().default(true),
  })
  .refine((r) => r.agency || r.subjectCode || r.keyword || r.language, {
    message: 'Give at least one of agency, subject code, keyword or language.',
    path: ['agency'],
  })
  .refine((r) => r.sectionIds.length > 0 || r.tagIds.length > 0, {
    message: 'Route to at least one section or tag.',
    path: ['sectionIds'],
  })
export type CreateRule = z.input<typeof CreateRule>

/** Configure a way copy arrives. Feeds need an http(s) URL, folders a path. */
export const CreateWireSource = z
  .object({
    slug: z.string().regex(SLUG_PATTERN, 'Use lower-case letters, digits and single hyphens.').max(80),
    name: z.string().trim().min(1).max(160),
    kind: z.enum(['feed', 'folder', 'manual']),
    url: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//i.test(u), 'Feeds are fetched over http or https.')
      .nullable()
      .default(null),
    folder: z.string().min(1).max(1000).nullable().default(null),
    intervalSeconds: z.number().int().min(30).max(86_400).default(300),
    creditSourceId: z.string().nullable().default(null),
    /** Agencies on a private line, or a test server on loopback. */
    allowPrivateNetwork: z.boolean().default(false),
    enabled: z.boolean().default(true),
  })
  .refine((s) => s.kind !== 'feed' || s.url, { message: 'A feed needs a URL.', path: ['url'] })
  .refine((s) => s.kind !== 'folder' || s.folder, { message: 'A drop folder needs a path.', path: ['folder'] })
export type CreateWireSource = z.input<typeof CreateWireSource>

/** Filters of the desk list. */
export const DeskFilter = z.object({
  agency: z.string().max(200).optional(),
  sectionId: z.string().regex(/^[a-z]+_[0-9a-z]+$/, 'Not a section id.').optional(),
  status: z.enum(['usable', 'withdrawn', 'canceled']).optional(),
  language: z.string().max(20).optional(),
  text: z.string().trim().max(200).optional(),
})
export type DeskFilter = z.input<typeof DeskFilter>
