import { z } from 'zod'

/** Text that goes with a picture: trimmed, and empty when left out. */
const Text = (max: number, what: string) => z.string().trim().max(max, `${what} may be at most ${max} characters.`).default('')

/** The words stored with a picture and copied into a story when it is placed there. */
export const PictureText = z.object({
  alt: Text(500, 'Alt text'),
  caption: Text(2000, 'The caption'),
  credit: Text(300, 'The credit'),
})
export type PictureText = z.input<typeof PictureText>

/** A new picture: its bytes, what it was called, and its words. */
export const UploadPicture = PictureText.extend({
  fileName: z.string().trim().min(1, 'The file has no name.').max(255, 'The file name may be at most 255 characters.'),
  /** What the browser or the agency said the type was; checked against the bytes, never trusted. */
  declaredType: z.string().max(200).nullable().default(null),
})
export type UploadPicture = z.input<typeof UploadPicture>

/** Library search: words in the file name, alt text, caption or credit. */
export const MediaQuery = z.object({ q: z.string().trim().max(200, 'Search for at most 200 characters.').default('') })
