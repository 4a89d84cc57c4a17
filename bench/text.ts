/**
 * Deterministic filler text for the benchmark database. The word lists are
 * written for this file (no copied prose): a small news vocabulary combined by
 * a few sentence shapes, so headlines, deks and paragraphs vary in length and
 * wording the way real copy does, which matters for rendering and gzip cost.
 */

/** A small seeded PRNG (mulberry32): the same seed gives the same paper on every run. */
export function createRandom(seed: number) {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[Math.floor(next() * items.length)] as T
  }
  /** `count` distinct items, in random order. */
  const sample = <T>(items: readonly T[], count: number): T[] => {
    const copy = [...items]
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1))
      ;[copy[i], copy[j]] = [copy[j] as T, copy[i] as T]
    }
    return copy.slice(0, Math.min(count, copy.length))
  }
  const chance = (p: number): boolean => next() < p
  return { next, int, pick, sample, chance }
}
export type Random = ReturnType<typeof createRandom>

const PLACES = [
  'Lima', 'Quito', 'Bogotá', 'Medellín', 'Caracas', 'Maracaibo', 'São Paulo', 'Recife', 'Porto Alegre', 'Manaus',
  'Monterrey', 'Guadalajara', 'Oaxaca', 'Toronto', 'Halifax', 'Winnipeg', 'Ottawa', 'Denver', 'Atlanta', 'Sacramento',
  'Detroit', 'Hamburg', 'Leipzig', 'Cologne', 'Lyon', 'Marseille', 'Lille', 'Valencia', 'Seville', 'Bilbao',
  'Zaragoza', 'Montevideo', 'Asunción', 'Santiago', 'Córdoba', 'Brussels', 'Strasbourg',
] as const

const ADJECTIVES = [
  'regional', 'national', 'local', 'federal', 'provincial', 'municipal', 'new', 'revised', 'delayed', 'disputed',
  'long-awaited', 'modest', 'sharp', 'steady', 'temporary', 'permanent', 'public', 'private', 'coastal', 'northern',
  'southern', 'rural', 'urban', 'early', 'late', 'narrow', 'broad', 'costly', 'cautious', 'ambitious',
  'independent', 'joint', 'annual', 'quarterly', 'emergency', 'preliminary', 'final', 'second', 'small', 'large',
] as const

const NOUNS = [
  'council', 'ministry', 'union', 'port', 'budget', 'court', 'parliament', 'senate', 'agency', 'committee',
  'harbour', 'railway', 'bridge', 'highway', 'reservoir', 'pipeline', 'refinery', 'factory', 'mine', 'farm',
  'harvest', 'contract', 'tariff', 'subsidy', 'pension', 'wage', 'rent', 'loan', 'bond', 'currency',
  'election', 'campaign', 'coalition', 'vote', 'referendum', 'inquiry', 'report', 'audit', 'survey', 'census',
  'hospital', 'clinic', 'vaccine', 'school', 'university', 'laboratory', 'forest', 'river', 'coastline', 'drought',
  'storm', 'wildfire', 'heatwave', 'flood', 'strike', 'protest', 'treaty', 'summit', 'delegation', 'embassy',
] as const

const GROUPS = [
  'officials', 'lawmakers', 'regulators', 'economists', 'farmers', 'dockworkers', 'teachers', 'nurses', 'residents',
  'investors', 'exporters', 'diplomats', 'researchers', 'prosecutors', 'mayors', 'engineers', 'analysts', 'voters',
] as const

const PAST_VERBS = [
  'approved', 'rejected', 'delayed', 'announced', 'proposed', 'reviewed', 'questioned', 'defended', 'expanded', 'reduced',
  'suspended', 'renewed', 'blocked', 'signed', 'published', 'challenged', 'welcomed', 'criticised', 'extended', 'funded',
] as const

const PRESENT_VERBS = [
  'approves', 'rejects', 'delays', 'announces', 'proposes', 'reviews', 'questions', 'defends', 'expands', 'cuts',
  'suspends', 'renews', 'blocks', 'signs', 'publishes', 'challenges', 'welcomes', 'weighs', 'extends', 'funds',
] as const

const PREPOSITIONS = ['after', 'before', 'despite', 'amid', 'ahead of', 'following', 'during', 'without'] as const
const DAYS = ['on Monday', 'on Tuesday', 'on Wednesday', 'on Thursday', 'on Friday', 'over the weekend', 'this week', 'last month'] as const
const CONNECTORS = ['but', 'and', 'while', 'although', 'because', 'so that', 'even as'] as const
const FIRST_NAMES = ['Ana', 'Tomás', 'Greta', 'Rafael', 'Élodie', 'Joaquín', 'Miriam', 'Osvaldo', 'Karin', 'Dolores', 'Pieter', 'Renata'] as const
const LAST_NAMES = ['Quintero', 'Halvorsen', 'Mbeki-Souza', 'Lindqvist', 'Arriaga', 'Fontaine', 'Brandt', 'Okafor', 'Salcedo', 'Vermeulen'] as const

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

function nounPhrase(r: Random): string {
  const det = r.pick(['the', 'a', 'the', 'its', 'their'] as const)
  return r.chance(0.6) ? `${det} ${r.pick(ADJECTIVES)} ${r.pick(NOUNS)}` : `${det} ${r.pick(NOUNS)}`
}

function subject(r: Random): string {
  switch (r.int(0, 3)) {
    case 0:
      return `the ${r.pick(ADJECTIVES)} ${r.pick(NOUNS)}`
    case 1:
      return r.pick(GROUPS)
    case 2:
      return `${r.pick(GROUPS)} in ${r.pick(PLACES)}`
    default:
      return `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`
  }
}

function clause(r: Random): string {
  let text = `${subject(r)} ${r.pick(PAST_VERBS)} ${nounPhrase(r)}`
  if (r.chance(0.5)) text += ` ${r.pick(PREPOSITIONS)} ${nounPhrase(r)}`
  if (r.chance(0.3)) text += ` in ${r.pick(PLACES)}`
  if (r.chance(0.4)) text += ` ${r.pick(DAYS)}`
  return text
}

/** One sentence of 8 to roughly 35 words. */
export function sentence(r: Random): string {
  let text = clause(r)
  if (r.chance(0.45)) text += `, ${r.pick(CONNECTORS)} ${clause(r)}`
  if (r.chance(0.15)) text += `, according to ${r.pick(GROUPS)} familiar with the ${r.pick(NOUNS)}`
  return `${capitalise(text)}.`
}

/** A paragraph of 2 to 5 sentences. */
export function paragraphText(r: Random): string {
  const count = r.int(2, 5)
  const parts: string[] = []
  for (let i = 0; i < count; i++) parts.push(sentence(r))
  return parts.join(' ')
}

/** A headline such as "Leipzig council delays reservoir budget amid audit". */
export function headline(r: Random): string {
  let text = `${r.pick(PLACES)} ${r.pick(NOUNS)} ${r.pick(PRESENT_VERBS)} ${r.chance(0.5) ? `${r.pick(ADJECTIVES)} ` : ''}${r.pick(NOUNS)}`
  if (r.chance(0.7)) text += ` ${r.pick(PREPOSITIONS)} ${r.pick(ADJECTIVES)} ${r.pick(NOUNS)}`
  return capitalise(text)
}

/** A quote-able speaker name, for the occasional attributed quote block. */
export function personName(r: Random): string {
  return `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`
}

export { PLACES }
