import type { WireItem } from './wire-item.ts'

/** A routing rule as the desk manages it: every criterion given must match. */
export interface RoutingRule {
  id: string
  name: string
  priority: number
  /** Agency key, compared without case ("acp"). */
  agency: string | null
  /** A subject code, bare (`11000000`) or with its scheme (`medtop:11000000`). */
  subjectCode: string | null
  /** A keyword, matched without case against the item's keywords and as a whole word in its headline. */
  keyword: string | null
  /** A language; `en` matches `en-GB`. */
  language: string | null
  sectionIds: string[]
  tagIds: string[]
  enabled: boolean
}

/** Where routing sends an item, and which rules said so. */
export interface Routing {
  sectionIds: string[]
  tagIds: string[]
  ruleIds: string[]
}

function wordIn(text: string, word: string): boolean {
  const escaped = word.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'u').test(text.toLowerCase())
}

/** True when every criterion the rule states matches the item. A rule that states none matches nothing. */
export function ruleMatches(rule: RoutingRule, item: WireItem, agencyKey: string): boolean {
  if (!rule.enabled) return false
  if (!rule.agency && !rule.subjectCode && !rule.keyword && !rule.language) return false
  if (rule.agency && rule.agency.toLowerCase() !== agencyKey.toLowerCase()) return false
  if (rule.language) {
    const lang = item.language?.toLowerCase() ?? ''
    const want = rule.language.toLowerCase()
    if (lang !== want && !lang.startsWith(`${want}-`)) return false
  }
  if (rule.subjectCode) {
    const want = rule.subjectCode.toLowerCase()
    const hit = item.subjects.some((s) => s.code.toLowerCase() === want || `${s.scheme ?? ''}:${s.code}`.toLowerCase() === want)
    if (!hit) return false
  }
  if (rule.keyword) {
    const want = rule.keyword.toLowerCase()
    const hit = item.keywords.some((k) => k.toLowerCase() === want) || wordIn(item.headline, want)
    if (!hit) return false
  }
  return true
}

/**
 * Applies every matching rule, in priority order (lower first), collecting
 * sections and tags without repeats. The first section becomes the draft's
 * primary section.
 */
export function routeItem(item: WireItem, agencyKey: string, rules: readonly RoutingRule[]): Routing {
  const routing: Routing = { sectionIds: [], tagIds: [], ruleIds: [] }
  const ordered = [...rules].sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name))
  for (const rule of ordered) {
    if (!ruleMatches(rule, item, agencyKey)) continue
    routing.ruleIds.push(rule.id)
    for (const id of rule.sectionIds) if (!routing.sectionIds.includes(id)) routing.sectionIds.push(id)
    for (const id of rule.tagIds) if (!routing.tagIds.includes(id)) routing.tagIds.push(id)
  }
  return routing
}
