import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { SectionService } from '../../sections/index.ts'
import { slugify } from '../../shared/slug.ts'
import { field, isFormError, issuesToFields, queryText } from '../shell/forms.ts'
import type { FieldErrors } from '../shell/layout.tsx'
import type { AdminKit } from '../shell/shell.tsx'
import { TagEditPage, TagsPage } from './pages.tsx'

export interface TagsAreaDeps {
  kit: AdminKit
  sections: SectionService
  onPublicChange: () => void
}

const DONE: Record<string, string> = {
  created: 'The tag is created.',
  saved: 'The tag is saved.',
  merged: 'The tags are merged.',
}

/** Tags (editors and admins): create, rename with a redirect, merge. */
export async function tagsRoutes(app: FastifyInstance, deps: TagsAreaDeps): Promise<void> {
  const { kit, sections } = deps
  const actorOf = (request: FastifyRequest) => ({ userId: kit.staff(request).id })
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id
  const doneOf = (request: FastifyRequest) => DONE[queryText(request.query, 'done', 20)] ?? null
  const valuesOf = (body: unknown) => ({ name: field(body, 'name'), slug: field(body, 'slug').trim() })
  const statusOf = (error: { kind: string }) => (error.kind === 'conflict' ? 409 : 422)

  async function listPage(request: FastifyRequest, reply: FastifyReply, options: { values?: { name: string; slug: string }; errors?: FieldErrors; status?: number } = {}) {
    const [tags, counts] = await Promise.all([sections.listTags(), sections.tagCounts()])
    return kit.send(
      reply,
      <TagsPage
        chrome={await kit.chrome(request, reply, '/admin/tags')}
        tags={tags}
        counts={counts}
        values={options.values ?? { name: '', slug: '' }}
        errors={options.errors ?? {}}
        notice={options.errors ? null : doneOf(request)}
      />,
      options.status ?? 200,
    )
  }

  async function editPage(request: FastifyRequest, reply: FastifyReply, options: { values?: { name: string; slug: string }; intoId?: string; errors?: FieldErrors; status?: number } = {}) {
    const tag = await sections.getTag(idOf(request))
    const [tags, counts] = await Promise.all([sections.listTags(), sections.tagCounts()])
    return kit.send(
      reply,
      <TagEditPage
        chrome={await kit.chrome(request, reply, '/admin/tags')}
        tag={tag}
        tags={tags}
        stories={counts.get(tag.id) ?? 0}
        values={options.values ?? { name: tag.name, slug: tag.slug }}
        intoId={options.intoId ?? ''}
        errors={options.errors ?? {}}
        notice={options.errors ? null : doneOf(request)}
      />,
      options.status ?? 200,
    )
  }

  app.get('/admin/tags', (request, reply) => listPage(request, reply))

  app.post('/admin/tags', async (request, reply) => {
    const values = valuesOf(request.body)
    try {
      await sections.createTag({ name: values.name, slug: values.slug || slugify(values.name) }, actorOf(request))
    } catch (error) {
      if (!isFormError(error)) throw error
      return listPage(request, reply, { values, errors: issuesToFields(error), status: statusOf(error) })
    }
    return reply.redirect('/admin/tags?done=created', 303)
  })

  app.get('/admin/tags/:id', (request, reply) => editPage(request, reply))

  app.post('/admin/tags/:id', async (request, reply) => {
    const values = valuesOf(request.body)
    try {
      await sections.renameTag(actorOf(request), idOf(request), { name: values.name, slug: values.slug || slugify(values.name) })
    } catch (error) {
      if (!isFormError(error)) throw error
      return editPage(request, reply, { values, errors: issuesToFields(error), status: statusOf(error) })
    }
    deps.onPublicChange()
    return reply.redirect(`/admin/tags/${idOf(request)}?done=saved`, 303)
  })

  app.post('/admin/tags/:id/merge', async (request, reply) => {
    const intoId = field(request.body, 'intoId')
    try {
      await sections.mergeTags(actorOf(request), { fromId: idOf(request), intoId })
    } catch (error) {
      if (!isFormError(error)) throw error
      return editPage(request, reply, { intoId, errors: issuesToFields(error), status: statusOf(error) })
    }
    deps.onPublicChange()
    return reply.redirect(`/admin/tags/${intoId}?done=merged`, 303)
  })
}
