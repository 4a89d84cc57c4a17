import { z } from 'zod'
import { countWords } from './submission.ts'

/**
 * Reader text is kept as typed, except NUL characters (PostgreSQL cannot store
 * them and no one types them) and Windows line ends, which become plain ones.
 */
const ReaderText = (max: number) =>
  z
    .string()
    // eslint-disable-next-line no-control-regex
    .transform((v) => v.replace(/\u0000/g, '').replace(/\r\n?/g, '\n'))
    .pipe(z.string().max(max, `Use at most ${max.toLocaleString('en')} characters.`))

const Name = z.string().trim().min(1, 'Give your name.').max(120, 'Use at most 120 characters.')
const Email = z.string().trim().max(254, 'Use at most 254 characters.').email('Give an email address such as name@example.org.')
const OptionalEmail = z
  .string()
  .trim()
  .max(254, 'Use at most 254 characters.')
  .transform((v) => (v === '' ? null : v))
  .pipe(z.string().email('Give an email address such as name@example.org, or leave it empty.').nullable())
const Optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Use at most ${max} characters.`)
    .transform((v) => (v === '' ? null : v))

function wordLimited(limit: number, missing: string) {
  return ReaderText(100_000).refine((v) => v.trim().length > 0, missing).refine((v) => countWords(v) <= limit, {
    message: `Keep it to ${limit} words or fewer.`,
  })
}

/** A letter to the editor; the word limit comes from the site settings. */
export function letterSchema(wordLimit: number) {
  return z.object({
    name: Name,
    town: z.string().trim().min(1, 'Give the town you live in; we print it with your name.').max(120, 'Use at most 120 characters.'),
    email: Email,
    about: z.string().trim().max(200).default(''),
    text: wordLimited(wordLimit, 'Write your letter.'),
  })
}
export type LetterInput = z.input<ReturnType<typeof letterSchema>>

/** An opinion piece with a short biography of its writer. */
export function opinionSchema(wordLimit: number) {
  return z.object({
    name: Name,
    email: Email,
    bio: z.string().trim().min(1, 'Say in a sentence or two who you are.').max(600, 'Keep it to 600 characters.'),
    headline: z.string().trim().min(1, 'Give your piece a headline.').max(200, 'Use at most 200 characters.'),
    text: wordLimited(wordLimit, 'Write your piece.'),
  })
}
export type OpinionInput = z.input<ReturnType<typeof opinionSchema>>

/** A news tip: only the text is needed; anonymous tips are welcome. */
export const TipSchema = z.object({
  text: ReaderText(20_000).refine((v) => v.trim().length > 0, 'Tell us what you know.'),
  name: Optional(120),
  email: OptionalEmail,
  contact: Optional(300),
})
export type TipInput = z.input<typeof TipSchema>

/** Moving a submission on the desk; declining needs a reason. */
export const MoveSubmission = z
  .object({
    to: z.enum(['in_review', 'accepted', 'declined'], { message: 'Choose what to do.' }),
    reason: z.string().trim().max(1000, 'Use at most 1,000 characters.').default(''),
  })
  .refine((v) => v.to !== 'declined' || v.reason.length > 0, { path: ['reason'], message: 'Say why it is declined; the desk keeps the reason.' })
export type MoveSubmission = z.input<typeof MoveSubmission>

export const AddNote = z.object({ body: z.string().trim().min(1, 'Write the note.').max(10_000, 'Use at most 10,000 characters.') })

export const Reply = z.object({
  subject: z.string().trim().min(1, 'Give a subject.').max(200, 'Use at most 200 characters.'),
  body: z.string().trim().min(1, 'Write the reply.').max(20_000, 'Use at most 20,000 characters.'),
})
export type Reply = z.input<typeof Reply>

/** The follow-up page's look-up: a tip's reference and its passphrase, both as typed. */
export const FollowUpLookup = z.object({
  reference: z.string().trim().min(1, 'Give the reference of your tip, such as T-7K3M9Q2D.').max(40, 'A reference is shorter than that.'),
  passphrase: z.string().min(1, 'Give the eight-word passphrase you were shown.').max(500, 'A passphrase is shorter than that.').refine((v) => v.trim().length > 0, 'Give the eight-word passphrase you were shown.'),
})

/** More information from a tipster on the follow-up page. */
export const FollowUpAddition = z.object({
  text: ReaderText(20_000).refine((v) => v.trim().length > 0, 'Write what you would like to add.'),
})

/** The desk's reply on a tip's follow-up page. */
export const FollowUpReply = z.object({ body: z.string().trim().min(1, 'Write the reply.').max(20_000, 'Use at most 20,000 characters.') })
