/**
 * Stable codes for everything the wire desk reports about agency copy. Each is
 * catalogued in docs/errors-wire.md; a test fails when one is missing there.
 * Codes are data in a parse report, never thrown: one bad item must not stop
 * the rest of a batch.
 */

/** The bytes are not any wire format we read (ninjs, NewsML-G2, RSS, RSS 1.0/RDF, Atom). */
export const WIRE_FORMAT_UNKNOWN = 'WIRE_FORMAT_UNKNOWN'
/** The input is empty or holds only whitespace. */
export const WIRE_EMPTY = 'WIRE_EMPTY'
/** The input is larger than the parser accepts (20 MB by default). */
export const WIRE_TOO_LARGE = 'WIRE_TOO_LARGE'
/** The input is not well-formed JSON or XML at the given place. */
export const WIRE_MALFORMED = 'WIRE_MALFORMED'
/** The XML declares entities (internal or external, e.g. XXE or "billion laughs"); we refuse the whole document. */
export const WIRE_ENTITY_REFUSED = 'WIRE_ENTITY_REFUSED'
/** The document nests deeper or holds more than the parser allows. */
export const WIRE_LIMIT_EXCEEDED = 'WIRE_LIMIT_EXCEEDED'
/** The declared character encoding is not one we can decode. */
export const WIRE_ENCODING_UNSUPPORTED = 'WIRE_ENCODING_UNSUPPORTED'
/** Warning: the bytes did not fit the declared encoding, so they were read in a fallback encoding. */
export const WIRE_ENCODING_GUESSED = 'WIRE_ENCODING_GUESSED'
/** One item breaks the format's rules or our WireItem schema; the rest of the batch goes on. */
export const WIRE_ITEM_INVALID = 'WIRE_ITEM_INVALID'
/** One item lacks its identifier (ninjs uri, NewsML-G2 guid) and cannot be versioned. */
export const WIRE_ITEM_NO_ID = 'WIRE_ITEM_NO_ID'
/** One item has neither a headline nor any text to show. */
export const WIRE_ITEM_EMPTY = 'WIRE_ITEM_EMPTY'
/** Warning: a date could not be read and was left empty. */
export const WIRE_DATE_INVALID = 'WIRE_DATE_INVALID'
/** Warning: a date had no time zone and was taken as UTC. */
export const WIRE_DATE_ASSUMED_UTC = 'WIRE_DATE_ASSUMED_UTC'
/** Warning: a field held a value out of its range or of the wrong kind and was dropped. */
export const WIRE_FIELD_IGNORED = 'WIRE_FIELD_IGNORED'
/** Warning: a relative link could not be resolved (no base URL) or used a refused scheme, so it was dropped. */
export const WIRE_LINK_DROPPED = 'WIRE_LINK_DROPPED'
/** Warning: the item had no headline, so one was made from its text. */
export const WIRE_HEADLINE_DERIVED = 'WIRE_HEADLINE_DERIVED'
/** Warning: the XML document was not well-formed, so its items were read one by one. */
export const WIRE_DOCUMENT_RECOVERED = 'WIRE_DOCUMENT_RECOVERED'
/** Warning: the declared content type disagrees with what the bytes are. */
export const WIRE_CONTENT_TYPE_MISMATCH = 'WIRE_CONTENT_TYPE_MISMATCH'

/** Reading the input took longer than the parser allows (30 s by default); it was refused whole. */
export const WIRE_PARSE_TIMEOUT = 'WIRE_PARSE_TIMEOUT'
/** Reading the input needed more memory than the parser allows (512 MB by default); it was refused whole. */
export const WIRE_PARSE_OUT_OF_MEMORY = 'WIRE_PARSE_OUT_OF_MEMORY'

/** The parser itself failed on this input: a bug in Masthead, reported instead of thrown. */
export const WIRE_INTERNAL = 'WIRE_INTERNAL'

/** Every wire code, for the catalogue test and for exhaustive handling. */
export const WIRE_CODES = [
  WIRE_FORMAT_UNKNOWN,
  WIRE_EMPTY,
  WIRE_TOO_LARGE,
  WIRE_MALFORMED,
  WIRE_ENTITY_REFUSED,
  WIRE_LIMIT_EXCEEDED,
  WIRE_ENCODING_UNSUPPORTED,
  WIRE_ENCODING_GUESSED,
  WIRE_ITEM_INVALID,
  WIRE_ITEM_NO_ID,
  WIRE_ITEM_EMPTY,
  WIRE_DATE_INVALID,
  WIRE_DATE_ASSUMED_UTC,
  WIRE_FIELD_IGNORED,
  WIRE_LINK_DROPPED,
  WIRE_HEADLINE_DERIVED,
  WIRE_DOCUMENT_RECOVERED,
  WIRE_CONTENT_TYPE_MISMATCH,
  WIRE_PARSE_TIMEOUT,
  WIRE_PARSE_OUT_OF_MEMORY,
  WIRE_INTERNAL,
] as const

/** One of the wire codes above. */
export type WireCode = (typeof WIRE_CODES)[number]
