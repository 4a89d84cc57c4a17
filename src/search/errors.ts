/** Stable error codes of search (catalogued in docs/errors-discovery.md). */
export const SearchErrors = {
  SEARCH_QUERY_TOO_LONG: 'SEARCH_QUERY_TOO_LONG',
  SEARCH_FILTER_UNKNOWN: 'SEARCH_FILTER_UNKNOWN',
  SEARCH_INVALID: 'SEARCH_INVALID',
} as const
