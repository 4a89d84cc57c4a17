/**
 * A URL slug from a title: lower-case ASCII letters, digits and single hyphens.
 * Accents are folded ("Bogotá" → "bogota"); other scripts are dropped.
 * @example slugify('Talks in Bogotá, resumed') // 'talks-in-bogota-resumed'
 */
export function slugify(text: string, maxLength = 80): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  if (slug.length <= maxLength) return slug
  const cut = slug.slice(0, maxLength)
  const lastHyphen = cut.lastIndexOf('-')
  return (lastHyphen > maxLength / 2 ? cut.slice(0, lastHyphen) : cut).replace(/-+$/, '')
}

/** The shape every stored slug must have. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
