import { WIRE_HEADLINE_DERIVED } from '../errors.ts'
import type { WireItem } from '../wire-item.ts'
import type { ItemScope } from './fields.ts'

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
    name = decodeURIComponent(new URL(picture.href).pathname.split('/').filter(Boolean).pop() ?? '')
  } catch {
    name = ''
  }
  const label = item.kind === 'graphic' ? 'Graphic' : 'Picture'
  const headline = `${label}: ${(name || picture.credit || item.agencyName || item.agency || 'untitled').slice(0, 900)}`
  scope.warn(WIRE_HEADLINE_DERIVED, `The ${label.toLowerCase()} has no headline, caption or text; it is listed as "${headline.slice(0, 80)}".`)
  return headline
}
