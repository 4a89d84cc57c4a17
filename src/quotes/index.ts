export { createQuoteService, syncQuotes, backfillQuotes, MergeSpeakers, type QuoteService, type Speaker, type QuoteEntry, type SpeakerLookup } from './service.ts'
export { speakerKey, quotesOf, type LedgerQuote } from './ledger.ts'
export { QuoteErrors } from './errors.ts'
export type { QuotesTables } from './tables.ts'
