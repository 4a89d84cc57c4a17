/** Error codes of the importers; each is listed in docs/errors.md. */
export const ImportErrors = {
  /** The export file cannot be read at all: not the format, truncated, wrong encoding, refused XML. */
  IMPORT_UNREADABLE: 'IMPORT_UNREADABLE',
  /** The file or folder named on the command line does not exist. */
  IMPORT_NOT_FOUND: 'IMPORT_NOT_FOUND',
  /** One item could not be read or written; the others went on. */
  IMPORT_ITEM_FAILED: 'IMPORT_ITEM_FAILED',
  /** A page: Masthead has stories only, so pages are counted and left out. */
  IMPORT_PAGE_SKIPPED: 'IMPORT_PAGE_SKIPPED',
  /** Comments are not kept; they are counted. */
  IMPORT_COMMENTS_SKIPPED: 'IMPORT_COMMENTS_SKIPPED',
  /** An item of a kind that is not imported (menu items, revisions, custom types). */
  IMPORT_KIND_SKIPPED: 'IMPORT_KIND_SKIPPED',
  /** A field longer than the importer accepts. */
  IMPORT_FIELD_TOO_LARGE: 'IMPORT_FIELD_TOO_LARGE',
  /** Note: a picture the post uses is not in the --media folder. */
  IMPORT_PICTURE_NOT_FOUND: 'IMPORT_PICTURE_NOT_FOUND',
  /** Note: the media library refused a picture. */
  IMPORT_PICTURE_REFUSED: 'IMPORT_PICTURE_REFUSED',
  /** Note: a picture of the body could not be placed (inside running text, or no size known). */
  IMPORT_PICTURE_LEFT_OUT: 'IMPORT_PICTURE_LEFT_OUT',
  /** Note: the converter dropped a link or a picture address it could not read. */
  IMPORT_MARKUP_DROPPED: 'IMPORT_MARKUP_DROPPED',
  /** Note: published on the old site, kept as a draft here. */
  IMPORT_KEPT_AS_DRAFT: 'IMPORT_KEPT_AS_DRAFT',
} as const
