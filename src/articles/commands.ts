import { z } from 'zod'
import { SLUG_PATTERN } from '../shared/slug.ts'
import { Body } from './body.ts'

const Slug = z.string().regex(SLUG_PATTERN, 'Use lower-case letters, digits and single hyphens.').max(80, 'Use at most 80 characters.')
const Ids = z.array(z.string().min(1).max(64)).max(50)
const IsoDateTime = z.iso.datetime({ offset: true })
/** Optional text: trimmed, and empty means none. */
const OptionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Use at most ${max} characters.`)
    .nullable()
    .optional()
    .transform((v) => (v === '' ? null : v))

/** Start a story. A draft may start empty; publishing checks what is missing. */
export const CreateDraft = z.object({
  title: z.string().trim().max(300).default(''),
  slug: Slug.optional(),
  seoTitle: OptionalText(300),
  seoDescription: OptionalText(320),
  dek: OptionalText(1000),
  dateline: OptionalText(100),
  body: Body.default([]),
  /** The first is the primary section. */
  sectionIds: Ids.default([]),
  authorIds: Ids.default([]),
  tagIds: Ids.default([]),
  sourceId: z.string().nullable().default(null),
  featuredMediaId: z.string().max(64).nullable().default(null),
})
export type CreateDraft = z.input<typeof CreateDraft>

/** The editable fields, each optional: a change names only what it changes. */
export const StoryChanges = z.object({
  title: z.string().trim().max(300, 'Use at most 300 characters.').optional(),
  /** An empty slug on a story that was never public is made again from the headline. */
  slug: z.union([Slug, z.literal('')]).optional(),
  seoTitle: OptionalText(300),
  seoDescription: OptionalText(320),
  dek: OptionalText(1000),
  dateline: OptionalText(100),
  body: Body.optional(),
  sectionIds: Ids.optional(),
  authorIds: Ids.optional(),
  tagIds: Ids.optional(),
  sourceId: z.string().max(64).nullable().optional(),
  featuredMediaId: z.string().max(64).nullable().optional(),
})
export type StoryChanges = z.input<typeof StoryChanges>

/** Change a story directly. On a published story this is a public update, unless `isMinor` (a typo fix). */
export const EditArticle = StoryChanges.extend({
  title: z.string().trim().min(1, 'A headline is required.').max(300).optional(),
  isMinor: z.boolean().default(false),
})
export type EditArticle = z.input<typeof EditArticle>

/**
 * A save from the editor: the fields as the writer sees them, and the edit
 * version they started from. A save based on an older version is a conflict.
 */
export const SaveStory = z.object({
  baseVersion: z.number().int().min(0),
  changes: StoryChanges,
})
export type SaveStory = z.input<typeof SaveStory>

/**
 * Publish now, or at a future time (which schedules it). A past `at` backdates
 * the first publication. `publishAnyway` is an editor's confirmation that a
 * story made from agency copy the agency has since killed may go out now.
 */
export const Publish = z.object({ at: IsoDateTime.optional(), publishAnyway: z.boolean().optional() })
export type Publish = z.input<typeof Publish>

/** Schedule for a time that has not come yet. */
export const Schedule = z.object({ at: IsoDateTime })
export type Schedule = z.input<typeof Schedule>

/** Append a public correction, optionally fixing the text in the same revision. */
export const Correct = z.object({
  text: z.string().trim().min(10, 'Say what was wrong and what is right.').max(2000),
  changes: StoryChanges.optional(),
  /** The edit version the changes were made on; when given, a story saved since is a conflict and nothing changes. */
  baseVersion: z.number().int().min(0).optional(),
})
export type Correct = z.input<typeof Correct>

/** A note that must say something: why a story goes back to its writer, or comes off the site. */
export const Note = z.object({ note: z.string().trim().min(3, 'Say why, in a few words.').max(2000) })
export type Note = z.input<typeof Note>

/**
 * A story brought in from another system (an importer), with the dates and
 * state it had there: published stories keep their first publication and
 * last update times; everything else arrives as a draft.
 */
export const ImportStory = CreateDraft.extend({
  status: z.enum(['draft', 'published']),
  createdAt: IsoDateTime,
  publishedAt: IsoDateTime.nullable().default(null),
  updatedAt: IsoDateTime.nullable().default(null),
})
export type ImportStory = z.input<typeof ImportStory>
