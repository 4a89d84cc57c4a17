import { z } from 'zod'
import { SLUG_PATTERN } from '../shared/slug.ts'

export const CreateSection = z.object({
  slug: z.string().regex(SLUG_PATTERN, 'Use lower-case letters, digits and single hyphens.').max(80),
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(1000).default(''),
  kind: z.enum(['region', 'country', 'topic', 'opinion']),
  parentId: z.string().nullable().default(null),
  position: z.number().int().min(0).max(10_000).default(0),
})
export type CreateSection = z.input<typeof CreateSection>

export const CreateTag = z.object({
  slug: z.string().regex(SLUG_PATTERN, 'Use lower-case letters, digits and single hyphens.').max(80),
  name: z.string().trim().min(1).max(120),
})
export type CreateTag = z.input<typeof CreateTag>
