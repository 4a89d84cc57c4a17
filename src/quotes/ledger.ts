import { inlineText, type Article } from '../articles/index.ts'
import { slugify } from '../shared/slug.ts'

/**
 * The ledger's key for a speaker's name: the name folded to a slug, so
 * "Elena Ruiz Tavares" and "ELENA RUIZ TAVARES" are one speaker without an
 * editor's help. Spellings that differ in more than case and accents
 * ("E. Ruiz Tavares") are merged by editors.
 * @example speakerKey('Elena Ruiz Távares') // 'elena-ruiz-tavares'
 */
export function speakerKey(name: string): string {
  return slugify(name, 120) || 'unnamed'
}

/** A quote as the ledger keeps it. */
export interface LedgerQuote {
  position: number
  speakerKey: string
  speakerName: string
  text: string
  role: string | null
  givenTo: string | null
  context: string | null
  via: string | null
  saidOn: string | null
}

/** The quote blocks of a story's body, in order. Pull quotes repeat the body and are left out. */
export function quotesOf(article: Pick<Article, 'body'>): LedgerQuote[] {
  const out: LedgerQuote[] = []
  article.body.forEach((block, position) => {
    if (block.type !== 'quote') return
    const a = block.attribution
    out.push({
      position,
      speakerKey: speakerKey(a.speaker),
      speakerName: a.speaker.trim(),
      text: inlineText(block.content),
      role: a.role ?? null,
      givenTo: a.givenTo ?? null,
      context: a.context ?? null,
      via: a.via ?? null,
      saidOn: a.date ?? null,
    })
  })
  return out
}
