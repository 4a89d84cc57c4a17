import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ArticleService } from '../../articles/index.ts'
import type { SectionService } from '../../sections/index.ts'
import type { SettingsService } from '../../settings/index.ts'
import type { Clock } from '../../shared/clock.ts'
import { DomainError } from '../../shared/errors.ts'
import { parsePageNumber } from '../../shared/pagination.ts'
import type { SourceService } from '../../sources/index.ts'
import { pictureKey, type IngestReport, type WireService } from '../../wire/index.ts'
import type { MediaService } from '../../media/index.ts'
import { field, isFormError, issuesToFields, list, queryText } from '../shell/forms.ts'
import type { FieldErrors } from '../shell/layout.tsx'
import type { AdminKit } from '../shell/shell.tsx'
import { receiveUpload, uploadScope } from '../../http/index.ts'
import { DeskPage, type DeskFilters } from './desk-page.tsx'
import { WireItemPage } from './item-page.tsx'
import { QuarantinePage, RulesPage, SourcesPage, UploadPage } from './manage-pages.tsx'

export interface WireAreaDeps {
  kit: AdminKit
  wire: WireService
  sections: SectionService
  sources: SourceService
  articles: ArticleService
  settings: SettingsService
  clock: Clock
  /** The media library, which agency pictures can be added to. */
  media: MediaService
  /** Where uploads wait while they are read; emptied after each request. */
  tmpDir: string
}

/** Each uploaded file may be this large; the wire formats refuse larger inputs anyway. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024

/** The wire desk: agency copy, its versions, uploads, sources, routing rules and the quarantine. */
export async function wireRoutes(app: FastifyInstance, deps: WireAreaDeps): Promise<void> {
  const { kit, wire } = deps
  const canEdit = (request: FastifyRequest, key: string) => kit.may(request.staff, key)

  // --- The wire desk ---

  app.get('/admin/wire', async (request, reply) => {
    const q = request.query as Record<string, unknown>
    const text = (name: string) => queryText(q, name)
    const filters: DeskFilters = { agency: text('agency'), section: text('section'), status: text('status'), language: text('language'), q: text('q') }
    const pageNumber = parsePageNumber(q.page)
    const [page, sections, settings, agencies] = await Promise.all([
      wire.listDesk(
        {
          ...(filters.agency ? { agency: filters.agency } : {}),
          ...(filters.section ? { sectionId: filters.section } : {}),
          ...(filters.status ? { status: filters.status as 'usable' } : {}),
          ...(filters.language ? { language: filters.language } : {}),
          ...(filters.q ? { text: filters.q } : {}),
        },
        { page: pageNumber, perPage: 50 },
      ),
      deps.sections.listSections(),
      deps.settings.get(),
      wire.listAgencies(),
    ])
    return kit.send(
      reply,
      <DeskPage
        chrome={await kit.chrome(request, reply, '/admin/wire')}
        page={page}
        filters={filters}
        agencies={agencies}
        sections={sections}
        timeZone={settings.timeZone}
        now={deps.clock.now().toISOString()}
      />,
    )
  })

  async function itemPage(request: FastifyRequest, reply: FastifyReply, options: { alert?: string; status?: number } = {}) {
    const { id } = request.params as { id: string }
    const q = request.query as Record<string, unknown>
    const number = (v: unknown) => (typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : null)
    const { item, versions } = await wire.getItem(id)
    const shownNumber = number(q.version) ?? item.currentVersion
    const shown = versions.find((v) => v.number === shownNumber)
    if (!shown) throw new DomainError('not_found', 'WIRE_ITEM_NOT_FOUND', `This item has no version ${shownNumber}.`)
    const from = number(q.from)
    const to = number(q.to)
    const diff = from !== null && to !== null ? { from, to, parts: await wire.diffVersions(id, from, to) } : null
    const [sections, tags, rules, settings, group] = await Promise.all([
      deps.sections.listSections(),
      deps.sections.listTags(),
      wire.listRules(),
      deps.settings.get(),
      wire.groupMembers(item.groupId),
    ])
    return kit.send(
      reply,
      <WireItemPage
        chrome={await kit.chrome(request, reply, '/admin/wire')}
        item={item}
        versions={versions}
        shown={shown}
        diff={diff}
        sections={sections}
        tags={tags}
        rules={rules}
        groupSiblings={group.filter((g) => g.id !== item.id)}
        canDraft={canEdit(request, 'POST /admin/wire/items/:id/draft')}
        canTakePictures={canEdit(request, 'POST /admin/wire/items/:id/pictures/:index')}
        timeZone={settings.timeZone}
        now={deps.clock.now().toISOString()}
        {...(options.alert ? { alert: options.alert } : {})}
      />,
      options.status ?? 200,
    )
  }

  app.get('/admin/wire/items/:id', (request, reply) => itemPage(request, reply))

  app.post('/admin/wire/items/:id/draft', async (request, reply) => {
    const { id } = request.params as { id: string }
    const article = await wire.createDraft(id, { userId: kit.staff(request).id })
    return reply.redirect(`/admin/stories/${article.id}`, 303)
  })

  // An agency's picture into the media library, with its caption, credit and alt text; fetched under the source's rules.
  app.post('/admin/wire/items/:id/pictures/:index', async (request, reply) => {
    const { id, index } = request.params as { id: string; index: string }
    if (!/^[1-9]\d{0,2}$/.test(index)) throw new DomainError('not_found', 'WIRE_PICTURE_NOT_FOUND', 'No such picture.')
    const number = Number(index) - 1
    const { picture } = await wire.getPicture(id, number)
    const existing = await deps.media.findFromWire(id, pictureKey(picture))
    if (existing) return reply.redirect(`/admin/media/${existing.id}?existing=1`, 303)
    let fetched
    try {
      fetched = await wire.fetchPicture(id, number, deps.media.limits.maxBytes)
    } catch (error) {
      // Remote trouble is told on the item page, with the reason, rather than as a bare server error.
      if (!(error instanceof DomainError) || error.code !== 'WIRE_PICTURE_FETCH_FAILED') throw error
      return itemPage(request, reply, { alert: error.message, status: 503 })
    }
    const user = kit.staff(request)
    const added = await deps.media.upload(
      {
        bytes: fetched.bytes,
        fileName: fetched.fileName,
        declaredType: fetched.contentType,
        alt: picture.altText ?? '',
        caption: picture.caption ?? '',
        credit: picture.credit ?? '',
        wire: { itemId: id, href: fetched.href },
      },
      { userId: user.id, role: user.role },
    )
    return reply.redirect(`/admin/media/${added.id}?uploaded=1`, 303)
  })

  app.get('/admin/wire/raw/:id', async (request, reply) => {
    const raw = await wire.getRaw((request.params as { id: string }).id)
    // Shown as plain text in a sandbox: agency copy may hold HTML or scripts that must never run here.
    return reply
      .header('content-security-policy', 'sandbox; default-src none')
      .header('x-masthead-received-at', raw.receivedAt)
      .header('x-masthead-sha256', raw.sha256)
      .type('text/plain; charset=utf-8')
      .send(Buffer.from(raw.bytes))
  })

  app.get('/admin/wire/upload', async (request, reply) => {
    return kit.send(reply, <UploadPage chrome={await kit.chrome(request, reply, '/admin/wire/upload')} sources={await wire.listSources()} results={[]} />)
  })

  // The only wire route that takes files: multipart is parsed in this scope alone, after the guard, streaming to disk.
  await uploadScope(app, (scope) => {
    scope.post('/admin/wire/upload', { config: { csrf: 'upload' } }, async (request, reply) => {
      const upload = await receiveUpload(request, {
        tmpDir: deps.tmpDir,
        maxFileBytes: MAX_UPLOAD_BYTES,
        maxFiles: 20,
        maxTotalBytes: 100 * 1024 * 1024,
        isValidCsrf: (token) => kit.isValidCsrf(request, token),
      })
      try {
        const sources = await wire.listSources()
        const sourceId = upload.fields.source?.[0] ?? ''
        const source = sources.find((s) => s.id === sourceId) ?? null
        const pageChrome = await kit.chrome(request, reply, '/admin/wire/upload')
        const files = upload.files.filter((f) => f.field === 'files')
        if (files.length === 0) {
          return kit.send(reply, <UploadPage chrome={pageChrome} sources={sources} results={[]} error="Choose at least one file to upload." />, 422)
        }
        const results: { file: string; report: IngestReport }[] = []
        // One file in memory at a time.
        for (const file of files) {
          const bytes = await file.read()
          results.push({ file: file.filename, report: await wire.ingest({ bytes, origin: `upload: ${file.filename}`, contentType: file.mimetype, wireSourceId: source?.id ?? null }) })
        }
        return kit.send(reply, <UploadPage chrome={pageChrome} sources={sources} results={results} />)
      } finally {
        await upload.cleanup()
      }
    })
  })

  app.get('/admin/wire/quarantine', async (request, reply) => {
    const [rows, settings] = await Promise.all([wire.listQuarantine(100), deps.settings.get()])
    return kit.send(reply, <QuarantinePage chrome={await kit.chrome(request, reply, '/admin/wire/quarantine')} rows={rows} timeZone={settings.timeZone} />)
  })

  async function sourcesPage(request: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, values: Record<string, string> = {}, status = 200) {
    const [sources, settings, all] = await Promise.all([wire.listSources(), deps.settings.get(), deps.sources.listAll()])
    return kit.send(
      reply,
      <SourcesPage
        chrome={await kit.chrome(request, reply, '/admin/wire/sources')}
        sources={sources}
        agencies={all.filter((s) => s.kind === 'agency' || s.kind === 'partner')}
        timeZone={settings.timeZone}
        canEdit={canEdit(request, 'POST /admin/wire/sources')}
        errors={errors}
        values={values}
      />,
      status,
    )
  }

  app.get('/admin/wire/sources', (request, reply) => sourcesPage(request, reply))

  app.post('/admin/wire/sources', async (request, reply) => {
    const names = ['name', 'slug', 'kind', 'url', 'folder', 'intervalSeconds', 'creditSourceId']
    const values = Object.fromEntries(names.map((n) => [n, field(request.body, n).trim()]))
    try {
      await wire.createSource({
        name: values.name!,
        slug: values.slug!,
        kind: values.kind as 'feed',
        url: values.url || null,
        folder: values.folder || null,
        intervalSeconds: Number(values.intervalSeconds || 300),
        creditSourceId: values.creditSourceId || null,
      }, { userId: kit.staff(request).id })
    } catch (error) {
      if (!isFormError(error)) throw error
      return sourcesPage(request, reply, error.kind === 'conflict' ? { slug: error.message } : issuesToFields(error), values, 422)
    }
    return reply.redirect('/admin/wire/sources', 303)
  })

  app.post('/admin/wire/sources/:id/:action', async (request, reply) => {
    const { id, action } = request.params as { id: string; action: string }
    if (action !== 'enable' && action !== 'disable') throw new DomainError('not_found', 'PAGE_NOT_FOUND', 'No such action.')
    await wire.setSourceEnabled(id, action === 'enable', { userId: kit.staff(request).id })
    return reply.redirect('/admin/wire/sources', 303)
  })

  async function rulesPage(request: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, values: Record<string, string> = {}, status = 200) {
    const [rules, sections, tags] = await Promise.all([wire.listRules(), deps.sections.listSections(), deps.sections.listTags()])
    return kit.send(
      reply,
      <RulesPage chrome={await kit.chrome(request, reply, '/admin/wire/rules')} rules={rules} sections={sections} tags={tags} canEdit={canEdit(request, 'POST /admin/wire/rules')} errors={errors} values={values} />,
      status,
    )
  }

  app.get('/admin/wire/rules', (request, reply) => rulesPage(request, reply))

  app.post('/admin/wire/rules', async (request, reply) => {
    const names = ['name', 'agency', 'subjectCode', 'keyword', 'language', 'priority']
    const values = Object.fromEntries(names.map((n) => [n, field(request.body, n).trim()]))
    try {
      await wire.createRule({
        name: values.name!,
        agency: values.agency || null,
        subjectCode: values.subjectCode || null,
        keyword: values.keyword || null,
        language: values.language || null,
        priority: Number(values.priority || 100),
        sectionIds: list(request.body, 'sectionIds'),
        tagIds: list(request.body, 'tagIds'),
      }, { userId: kit.staff(request).id })
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error
      return rulesPage(request, reply, issuesToFields(error), values, 422)
    }
    return reply.redirect('/admin/wire/rules', 303)
  })

  app.post('/admin/wire/rules/:id/delete', async (request, reply) => {
    await wire.deleteRule((request.params as { id: string }).id, { userId: kit.staff(request).id })
    return reply.redirect('/admin/wire/rules', 303)
  })
}
