import { diffWords } from 'diff'
import type { StoryFields } from './article.ts'
import { bodyText } from './body.ts'

/** One run of a word diff: text both sides share, or text only one side has. */
export interface DiffPart {
  kind: 'same' | 'added' | 'removed'
  text: string
}

/** A word-level diff between two texts, for people to read. */
export function wordDiff(before: string, after: string): DiffPart[] {
  return diffWords(before, after).map((part) => ({ kind: part.added ? 'added' : part.removed ? 'removed' : 'same', text: part.value }))
}

/** A field of a story that differs between two versions, with its word diff. */
export interface FieldDiff {
  field: keyof StoryFields
  label: string
  parts: DiffPart[]
}

const LABELS: Record<keyof StoryFields, string> = {
  title: 'Headline',
  slug: 'Address',
  dek: 'Standfirst',
  seoTitle: 'Search title',
  seoDescription: 'Search description',
  dateline: 'Dateline',
  body: 'Text',
  sectionIds: 'Sections',
  authorIds: 'Byline',
  tagIds: 'Tags',
  sourceId: 'Credit',
  featuredMediaId: 'Featured picture',
}

/** Names for the ids a story refers to, so a diff says "Politics", not "sec_…". */
export type NameOf = (kind: 'section' | 'author' | 'tag' | 'source' | 'media', id: string) => string

/**
 * What changed between two versions of a story, field by field, as word
 * diffs; fields that are the same are left out. The body is compared as its
 * text, one block per paragraph, which is what an editor reads.
 */
export function diffStories(before: StoryFields, after: StoryFields, nameOf: NameOf): FieldDiff[] {
  const text = (fields: StoryFields, field: keyof StoryFields): string => {
    switch (field) {
      case 'body':
        return bodyText(fields.body)
      case 'sectionIds':
        return fields.sectionIds.map((id) => nameOf('section', id)).join(', ')
      case 'authorIds':
        return fields.authorIds.map((id) => nameOf('author', id)).join(', ')
      case 'tagIds':
        return fields.tagIds.map((id) => nameOf('tag', id)).join(', ')
      case 'sourceId':
        return fields.sourceId ? nameOf('source', fields.sourceId) : ''
      case 'featuredMediaId':
        return fields.featuredMediaId ? nameOf('media', fields.featuredMediaId) : ''
      default:
        return fields[field] ?? ''
    }
  }
  const diffs: FieldDiff[] = []
  for (const field of Object.keys(LABELS) as (keyof StoryFields)[]) {
    const a = text(before, field)
    const b = text(after, field)
    // Bodies can differ in structure (a quote's speaker) with the same text; compare them whole.
    const differs = field === 'body' ? JSON.stringify(before.body) !== JSON.stringify(after.body) : a !== b
    if (differs) diffs.push({ field, label: LABELS[field], parts: a === b ? [{ kind: 'same', text: `${a}\n(formatting or attribution changed)` }] : wordDiff(a, b) })
  }
  return diffs
}
