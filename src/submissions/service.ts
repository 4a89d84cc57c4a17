import { randomBytes } from 'node:crypto'
import type { EventChannel, TransactionalChannel } from '../shared/events.ts'
import { sql } from 'kysely'
import { z } from 'zod'
import type { Db } from '../db/database.ts'
import { paragraph, type Actor, type ArticleService } from '../articles/index.ts'
import { recordAudit } from '../audit/index.ts'
import { hashPassword, verifyPassword } from '../auth/index.ts'
import type { AuthorService } from '../authors/index.ts'
import type { Mailer } from '../mail/index.ts'
import type { SectionService } from '../sections/index.ts'
import type { SettingsService, SiteSettings } from '../settings/index.ts'
import type { SourceService } from '../sources/index.ts'
import type { Clock } from '../shared/clock.ts'
import { DomainError } from '../shared/errors.ts'
import { newId } from '../shared/ids.ts'
import { toPage, type Page, type PageRequest } from '../shared/pagination.ts'
import { parseInput } from '../shared/parse.ts'
import { slugify } from '../shared/slug.ts'
import { AddNote, FollowUpAddition, FollowUpLookup, FollowUpReply, letterSchema, MoveSubmission, opinionSchema, Reply, TipSchema } from './commands.ts'
import { newPassphrase, normalizePassphrase } from './passphrase.ts'
import { SubmissionErrors } from './errors.ts'
import { sniffAttachment } from './sniff.ts'
import {
  canMove,
  KIND_LABELS,
  rowToSubmission,
  STATE_LABELS,
  type Submission,
  type SubmissionAttachment,
  type SubmissionKind,
  type SubmissionNote,
  type SubmissionState,
  type TipMessage,
} from './submission.ts'
import type { SubmissionsTable, TipMessagesTable } from './tables.ts'

/** Where attachments' bytes are kept; the local disk in one process, anything shared in several. */
export interface AttachmentStore {
  put(key: string, bytes: Uint8Array): Promise<void>
  get(key: string): Promise<Uint8Array>
  remove(keys: readonly string[]): Promise<void>
}

/**
 * Seals tips before they touch the database or disk, and opens them for the
 * desk. Both throw `unavailable` DomainErrors when the key is missing or wrong.
 */
export interface TipSealer {
  seal(bytes: Uint8Array): Promise<Uint8Array>
  open(bytes: Uint8Array): Promise<Uint8Array>
  /** The public key (`age1…`) new tips are sealed to; browsers seal to it too. */
  recipient(): Promise<string>
  /** Opens an age file sealed elsewhere (in a reader's browser) with any key in the file; `invalid` when it is not a well-formed age file for one of them. */
  openFromBrowser(bytes: Uint8Array): Promise<Uint8Array>
}

/** What a sealed tip holds: everything the tipster typed, and their files' names. */
interface TipContent {
  text: string
  name: string | null
  email: string | null
  contact: string | null
  /**
   * File names by attachment id; a tip sealed in the reader's browser has them
   * as a list in the order sent instead (its attachments are `file-1.…`, `file-2.…`).
   */
  files: Record<string, string> | string[]
}

/** The sealed content of a tip sealed in the browser, checked after opening. */
const BrowserTipContent = z.object({
  /** The form token of the page it was sealed on (see `openBrowserTip`). */
  form: z.string().max(2000),
  text: z.string().max(200_000),
  name: z.string().max(1000).nullable().default(null),
  email: z.string().max(1000).nullable().default(null),
  contact: z.string().max(1000).nullable().default(null),
  files: z.array(z.string().max(1000)).max(20).default([]),
})

/** A tip as its sender's browser sealed it, opened to check it: what it says, for the form if it must come back. */
export interface OpenedBrowserTip {
  sealed: Uint8Array
  values: { text: string; name: string; email: string; contact: string }
  fileNames: string[]
}

/** A tip attachment's name: by id, or by its place for a tip sealed in the browser. */
function fileNameOf(file: { id: string; file_name: string; message_id: string | null }, names: Record<string, string>, byPosition: readonly string[]): string {
  const position = file.message_id === null ? /^file-(\d+)\./.exec(file.file_name) : null
  return names[file.id] ?? (position ? byPosition[Number(position[1]) - 1] : undefined) ?? file.file_name
}

/** Bounds on what a reader may attach. */
export interface AttachmentLimits {
  maxFileBytes: number
  maxFiles: number
  maxTotalBytes: number
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = Object.freeze({ maxFileBytes: 10 * 1024 * 1024, maxFiles: 5, maxTotalBytes: 25 * 1024 * 1024 })

/** A file as it arrived: its name only for people, its type read from the bytes. */
export interface IncomingFile {
  fileName: string
  bytes: Uint8Array
  /** For a tip sealed in the browser: the file as it came, an age file whose opening is `bytes`; stored as it is. */
  sealed?: Uint8Array
}

/**
 * What the reader desk announces; the composition root wires webhooks to it.
 * Only the kind, the id and the time: never a word of what the reader sent.
 */
export type SubmissionEvents = {
  'submission.received': { kind: SubmissionKind; id: string; receivedAt: string }
}

export interface SubmissionDeps {
  /** Told of each submission once it is stored; none by default. */
  events?: EventChannel<SubmissionEvents>
  /** Told of each submission inside the transaction that stores it (the webhook outbox); none by default. */
  inTransaction?: TransactionalChannel<SubmissionEvents, Db>
  db: Db
  clock: Clock
  mailer: Mailer
  store: AttachmentStore
  /** Seals tips to the newsroom's key (age); see stores/age-keys.ts. */
  sealer: TipSealer
  settings: SettingsService
  articles: ArticleService
  authors: AuthorService
  sources: SourceService
  sections: SectionService
  /** How a published letter's story is found: the current story by public slug, or null. */
  findStory: (slug: string) => Promise<{ id: string; title: string } | null>
  limits?: AttachmentLimits
  /** A failed confirmation or reply mail is reported here; the submission itself stands. */
  onMailError: (error: unknown) => void
}

/** What the reader is told after sending. */
export interface Receipt {
  id: string
  kind: SubmissionKind
  reference: string
  /** True when a confirmation was sent to the address given. */
  isMailed: boolean
  /** True when a tip's confirmation was not sent because this site keeps its mail as files on disk (see `Mailer.isKeptOnDisk`). */
  isMailWithheld: boolean
  /** A tip's follow-up passphrase, shown once on the confirmation page and never stored in clear; null for other kinds. */
  passphrase: string | null
}

/** What a tipster sees on the follow-up page: the newsroom's replies in full, their own additions only as dates. */
export interface FollowUpView {
  submissionId: string
  reference: string
  createdAt: string
  messages: { direction: TipMessage['direction']; text: string | null; fileCount: number; createdAt: string }[]
}

/** What a message on the follow-up page holds once opened. */
interface MessageContent {
  text: string
  /** File names by attachment id. */
  files: Record<string, string>
}

/** What a retention run did, for its audit entry and the job's outcome. */
export interface PurgeReport {
  letters: number
  opinions: number
  tips: number
  files: number
  /** Files whose removal failed; their rows are gone, the bytes (sealed, for tips) stay until removed by hand. */
  fileErrors: number
}

export interface InboxFilter {
  kind: SubmissionKind
  state?: SubmissionState
  /** Words in the name, email, headline, text or reference. */
  q?: string
  /** `me`-style filtering is the surface's job: an id here, or `none` for unassigned. */
  assignee?: string | 'none'
}

export interface InboxItem {
  id: string
  kind: SubmissionKind
  reference: string
  state: SubmissionState
  /** A headline, the first words of a letter, or "Anonymous tip": what identifies it in the list. */
  title: string
  from: string | null
  assigneeId: string | null
  createdAt: string
  /** For a tip: when its sender last added information on the follow-up page; otherwise null. */
  tipsterAddedAt: string | null
}

/**
 * A failed mail to a reader, as it may be logged: only the mail library's
 * code and the server's status number. The error's message and fields
 * (nodemailer's `rejected`, `response`, `envelope`) name the recipient, and a
 * reader's address has no place in the server's logs, a tipster's least of all.
 */
export function withoutRecipient(error: unknown, kind: SubmissionKind): Error {
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown }
  const code = typeof e.code === 'string' ? e.code.slice(0, 40) : 'unknown'
  const status = typeof e.responseCode === 'number' ? ` ${e.responseCode}` : ''
  const to = kind === 'tip' ? 'a tipster' : `the sender of a ${KIND_LABELS[kind].toLowerCase()}`
  return new Error(`a mail to ${to} failed (${code}${status}); the address is not logged`)
}

/**
 * Staff who may see tips: tips can endanger their senders, so admins always,
 * and editors unless the site settings keep tips to admins (`tipReaders`).
 */
export function mayReadTips(role: Actor['role'] | string, tipReaders: SiteSettings['tipReaders']): boolean {
  return role === 'admin' || (role === 'editor' && tipReaders === 'desk')
}

/**
 * Checked when a reference is unknown, so that a wrong reference costs the
 * same scrypt work as a wrong passphrase. Made once from random bytes nobody
 * kept, with auth's parameters; a match would not matter, since an unknown
 * reference is refused whatever the result.
 */
const DECOY_HASH = 'scrypt$16384$8$1$U8zOEdrEBAl3AIXIdRIBMQ$aBljSwic1Ob6z_0SFGQGf0TtUhTvnnvbTV0P1ljfh2M'

/** The source every published letter and opinion piece is credited to. */
const READER_SOURCE = { slug: 'reader-submission', name: 'Reader submission', credit: 'Reader submission', kind: 'reader' } as const

const REFERENCE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'

/** A reference such as `L-7K3M9Q2D`: a letter for the kind, then eight random, unambiguous characters. */
export function newReference(kind: SubmissionKind): string {
  const bytes = randomBytes(8)
  let out = ''
  for (const b of bytes) out += REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length]
  return `${kind === 'letter' ? 'L' : kind === 'opinion' ? 'O' : 'T'}-${out}`
}

function firstWords(text: string, n = 10): string {
  const words = text.trim().split(/\s+/u).slice(0, n).join(' ')
  return words.length < text.trim().length ? `${words}…` : words
}

/** The paragraphs of reader text: blank lines separate them, single line breaks are kept as spaces. */
export function readerParagraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter((p) => p.length > 0)
}

/**
 * The reader desk: takes letters, opinion pieces and tips from the public
 * forms, and lets the desk review, decline, answer and publish them. Reader
 * text is stored as plain text and only ever shown escaped.
 */
export function createSubmissionService(deps: SubmissionDeps) {
  const { db } = deps
  const limits = deps.limits ?? DEFAULT_ATTACHMENT_LIMITS
  const nowIso = () => deps.clock.now().toISOString()

  async function mustLoad(trx: Db, id: string): Promise<SubmissionsTable> {
    const row = await trx.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw new DomainError('not_found', SubmissionErrors.SUBMISSION_NOT_FOUND, 'That submission was not found.')
    return row
  }

  /** A tip's content, opened with the newsroom's key; other submissions as stored. */
  async function unseal(row: SubmissionsTable): Promise<{ row: SubmissionsTable; files: Record<string, string>; byPosition: string[] }> {
    if (row.kind !== 'tip' || !row.sealed) return { row, files: {}, byPosition: [] }
    const content = JSON.parse(new TextDecoder().decode(await deps.sealer.open(Buffer.from(row.sealed, 'base64')))) as TipContent
    const isList = Array.isArray(content.files)
    return {
      row: { ...row, body: content.text, name: content.name, email: content.email, contact: content.contact },
      files: isList ? {} : (content.files as Record<string, string>),
      byPosition: isList ? (content.files as string[]) : [],
    }
  }

  /**
   * Whether this person may see tips now. Read before any transaction: on
   * SQLite a settings read inside one would wait for the connection it holds.
   */
  async function tipAccess(actor: Actor): Promise<boolean> {
    return mayReadTips(actor.role, (await deps.settings.get()).tipReaders)
  }

  function assertMaySee(mayReadTipsNow: boolean, row: Pick<SubmissionsTable, 'kind'>): void {
    if (row.kind === 'tip' && !mayReadTipsNow) throw new DomainError('forbidden', SubmissionErrors.SUBMISSION_FORBIDDEN, 'You may not read tips: the site settings give tip access to other roles.')
  }

  async function sealJson(value: unknown): Promise<string> {
    return Buffer.from(await deps.sealer.seal(new TextEncoder().encode(JSON.stringify(value)))).toString('base64')
  }

  async function openMessage(m: Pick<TipMessagesTable, 'sealed'>): Promise<MessageContent> {
    return JSON.parse(new TextDecoder().decode(await deps.sealer.open(Buffer.from(m.sealed, 'base64')))) as MessageContent
  }

  /** Checks each attachment's type from its bytes; throws `invalid` naming the file otherwise. */
  function checkFiles(files: readonly IncomingFile[]) {
    if (files.length > limits.maxFiles) {
      throw new DomainError('too_large', SubmissionErrors.SUBMISSION_TOO_LARGE, `Send at most ${limits.maxFiles} files.`, [{ path: 'files', message: `Send at most ${limits.maxFiles} files.`, code: 'too_big' }])
    }
    return files.map((file) => {
      const type = sniffAttachment(file.bytes)
      if (!type) {
        const message = `“${file.fileName.slice(0, 100)}” is not a file we can take. Send PDF, JPEG, PNG, plain text or Office documents.`
        throw new DomainError('invalid', SubmissionErrors.SUBMISSION_ATTACHMENT_TYPE, message, [{ path: 'files', message, code: 'custom' }])
      }
      if (file.bytes.length > limits.maxFileBytes) {
        const message = `“${file.fileName.slice(0, 100)}” is larger than ${Math.round(limits.maxFileBytes / 1024 / 1024)} MB.`
        throw new DomainError('too_large', SubmissionErrors.SUBMISSION_TOO_LARGE, message, [{ path: 'files', message, code: 'too_big' }])
      }
      // A name for people only: no path, no control characters, not too long.
      // eslint-disable-next-line no-control-regex
      const name = (file.fileName.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 120) || `attachment.${type.extension}`
      return { ...file, fileName: name, mediaType: type.mediaType, extension: type.extension }
    })
  }

  async function store(
    kind: SubmissionKind,
    fields: Omit<SubmissionsTable, 'id' | 'kind' | 'reference' | 'state' | 'decline_reason' | 'assignee_id' | 'article_id' | 'created_at' | 'updated_at' | 'sealed' | 'passphrase_hash' | 'declined_at'>,
    files: readonly IncomingFile[],
    /** A tip sealed in the sender's browser, kept as it came (see `openBrowserTip`). */
    presealed?: OpenedBrowserTip,
  ): Promise<Receipt> {
    const checked = checkFiles(files)
    const at = nowIso()
    const id = newId('sub')
    const reference = newReference(kind)
    const email = fields.email
    // A tip is sealed before anything is written: its words, contact details and files' names and bytes.
    const isTip = kind === 'tip'
    const ids = checked.map(() => newId('sat'))
    let row = { ...fields, sealed: null as string | null, passphrase_hash: null as string | null, declined_at: null as string | null }
    // A tip gets a passphrase for its follow-up page; only its slow hash is kept.
    const passphrase = isTip ? newPassphrase() : null
    if (passphrase) row.passphrase_hash = await hashPassword(passphrase)
    if (isTip) {
      const content: TipContent = { text: fields.body, name: fields.name, email: fields.email, contact: fields.contact, files: Object.fromEntries(checked.map((f, i) => [ids[i]!, f.fileName])) }
      const sealed = presealed ? presealed.sealed : await deps.sealer.seal(new TextEncoder().encode(JSON.stringify(content)))
      row = { ...row, body: '', name: null, email: null, contact: null, sealed: Buffer.from(sealed).toString('base64') }
    }
    const attachments = await Promise.all(
      checked.map(async (file, i) => ({
        id: ids[i]!,
        fileName: isTip ? `file-${i + 1}.${file.extension}` : file.fileName,
        mediaType: file.mediaType,
        size: file.bytes.length,
        bytes: isTip ? (file.sealed ?? (await deps.sealer.seal(file.bytes))) : file.bytes,
        key: `${id}/${newId('sat')}`,
      })),
    )
    // Files first: a row never points at bytes that are not there. If the insert fails, they go again.
    for (const a of attachments) await deps.store.put(a.key, a.bytes)
    try {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('submissions')
          .values({ id, kind, reference, state: 'new', decline_reason: null, assignee_id: null, article_id: null, created_at: at, updated_at: at, ...row })
          .execute()
        for (const a of attachments) {
          await trx
            .insertInto('submission_attachments')
            .values({ id: a.id, submission_id: id, file_name: a.fileName, media_type: a.mediaType, size: a.size, storage_key: a.key, created_at: at, message_id: null })
            .execute()
        }
        await deps.inTransaction?.emit(trx, 'submission.received', { kind, id, receivedAt: at })
      })
    } catch (error) {
      await deps.store.remove(attachments.map((a) => a.key)).catch(() => {})
      throw error
    }
    deps.events?.emit('submission.received', { kind, id, receivedAt: at })
    let isMailed = false
    // A tipster's address must not lie in the clear on our disk: with no SMTP server, a tip gets no confirmation (its page shows the reference).
    const isMailWithheld = Boolean(email) && isTip && deps.mailer.isKeptOnDisk
    if (email && !isMailWithheld) {
      const site = await deps.settings.get()
      try {
        await deps.mailer.send({
          to: email,
          subject: `We received your ${KIND_LABELS[kind].toLowerCase()} (${reference})`,
          text: [
            `Thank you for writing to ${site.siteName}.`,
            '',
            `Your reference is ${reference}. Quote it if you write to us about this ${KIND_LABELS[kind].toLowerCase()}.`,
            kind === 'tip'
              ? 'We read every tip. We may not be able to answer each one. Our answers, and a way to tell us more, are on the follow-up page of our site (Contact us, then Follow up on a tip you sent), with your reference and the passphrase shown when you sent the tip. We do not send the passphrase by email.'
              : 'An editor will read it. If we publish it, we will tell you first; we may shorten it.',
            '',
            `— ${site.siteName}`,
          ].join('\n'),
        })
        isMailed = true
      } catch (error) {
        deps.onMailError(withoutRecipient(error, kind))
      }
    }
    return { id, kind, reference, isMailed, isMailWithheld, passphrase }
  }

  /** Takes a letter to the editor. `about` is the public slug of the story it answers, if any. */
  async function submitLetter(input: unknown): Promise<Receipt> {
    const site = await deps.settings.get()
    const cmd = parseInput(letterSchema(site.letterWordLimit), input, SubmissionErrors.SUBMISSION_INVALID)
    const story = cmd.about ? await deps.findStory(cmd.about) : null
    return store(
      'letter',
      { name: cmd.name, town: cmd.town, email: cmd.email, contact: null, bio: null, headline: null, body: cmd.text, about_article_id: story?.id ?? null, about_title: story?.title ?? null },
      [],
    )
  }

  /** Takes an opinion piece with an optional attachment. */
  async function submitOpinion(input: unknown, files: readonly IncomingFile[] = []): Promise<Receipt> {
    const site = await deps.settings.get()
    const cmd = parseInput(opinionSchema(site.opinionWordLimit), input, SubmissionErrors.SUBMISSION_INVALID)
    return store('opinion', { name: cmd.name, town: null, email: cmd.email, contact: null, bio: cmd.bio, headline: cmd.headline, body: cmd.text, about_article_id: null, about_title: null }, files)
  }

  /** Takes a news tip; every contact detail is optional. */
  async function submitTip(input: unknown, files: readonly IncomingFile[] = [], presealed?: OpenedBrowserTip): Promise<Receipt> {
    const cmd = parseInput(TipSchema, presealed ? presealed.values : input, SubmissionErrors.SUBMISSION_INVALID)
    let incoming = files
    if (presealed) {
      const message = 'The files sent do not match the locked tip. Choose the files again and send it again.'
      if (presealed.fileNames.length !== files.length) throw new DomainError('invalid', SubmissionErrors.SUBMISSION_SEALED_INVALID, message, [{ path: 'files', message, code: 'custom' }])
      // Each file was sealed in the browser too: opened here only to read its type and size, and kept as it came.
      incoming = await Promise.all(
        files.map(async (file, i) => {
          const bytes = await deps.sealer.openFromBrowser(file.bytes).catch(() => {
            throw new DomainError('invalid', SubmissionErrors.SUBMISSION_SEALED_INVALID, message, [{ path: 'files', message, code: 'custom' }])
          })
          return { fileName: presealed.fileNames[i] ?? file.fileName, bytes, sealed: file.bytes }
        }),
      )
    }
    return store('tip', { name: cmd.name, town: null, email: cmd.email, contact: cmd.contact, bio: null, headline: null, body: cmd.text, about_article_id: null, about_title: null }, incoming, presealed)
  }

  /**
   * Opens a tip sealed in the sender's browser, to check that it is a
   * well-formed age file for one of the newsroom's keys holding a tip (a
   * page opened before a key rotation sealed to the key newest then). What it
   * says goes only to `submitTip` (which checks the fields like any tip's and
   * stores the sealed bytes as they came) or back into the form on a refusal.
   */
  async function openBrowserTip(base64: string, formToken: string): Promise<OpenedBrowserTip> {
    const refuse = () => new DomainError('invalid', SubmissionErrors.SUBMISSION_SEALED_INVALID, 'The locked tip your browser sent is damaged. Nothing was sent; write it again and send it.')
    if (base64.length > 400_000 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw refuse()
    const sealed = new Uint8Array(Buffer.from(base64, 'base64'))
    const plain = await deps.sealer.openFromBrowser(sealed)
    let content: z.infer<typeof BrowserTipContent>
    try {
      content = BrowserTipContent.parse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain)))
    } catch {
      throw refuse()
    }
    // Sealed on another page than the one sent: perhaps an old tip taken from a copy of the database and sent
    // again so that a refusal would show its words. Refused without opening it to anyone.
    if (content.form !== formToken) throw refuse()
    return { sealed, values: { text: content.text, name: content.name ?? '', email: content.email ?? '', contact: content.contact ?? '' }, fileNames: content.files }
  }

  /** The newsroom's public key for tips (`age1…`), published on the tip form for browsers to seal to. */
  async function recipient(): Promise<string> {
    return deps.sealer.recipient()
  }

  /** The story a letter is about, by its public slug: for the letter form's "about" line. */
  async function storyFor(slug: string): Promise<{ id: string; title: string } | null> {
    return /^[a-z0-9-]{1,120}$/.test(slug) ? deps.findStory(slug) : null
  }

  /** One page of the inbox, newest first; tips only for editors and admins. */
  async function list(filter: InboxFilter, request: PageRequest, actor: Actor): Promise<Page<InboxItem>> {
    const mayReadTipsNow = await tipAccess(actor)
    assertMaySee(mayReadTipsNow, { kind: filter.kind })
    let query = db
      .selectFrom('submissions')
      .select(['id', 'kind', 'reference', 'state', 'headline', 'body', 'name', 'town', 'assignee_id', 'created_at'])
      .where('kind', '=', filter.kind)
    if (filter.state) query = query.where('state', '=', filter.state)
    if (filter.assignee === 'none') query = query.where('assignee_id', 'is', null)
    else if (filter.assignee) query = query.where('assignee_id', '=', filter.assignee)
    const q = filter.q?.trim()
    if (q) {
      // LIKE with the wildcards escaped; lower() on both sides because PostgreSQL's LIKE is case-sensitive.
      const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      query = query.where((eb) =>
        eb.or(
          (['reference', 'name', 'email', 'headline', 'body', 'town'] as const).map((column) => eb(sql`lower(${sql.ref(column)})`, 'like', sql`${pattern} escape '\\'`)),
        ),
      )
    }
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(request.perPage + 1)
      .offset((request.page - 1) * request.perPage)
      .execute()
    // When each tip's sender last added to it on the follow-up page, so the desk sees news without opening every tip.
    const added = new Map<string, string>()
    if (filter.kind === 'tip' && rows.length > 0) {
      const latest = await db
        .selectFrom('tip_messages')
        .select(['submission_id', (eb) => eb.fn.max('created_at').as('at')])
        .where('direction', '=', 'from_tipster')
        .where('submission_id', 'in', rows.map((r) => r.id))
        .groupBy('submission_id')
        .execute()
      for (const l of latest) added.set(l.submission_id, l.at)
    }
    return toPage(
      rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        reference: r.reference,
        state: r.state,
        // A tip's words are sealed: the list shows only that it is one; open it to read.
        title: r.headline ?? (r.kind === 'tip' ? 'Sealed tip: open it to read' : firstWords(r.body)),
        from: r.name ? (r.town ? `${r.name}, ${r.town}` : r.name) : null,
        assigneeId: r.assignee_id,
        createdAt: r.created_at,
        tipsterAddedAt: added.get(r.id) ?? null,
      })),
      request,
    )
  }

  /** How many new submissions wait in each tab. */
  async function newCounts(actor: Actor): Promise<Record<SubmissionKind, number>> {
    const rows = await db.selectFrom('submissions').select(['kind', (eb) => eb.fn.countAll<string | number>().as('n')]).where('state', '=', 'new').groupBy('kind').execute()
    const counts: Record<SubmissionKind, number> = { letter: 0, opinion: 0, tip: 0 }
    for (const r of rows) counts[r.kind] = Number(r.n)
    if (!(await tipAccess(actor))) counts.tip = 0
    return counts
  }

  /**
   * One submission with its files and notes, for the desk. Opening a tip is
   * written to the audit log in the same transaction as the read, so there is
   * no reading a tip without a trace.
   */
  async function open(id: string, actor: Actor): Promise<{ submission: Submission; attachments: SubmissionAttachment[]; notes: SubmissionNote[]; messages: TipMessage[]; hasFollowUpPage: boolean }> {
    const mayReadTipsNow = await tipAccess(actor)
    return db.transaction().execute(async (trx) => {
      const row = await mustLoad(trx, id)
      assertMaySee(mayReadTipsNow, row)
      if (row.kind === 'tip') await recordAudit(trx, { actorId: actor.userId, action: 'submission.tip_opened', targetType: 'submission', targetId: id, summary: `Opened tip ${row.reference}` })
      const [files, notes] = await Promise.all([
        trx.selectFrom('submission_attachments').select(['id', 'submission_id', 'file_name', 'media_type', 'size', 'created_at', 'message_id']).where('submission_id', '=', id).orderBy('created_at').orderBy('id').execute(),
        trx.selectFrom('submission_notes').selectAll().where('submission_id', '=', id).orderBy('created_at').orderBy('id').execute(),
      ])
      const opened = await unseal(row)
      const messageRows = row.kind === 'tip' ? await trx.selectFrom('tip_messages').selectAll().where('submission_id', '=', id).orderBy('created_at').orderBy('id').execute() : []
      const contents = await Promise.all(messageRows.map(openMessage))
      const names: Record<string, string> = Object.assign({}, opened.files, ...contents.map((c) => c.files))
      return {
        submission: rowToSubmission(opened.row),
        attachments: files.map((f) => ({ id: f.id, submissionId: f.submission_id, messageId: f.message_id, fileName: fileNameOf(f, names, opened.byPosition), mediaType: f.media_type, size: f.size, createdAt: f.created_at })),
        notes: notes.map((n) => ({ id: n.id, kind: n.kind, authorId: n.author_id, body: n.body, createdAt: n.created_at })),
        messages: messageRows.map((m, i) => ({ id: m.id, direction: m.direction, authorId: m.author_id, text: contents[i]!.text, createdAt: m.created_at })),
        hasFollowUpPage: row.passphrase_hash !== null,
      }
    })
  }

  /**
   * An attachment's bytes, for download by the desk. A tip's file is opened
   * like the tip: its audit entry is written in the same transaction as the
   * read, and a file that cannot be opened (key missing) leaves no entry.
   */
  async function attachment(id: string, attachmentId: string, actor: Actor): Promise<{ fileName: string; mediaType: string; bytes: Uint8Array }> {
    const mayReadTipsNow = await tipAccess(actor)
    const row = await mustLoad(db, id)
    assertMaySee(mayReadTipsNow, row)
    const file = await db.selectFrom('submission_attachments').selectAll().where('id', '=', attachmentId).where('submission_id', '=', id).executeTakeFirst()
    if (!file) throw new DomainError('not_found', SubmissionErrors.SUBMISSION_NOT_FOUND, 'That file was not found.')
    // Read before the transaction: the store may be the database itself (stores/database.ts), whose one SQLite
    // connection the transaction holds. A tip's bytes are sealed, so reading them opens nothing.
    const stored = await deps.store.get(file.storage_key)
    if (row.kind !== 'tip') return { fileName: file.file_name, mediaType: file.media_type, bytes: stored }
    return db.transaction().execute(async (trx) => {
      await recordAudit(trx, { actorId: actor.userId, action: 'submission.tip_file_opened', targetType: 'submission', targetId: id, summary: `Downloaded ${file.file_name} of tip ${row.reference}` })
      // A tip's file names are sealed with its words, or with the follow-up message the file came with.
      const opened = await unseal(row)
      let names = opened.files
      if (file.message_id) {
        const message = await trx.selectFrom('tip_messages').select('sealed').where('id', '=', file.message_id).where('submission_id', '=', id).executeTakeFirst()
        if (message) names = (await openMessage(message)).files
      }
      const bytes = await deps.sealer.open(stored)
      return { fileName: fileNameOf(file, names, opened.byPosition), mediaType: file.media_type, bytes }
    })
  }

  /** Moves a submission to review, acceptance or declined (with a reason), with an audit entry. */
  async function move(id: string, input: MoveSubmission, actor: Actor): Promise<Submission> {
    const mayReadTipsNow = await tipAccess(actor)
    const cmd = parseInput(MoveSubmission, input, SubmissionErrors.SUBMISSION_INVALID)
    return db.transaction().execute(async (trx) => {
      const row = await mustLoad(trx, id)
      assertMaySee(mayReadTipsNow, row)
      if (!canMove(row.state, cmd.to)) {
        throw new DomainError('conflict', SubmissionErrors.SUBMISSION_STATE_CONFLICT, `A submission that is ${STATE_LABELS[row.state].toLowerCase()} cannot be moved to ${STATE_LABELS[cmd.to].toLowerCase()}.`)
      }
      const at = nowIso()
      // Only from the state we read: two editors acting at once cannot both move it.
      const result = await trx
        .updateTable('submissions')
        .set({ state: cmd.to, decline_reason: cmd.to === 'declined' ? cmd.reason : null, declined_at: cmd.to === 'declined' ? at : null, updated_at: at })
        .where('id', '=', id)
        .where('state', '=', row.state)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) !== 1) throw new DomainError('conflict', SubmissionErrors.SUBMISSION_STATE_CONFLICT, 'Someone else changed this submission just now. Reload it.')
      await recordAudit(trx, {
        actorId: actor.userId,
        action: 'submission.state_changed',
        targetType: 'submission',
        targetId: id,
        summary: `${row.reference}: ${STATE_LABELS[row.state]} → ${STATE_LABELS[cmd.to]}`,
        at,
      })
      return rowToSubmission({ ...row, state: cmd.to, decline_reason: cmd.to === 'declined' ? cmd.reason : null, declined_at: cmd.to === 'declined' ? at : null, updated_at: at })
    })
  }

  /** Gives a submission to a member of staff, or to nobody (null). */
  async function assign(id: string, assigneeId: string | null, actor: Actor): Promise<void> {
    const { tipReaders } = await deps.settings.get()
    const mayReadTipsNow = mayReadTips(actor.role, tipReaders)
    await db.transaction().execute(async (trx) => {
      const row = await mustLoad(trx, id)
      assertMaySee(mayReadTipsNow, row)
      if (assigneeId !== null) {
        const user = await trx.selectFrom('users').select(['id', 'role']).where('id', '=', assigneeId).executeTakeFirst()
        if (!user || (row.kind === 'tip' && !mayReadTips(user.role, tipReaders))) {
          throw new DomainError('invalid', SubmissionErrors.SUBMISSION_INVALID, 'Choose a member of staff who may read it.', [{ path: 'assignee', message: 'Choose a member of staff who may read it.', code: 'custom' }])
        }
      }
      const at = nowIso()
      await trx.updateTable('submissions').set({ assignee_id: assigneeId, updated_at: at }).where('id', '=', id).execute()
      await recordAudit(trx, { actorId: actor.userId, action: 'submission.assigned', targetType: 'submission', targetId: id, summary: `${row.reference}: ${assigneeId ? 'assigned' : 'unassigned'}`, at })
    })
  }

  /** Adds an internal note; the reader never sees it. */
  async function addNote(id: string, input: { body: string }, actor: Actor): Promise<void> {
    const mayReadTipsNow = await tipAccess(actor)
    const cmd = parseInput(AddNote, input, SubmissionErrors.SUBMISSION_INVALID)
    const row = await mustLoad(db, id)
    assertMaySee(mayReadTipsNow, row)
    await db.insertInto('submission_notes').values({ id: newId('snt'), submission_id: id, kind: 'note', author_id: actor.userId, body: cmd.body, created_at: nowIso() }).execute()
  }

  /**
   * Emails the reader and keeps the reply with the submission. The mail goes
   * first: a reply is recorded only once it has left.
   */
  async function reply(id: string, input: Reply, actor: Actor): Promise<void> {
    const mayReadTipsNow = await tipAccess(actor)
    const cmd = parseInput(Reply, input, SubmissionErrors.SUBMISSION_INVALID)
    const stored = await mustLoad(db, id)
    assertMaySee(mayReadTipsNow, stored)
    const { row } = await unseal(stored)
    if (!row.email) throw new DomainError('conflict', SubmissionErrors.SUBMISSION_STATE_CONFLICT, 'The sender left no email address, so there is no one to reply to.')
    const isTip = row.kind === 'tip'
    if (isTip && deps.mailer.isKeptOnDisk) {
      throw new DomainError(
        'conflict',
        SubmissionErrors.SUBMISSION_TIP_MAIL_UNSAFE,
        'This site has no mail server (SMTP_URL), so mail is written unencrypted to the outbox folder on the server; a reply to a tipster is not. Reply on the tip’s follow-up page instead.',
      )
    }
    try {
      await deps.mailer.send({ to: row.email, subject: `${cmd.subject} (${row.reference})`, text: cmd.body })
    } catch (error) {
      if (!isTip) throw error
      // Reported without the address; the desk is told plainly and nothing is recorded.
      deps.onMailError(withoutRecipient(error, row.kind))
      // A conflict, so the desk's page comes back with the reply still typed.
      throw new DomainError('conflict', SubmissionErrors.SUBMISSION_MAIL_FAILED, 'The mail server did not take the reply, so nothing was sent or recorded. Try again later, or reply on the tip’s follow-up page.')
    }
    const at = nowIso()
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('submission_notes').values({ id: newId('snt'), submission_id: id, kind: 'reply', author_id: actor.userId, body: cmd.body, created_at: at }).execute()
      await recordAudit(trx, { actorId: actor.userId, action: 'submission.replied', targetType: 'submission', targetId: id, summary: `Replied to ${row.reference}`, at })
    })
  }

  /** A free author slug for a reader's byline. */
  async function freeAuthorSlug(name: string): Promise<string> {
    const base = slugify(name).slice(0, 60) || 'reader'
    for (let i = 1; i < 50; i++) {
      const slug = i === 1 ? base : `${base}-${i}`
      if (!(await deps.authors.findBySlug(slug))) return slug
    }
    return `${base}-${randomBytes(3).toString('hex')}`
  }

  /** The section a letter or opinion piece goes to, by its fixed address; made on first use (Letters under Opinion). */
  async function sectionFor(kind: 'letter' | 'opinion', actor: Actor): Promise<{ id: string }> {
    const find = async (slug: string) => (await deps.sections.listSections()).find((s) => s.slug === slug)
    const make = async (slug: string, create: () => Promise<{ id: string }>) => {
      try {
        return await create()
      } catch (error) {
        // Made by someone else at the same moment: use theirs.
        const found = await find(slug)
        if (found) return found
        throw error
      }
    }
    const opinion = async () =>
      (await find('opinion')) ??
      (await make('opinion', () => deps.sections.createSection({ slug: 'opinion', name: 'Opinion', kind: 'opinion', description: 'Opinion pieces and letters from readers. The views expressed are the writers’ own.' }, actor)))
    if (kind === 'opinion') return opinion()
    const letters = await find('letters')
    if (letters) return letters
    const parent = await opinion()
    return make('letters', () =>
      deps.sections.createSection({ slug: 'letters', name: 'Letters', kind: 'opinion', parentId: parent.id, description: 'Letters from readers. Letters may be edited for length and clarity.' }, actor),
    )
  }

  /** The credit of every reader's story: the source `reader-submission` ("Reader submission"), made on first use; its credit can be renamed in Sources. */
  async function readerSource(actor: Actor): Promise<{ id: string }> {
    const found = await deps.sources.findBySlug(READER_SOURCE.slug)
    if (found) return found
    try {
      return await deps.sources.createSource({ ...READER_SOURCE }, actor)
    } catch (error) {
      const raced = await deps.sources.findBySlug(READER_SOURCE.slug)
      if (raced) return raced
      throw error
    }
  }

  /** Where "Make it a story" puts a submission; what is missing is made, and a failure says plainly what to do. */
  async function publishTargets(kind: 'letter' | 'opinion', actor: Actor): Promise<{ section: { id: string }; source: { id: string } }> {
    try {
      return { section: await sectionFor(kind, actor), source: await readerSource(actor) }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      const where = kind === 'letter' ? 'Letters (address “letters”)' : 'Opinion (address “opinion”)'
      throw new DomainError(
        'conflict',
        SubmissionErrors.SUBMISSION_PUBLISH_TARGET_MISSING,
        `The story could not be made: the section ${where} or the source “Reader submission” (address “${READER_SOURCE.slug}”) is missing and could not be created (${error.message}). An admin can create them under Sections and Sources; then try again.`,
        [],
        { cause: error },
      )
    }
  }

  /**
   * Turns an accepted letter or opinion piece into a draft story in the
   * Letters or Opinion section, with the writer as byline (an author without an
   * account) and "Reader submission" as credit. The section and the source are
   * made on first use, so a site without the demo paper can publish too. Returns the draft's id; it is
   * then edited and published like any story.
   */
  async function publish(id: string, actor: Actor): Promise<{ articleId: string }> {
    const mayReadTipsNow = await tipAccess(actor)
    const row = await mustLoad(db, id)
    assertMaySee(mayReadTipsNow, row)
    if (row.kind === 'tip') throw new DomainError('conflict', SubmissionErrors.SUBMISSION_STATE_CONFLICT, 'Tips are not published as they came; report the story instead.')
    if (row.state !== 'accepted') throw new DomainError('conflict', SubmissionErrors.SUBMISSION_STATE_CONFLICT, 'Accept it before making it a story.')
    const { section, source } = await publishTargets(row.kind, actor)
    const byline = row.kind === 'letter' && row.town ? `${row.name ?? 'A reader'}, ${row.town}` : (row.name ?? 'A reader')
    const author = await deps.authors.createAuthor({ slug: await freeAuthorSlug(byline), name: byline, kind: 'person', bio: row.bio })
    const title = row.headline ?? (row.about_title ? `Letter: ${row.about_title}`.slice(0, 300) : `Letter: ${firstWords(row.body, 8)}`.slice(0, 300))
    const draft = await deps.articles.createDraft(
      {
        title,
        body: readerParagraphs(row.body).map((p) => paragraph(p)),
        sectionIds: [section.id],
        authorIds: [author.id],
        sourceId: source.id,
      },
      actor,
    )
    const at = nowIso()
    await db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('submissions')
        .set({ state: 'published', article_id: draft.id, updated_at: at })
        .where('id', '=', id)
        .where('state', '=', 'accepted')
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) !== 1) throw new DomainError('conflict', SubmissionErrors.SUBMISSION_STATE_CONFLICT, 'Someone else changed this submission just now. Reload it.')
      await recordAudit(trx, { actorId: actor.userId, action: 'submission.published', targetType: 'submission', targetId: id, summary: `${row.reference} became draft ${draft.id}`, at })
    })
    return { articleId: draft.id }
  }

  const denied = () =>
    new DomainError('unauthenticated', SubmissionErrors.SUBMISSION_FOLLOW_UP_DENIED, 'That reference and passphrase do not open a tip. Check both and try again; the passphrase is the eight words shown when you sent the tip.')

  /**
   * Finds the tip a reference and passphrase open. Every failure is the same
   * `unauthenticated` error, and an unknown reference is checked against a
   * decoy hash, so neither the message nor the time tells whether a reference exists.
   */
  async function findFollowUp(input: unknown): Promise<{ submissionId: string; reference: string }> {
    const cmd = parseInput(FollowUpLookup, input, SubmissionErrors.SUBMISSION_INVALID)
    const compact = cmd.reference.toUpperCase().replace(/[^A-Z0-9]/g, '')
    const reference = /^T[A-Z0-9]{8}$/.test(compact) ? `T-${compact.slice(1)}` : null
    const row = reference ? await db.selectFrom('submissions').select(['id', 'reference', 'passphrase_hash']).where('reference', '=', reference).where('kind', '=', 'tip').executeTakeFirst() : undefined
    const isMatch = await verifyPassword(normalizePassphrase(cmd.passphrase), row?.passphrase_hash ?? DECOY_HASH)
    if (!row?.passphrase_hash || !isMatch) throw denied()
    return { submissionId: row.id, reference: row.reference }
  }

  /**
   * The follow-up page's content for a tip the caller has already opened with
   * its passphrase (`findFollowUp`). The newsroom's replies are opened; what
   * the tipster added is listed by date only, so that whoever learns the
   * passphrase later cannot read back what the tipster wrote.
   */
  async function followUpView(submissionId: string): Promise<FollowUpView> {
    const row = await db.selectFrom('submissions').select(['id', 'reference', 'created_at', 'passphrase_hash']).where('id', '=', submissionId).where('kind', '=', 'tip').executeTakeFirst()
    if (!row?.passphrase_hash) throw denied()
    const [messages, files] = await Promise.all([
      db.selectFrom('tip_messages').selectAll().where('submission_id', '=', submissionId).orderBy('created_at').orderBy('id').execute(),
      db.selectFrom('submission_attachments').select('message_id').where('submission_id', '=', submissionId).where('message_id', 'is not', null).execute(),
    ])
    return {
      submissionId: row.id,
      reference: row.reference,
      createdAt: row.created_at,
      messages: await Promise.all(
        messages.map(async (m) => ({
          direction: m.direction,
          text: m.direction === 'to_tipster' ? (await openMessage(m)).text : null,
          fileCount: files.filter((f) => f.message_id === m.id).length,
          createdAt: m.created_at,
        })),
      ),
    }
  }

  /** More information from the tipster, through the follow-up page: sealed like the tip, files too. */
  async function addFromTipster(submissionId: string, input: unknown, files: readonly IncomingFile[] = []): Promise<void> {
    const cmd = parseInput(FollowUpAddition, input, SubmissionErrors.SUBMISSION_INVALID)
    const checked = checkFiles(files)
    const row = await db.selectFrom('submissions').select(['id', 'reference', 'passphrase_hash']).where('id', '=', submissionId).where('kind', '=', 'tip').executeTakeFirst()
    if (!row?.passphrase_hash) throw denied()
    const at = nowIso()
    const messageId = newId('tmg')
    const attachments = await Promise.all(
      checked.map(async (file, i) => ({
        id: newId('sat'),
        fileName: `file-${i + 1}.${file.extension}`,
        realName: file.fileName,
        mediaType: file.mediaType,
        size: file.bytes.length,
        bytes: await deps.sealer.seal(file.bytes),
        key: `${submissionId}/${newId('sat')}`,
      })),
    )
    const sealed = await sealJson({ text: cmd.text, files: Object.fromEntries(attachments.map((a) => [a.id, a.realName])) } satisfies MessageContent)
    for (const a of attachments) await deps.store.put(a.key, a.bytes)
    try {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('tip_messages').values({ id: messageId, submission_id: submissionId, direction: 'from_tipster', author_id: null, sealed, created_at: at }).execute()
        for (const a of attachments) {
          await trx
            .insertInto('submission_attachments')
            .values({ id: a.id, submission_id: submissionId, file_name: a.fileName, media_type: a.mediaType, size: a.size, storage_key: a.key, created_at: at, message_id: messageId })
            .execute()
        }
        await trx.updateTable('submissions').set({ updated_at: at }).where('id', '=', submissionId).execute()
        await recordAudit(trx, { actorId: null, action: 'submission.tip_follow_up_added', targetType: 'submission', targetId: submissionId, summary: `The tipster added information to ${row.reference} on its follow-up page`, at })
      })
    } catch (error) {
      await deps.store.remove(attachments.map((a) => a.key)).catch(() => {})
      throw error
    }
  }

  /** A reply from the desk on a tip's follow-up page, sealed; the tipster reads it with their passphrase. */
  async function replyOnFollowUp(id: string, input: { body: string }, actor: Actor): Promise<void> {
    const mayReadTipsNow = await tipAccess(actor)
    const cmd = parseInput(FollowUpReply, input, SubmissionErrors.SUBMISSION_INVALID)
    const row = await mustLoad(db, id)
    assertMaySee(mayReadTipsNow, row)
    if (row.kind !== 'tip' || !row.passphrase_hash) throw new DomainError('conflict', SubmissionErrors.SUBMISSION_STATE_CONFLICT, 'This tip has no follow-up page: it was sent before tips were given passphrases.')
    const at = nowIso()
    const sealed = await sealJson({ text: cmd.body, files: {} } satisfies MessageContent)
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('tip_messages').values({ id: newId('tmg'), submission_id: id, direction: 'to_tipster', author_id: actor.userId, sealed, created_at: at }).execute()
      await recordAudit(trx, { actorId: actor.userId, action: 'submission.tip_follow_up_replied', targetType: 'submission', targetId: id, summary: `Replied on the follow-up page of ${row.reference}`, at })
    })
  }

  /**
   * Deletes letters, opinion pieces and tips declined at least `olderThanDays`
   * ago, with their notes, follow-up messages and files, and writes one audit
   * entry with the counts (never content) when it deleted anything. Rows go first, in one transaction;
   * the files after, so no row ever points at missing bytes. Returns a report
   * and throws only when the database does.
   */
  async function purgeDeclined(olderThanDays: number): Promise<PurgeReport> {
    const at = nowIso()
    const cutoff = new Date(deps.clock.now().getTime() - olderThanDays * 86_400_000).toISOString()
    const report: PurgeReport = { letters: 0, opinions: 0, tips: 0, files: 0, fileErrors: 0 }
    let keys: string[] = []
    await db.transaction().execute(async (trx) => {
      const candidates = await trx.selectFrom('submissions').select('id').where('state', '=', 'declined').where('declined_at', '<=', cutoff).limit(5000).execute()
      const ids = candidates.map((c) => c.id)
      const files = ids.length > 0 ? await trx.selectFrom('submission_attachments').select(['submission_id', 'storage_key']).where('submission_id', 'in', ids).execute() : []
      // Deleted only if still declined and expired: an editor may have moved one back meanwhile. Notes, messages and file rows go by cascade.
      const deleted =
        ids.length > 0 ? await trx.deleteFrom('submissions').where('id', 'in', ids).where('state', '=', 'declined').where('declined_at', '<=', cutoff).returning(['id', 'kind']).execute() : []
      const gone = new Set(deleted.map((d) => d.id))
      keys = files.filter((f) => gone.has(f.submission_id)).map((f) => f.storage_key)
      for (const d of deleted) {
        if (d.kind === 'letter') report.letters += 1
        else if (d.kind === 'opinion') report.opinions += 1
        else report.tips += 1
      }
      // One entry per run that deleted something; a run with nothing to do leaves only its line in job_runs.
      if (deleted.length === 0) return
      await recordAudit(trx, {
        actorId: null,
        action: 'submission.purged',
        targetType: 'submission',
        targetId: null,
        summary: `Deleted declined submissions older than ${olderThanDays} days: ${report.letters} letters, ${report.opinions} opinion pieces, ${report.tips} tips, ${keys.length} files`,
        at,
      })
    })
    for (const key of keys) {
      try {
        await deps.store.remove([key])
        report.files += 1
      } catch {
        report.fileErrors += 1
      }
    }
    return report
  }

  return {
    submitLetter,
    submitOpinion,
    submitTip,
    openBrowserTip,
    recipient,
    storyFor,
    list,
    newCounts,
    open,
    attachment,
    move,
    assign,
    addNote,
    reply,
    publish,
    findFollowUp,
    followUpView,
    addFromTipster,
    replyOnFollowUp,
    purgeDeclined,
    limits,
  }
}

export type SubmissionService = ReturnType<typeof createSubmissionService>
