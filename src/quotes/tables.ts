/** Tables owned by the quotes ledger. */

/** One quote block of a published story, as readers see it. Rewritten with every public change of the story. */
export interface QuoteEntriesTable {
  /** `<article id>:<block position>`: stable while the story keeps its blocks. */
  id: string
  article_id: string
  /** Position of the block in the body. */
  position: number
  /** The speaker's name folded to a slug: the ledger's key before merges. */
  speaker_key: string
  /** The name as the story spells it. */
  speaker_name: string
  text: string
  role: string | null
  given_to: string | null
  context: string | null
  via: string | null
  /** YYYY-MM-DD when the story says when it was said. */
  said_on: string | null
  /** The story's first publication (ISO), for newest-first order. */
  published_at: string
}

/** An editor's decision that two spellings name one speaker: `alias_key` now shows under `speaker_key`. */
export interface QuoteSpeakerAliasesTable {
  alias_key: string
  speaker_key: string
  merged_by: string | null
  merged_at: string
}

export interface QuotesTables {
  quote_entries: QuoteEntriesTable
  quote_speaker_aliases: QuoteSpeakerAliasesTable
}
