import { z } from 'zod'
import { WEBHOOK_EVENTS } from './webhook.ts'

const KNOWN = new Set<string>(WEBHOOK_EVENTS)

/** An endpoint's address: an absolute http(s) URL without credentials in it. */
const EndpointUrl = z
  .string()
  .trim()
  .min(1, 'Enter the address to send events to.')
  .max(2000, 'The address is too long (2,000 characters at most).')
  .refine((v) => URL.canParse(v), 'Enter a full address such as https://hooks.example.org/masthead.')
  .refine((v) => !URL.canParse(v) || ['http:', 'https:'].includes(new URL(v).protocol), 'The address must start with http:// or https://.')
  .refine((v) => !URL.canParse(v) || (new URL(v).username === '' && new URL(v).password === ''), 'Leave user names and passwords out of the address; the signature proves who is calling.')

/** The fields of an endpoint the admin sets. */
export const EndpointFields = z.object({
  url: EndpointUrl,
  description: z.string().trim().max(200, 'Keep the description under 200 characters.').default(''),
  events: z
    .array(z.string())
    .min(1, 'Choose at least one event to send.')
    .superRefine((events, ctx) => {
      const unknown = events.find((e) => !KNOWN.has(e))
      if (unknown !== undefined) ctx.addIssue({ code: 'custom', message: `There is no event called “${unknown.slice(0, 60)}”. Choose from the list.` })
    })
    .transform((events) => WEBHOOK_EVENTS.filter((e) => events.includes(e))),
  enabled: z.boolean().default(true),
})
export type EndpointFields = z.input<typeof EndpointFields>
