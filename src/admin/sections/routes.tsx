import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { descendantIds, type Section, type SectionService } from '../../sections/index.ts'
import { slugify } from '../../shared/slug.ts'
import { field, isFormError, issuesToFields, queryText } from '../shell/forms.ts'
import type { FieldErrors } from '../shell/layout.tsx'
import type { AdminKit } from '../shell/shell.tsx'
import { SectionEditPage, SectionsPage, type SectionValues } from './pages.tsx'

export interface SectionsAreaDeps {
  kit: AdminKit
  sections: SectionService
  /** Called after every change readers can see, so this process's public pages show it at once. */
  onPublicChange: () => void
}

const DONE: Record<string, string> = {
  created: 'The section is created.',
  saved: 'The section is saved.',
  moved: 'The order is changed.',
  deleted: 'The section is deleted.',
}

function valuesOf(body: unknown): SectionValues {
  return {
    name: field(body, 'name'),
    slug: field(body, 'slug').trim(),
    description: field(body, 'description'),
    kind: field(body, 'kind'),
    parentId: field(body, 'parentId'),
  }
}

function commandOf(values: SectionValues) {
  return {
    name: values.name,
    slug: values.slug || slugify(values.name),
    description: values.description,
    kind: values.kind as 'topic',
    parentId: values.parentId || null,
  }
}

function valuesFrom(section: Section): SectionValues {
  return { name: section.name, slug: section.slug, description: section.description, kind: section.kind, parentId: section.parentId ?? '' }
}

/** The section tree (editors and admins): create, rename, move, reorder, delete. */
export async function sectionsRoutes(app: FastifyInstance, deps: SectionsAreaDeps): Promise<void> {
  const { kit, sections } = deps
  const actorOf = (request: FastifyRequest) => ({ userId: kit.staff(request).id })
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id
  const doneOf = (request: FastifyRequest) => DONE[queryText(request.query, 'done', 20)] ?? null

  async function listPage(request: FastifyRequest, reply: FastifyReply, options: { values?: SectionValues; errors?: FieldErrors; status?: number } = {}) {
    const [all, counts] = await Promise.all([sections.listSections(), sections.storyCounts()])
    return kit.send(
      reply,
      <SectionsPage
        chrome={await kit.chrome(request, reply, '/admin/sections')}
        sections={all}
        counts={counts}
        values={options.values ?? { name: '', slug: '', description: '', kind: 'topic', parentId: '' }}
        errors={options.errors ?? {}}
        notice={options.errors ? null : doneOf(request)}
      />,
      options.status ?? 200,
    )
  }

  async function editPage(request: FastifyRequest, reply: FastifyReply, options: { values?: SectionValues; errors?: FieldErrors; moveTo?: string; status?: number } = {}) {
    const section = await sections.getSection(idOf(request))
    const [all, counts] = await Promise.all([sections.listSections(), sections.storyCounts()])
    return kit.send(
      reply,
      <SectionEditPage
        chrome={await kit.chrome(request, reply, '/admin/sections')}
        section={section}
        sections={all}
        subtree={new Set(descendantIds(all, section.id))}
        stories={counts.get(section.id) ?? 0}
        hasChildren={all.some((s) => s.parentId === section.id)}
        values={options.values ?? valuesFrom(section)}
        errors={options.errors ?? {}}
        moveTo={options.moveTo ?? ''}
        notice={options.errors ? null : doneOf(request)}
      />,
      options.status ?? 200,
    )
  }

  const statusOf = (error: { kind: string }) => (error.kind === 'conflict' ? 409 : 422)

  app.get('/admin/sections', (request, reply) => listPage(request, reply))

  app.post('/admin/sections', async (request, reply) => {
    const values = valuesOf(request.body)
    try {
      await sections.createSection(commandOf(values), actorOf(request))
    } catch (error) {
      if (!isFormError(error)) throw error
      return listPage(request, reply, { values, errors: issuesToFields(error), status: statusOf(error) })
    }
    deps.onPublicChange()
    return reply.redirect('/admin/sections?done=created', 303)
  })

  app.get('/admin/sections/:id', (request, reply) => editPage(request, reply))

  app.post('/admin/sections/:id', async (request, reply) => {
    const values = valuesOf(request.body)
    try {
      await sections.updateSection(actorOf(request), idOf(request), commandOf(values))
    } catch (error) {
      if (!isFormError(error)) throw error
      return editPage(request, reply, { values, errors: issuesToFields(error), status: statusOf(error) })
    }
    deps.onPublicChange()
    return reply.redirect(`/admin/sections/${idOf(request)}?done=saved`, 303)
  })

  app.post('/admin/sections/:id/move', async (request, reply) => {
    const direction = field(request.body, 'direction') === 'up' ? 'up' : 'down'
    await sections.reorderSection(actorOf(request), idOf(request), direction)
    deps.onPublicChange()
    return reply.redirect('/admin/sections?done=moved', 303)
  })

  app.post('/admin/sections/:id/delete', async (request, reply) => {
    const moveTo = field(request.body, 'moveTo')
    try {
      await sections.deleteSection(actorOf(request), idOf(request), { moveTo: moveTo || null })
    } catch (error) {
      if (!isFormError(error)) throw error
      return editPage(request, reply, { errors: issuesToFields(error), moveTo, status: statusOf(error) })
    }
    deps.onPublicChange()
    return reply.redirect('/admin/sections?done=deleted', 303)
  })
}
