/** Stable error codes of the quotes ledger (catalogued in docs/errors-discovery.md). */
export const QuoteErrors = {
  QUOTE_SPEAKER_NOT_FOUND: 'QUOTE_SPEAKER_NOT_FOUND',
  QUOTE_MERGE_INVALID: 'QUOTE_MERGE_INVALID',
} as const
