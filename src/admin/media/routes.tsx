import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { MediaErrors, variantNear, type MediaService, type Picture } from '../../media/index.ts'
import type { SettingsService } from '../../settings/index.ts'
import { DomainError } from '../../shared/errors.ts'
import { parsePageNumber } from '../../shared/pagination.ts'
import { field, isFormError, issuesToFields, queryText } from '../shell/forms.ts'
import type { FieldErrors } from '../shell/layout.tsx'
import type { AdminKit } from '../shell/shell.tsx'
import { receiveUpload, uploadScope } from '../../http/index.ts'
import { LibraryPage, PicturePage, UploadPage } from './pages.tsx'

export interface MediaAreaDeps {
  kit: AdminKit
  media: MediaService
  settings: SettingsService
  /** Where uploads wait while they are read; emptied after each request. */
  tmpDir: string
}

/** Pictures on one page of the library. */
const PER_PAGE = 24
/** Pictures in one answer of the editor's picker. */
const JSON_PER_PAGE = 12

const WORDS = ['alt', 'caption', 'credit'] as const

/** What the story editor's picture picker reads (src/admin/editor/browser/media-picker.ts). */
export function pickerItem(media: MediaService, picture: Picture) {
  const sources = media.sourcesOf(picture)
  // The body keeps this address as the picture's plain fallback (feeds, old readers); the site serves the variants.
  const src = variantNear(sources.fallback, 1280)?.url ?? ''
  return { id: picture.id, src, width: picture.width, height: picture.height, alt: picture.alt, caption: picture.caption, credit: picture.credit }
}

/** The media library in the admin: browse and search, upload, edit the words, see where a picture is used, delete. */
export async function mediaRoutes(app: FastifyInstance, deps: MediaAreaDeps): Promise<void> {
  const { kit, media } = deps
  const actorOf = (request: FastifyRequest) => {
    const user = kit.staff(request)
    return { userId: user.id, role: user.role }
  }
  const mayDelete = (request: FastifyRequest, picture: Picture) => {
    const user = kit.staff(request)
    return kit.may(user, 'POST /admin/media/:id/delete') && (user.role === 'admin' || user.role === 'editor' || picture.createdBy === user.id)
  }

  app.get('/admin/media', async (request, reply) => {
    const q = queryText(request.query, 'q')
    const page = await media.list({ q }, { page: parsePageNumber((request.query as Record<string, unknown>).page), perPage: PER_PAGE })
    const notice = queryText(request.query, 'deleted') ? 'The picture was deleted.' : null
    return kit.send(
      reply,
      <LibraryPage chrome={await kit.chrome(request, reply, '/admin/media')} page={page} sources={new Map(page.items.map((p) => [p.id, media.sourcesOf(p)]))} q={q} notice={notice} />,
    )
  })

  // The picker in the story editor: JSON for signed-in staff (the shell answers 401 problem+json to anyone else).
  app.get('/admin/media.json', async (request, reply) => {
    const q = queryText(request.query, 'q')
    const page = await media.list({ q }, { page: parsePageNumber((request.query as Record<string, unknown>).page), perPage: JSON_PER_PAGE })
    return reply.type('application/json; charset=utf-8').send({ items: page.items.map((p) => pickerItem(media, p)), hasMore: page.hasNext })
  })

  app.get('/admin/media/upload', async (request, reply) => {
    return kit.send(reply, <UploadPage chrome={await kit.chrome(request, reply, '/admin/media/upload')} maxBytes={media.limits.maxBytes} />)
  })

  // The only media route that takes files: multipart is parsed in this scope alone, after the guard, streaming to disk.
  await uploadScope(app, (scope) => {
    scope.post('/admin/media/upload', { config: { csrf: 'upload' } }, async (request, reply) => {
      const form = async (errors: FieldErrors, values: Record<string, string>, status: number) =>
        kit.send(
          reply,
          <UploadPage chrome={await kit.chrome(request, reply, '/admin/media/upload')} maxBytes={media.limits.maxBytes} errors={errors} values={{ alt: values.alt ?? '', caption: values.caption ?? '', credit: values.credit ?? '' }} />,
          status,
        )
      let upload
      try {
        upload = await receiveUpload(request, {
          tmpDir: deps.tmpDir,
          maxFileBytes: media.limits.maxBytes,
          maxFiles: 1,
          maxTotalBytes: media.limits.maxBytes + 1024 * 1024,
          isValidCsrf: (token) => kit.isValidCsrf(request, token),
        })
      } catch (error) {
        if (error instanceof DomainError && error.kind === 'too_large') {
          const mb = Math.round(media.limits.maxBytes / 1024 / 1024)
          return form({ file: `The file is larger than ${mb} MB, the most a picture may be. Nothing was kept; export a smaller copy and upload that.` }, {}, 413)
        }
        throw error
      }
      try {
        const values = Object.fromEntries(WORDS.map((n) => [n, upload.fields[n]?.[0] ?? '']))
        const file = upload.files.find((f) => f.field === 'file')
        if (!file) return form({ file: 'Choose a picture file to upload.' }, values, 422)
        try {
          const picture = await media.upload({ bytes: await file.read(), fileName: file.filename, declaredType: file.mimetype || null, alt: values.alt, caption: values.caption, credit: values.credit }, actorOf(request))
          return reply.redirect(`/admin/media/${picture.id}?uploaded=1`, 303)
        } catch (error) {
          if (!(error instanceof DomainError) || (error.kind !== 'invalid' && error.kind !== 'too_large' && error.kind !== 'unavailable')) throw error
          if (error.kind === 'unavailable') request.log.error({ err: error.cause, code: error.code }, 'media store refused an upload')
          return form(issuesToFields(error), values, error.kind === 'too_large' ? 413 : error.kind === 'unavailable' ? 503 : 422)
        }
      } finally {
        await upload.cleanup()
      }
    })
  })

  async function picturePage(request: FastifyRequest, reply: FastifyReply, options: { errors?: FieldErrors; values?: Record<string, string>; status?: number; notice?: string | null } = {}) {
    const { id } = request.params as { id: string }
    const picture = await media.get(id)
    const [uses, settings] = await Promise.all([media.usesOf(id), deps.settings.get()])
    return kit.send(
      reply,
      <PicturePage
        chrome={await kit.chrome(request, reply, '/admin/media')}
        picture={picture}
        sources={media.sourcesOf(picture)}
        uses={uses}
        timeZone={settings.timeZone}
        canDelete={mayDelete(request, picture)}
        {...(options.values ? { values: { alt: options.values.alt ?? '', caption: options.values.caption ?? '', credit: options.values.credit ?? '' } } : {})}
        {...(options.errors ? { errors: options.errors } : {})}
        notice={options.notice ?? null}
      />,
      options.status ?? 200,
    )
  }

  app.get('/admin/media/:id', (request, reply) => {
    const q = request.query as Record<string, unknown>
    const notice = q.uploaded ? 'The picture was added to the library.' : q.saved ? 'The words were saved.' : q.existing ? 'This picture was already in the library.' : null
    return picturePage(request, reply, { notice })
  })

  app.post('/admin/media/:id', async (request, reply) => {
    const { id } = request.params as { id: string }
    const values = Object.fromEntries(WORDS.map((n) => [n, field(request.body, n)]))
    try {
      await media.updateText(id, { alt: values.alt!, caption: values.caption!, credit: values.credit! })
    } catch (error) {
      if (!isFormError(error) || error.code === MediaErrors.MEDIA_NOT_FOUND) throw error
      return picturePage(request, reply, { errors: issuesToFields(error), values, status: 422 })
    }
    return reply.redirect(`/admin/media/${id}?saved=1`, 303)
  })

  app.post('/admin/media/:id/delete', async (request, reply) => {
    const { id } = request.params as { id: string }
    try {
      await media.remove(id, actorOf(request))
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== MediaErrors.MEDIA_IN_USE) throw error
      return picturePage(request, reply, { errors: { _form: error.message }, status: 409 })
    }
    return reply.redirect('/admin/media?deleted=1', 303)
  })
}
