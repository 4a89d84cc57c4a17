import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AuthService } from '../../auth/index.ts'
import type { SettingsService } from '../../settings/index.ts'
import { DomainError } from '../../shared/errors.ts'
import { parsePageNumber } from '../../shared/pagination.ts'
import { SUBMISSION_KINDS, SUBMISSION_STATES, SubmissionErrors, mayReadTips, type SubmissionKind, type SubmissionService, type SubmissionState } from '../../submissions/index.ts'
import { field, isFormError, issuesToFields, queryText } from '../shell/forms.ts'
import type { FieldErrors } from '../shell/layout.tsx'
import type { AdminKit } from '../shell/shell.tsx'
import { InboxPage, SubmissionPage } from './pages.tsx'

export interface InboxAreaDeps {
  kit: AdminKit
  submissions: SubmissionService
  auth: AuthService
  settings: SettingsService
}

const PER_PAGE = 50
const ID = /^sub_[0-9a-z]{19}$/

const NOTICES: Record<string, string> = {
  moved: 'The state was saved.',
  assigned: 'The assignment was saved.',
  noted: 'The note was added.',
  replied: 'The reply was sent.',
  followed: 'The reply is on the tip’s follow-up page; the tipster reads it there with their passphrase.',
}

/**
 * The reader desk's inbox: letters, opinion pieces and tips in tabs, each
 * submission with its state, assignment, notes and replies, and "Make it a
 * story" for accepted letters and opinion pieces. Tips are for editors and
 * admins only (the access table and the service both say so).
 */
export async function inboxRoutes(app: FastifyInstance, deps: InboxAreaDeps): Promise<void> {
  const { kit, submissions } = deps
  const actorOf = (request: FastifyRequest) => {
    const user = kit.staff(request)
    return { userId: user.id, role: user.role }
  }
  const idOf = (request: FastifyRequest) => {
    const { id } = request.params as { id: string }
    if (!ID.test(id)) throw new DomainError('not_found', SubmissionErrors.SUBMISSION_NOT_FOUND, 'That submission was not found.')
    return id
  }

  app.get('/admin/inbox', async (request, reply) => {
    const q = request.query as Record<string, unknown>
    const kindText = queryText(q, 'kind', 16)
    const kind: SubmissionKind = (SUBMISSION_KINDS as readonly string[]).includes(kindText) ? (kindText as SubmissionKind) : 'letter'
    const values = { kind, state: queryText(q, 'state', 16), q: queryText(q, 'q', 200), assignee: queryText(q, 'assignee', 64) }
    const actor = actorOf(request)
    const [page, counts, staff, { timeZone }] = await Promise.all([
      submissions.list(
        {
          kind,
          ...((SUBMISSION_STATES as readonly string[]).includes(values.state) ? { state: values.state as SubmissionState } : {}),
          ...(values.q ? { q: values.q } : {}),
          ...(values.assignee ? { assignee: values.assignee } : {}),
        },
        { page: parsePageNumber(q.page), perPage: PER_PAGE },
        actor,
      ),
      submissions.newCounts(actor),
      deps.auth.listStaff(),
      deps.settings.get(),
    ])
    return kit.send(
      reply,
      <InboxPage chrome={await kit.chrome(request, reply, '/admin/inbox')} values={values} kinds={SUBMISSION_KINDS} counts={counts} page={page} staff={staff.filter((s) => !s.deactivatedAt)} timeZone={timeZone} />,
    )
  })

  async function detail(request: FastifyRequest, reply: FastifyReply, options: { errors?: FieldErrors; values?: Record<string, string>; status?: number; notice?: string | null } = {}) {
    const id = idOf(request)
    const [opened, staff, { timeZone, declineReasons, tipReaders }] = await Promise.all([submissions.open(id, actorOf(request)), deps.auth.listStaff(), deps.settings.get()])
    const s = opened.submission
    return kit.send(
      reply,
      <SubmissionPage
        chrome={await kit.chrome(request, reply, '/admin/inbox')}
        submission={s}
        attachments={opened.attachments}
        notes={opened.notes}
        messages={opened.messages}
        hasFollowUpPage={opened.hasFollowUpPage}
        staff={staff.filter((m) => !m.deactivatedAt && (s.kind !== 'tip' || mayReadTips(m.role, tipReaders)))}
        timeZone={timeZone}
        notice={options.notice ?? null}
        canPublish={s.kind !== 'tip' && s.state === 'accepted'}
        declineReasons={declineReasons}
        {...(options.errors ? { errors: options.errors } : {})}
        {...(options.values ? { values: options.values } : {})}
      />,
      options.status ?? 200,
    )
  }

  app.get('/admin/inbox/:id', (request, reply) => {
    const done = queryText(request.query, 'done', 16)
    return detail(request, reply, { notice: NOTICES[done] ?? null })
  })

  app.get('/admin/inbox/:id/files/:fileId', async (request, reply) => {
    const id = idOf(request)
    const { fileId } = request.params as { fileId: string }
    const file = await submissions.attachment(id, fileId, actorOf(request))
    // Always a download, typed from the bytes, in a sandbox: a reader's file never runs in the newsroom's origin.
    return reply
      .header('content-disposition', `attachment; filename="${file.fileName.replace(/[^A-Za-z0-9._ -]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
      .header('content-security-policy', "default-src 'none'; sandbox")
      .type(file.mediaType)
      .send(Buffer.from(file.bytes))
  })

  /** Runs a desk action; a form problem shows the page again with the message at its field and the text kept. */
  async function act(request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, run: () => Promise<void>, done: string | (() => string), rename: Record<string, string> = {}) {
    const id = idOf(request)
    try {
      await run()
    } catch (error) {
      if (!isFormError(error) || error.code === SubmissionErrors.SUBMISSION_NOT_FOUND) throw error
      const errors = Object.fromEntries(Object.entries(issuesToFields(error)).map(([k, v]) => [rename[k] ?? k, v]))
      return detail(request, reply, { errors, values, status: error.kind === 'conflict' ? 409 : 422 })
    }
    return reply.redirect(typeof done === 'string' ? `/admin/inbox/${id}?done=${done}` : done(), 303)
  }

  app.post('/admin/inbox/:id/state', (request, reply) => {
    const values = { to: field(request.body, 'to'), reason: field(request.body, 'reason'), reasonTemplate: field(request.body, 'reasonTemplate') }
    // A reason written out wins over the usual one chosen from the list.
    const reason = values.reason.trim() ? values.reason : values.reasonTemplate
    return act(request, reply, values, async () => void (await submissions.move(idOf(request), { to: values.to as 'accepted', reason }, actorOf(request))), 'moved', { to: '_form' })
  })

  app.post('/admin/inbox/:id/assign', (request, reply) => {
    const assignee = field(request.body, 'assignee')
    return act(request, reply, {}, () => submissions.assign(idOf(request), assignee === '' ? null : assignee, actorOf(request)), 'assigned')
  })

  app.post('/admin/inbox/:id/notes', (request, reply) => {
    const values = { body: field(request.body, 'body') }
    return act(request, reply, values, () => submissions.addNote(idOf(request), values, actorOf(request)), 'noted')
  })

  app.post('/admin/inbox/:id/reply', (request, reply) => {
    const values = { subject: field(request.body, 'subject'), reply: field(request.body, 'reply') }
    return act(request, reply, values, () => submissions.reply(idOf(request), { subject: values.subject, body: values.reply }, actorOf(request)), 'replied', { body: 'reply' })
  })

  app.post('/admin/inbox/:id/follow-up', (request, reply) => {
    const values = { followUp: field(request.body, 'followUp') }
    return act(request, reply, values, () => submissions.replyOnFollowUp(idOf(request), { body: values.followUp }, actorOf(request)), 'followed', { body: 'followUp' })
  })

  // The draft opens in the normal story editor.
  app.post('/admin/inbox/:id/publish', (request, reply) => {
    let articleId = ''
    return act(
      request,
      reply,
      {},
      async () => {
        articleId = (await submissions.publish(idOf(request), actorOf(request))).articleId
      },
      () => `/admin/stories/${articleId}`,
    )
  })
}
