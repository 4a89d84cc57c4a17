import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AuthService } from '../../auth/index.ts'
import type { Author, AuthorService } from '../../authors/index.ts'
import { slugify } from '../../shared/slug.ts'
import { field, isFormError, issuesToFields, queryText } from '../shell/forms.ts'
import type { FieldErrors } from '../shell/layout.tsx'
import { linkLines, parseLinkLines } from '../shell/record-fields.tsx'
import type { AdminKit } from '../shell/shell.tsx'
import { AuthorFormPage, AuthorsPage, type AuthorValues } from './pages.tsx'

export interface AuthorsAreaDeps {
  kit: AdminKit
  authors: AuthorService
  auth: AuthService
  onPublicChange: () => void
  mediaChoices: () => Promise<{ id: string; label: string }[]>
}

const DONE: Record<string, string> = { created: 'Created.', saved: 'Saved.', deleted: 'Deleted.' }

function valuesOf(body: unknown): AuthorValues {
  return {
    name: field(body, 'name'),
    slug: field(body, 'slug').trim(),
    isDesk: field(body, 'isDesk') === 'on',
    jobTitle: field(body, 'jobTitle'),
    bio: field(body, 'bio'),
    userId: field(body, 'userId'),
    links: field(body, 'links'),
    pictureMediaId: field(body, 'pictureMediaId'),
  }
}

function valuesFrom(author: Author): AuthorValues {
  return {
    name: author.name,
    slug: author.slug,
    isDesk: author.kind === 'desk',
    jobTitle: author.jobTitle ?? '',
    bio: author.bio ?? '',
    userId: author.userId ?? '',
    links: linkLines(author.links),
    pictureMediaId: author.pictureMediaId ?? '',
  }
}

function commandOf(values: AuthorValues) {
  return {
    name: values.name,
    slug: values.slug || slugify(values.name),
    kind: values.isDesk ? ('desk' as const) : ('person' as const),
    jobTitle: values.jobTitle || null,
    bio: values.bio || null,
    userId: values.userId || null,
    links: parseLinkLines(values.links),
    pictureMediaId: values.pictureMediaId.trim() || null,
  }
}

/** Authors and desks (editors and admins): the names bylines show. */
export async function authorsRoutes(app: FastifyInstance, deps: AuthorsAreaDeps): Promise<void> {
  const { kit, authors } = deps
  const actorOf = (request: FastifyRequest) => ({ userId: kit.staff(request).id })
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id
  const doneOf = (request: FastifyRequest) => DONE[queryText(request.query, 'done', 20)] ?? null
  const statusOf = (error: { kind: string }) => (error.kind === 'conflict' ? 409 : 422)

  async function accountOptions() {
    const staff = await deps.auth.listStaff()
    return [{ value: '', label: 'No account' }, ...staff.map((member) => ({ value: member.id, label: `${member.name} (${member.email})${member.deactivatedAt ? ', deactivated' : ''}` }))]
  }

  async function formPage(request: FastifyRequest, reply: FastifyReply, author: Author | null, options: { values?: AuthorValues; errors?: FieldErrors; status?: number } = {}) {
    const [accounts, counts, pictures] = await Promise.all([accountOptions(), authors.storyCounts(), deps.mediaChoices()])
    return kit.send(
      reply,
      <AuthorFormPage
        chrome={await kit.chrome(request, reply, '/admin/authors')}
        author={author}
        values={options.values ?? (author ? valuesFrom(author) : { name: '', slug: '', isDesk: false, jobTitle: '', bio: '', userId: '', links: '', pictureMediaId: '' })}
        errors={options.errors ?? {}}
        accounts={accounts}
        pictures={pictures}
        stories={author ? (counts.get(author.id) ?? 0) : 0}
        notice={options.errors ? null : doneOf(request)}
      />,
      options.status ?? 200,
    )
  }

  app.get('/admin/authors', async (request, reply) => {
    const [all, counts, staff] = await Promise.all([authors.listAll(), authors.storyCounts(), deps.auth.listStaff()])
    return kit.send(
      reply,
      <AuthorsPage chrome={await kit.chrome(request, reply, '/admin/authors')} authors={all} counts={counts} accounts={new Map(staff.map((m) => [m.id, m.name]))} notice={doneOf(request)} />,
    )
  })

  app.get('/admin/authors/new', (request, reply) => formPage(request, reply, null))

  app.post('/admin/authors', async (request, reply) => {
    const values = valuesOf(request.body)
    let created: Author
    try {
      created = await authors.createAuthor(commandOf(values), actorOf(request))
    } catch (error) {
      if (!isFormError(error)) throw error
      return formPage(request, reply, null, { values, errors: issuesToFields(error), status: statusOf(error) })
    }
    return reply.redirect(`/admin/authors/${created.id}?done=created`, 303)
  })

  app.get('/admin/authors/:id', async (request, reply) => formPage(request, reply, await authors.getAuthor(idOf(request))))

  app.post('/admin/authors/:id', async (request, reply) => {
    const author = await authors.getAuthor(idOf(request))
    const values = valuesOf(request.body)
    try {
      await authors.updateAuthor(actorOf(request), author.id, commandOf(values))
    } catch (error) {
      if (!isFormError(error)) throw error
      return formPage(request, reply, author, { values, errors: issuesToFields(error), status: statusOf(error) })
    }
    deps.onPublicChange()
    return reply.redirect(`/admin/authors/${author.id}?done=saved`, 303)
  })

  app.post('/admin/authors/:id/delete', async (request, reply) => {
    const author = await authors.getAuthor(idOf(request))
    try {
      await authors.deleteAuthor(actorOf(request), author.id)
    } catch (error) {
      if (!isFormError(error)) throw error
      return formPage(request, reply, author, { errors: issuesToFields(error), status: statusOf(error) })
    }
    deps.onPublicChange()
    return reply.redirect('/admin/authors?done=deleted', 303)
  })
}
