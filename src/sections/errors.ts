/** Stable error codes of the sections feature (catalogued in docs/errors.md). */
export const SectionErrors = {
  SECTION_NOT_FOUND: 'SECTION_NOT_FOUND',
  SECTION_INVALID: 'SECTION_INVALID',
  SECTION_SLUG_TAKEN: 'SECTION_SLUG_TAKEN',
  TAG_NOT_FOUND: 'TAG_NOT_FOUND',
  TAG_INVALID: 'TAG_INVALID',
  TAG_SLUG_TAKEN: 'TAG_SLUG_TAKEN',
} as const
