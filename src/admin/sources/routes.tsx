import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { slugify } from '../../shared/slug.ts'
import type { Source, SourceService } from '../../sources/index.ts'
import { field, isFormError, issuesToFields, queryText } from '../shell/forms.ts'
import type { FieldErrors } from '../shell/layout.tsx'
import type { AdminKit } from '../shell/shell.tsx'
import { SourceFormPage, SourcesPage, type SourceValues } from './pages.tsx'

export interface SourcesAreaDeps {
  kit: AdminKit
  sources: SourceService
  onPublicChange: () => void
}

const DONE: Record<string, string> = { created: 'Created.', saved: 'Saved.', deleted: 'Deleted.' }

function valuesOf(body: unknown): SourceValues {
  return { name: field(body, 'name'), slug: field(body, 'slug').trim(), credit: field(body, 'credit'), kind: field(body, 'kind'), url: field(body, 'url').trim() }
}

/** Sources (editors and admins): agencies and partners for the credit line and the wire desk. */
export async function sourcesRoutes(app: FastifyInstance, deps: SourcesAreaDeps): Promise<void> {
  const { kit, sources } = deps
  const actorOf = (request: FastifyRequest) => ({ userId: kit.staff(request).id })
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id
  const doneOf = (request: FastifyRequest) => DONE[queryText(request.query, 'done', 20)] ?? null
  const statusOf = (error: { kind: string }) => (error.kind === 'conflict' ? 409 : 422)
  const fieldsOf = (values: SourceValues) => ({ name: values.name, credit: values.credit, kind: values.kind as 'agency', url: values.url || null })

  async function formPage(request: FastifyRequest, reply: FastifyReply, source: Source | null, options: { values?: SourceValues; errors?: FieldErrors; status?: number } = {}) {
    const counts = await sources.storyCounts()
    return kit.send(
      reply,
      <SourceFormPage
        chrome={await kit.chrome(request, reply, '/admin/sources')}
        source={source}
        values={options.values ?? (source ? { ...source, url: source.url ?? '' } : { name: '', slug: '', credit: '', kind: 'agency', url: '' })}
        errors={options.errors ?? {}}
        stories={source ? (counts.get(source.id) ?? 0) : 0}
        notice={options.errors ? null : doneOf(request)}
      />,
      options.status ?? 200,
    )
  }

  app.get('/admin/sources', async (request, reply) => {
    const [all, counts] = await Promise.all([sources.listAll(), sources.storyCounts()])
    return kit.send(reply, <SourcesPage chrome={await kit.chrome(request, reply, '/admin/sources')} sources={all} counts={counts} notice={doneOf(request)} />)
  })

  app.get('/admin/sources/new', (request, reply) => formPage(request, reply, null))

  app.post('/admin/sources', async (request, reply) => {
    const values = valuesOf(request.body)
    let created: Source
    try {
      created = await sources.createSource({ ...fieldsOf(values), slug: values.slug || slugify(values.credit || values.name) }, actorOf(request))
    } catch (error) {
      if (!isFormError(error)) throw error
      return formPage(request, reply, null, { values, errors: issuesToFields(error), status: statusOf(error) })
    }
    return reply.redirect(`/admin/sources/${created.id}?done=created`, 303)
  })

  app.get('/admin/sources/:id', async (request, reply) => formPage(request, reply, await sources.getSource(idOf(request))))

  app.post('/admin/sources/:id', async (request, reply) => {
    const source = await sources.getSource(idOf(request))
    const values = { ...valuesOf(request.body), slug: source.slug }
    try {
      await sources.updateSource(actorOf(request), source.id, fieldsOf(values))
    } catch (error) {
      if (!isFormError(error)) throw error
      return formPage(request, reply, source, { values, errors: issuesToFields(error), status: statusOf(error) })
    }
    // The credit line is on every page of the source's stories.
    deps.onPublicChange()
    return reply.redirect(`/admin/sources/${source.id}?done=saved`, 303)
  })

  app.post('/admin/sources/:id/delete', async (request, reply) => {
    const source = await sources.getSource(idOf(request))
    try {
      await sources.deleteSource(actorOf(request), source.id)
    } catch (error) {
      if (!isFormError(error)) throw error
      return formPage(request, reply, source, { errors: issuesToFields(error), status: statusOf(error) })
    }
    return reply.redirect('/admin/sources?done=deleted', 303)
  })
}
