import type { Body, StoryChanges, StoryFields } from '../../articles/index.ts'
import { DomainError } from '../../shared/errors.ts'

/**
 * The editor's fields, as the plain form posts them and as the autosave sends
 * them (the same names, so one reader serves both). Turning them into story
 * changes is the only place that knows the form's shape.
 */

/** Reads one named value and every value of a repeated name. */
export interface FormValues {
  one(name: string): string | null
  all(name: string): string[]
}

/** Form values from a urlencoded body (a string or an array per name). */
export function formValuesOf(body: unknown): FormValues {
  const record = (body ?? {}) as Record<string, unknown>
  const all = (name: string) => {
    const value = record[name]
    if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
    return typeof value === 'string' ? [value] : []
  }
  return { one: (name) => all(name)[0] ?? null, all }
}

const TEXT_FIELDS = ['title', 'dek', 'slug', 'seoTitle', 'seoDescription', 'dateline'] as const

/** Paragraphs from plain text: the editor without JavaScript. Blank lines separate paragraphs. */
export function paragraphsFrom(text: string): Body {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean)
    .map((p) => ({ type: 'paragraph' as const, content: [{ text: p }] }))
}

/** True when a body is only plain paragraphs, so the plain-text fallback can edit it without losing anything. */
export function isPlainBody(body: Body): boolean {
  return body.every((b) => b.type === 'paragraph' && b.content.every((run) => !run.marks || run.marks.length === 0))
}

/** The text the plain-text fallback shows. */
export function plainTextOf(body: Body): string {
  return body.map((b) => (b.type === 'paragraph' ? b.content.map((r) => r.text).join('') : '')).join('\n\n')
}

/**
 * Story changes from the form. Only fields present in the form change, so a
 * partial post never blanks the rest. Tag names are resolved (and created)
 * by `resolveTags`.
 */
export async function changesFromForm(values: FormValues, resolveTags: (names: string[]) => Promise<string[]>): Promise<StoryChanges> {
  const changes: StoryChanges = {}
  for (const name of TEXT_FIELDS) {
    const value = values.one(name)
    if (value !== null) changes[name] = value
  }
  const bodyText = values.one('bodyText')
  const bodyJson = values.one('body')
  if (bodyText !== null) {
    changes.body = paragraphsFrom(bodyText)
  } else if (bodyJson !== null && bodyJson !== '') {
    try {
      changes.body = JSON.parse(bodyJson) as Body
    } catch {
      throw new DomainError('invalid', 'ARTICLE_INVALID', 'The story text could not be read.', [{ path: 'body', message: 'The story text was not valid JSON.', code: 'invalid_json' }])
    }
  }
  const primary = values.one('primarySectionId')
  if (primary !== null) {
    const others = values.all('sectionIds').filter((id) => id && id !== primary)
    changes.sectionIds = [...(primary ? [primary] : []), ...new Set(others)]
  }
  if (values.one('authorsShown') !== null || values.all('authorIds').length > 0) {
    changes.authorIds = [...new Set(values.all('authorIds').filter(Boolean))]
  }
  const source = values.one('sourceId')
  if (source !== null) changes.sourceId = source || null
  const media = values.one('featuredMediaId')
  if (media !== null) changes.featuredMediaId = media || null
  const tags = values.one('tagNames')
  if (tags !== null) changes.tagIds = await resolveTags(tags.split(',').filter((t) => t.trim() !== ''))
  return changes
}

/** The form's values for a story's fields: what the editor page shows. */
export function formFieldsOf(fields: StoryFields, tagNames: string): Record<string, string> {
  return {
    title: fields.title,
    dek: fields.dek ?? '',
    slug: fields.slug,
    seoTitle: fields.seoTitle ?? '',
    seoDescription: fields.seoDescription ?? '',
    dateline: fields.dateline ?? '',
    tagNames,
    sourceId: fields.sourceId ?? '',
    featuredMediaId: fields.featuredMediaId ?? '',
  }
}
