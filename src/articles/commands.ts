import { z } from 'zod'
import { SLUG_PATTERN } from '../shared/slug.ts'
import { Body } from './body.ts'

const Slug = z.string().regex(SLUG_PATTERN, 'Use lower-case letters, digits and single hyphens.').max(80)
const Ids = z.array(z.string().min(1).max(64)).max(50)
const IsoDateTime = z.iso.datetime({ offset: true })

/** Start a story. Everything but the headline can come later. */
export const CreateDraft = z.object({
  title: z.string().trim().min(1, 'A headline is required.').max(300),
  slug: Slug.optional(),
  seoTitle: z.string().trim().max(300).nullable().optional(),
  dek: z.string().trim().max(1000).nullable().optional(),
  body: Body.default([]),
  /** The first is the primary section. */
  sectionIds: Ids.default([]),
  authorIds: Ids.default([]),
  tagIds: Ids.default([]),
  sourceId: z.string().nullable().default(null),
})
export type CreateDraft = z.input<typeof CreateDraft>

/** Change a story. On a published story this is a public update, unless `isMinor` (a typo fix). */
export const EditArticle = z.object({
  title: z.string().trim().min(1, 'A headline is required.').max(300).optional(),
  slug: Slug.optional(),
  seoTitle: z.string().trim().max(300).nullable().optional(),
  dek: z.string().trim().max(1000).nullable().optional(),
  body: Body.optional(),
  sectionIds: Ids.optional(),
  authorIds: Ids.optional(),
  tagIds: Ids.optional(),
  sourceId: z.string().nullable().optional(),
  isMinor: z.boolean().default(false),
})
export type EditArticle = z.input<typeof EditArticle>

/** Publish now, or at a future time (which schedules it). A past `at` backdates the first publication. */
export const Publish = z.object({ at: IsoDateTime.optional() })
export type Publish = z.input<typeof Publish>

/** Append a public correction, optionally fixing the text in the same revision. */
export const Correct = z.object({
  text: z.string().trim().min(10, 'Say what was wrong and what is right.').max(2000),
  changes: EditArticle.omit({ isMinor: true }).optional(),
})
export type Correct = z.input<typeof Correct>
