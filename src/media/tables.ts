/** Tables owned by the media library. Timestamps are ISO 8601 UTC text on every dialect. */

/** The formats an upload may be in, read from its bytes. */
export type SourceFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif'

export interface MediaTable {
  /** Public id, `med_…`. */
  id: string
  /** The name the file had when it came in, for people searching; never used as a path. */
  file_name: string
  /** What the uploaded bytes were. */
  source_format: SourceFormat
  /** Size of the upright picture (after EXIF orientation), in pixels. */
  width: number
  height: number
  /** Bytes of the file as it came in (it is not kept: only the variants are). */
  byte_length: number
  alt: string
  caption: string
  credit: string
  /** JSON list of `Variant`. */
  variants: string
  /** Lower-cased file name, alt text, caption and credit, for search. */
  search_text: string
  /** `upload` or `wire`. */
  origin: 'upload' | 'wire'
  /** The wire item a picture was taken from, and the rendition address it was fetched from. */
  wire_item_id: string | null
  wire_href: string | null
  created_at: string
  created_by: string | null
  modified_at: string
}

export interface MediaTables {
  media: MediaTable
}
