import { z } from 'zod'
import { SLUG_PATTERN } from '../shared/slug.ts'

const Slug = z.string().trim().min(1, 'Give the address a slug.').max(80, 'Keep the slug under 80 characters.').regex(SLUG_PATTERN, 'Use lower-case letters, digits and single hyphens.')
const Name = z.string().trim().min(1, 'Give it a name.').max(120, 'Keep the name under 120 characters.')

export const CreateSection = z.object({
  slug: Slug,
  name: Name,
  description: z.string().trim().max(1000, 'Keep the description under 1,000 characters.').default(''),
  kind: z.enum(['region', 'country', 'topic', 'opinion'], { message: 'Choose what kind of section it is.' }),
  parentId: z.string().nullable().default(null),
  position: z.number().int().min(0).max(10_000).default(0),
})
export type CreateSection = z.input<typeof CreateSection>

/** Rename, describe or move a section: everything but its place among its siblings. */
export const UpdateSection = CreateSection.omit({ position: true })
export type UpdateSection = z.input<typeof UpdateSection>

/** Deleting a section: where its stories go, when it has any. */
export const DeleteSection = z.object({ moveTo: z.string().min(1).nullable().default(null) })
export type DeleteSection = z.input<typeof DeleteSection>

export const CreateTag = z.object({ slug: Slug, name: Name })
export type CreateTag = z.input<typeof CreateTag>

export const RenameTag = CreateTag
export type RenameTag = z.input<typeof RenameTag>

/** Merging: the stories of `fromId` get `intoId` instead, and `fromId` is gone. */
export const MergeTags = z.object({ fromId: z.string().min(1), intoId: z.string().min(1, 'Choose the tag to keep.') })
export type MergeTags = z.input<typeof MergeTags>
