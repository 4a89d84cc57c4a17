import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  actsForThePaper,
  canEdit,
  diffStories,
  type Actor,
  type Article,
  type ArticleService,
  type ArticleStatus,
  type NameOf,
  type StoryFields,
  type StoryFilter,
} from '../../articles/index.ts'
import type { AuthorService } from '../../authors/index.ts'
import type { AuthService } from '../../auth/index.ts'
import type { SectionService } from '../../sections/index.ts'
import type { SettingsService } from '../../settings/index.ts'
import type { SitePages } from '../../site/index.ts'
import { DomainError } from '../../shared/errors.ts'
import { parsePageNumber } from '../../shared/pagination.ts'
import { slugify } from '../../shared/slug.ts'
import { utcToZoned, zonedToUtc } from '../../shared/zoned-time.ts'
import type { SourceService } from '../../sources/index.ts'
import type { WireService } from '../../wire/index.ts'
import { field, isFormError, issuesToFields, queryText } from '../shell/forms.ts'
import type { FieldErrors } from '../shell/layout.tsx'
import type { AdminKit } from '../shell/shell.tsx'
import { EditorPage } from './editor-page.tsx'
import { ConflictPage, HistoryPage } from './history-pages.tsx'
import { StoryListPage, type StoryListFilters } from './list-page.tsx'
import { changesFromForm, formFieldsOf, formValuesOf, isPlainBody, plainTextOf } from './story-form.ts'
import { sendProblem } from '../../http/index.ts'

/** The editor's browser code and its styles, once built; null serves the editor without it (plain form). */
export interface EditorAssets {
  script: string
  style: string | null
}

export interface StoriesAreaDeps {
  kit: AdminKit
  articles: ArticleService
  sections: SectionService
  authors: AuthorService
  sources: SourceService
  settings: SettingsService
  auth: AuthService
  wire: WireService
  pages: SitePages
  /** The public origin for links the newsroom shares (preview links). */
  publicOrigin: (request: FastifyRequest) => Promise<string>
  editorAssets: () => Promise<EditorAssets | null>
  /** Pictures to offer as the featured picture: the newest, plus those in `include` (the one chosen now). */
  mediaChoices: (include?: readonly string[]) => Promise<{ id: string; label: string }[]>
}

const STATUSES = new Set<ArticleStatus>(['draft', 'in_review', 'scheduled', 'published', 'unpublished'])

/** The story desk: the list, the editor, its autosave and presence, the workflow, history, previews. */
export async function storiesRoutes(app: FastifyInstance, deps: StoriesAreaDeps): Promise<void> {
  const { kit, articles } = deps

  const actorOf = (request: FastifyRequest): Actor => {
    const user = kit.staff(request)
    return { userId: user.id, role: user.role }
  }
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id
  const editorUrl = (id: string, notice?: string) => `/admin/stories/${id}${notice ? `?done=${notice}` : ''}`

  async function peopleNames(ids: readonly (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))]
    return new Map((await deps.auth.byIds(wanted)).map((u) => [u.id, u.name]))
  }

  async function tagNamesOf(ids: readonly string[]): Promise<string> {
    const tags = await deps.sections.tagsByIds(ids)
    const byId = new Map(tags.map((t) => [t.id, t.name]))
    // Alphabetical: tags have no order of their own, and ids made in the same millisecond do not sort by creation.
    return ids
      .map((id) => byId.get(id))
      .filter((name): name is string => !!name)
      .sort((a, b) => a.localeCompare(b))
      .join(', ')
  }

  /** Names for a diff; unknown ids read as such rather than failing the page. */
  async function namer(): Promise<NameOf> {
    const [sections, authors, sources] = await Promise.all([deps.sections.listSections(), deps.authors.listAll(), deps.sources.listAll()])
    const tags = await deps.sections.listTags()
    const maps = {
      section: new Map(sections.map((s) => [s.id, s.name])),
      author: new Map(authors.map((a) => [a.id, a.name])),
      tag: new Map(tags.map((t) => [t.id, t.name])),
      source: new Map(sources.map((s) => [s.id, s.name])),
      media: new Map<string, string>(),
    }
    return (kind, id) => maps[kind].get(id) ?? id
  }

  // --- The list ---

  app.get('/admin/stories', async (request, reply) => {
    const actor = actorOf(request)
    const q = request.query as Record<string, unknown>
    const mayListAll = actor.role !== 'contributor'
    const defaultView = actsForThePaper(actor) ? 'all' : 'mine'
    const view = (['mine', 'review', 'all'] as const).find((v) => v === queryText(q, 'view')) ?? defaultView
    const filters: StoryListFilters = {
      view: view === 'all' && !mayListAll ? 'mine' : view,
      status: queryText(q, 'status'),
      section: queryText(q, 'section', 64),
      author: queryText(q, 'author', 64),
      credit: queryText(q, 'credit', 64),
      q: queryText(q, 'q'),
    }
    const filter: StoryFilter = {
      ...(filters.view === 'mine' ? { createdBy: actor.userId ?? '-' } : {}),
      ...(filters.view === 'review' ? { status: 'in_review' as const } : STATUSES.has(filters.status as ArticleStatus) ? { status: filters.status as ArticleStatus } : {}),
      ...(filters.section ? { sectionId: filters.section } : {}),
      ...(filters.author ? { authorId: filters.author } : {}),
      ...(filters.credit ? { credit: filters.credit } : {}),
      ...(filters.q ? { q: filters.q } : {}),
    }
    const pageNumber = parsePageNumber(q.page)
    const [page, reviewCount, sections, authors, sources, settings] = await Promise.all([
      articles.listStories(filter, { page: pageNumber, perPage: 50 }, actor),
      articles.countStories({ status: 'in_review' }, actor),
      deps.sections.listSections(),
      deps.authors.listAll(),
      deps.sources.listAll(),
      deps.settings.get(),
    ])
    const [people, notices] = await Promise.all([peopleNames(page.items.map((s) => s.modifiedBy)), deps.wire.noticesForArticles(page.items.map((s) => s.id))])
    return kit.send(
      reply,
      <StoryListPage
        chrome={await kit.chrome(request, reply, '/admin/stories')}
        filters={filters}
        page={page}
        sections={sections}
        authors={authors}
        sources={sources}
        people={people}
        notices={notices}
        reviewCount={reviewCount}
        mayListAll={mayListAll}
        timeZone={settings.timeZone}
      />,
    )
  })

  app.post('/admin/stories', async (request, reply) => {
    const sources = await deps.sources.listAll()
    const staff = sources.filter((s) => s.kind === 'staff')
    // A paper with one staff credit is the usual case: start with it rather than an empty choice.
    const article = await articles.createDraft({ sourceId: staff.length === 1 ? staff[0]!.id : null }, actorOf(request))
    return reply.redirect(editorUrl(article.id), 303)
  })

  // Old links from the wire desk.
  app.get('/admin/articles/:id', (request, reply) => reply.redirect(editorUrl(idOf(request)), 301))

  // --- The editor ---

  const NOTICES: Record<string, string> = {
    saved: 'Saved.',
    submitted: 'Sent for review. The editors have been told.',
    queued: 'In the review queue.',
    returned: 'Sent back to the writer with your note.',
    published: 'Published.',
    scheduled: 'Scheduled.',
    unscheduled: 'Taken off the schedule; it is a draft again.',
    updated: 'The changes are public.',
    discarded: 'The unpublished changes were discarded.',
    corrected: 'The correction is public.',
    unpublished: 'Unpublished.',
    withdrawn: 'Withdrawn: its address now says so.',
    restored: 'The earlier version is the working draft now.',
    conflict: 'Done.',
    agency: 'The agency’s newer version is in the story; what it replaced is in the history.',
  }

  async function editorPage(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { errors?: FieldErrors; values?: Record<string, string>; fields?: StoryFields; status?: number; previewLink?: { url: string; expiresAt: string } } = {},
  ) {
    const actor = actorOf(request)
    const story = await articles.open(idOf(request), actor)
    const { article } = story
    const fields = options.fields ?? story.fields
    const [sections, authors, sources, tags, settings, wireNotices, conflicts, presence, tagNames, assets, mediaChoices] = await Promise.all([
      deps.sections.listSections(),
      deps.authors.listAll(),
      deps.sources.listAll(),
      deps.sections.listTags(),
      deps.settings.get(),
      deps.wire.noticesForArticle(article.id),
      articles.listConflicts(article.id),
      actor.userId ? articles.touchPresence(article.id, actor.userId) : Promise.resolve([]),
      tagNamesOf(fields.tagIds),
      deps.editorAssets(),
      deps.mediaChoices(fields.featuredMediaId ? [fields.featuredMediaId] : []),
    ])
    const others = await peopleNames(presence.map((p) => p.userId))
    const values = { ...formFieldsOf(fields, tagNames), ...options.values }
    const autoSlug = slugify(fields.title) || 'untitled'
    const isSlugAuto = article.publishedAt === null && new RegExp(`^${autoSlug}(-\\d+)?$`).test(fields.slug) && !options.values?.slug
    const done = queryText(request.query, 'done')
    // Editor pages run our editor script; every other admin page forbids scripts.
    if (assets) reply.header('content-security-policy', "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
    return kit.send(
      reply,
      <EditorPage
        chrome={await kit.chrome(request, reply, '/admin/stories')}
        article={article}
        editVersion={story.editVersion}
        hasPendingChanges={story.hasPendingChanges}
        values={values}
        bodyJson={JSON.stringify(fields.body)}
        plainText={isPlainBody(fields.body) ? plainTextOf(fields.body) : null}
        sectionIds={fields.sectionIds}
        authorIds={fields.authorIds}
        isSlugAuto={isSlugAuto}
        choices={{ sections, authors, sources, tags }}
        errors={options.errors ?? {}}
        wireNotices={wireNotices}
        conflicts={conflicts}
        others={presence.map((p) => ({ name: others.get(p.userId) ?? 'someone', since: p.since }))}
        notice={NOTICES[done] ?? null}
        may={{ edit: canEdit(actor, article), submit: canEdit(actor, article) || actsForThePaper(actor), actForThePaper: actsForThePaper(actor) }}
        timeZone={settings.timeZone}
        scheduleValue={article.scheduledAt ? utcToZoned(article.scheduledAt, settings.timeZone) : ''}
        editorScript={assets?.script ?? null}
        editorStyle={assets?.style ?? null}
        previewLink={options.previewLink ?? null}
        mediaChoices={mediaChoices}
      />,
      options.status ?? 200,
    )
  }

  app.get('/admin/stories/:id', (request, reply) => editorPage(request, reply))

  /** The plain form's save: the editor without JavaScript, or its Save button. */
  app.post('/admin/stories/:id', async (request, reply) => {
    const id = idOf(request)
    const values = formValuesOf(request.body)
    const typed = Object.fromEntries(['title', 'dek', 'slug', 'seoTitle', 'seoDescription', 'dateline', 'tagNames', 'sourceId', 'featuredMediaId'].map((n) => [n, values.one(n) ?? '']))
    const baseVersion = Number(values.one('baseVersion'))
    try {
      const changes = await changesFromForm(values, (names) => deps.sections.resolveTagNames(names))
      const outcome = await articles.save(id, { baseVersion: Number.isInteger(baseVersion) ? baseVersion : 0, changes }, actorOf(request))
      if (outcome.kind === 'conflict') return reply.redirect(`/admin/stories/${id}/conflicts/${outcome.conflictId}`, 303)
      return reply.redirect(editorUrl(id, 'saved'), 303)
    } catch (error) {
      if (!isFormError(error)) throw error
      // Everything typed comes back, with each message at its field.
      const story = await articles.open(id, actorOf(request))
      const body = values.one('bodyText')
      const fields: StoryFields = {
        ...story.fields,
        ...(body !== null ? { body: body.trim() ? [{ type: 'paragraph', content: [{ text: body }] }] : [] } : {}),
      }
      return editorPage(request, reply, { errors: issuesToFields(error), values: typed, fields, status: 422 })
    }
  })

  /** The autosave (see src/admin/editor/README.md for the contract). */
  app.put('/admin/stories/:id/draft', { bodyLimit: 8 * 1024 * 1024 }, async (request, reply) => {
    const id = idOf(request)
    const input = (request.body ?? {}) as { baseVersion?: unknown; fields?: unknown; body?: unknown }
    if (typeof input.baseVersion !== 'number' || typeof input.fields !== 'object' || input.fields === null) {
      throw new DomainError('invalid', 'ARTICLE_INVALID', 'A save needs baseVersion, fields and body.', [{ path: 'baseVersion', message: 'Expected a number.', code: 'invalid_type' }])
    }
    const changes = await changesFromForm(formValuesOf({ ...(input.fields as Record<string, unknown>), body: undefined, bodyText: undefined }), (names) => deps.sections.resolveTagNames(names))
    if (input.body !== undefined) changes.body = input.body as never
    const outcome = await articles.save(id, { baseVersion: input.baseVersion, changes }, actorOf(request))
    if (outcome.kind === 'saved') return reply.send({ version: outcome.version, savedAt: outcome.savedAt })
    const current = outcome.current
    const [people, tagNames] = await Promise.all([peopleNames([current.savedBy]), tagNamesOf(current.fields.tagIds)])
    return sendProblem(
      request,
      reply,
      { status: 409, code: 'ARTICLE_VERSION_CONFLICT', title: 'Someone else saved first', detail: 'Another version was saved while you were writing. Yours is kept as a copy; choose what to keep.' },
      {
        conflictCopyId: outcome.conflictId,
        current: {
          version: current.version,
          fields: { ...formFieldsOf(current.fields, tagNames), primarySectionId: current.fields.sectionIds[0] ?? '', sectionIds: current.fields.sectionIds.slice(1), authorIds: current.fields.authorIds },
          body: current.fields.body,
          savedBy: { name: current.savedBy ? (people.get(current.savedBy) ?? 'someone') : 'the system' },
          savedAt: current.savedAt,
        },
      })
  })

  app.post('/admin/stories/:id/presence', async (request, reply) => {
    const actor = actorOf(request)
    await articles.getForStaff(idOf(request), actor)
    const others = await articles.touchPresence(idOf(request), actor.userId!)
    const names = await peopleNames(others.map((o) => o.userId))
    return reply.send({ others: others.map((o) => ({ name: names.get(o.userId) ?? 'someone', since: o.since })) })
  })

  // --- Workflow ---

  /** Runs a workflow step; a refusal with field messages redisplays the editor with them. */
  function step(path: string, run: (request: FastifyRequest, actor: Actor, id: string) => Promise<unknown>, notice: string) {
    app.post(`/admin/stories/:id/${path}`, async (request, reply) => {
      const id = idOf(request)
      try {
        await run(request, actorOf(request), id)
      } catch (error) {
        if (!isFormError(error)) throw error
        return editorPage(request, reply, { errors: issuesToFields(error), status: error.kind === 'conflict' ? 409 : 422 })
      }
      return reply.redirect(editorUrl(id, notice), 303)
    })
  }

  step('submit', (_r, actor, id) => articles.submitForReview(id, actor), 'submitted')
  step('send-back', (r, actor, id) => articles.sendBack(id, { note: field(r.body, 'note') }, actor), 'returned')
  step('publish', (r, actor, id) => articles.publish(id, { publishAnyway: field(r.body, 'publishAnyway') === '1' }, actor), 'published')
  step(
    'schedule',
    async (r, actor, id) => {
      const { timeZone } = await deps.settings.get()
      const local = field(r.body, 'at')
      const at = zonedToUtc(local, timeZone)
      if (!at) throw new DomainError('invalid', 'ARTICLE_INVALID', 'Choose a date and time.', [{ path: 'at', message: 'Give a date and a time, e.g. 2026-02-03 11:20.', code: 'invalid_date' }])
      return articles.schedule(id, { at }, actor)
    },
    'scheduled',
  )
  step('unschedule', (_r, actor, id) => articles.unschedule(id, actor), 'unscheduled')
  step('publish-changes', (r, actor, id) => articles.publishChanges(id, { isMinor: field(r.body, 'kind') === 'minor' }, actor), 'updated')
  step('discard-changes', (_r, actor, id) => articles.discardChanges(id, actor), 'discarded')
  step('correct', (r, actor, id) => articles.correct(id, { text: field(r.body, 'text') }, actor), 'corrected')
  step('unpublish', (r, actor, id) => articles.unpublish(id, { note: field(r.body, 'note') }, actor), 'unpublished')
  step('withdraw', (r, actor, id) => articles.withdraw(id, { note: field(r.body, 'note') || 'This story was withdrawn.' }, actor), 'withdrawn')
  step('restore', (r, actor, id) => articles.restore(id, field(r.body, 'snapshotId'), actor), 'restored')
  step('agency-update', (r, actor, id) => deps.wire.applyNewerVersion(id, field(r.body, 'itemId'), actor), 'agency')

  // --- Previews ---

  async function previewHtml(request: FastifyRequest, article: Article, fields: StoryFields, banner: string): Promise<string> {
    return deps.pages.preview(await deps.publicOrigin(request), { ...article, ...fields }, banner)
  }

  app.get('/admin/stories/:id/preview', async (request, reply) => {
    const story = await articles.open(idOf(request), actorOf(request))
    const html = await previewHtml(request, story.article, story.fields, 'Preview: this is how the story will look. It is not public.')
    // The public page's own policy: no scripts, our stylesheet.
    return reply.header('content-security-policy', "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'none'; frame-ancestors 'none'; base-uri 'none'").type('text/html; charset=utf-8').send(html)
  })

  app.post('/admin/stories/:id/share', async (request, reply) => {
    const link = await articles.createPreviewLink(idOf(request), actorOf(request))
    return editorPage(request, reply, { previewLink: { url: `${await deps.publicOrigin(request)}/preview/${link.token}`, expiresAt: link.expiresAt } })
  })

  // --- History and conflicts ---

  app.get('/admin/stories/:id/history', async (request, reply) => {
    const actor = actorOf(request)
    const story = await articles.open(idOf(request), actor)
    const [events, snapshots, settings] = await Promise.all([articles.listEvents(story.article.id), articles.listSnapshots(story.article.id), deps.settings.get()])
    const people = await peopleNames([...events.map((e) => e.actorId), ...snapshots.map((s) => s.actorId)])
    const q = request.query as Record<string, unknown>
    const from = queryText(q, 'from', 64)
    const to = queryText(q, 'to', 64) || 'current'
    const version = (id: string) => (id === 'current' ? story.fields : snapshots.find((s) => s.id === id)?.fields)
    const a = from ? version(from) : undefined
    const b = version(to)
    const comparison = a && b ? { from, to, diffs: diffStories(a, b, await namer()) } : null
    return kit.send(
      reply,
      <HistoryPage
        chrome={await kit.chrome(request, reply, '/admin/stories')}
        article={{ ...story.article, title: story.fields.title }}
        events={events}
        snapshots={snapshots}
        people={people}
        comparison={comparison}
        mayRestore={canEdit(actor, story.article)}
        timeZone={settings.timeZone}
      />,
    )
  })

  app.get('/admin/stories/:id/conflicts/:conflictId', async (request, reply) => {
    const actor = actorOf(request)
    const story = await articles.open(idOf(request), actor)
    const copy = await articles.getConflict(story.article.id, (request.params as { conflictId: string }).conflictId)
    const [people, settings] = await Promise.all([peopleNames([copy.savedBy]), deps.settings.get()])
    return kit.send(
      reply,
      <ConflictPage
        chrome={await kit.chrome(request, reply, '/admin/stories')}
        article={story.article}
        copy={copy}
        savedBy={copy.savedBy ? (people.get(copy.savedBy) ?? 'someone') : 'the system'}
        diffs={diffStories(story.fields, copy.fields, await namer())}
        mayEdit={canEdit(actor, story.article)}
        timeZone={settings.timeZone}
      />,
    )
  })

  app.post('/admin/stories/:id/conflicts/:conflictId/resolve', async (request, reply) => {
    const id = idOf(request)
    await articles.resolveConflict(id, (request.params as { conflictId: string }).conflictId, { take: field(request.body, 'take') === '1' }, actorOf(request))
    return reply.redirect(editorUrl(id, 'conflict'), 303)
  })
}

