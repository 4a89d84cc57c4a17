import type { SectionKind } from './tables.ts'

/** A section of the paper: a region, a country, a topic or the opinion pages. Sections form a tree. */
export interface Section {
  id: string
  slug: string
  name: string
  description: string
  kind: SectionKind
  parentId: string | null
  position: number
}

/** A tag: a free label across sections ("elections", "climate"). */
export interface Tag {
  id: string
  slug: string
  name: string
}

/** The ids of a section and every section below it, in tree order. */
export function descendantIds(sections: readonly Section[], rootId: string): string[] {
  const children = new Map<string, Section[]>()
  for (const section of sections) {
    if (section.parentId === null) continue
    const list = children.get(section.parentId) ?? []
    list.push(section)
    children.set(section.parentId, list)
  }
  const out: string[] = []
  const visit = (id: string, depth: number): void => {
    // A corrupt parent link could form a loop; a paper's tree is never this deep.
    if (depth > 32 || out.includes(id)) return
    out.push(id)
    for (const child of children.get(id) ?? []) visit(child.id, depth + 1)
  }
  visit(rootId, 0)
  return out
}

/** The chain from the top-level section down to `id`, for breadcrumbs. */
export function ancestry(sections: readonly Section[], id: string): Section[] {
  const byId = new Map(sections.map((s) => [s.id, s]))
  const chain: Section[] = []
  let current = byId.get(id)
  while (current && chain.length < 32) {
    chain.unshift(current)
    current = current.parentId ? byId.get(current.parentId) : undefined
  }
  return chain
}
