import { createHash } from 'node:crypto'
import formbody from '@fastify/formbody'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { receiveUpload, uploadScope, type ReceivedUpload } from '../http/index.ts'
import { DomainError } from '../shared/errors.ts'
import type { RateLimiter } from '../rate-limits/index.ts'
import type { FormGuard, OpenedBrowserTip, ProofCheck, ProofOfWork, Receipt, SubmissionService, TokenCheck } from '../submissions/index.ts'
import type { ReaderScripts } from './reader-scripts.ts'
import type { SitePages } from './pages.tsx'
import type { ReaderFormKind, ReaderFormState } from './views/contact-pages.tsx'

export interface ReaderRoutesOptions {
  pages: SitePages
  submissions: SubmissionService
  forms: { guard(): Promise<FormGuard>; proof(): Promise<ProofOfWork>; limiter: RateLimiter }
  /**
   * Sends allowed per address in ten minutes, and from everyone in an hour;
   * sends without a proof of work (no JavaScript) also count against the
   * lower `perAddressWithoutProof` (a third of `perAddress` when not given).
   */
  limits: { perAddress: number; perHour: number; perAddressWithoutProof?: number }
  /** The forms' scripts (proof of work, tips sealed in the browser); null when they could not be built: the forms work without them. */
  scripts: () => Promise<ReaderScripts | null>
  originOf: (request: FastifyRequest) => string
  /** Where uploads wait while they are read; emptied after each request. */
  tmpDir: string
  /** Look-ups of one tip's follow-up page allowed in an hour, right or wrong; 10 by default. */
  followUpPerReference?: number
}

/** How long the follow-up page's "tell us more" form works after the passphrase was given. */
const FOLLOW_UP_ACCESS_MINUTES = 30
const SUBMISSION_ID = /^sub_[0-9a-z]{19}$/

const KINDS: readonly ReaderFormKind[] = ['letter', 'opinion', 'tip']
/** Fields each form takes; anything else in a body is ignored. */
const FIELDS: Record<ReaderFormKind, readonly string[]> = {
  letter: ['name', 'town', 'email', 'about', 'text', 'website'],
  opinion: ['name', 'email', 'bio', 'headline', 'text', 'website'],
  tip: ['text', 'name', 'email', 'contact', 'website'],
}

const PROOF_MESSAGES: Record<Exclude<ProofCheck, 'ok' | 'none'>, { message: string; status: number }> = {
  invalid: { message: 'The check your browser worked out for this form did not come from this site. Nothing was sent; everything you wrote is still here. Send it again.', status: 400 },
  stale: { message: 'The check your browser worked out for this form is too old. Nothing was sent; everything you wrote is still here. Send it again.', status: 422 },
  replayed: { message: 'This form was already sent once with this check. Nothing more was sent; everything you wrote is still here. Send it again if you meant to send it twice.', status: 409 },
}

const MESSAGES = {
  invalid: 'The form did not come from this site or was damaged on the way. Nothing was sent; check your text and send it again.',
  too_fast: 'That was quicker than a person can fill in the form. Nothing was sent; check your text and send it again.',
  expired: 'This form was open for more than a day. Nothing was sent; everything you wrote is still here. Check it and send it again.',
  trap: 'Nothing was sent: the hidden field “Leave this empty” was filled in, which only automatic form fillers do. Empty it and send again.',
  addressWithoutProof:
    'You have sent several forms in the last few minutes from a browser that did not work out the form’s check (it needs JavaScript). Nothing more was sent; wait ten minutes, or turn JavaScript on and send again. Your text is still here.',
  address: 'You have sent several forms in the last few minutes. Nothing more was sent; wait ten minutes and try again. Your text is still here.',
  everyone: 'We are receiving very many messages right now. Nothing was sent; please try again in an hour. Your text is still here.',
  notSaved: (what: string) =>
    `Your ${what} was not saved: something on our side failed just now. Nothing was stored; everything you wrote is still here${what === 'letter' ? '' : ' (files must be chosen again)'}. Please send it again in a minute.`,
} as const

const WHAT: Record<ReaderFormKind, string> = { letter: 'letter', opinion: 'opinion piece', tip: 'tip' }

/**
 * A storage failure as it may be logged: for a tip only the error's type and
 * code (a driver's message can quote what it was given), for the others the error.
 */
function loggableFailure(kind: ReaderFormKind, error: unknown): unknown {
  if (kind !== 'tip') return error
  const e = (error ?? {}) as { name?: unknown; code?: unknown }
  return { type: typeof e.name === 'string' ? e.name : 'unknown', code: typeof e.code === 'string' || typeof e.code === 'number' ? e.code : undefined }
}

/** What a rate limit keys on: a hash of the address, so not even memory or Redis holds it as such. */
function addressKey(request: FastifyRequest): string {
  return createHash('sha256').update(`masthead reader forms\n${request.ip}`).digest('base64url').slice(0, 22)
}

function pick(kind: ReaderFormKind, source: (name: string) => string): Record<string, string> {
  return Object.fromEntries(FIELDS[kind].map((name) => [name, source(name).slice(0, 200_000)]))
}

/** Field messages from a domain error: the first segment of each issue's path, or a form-level message. */
function fieldErrors(error: DomainError): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const issue of error.issues) errors[issue.path.split(/[.[]/)[0] || '_form'] ??= issue.message
  if (Object.keys(errors).length === 0) errors._form = error.message
  return errors
}

/**
 * The public reader forms: /contact with all three, and each at its own
 * address. They work without JavaScript. A send is checked in this order:
 * the signed form token (forged, too fast, too old), the honeypot, the rate
 * limits, then the fields; every refusal shows the form again with what the
 * reader wrote. Nothing about the sender's connection is stored.
 */
export async function readerRoutes(app: FastifyInstance, options: ReaderRoutesOptions): Promise<void> {
  const { pages, submissions, forms } = options

  /** The attachment limits as a reader reads them: per file, and where several files are taken, how many and how much at once. */
  function fileLimits(isSeveral: boolean): string {
    const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`
    const { maxFileBytes, maxFiles, maxTotalBytes } = submissions.limits
    return isSeveral ? `at most ${mb(maxFileBytes)} each, ${maxFiles} files and ${mb(maxTotalBytes)} at once` : `at most ${mb(maxFileBytes)}`
  }
  await app.register(formbody, { bodyLimit: 512 * 1024 })

  async function stateFor(kind: ReaderFormKind, origin: string, values: Record<string, string> = {}, errors: Record<string, string> = {}): Promise<ReaderFormState> {
    const [guard, proof, settings, scripts] = await Promise.all([forms.guard(), forms.proof(), pages.formSettings(origin), options.scripts()])
    const recipient = kind === 'tip' && scripts ? await submissions.recipient().catch(() => null) : null
    const about = kind === 'letter' && values.about ? await submissions.storyFor(values.about) : null
    return {
      values,
      errors,
      token: guard.issue(kind),
      proof: proof.issue(kind),
      script: scripts ? (kind === 'tip' ? scripts.tip.path : scripts.forms.path) : null,
      recipient,
      about: about && values.about ? { slug: values.about, title: about.title } : null,
      letterWordLimit: settings.letterWordLimit,
      opinionWordLimit: settings.opinionWordLimit,
      maxFileMb: Math.round(submissions.limits.maxFileBytes / 1024 / 1024),
      maxFiles: submissions.limits.maxFiles,
    }
  }

  const html = (reply: FastifyReply, body: string, status = 200) =>
    // Forms carry a fresh token and may hold what the reader typed: never cached, never indexed twice.
    reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body)

  async function showForm(request: FastifyRequest, reply: FastifyReply, kind: ReaderFormKind, values: Record<string, string>, errors: Record<string, string>, status: number) {
    const origin = options.originOf(request)
    return html(reply, await pages.readerForm(origin, kind, await stateFor(kind, origin, values, errors)), status)
  }

  // The forms' scripts, under their content hash: kept a year by browsers.
  app.get('/assets/:file', async (request, reply) => {
    const file = `/assets/${(request.params as { file: string }).file}`
    const scripts = await options.scripts()
    const script = scripts && [scripts.forms, scripts.tip].find((s) => s.path === file)
    if (!script) return reply.callNotFound()
    return reply.header('cache-control', 'public, max-age=31536000, immutable').type('text/javascript; charset=utf-8').send(script.js)
  })

  app.get('/contact', async (request, reply) => {
    const origin = options.originOf(request)
    const [letter, opinion, tip] = await Promise.all(KINDS.map((kind) => stateFor(kind, origin)))
    return html(reply, await pages.contact(origin, { letter: letter!, opinion: opinion!, tip: tip! }))
  })

  for (const kind of KINDS) {
    app.get(`/contact/${kind}`, async (request, reply) => {
      const about = kind === 'letter' ? String((request.query as Record<string, unknown>).about ?? '').slice(0, 200) : ''
      return showForm(request, reply, kind, about ? { about } : {}, {}, 200)
    })
  }

  /** The spam checks and the send itself, shared by the urlencoded and multipart forms. */
  async function handle(
    request: FastifyRequest,
    reply: FastifyReply,
    kind: ReaderFormKind,
    values: Record<string, string>,
    tokenCheck: string,
    proofOf: { challenge: unknown; answer: unknown },
    send: () => Promise<Receipt>,
    sealedIn: 'browser' | 'server' = 'server',
  ) {
    if (tokenCheck !== 'ok') {
      const message = tokenCheck === 'too_fast' ? MESSAGES.too_fast : tokenCheck === 'expired' ? MESSAGES.expired : MESSAGES.invalid
      return showForm(request, reply, kind, values, { _form: message }, tokenCheck === 'invalid' ? 400 : 422)
    }
    if (values.website) return showForm(request, reply, kind, values, { _form: MESSAGES.trap }, 422)
    // A wrong, stale or spent proof is refused; no proof at all is allowed, under a lower limit per address.
    const proof = await (await forms.proof()).check(kind, proofOf.challenge, proofOf.answer)
    if (proof !== 'ok' && proof !== 'none') {
      request.log.info({ code: 'SUBMISSION_PROOF_REFUSED', proof }, 'a reader form came with a proof of work that was refused')
      return showForm(request, reply, kind, values, { _form: PROOF_MESSAGES[proof].message }, PROOF_MESSAGES[proof].status)
    }
    const address = addressKey(request)
    // The windows this send was counted in, given back if it fails on our side (below).
    const counted: string[] = []
    const hit = async (key: string, limit: number, windowMs: number) => {
      counted.push(key)
      return forms.limiter.hit(key, limit, windowMs)
    }
    if (proof === 'none') {
      const limit = options.limits.perAddressWithoutProof ?? Math.max(1, Math.floor(options.limits.perAddress / 3))
      if (!(await hit(`reader-noproof:${address}`, limit, 10 * 60_000))) return showForm(request, reply, kind, values, { _form: MESSAGES.addressWithoutProof }, 429)
    }
    const isAddressOk = await hit(`reader:${address}`, options.limits.perAddress, 10 * 60_000)
    if (!isAddressOk) return showForm(request, reply, kind, values, { _form: MESSAGES.address }, 429)
    const isEveryoneOk = await hit('reader:all', options.limits.perHour, 3600_000)
    if (!isEveryoneOk) return showForm(request, reply, kind, values, { _form: MESSAGES.everyone }, 429)
    let receipt: Receipt
    try {
      receipt = await send()
    } catch (error) {
      if (error instanceof DomainError && (error.kind === 'invalid' || error.kind === 'too_large')) return showForm(request, reply, kind, values, fieldErrors(error), error.kind === 'too_large' ? 413 : 422)
      // Any other domain refusal is a fault of ours with its own page; anything else (the database or disk failing,
      // the tip key unreadable) loses nothing: the send stored all or nothing, and the form comes back filled in.
      if (error instanceof DomainError && error.kind !== 'unavailable') throw error
      request.log.error({ code: 'SUBMISSION_NOT_SAVED', kind, err: loggableFailure(kind, error) }, 'a reader form could not be saved; it was shown again with what the reader wrote')
      // Our failure, not the reader's doing: sending it again must not run into their limit.
      await Promise.all(counted.map((key) => forms.limiter.giveBack(key)))
      return showForm(request, reply, kind, values, { _form: MESSAGES.notSaved(WHAT[kind]) }, 503)
    }
    const origin = options.originOf(request)
    return html(reply, await pages.receipt(origin, { kind, reference: receipt.reference, isMailed: receipt.isMailed, isMailWithheld: receipt.isMailWithheld, hasEmail: Boolean(values.email?.trim()), passphrase: receipt.passphrase, sealedIn: kind === 'tip' ? sealedIn : null }))
  }

  app.post('/contact/letter', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '')
    const values = pick('letter', text)
    const check = (await forms.guard()).check('letter', body._form)
    return handle(request, reply, 'letter', values, check, { challenge: body._proof, answer: body._proof_answer }, () => submissions.submitLetter(values))
  })

  /*
   * A tip's follow-up page. The tipster gives the reference and passphrase
   * from the confirmation page and gets the page in the answer to that POST:
   * there is no session and no cookie. The "tell us more" form on it carries
   * an access token instead (the tip's id, signed with the forms' key, valid
   * for FOLLOW_UP_ACCESS_MINUTES), so the page stays open only while the
   * tipster uses it, and a copy of the page left in a browser stops working.
   */
  const accessKind = (id: string) => `tip follow-up ${id}`
  async function issueAccess(id: string): Promise<string> {
    return `${id}.${(await forms.guard()).issue(accessKind(id))}`
  }
  function checkAccess(guard: FormGuard, token: string): { id: string; check: TokenCheck } {
    const dot = token.indexOf('.')
    const id = dot > 0 ? token.slice(0, dot) : ''
    if (!SUBMISSION_ID.test(id)) return { id: '', check: 'invalid' }
    const check = guard.check(accessKind(id), token.slice(dot + 1), FOLLOW_UP_ACCESS_MINUTES * 60)
    // The look-up that issued the token passed the forms' checks; a tipster who pastes and sends at once is not a script.
    return { id, check: check === 'too_fast' ? 'ok' : check }
  }

  async function showLookup(request: FastifyRequest, reply: FastifyReply, values: { reference: string; text: string }, errors: Record<string, string>, status: number) {
    const token = (await forms.guard()).issue('follow-up')
    return html(reply, await pages.followUpLookup(options.originOf(request), { values, errors, token }), status)
  }

  async function showFollowUp(request: FastifyRequest, reply: FastifyReply, id: string, extra: { text?: string; errors?: Record<string, string>; notice?: string | null; status?: number } = {}) {
    const [view, access] = await Promise.all([submissions.followUpView(id), issueAccess(id)])
    return html(
      reply.header('referrer-policy', 'no-referrer'),
      await pages.followUp(options.originOf(request), {
        view,
        access,
        accessMinutes: FOLLOW_UP_ACCESS_MINUTES,
        values: { text: extra.text ?? '' },
        errors: extra.errors ?? {},
        notice: extra.notice ?? null,
        maxFileMb: Math.round(submissions.limits.maxFileBytes / 1024 / 1024),
        maxFiles: submissions.limits.maxFiles,
      }),
      extra.status ?? 200,
    )
  }

  app.get('/contact/tip/follow-up', (request, reply) => showLookup(request, reply, { reference: '', text: '' }, {}, 200))

  app.post('/contact/tip/follow-up', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const text = (name: string, max: number) => (typeof body[name] === 'string' ? (body[name] as string).slice(0, max) : '')
    const values = { reference: text('reference', 40), text: text('text', 200_000) }
    // Two things to paste, quickly done: no minimum time here. The limits per tip and per address below keep guessing slow.
    const check = (await forms.guard()).check('follow-up', body._form)
    if (check === 'expired' || check === 'invalid') {
      return showLookup(request, reply, values, { _form: check === 'expired' ? MESSAGES.expired : MESSAGES.invalid }, check === 'invalid' ? 400 : 422)
    }
    if (text('website', 200)) return showLookup(request, reply, values, { _form: MESSAGES.trap }, 422)
    // Per address, and per reference whoever asks: guessing one tip's passphrase from many addresses stays slow too.
    const reference = values.reference.toUpperCase().replace(/[^A-Z0-9]/g, '')
    const referenceKey = createHash('sha256').update(`masthead follow-up\n${reference}`).digest('base64url').slice(0, 22)
    const isAddressOk = await forms.limiter.hit(`follow-up:${addressKey(request)}`, options.limits.perAddress, 10 * 60_000)
    const isReferenceOk = isAddressOk && (await forms.limiter.hit(`follow-up-ref:${referenceKey}`, options.followUpPerReference ?? 10, 3600_000))
    if (!isAddressOk || !isReferenceOk) {
      return showLookup(request, reply, values, { _form: 'There have been too many tries to open this follow-up page. Wait an hour and try again.' }, 429)
    }
    let found: { submissionId: string }
    try {
      found = await submissions.findFollowUp({ reference: values.reference, passphrase: text('passphrase', 500) })
    } catch (error) {
      if (!(error instanceof DomainError) || (error.kind !== 'invalid' && error.kind !== 'unauthenticated')) throw error
      const errors = error.kind === 'invalid' ? fieldErrors(error) : { _form: error.message }
      return showLookup(request, reply, values, errors, error.kind === 'invalid' ? 422 : 403)
    }
    return showFollowUp(request, reply, found.submissionId, { text: values.text })
  })

  // The forms with files: multipart is parsed in this scope alone; the token must be the first part.
  await uploadScope(
    app,
    (scope) => {
      for (const kind of ['opinion', 'tip'] as const) {
        scope.post(`/contact/${kind}`, async (request, reply) => {
          const guard = await forms.guard()
          let check = 'invalid'
          let formToken = ''
          let partial: Record<string, string[]> = {}
          let upload: ReceivedUpload
          try {
            upload = await receiveUpload(request, {
              tmpDir: options.tmpDir,
              maxFileBytes: submissions.limits.maxFileBytes,
              maxFiles: kind === 'opinion' ? 1 : submissions.limits.maxFiles,
              maxTotalBytes: submissions.limits.maxTotalBytes,
              guardField: '_form',
              // A tip's files must not reach the disk before they are sealed.
              isInMemory: kind === 'tip',
              isValidCsrf: (token) => {
                formToken = token
                check = guard.check(kind, token)
                return check !== 'invalid'
              },
              guardError: () => new DomainError('forbidden', 'SUBMISSION_FORM_EXPIRED', MESSAGES.invalid),
              onFailure: (fields) => {
                partial = fields
              },
            })
          } catch (error) {
            const values = pick(kind, (name) => partial[name]?.[0] ?? '')
            if (error instanceof DomainError && error.kind === 'forbidden') return showForm(request, reply, kind, values, { _form: MESSAGES.invalid }, 400)
            if (error instanceof DomainError && error.kind === 'too_large') {
              return showForm(request, reply, kind, values, { files: `The files are too large: ${fileLimits(kind === 'tip')}. Nothing was sent; choose smaller files.` }, 413)
            }
            throw error
          }
          try {
            let values = pick(kind, (name) => upload.fields[name]?.[0] ?? '')
            // A tip sealed in the browser: opened to check it is ours and whole, and so a refusal can give the words back.
            let sealed: OpenedBrowserTip | undefined
            const sealedField = kind === 'tip' ? (upload.fields.sealed?.[0] ?? '') : ''
            // Only with a token this server signed (a form sent in time, too quickly, or after the token's day: the tip
            // comes back into the form rather than being lost), and only the tip sealed on that very page
            // (openBrowserTip checks the token inside), so a sealed tip copied from storage cannot be read back through a refusal.
            if (sealedField && check !== 'invalid') {
              try {
                sealed = await submissions.openBrowserTip(sealedField, formToken)
              } catch (error) {
                if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error
                return await showForm(request, reply, kind, values, { _form: `${error.message} Nothing was sent.` }, 422)
              }
              values = { ...values, ...sealed.values }
            }
            const proofOf = { challenge: upload.fields._proof?.[0], answer: upload.fields._proof_answer?.[0] ?? '' }
            return await handle(
              request,
              reply,
              kind,
              values,
              check,
              proofOf,
              async () => {
                const files = await Promise.all(upload.files.filter((f) => f.field === 'files' && f.size > 0).map(async (f) => ({ fileName: f.filename, bytes: await f.read() })))
                return kind === 'opinion' ? submissions.submitOpinion(values, files) : submissions.submitTip(values, files, sealed)
              },
              sealed ? 'browser' : 'server',
            )
          } finally {
            await upload.cleanup()
          }
        })
      }

      // More from a tipster, on the follow-up page: the access token is the first part, so no file is read for a stranger.
      scope.post('/contact/tip/follow-up/add', async (request, reply) => {
        const guard = await forms.guard()
        let access: { id: string; check: TokenCheck } = { id: '', check: 'invalid' }
        let partial: Record<string, string[]> = {}
        let upload: ReceivedUpload
        const closed = (text: string) =>
          showLookup(request, reply, { reference: '', text }, { _form: `The follow-up page closes ${FOLLOW_UP_ACCESS_MINUTES} minutes after you open it. Give your reference and passphrase again; what you wrote is kept (files must be chosen again).` }, 403)
        try {
          upload = await receiveUpload(request, {
            tmpDir: options.tmpDir,
            maxFileBytes: submissions.limits.maxFileBytes,
            maxFiles: submissions.limits.maxFiles,
            maxTotalBytes: submissions.limits.maxTotalBytes,
            guardField: '_form',
            isInMemory: true,
            // A token that is ours but too old still lets the text be read, so the form can keep it; a forged one stops the upload.
            isValidCsrf: (token) => {
              access = checkAccess(guard, token)
              return access.check !== 'invalid'
            },
            guardError: () => new DomainError('forbidden', 'SUBMISSION_FORM_EXPIRED', MESSAGES.invalid),
            onFailure: (fields) => {
              partial = fields
            },
          })
        } catch (error) {
          const text = (partial.text?.[0] ?? '').slice(0, 200_000)
          if (error instanceof DomainError && error.kind === 'forbidden') return closed(text)
          if (error instanceof DomainError && error.kind === 'too_large' && access.check === 'ok') {
            return showFollowUp(request, reply, access.id, { text, errors: { files: `The files are too large: ${fileLimits(true)}. Nothing was sent; choose smaller files.` }, status: 413 })
          }
          throw error
        }
        try {
          const text = (upload.fields.text?.[0] ?? '').slice(0, 200_000)
          if (access.check !== 'ok') return await closed(text)
          if (upload.fields.website?.[0]) return await showFollowUp(request, reply, access.id, { text, errors: { _form: MESSAGES.trap }, status: 422 })
          if (!(await forms.limiter.hit(`reader:${addressKey(request)}`, options.limits.perAddress, 10 * 60_000))) {
            return await showFollowUp(request, reply, access.id, { text, errors: { _form: MESSAGES.address }, status: 429 })
          }
          try {
            const files = await Promise.all(upload.files.filter((f) => f.field === 'files' && f.size > 0).map(async (f) => ({ fileName: f.filename, bytes: await f.read() })))
            await submissions.addFromTipster(access.id, { text }, files)
          } catch (error) {
            if (!(error instanceof DomainError)) throw error
            if (error.kind === 'unauthenticated') return await closed(text)
            if (error.kind !== 'invalid' && error.kind !== 'too_large') throw error
            return await showFollowUp(request, reply, access.id, { text, errors: fieldErrors(error), status: error.kind === 'too_large' ? 413 : 422 })
          }
          return await showFollowUp(request, reply, access.id, { notice: 'Thank you: the newsroom has your new information.' })
        } finally {
          await upload.cleanup()
        }
      })
    },
    { maxFieldBytes: 512 * 1024 },
  )
}
