import { WIRE_HEADLINE_DERIVED } from '../errors.ts'
import { PlainFileName, type WireItem } from '../wire-item.ts'
import type { ItemScope } from './fields.ts'

/**
 * Where a picture item's rendition is: an absolute address (resolved against
 * the base when there is one), or, when the item gives a bare file name and
 * there is no base to resolve it (copy from a drop folder), that file name:
 * the rendition was delivered beside the item. Anything else is dropped with
 * the usual link warning.
 */
export function renditionRef(raw: string | null | undefined, base: string | null, scope: ItemScope, field: string): { href: string } | { file: string } | null {
  const value = raw?.trim() ?? ''
  if (value === '') return null
  if (!base && !/^[a-z][a-z0-9+.-]*:/i.test(value)) {
    const file = PlainFileName.safeParse(value)
    if (file.success) return { file: file.data }
  }
  const href = scope.url(value, base, field)
  return href ? { href } : null
}

/**
 * A headline for a picture item that states none and has no text to make one
 * from: agencies often send a photo with nothing but its rendition and a
 * credit. The desk still needs a line to list it by, so it gets "Picture:"
 * and the file's name (or its credit), with a warning saying so. Returns null
 * for anything that is not a picture item with a picture, which stays empty.
 */
export function pictureHeadline(item: WireItem, scope: ItemScope): string | null {
  if ((item.kind !== 'picture' && item.kind !== 'graphic') || item.pictures.length === 0) return null
  const picture = item.pictures[0]!
  let name: string
  try {
    name = picture.file ?? decodeURIComponent(new URL(picture.href ?? '').pathname.split('/').filter(Boolean).pop() ?? '')
  } catch {
    name = ''
  }
  const label = item.kind === 'graphic' ? 'Graphic' : 'Picture'
  const headline = `${label}: ${(name || picture.credit || item.agencyName || item.agency || 'untitled').slice(0, 900)}`
  scope.warn(WIRE_HEADLINE_DERIVED, `The ${label.toLowerCase()} has no headline, caption or text; it is listed as "${headline.slice(0, 80)}".`)
  return headline
}
