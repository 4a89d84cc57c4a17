import type { Picture, PictureSources, PictureUse } from '../../media/index.ts'
import { FORMAT_NAME, srcsetOf, variantNear } from '../../media/index.ts'
import { formatDateTime } from '../../site/index.ts'
import type { Page } from '../../shared/pagination.ts'
import { AdminLayout, Field, type AdminChrome, type FieldErrors } from '../shell/layout.tsx'
import { TextAreaField as TextArea } from '../shell/record-fields.tsx'
import { TableScroll } from '../shell/table-scroll.tsx'

const bytes = (n: number) => (n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`)

const ALT_HINT = 'What the picture shows, for readers who cannot see it. Leave it empty only for pictures that add nothing to the text: a story cannot be published with a picture that has no alt text.'

/** The words of a picture, for the upload and edit forms. */
function PictureWords({ values, errors }: { values: { alt: string; caption: string; credit: string }; errors: FieldErrors }) {
  return (
    <>
      <TextArea name="alt" label="Alt text" value={values.alt} hint={ALT_HINT} error={errors.alt} rows={2} />
      <TextArea name="caption" label="Caption" value={values.caption} hint="Shown under the picture in stories." error={errors.caption} />
      <Field name="credit" label="Credit" value={values.credit} hint="For example “Photo: Lena Ortiz” or “Photo: ACP”." error={errors.credit} />
    </>
  )
}

/** A small view of a picture, from its variants. */
export function Thumbnail({ sources, width }: { sources: PictureSources; width: number }) {
  const fallback = variantNear(sources.fallback, width * 2)
  if (!fallback) return null
  const height = Math.max(1, Math.round((width * sources.height) / sources.width))
  return (
    <picture>
      {sources.avif.length > 0 ? <source type="image/avif" srcset={srcsetOf(sources.avif)} sizes={`${width}px`} /> : null}
      {sources.webp.length > 0 ? <source type="image/webp" srcset={srcsetOf(sources.webp)} sizes={`${width}px`} /> : null}
      <img src={fallback.url} srcset={srcsetOf(sources.fallback)} sizes={`${width}px`} width={width} height={height} alt={sources.alt} loading="lazy" decoding="async" />
    </picture>
  )
}

/** The library: search, a page of pictures newest first, and the way to upload. */
export function LibraryPage(props: { chrome: AdminChrome; page: Page<Picture>; sources: Map<string, PictureSources>; q: string; notice?: string | null }) {
  const { chrome, page, q } = props
  const href = (n: number) => `/admin/media?${new URLSearchParams({ ...(q ? { q } : {}), ...(n > 1 ? { page: String(n) } : {}) }).toString()}`
  return (
    <AdminLayout chrome={chrome} title="Media library">
      <div class="page-head">
        <h1>Media library</h1>
        <p>
          <a href="/admin/media/upload">Upload a picture</a>
        </p>
      </div>
      {props.notice ? (
        <p class="notice notice-ok" role="status">
          {props.notice}
        </p>
      ) : null}
      <form class="filters" method="get" action="/admin/media" role="search">
        <div class="field">
          <label for="media-q">Search pictures</label>
          <input id="media-q" name="q" type="search" value={q} aria-describedby="media-q-hint" />
          <p class="hint" id="media-q-hint">
            Words in the alt text, caption, credit or file name.
          </p>
        </div>
        <button type="submit">Search</button>
      </form>
      {page.items.length === 0 ? (
        <p>{q ? `No pictures match “${q}”.` : page.page > 1 ? 'There are no more pictures.' : 'The library is empty. Upload the first picture.'}</p>
      ) : (
        <ul class="media-grid" aria-label="Pictures">
          {page.items.map((picture) => {
            const sources = props.sources.get(picture.id)
            return (
              <li>
                {sources ? <Thumbnail sources={{ ...sources, alt: '' }} width={200} /> : null}
                <a href={`/admin/media/${picture.id}`}>{picture.alt || picture.caption || picture.fileName}</a>
                <span class="meta">
                  {picture.width} × {picture.height}
                  {picture.credit ? `, ${picture.credit}` : ''}
                </span>
                {picture.alt ? null : <span class="badge badge-warn">No alt text yet</span>}
              </li>
            )
          })}
        </ul>
      )}
      {page.page > 1 || page.hasNext ? (
        <nav class="pager" aria-label="Pages">
          {page.page > 1 ? <a href={href(page.page - 1)}>Newer</a> : null}
          {page.hasNext ? <a href={href(page.page + 1)}>Older</a> : null}
        </nav>
      ) : null}
    </AdminLayout>
  )
}

/** The upload form; errors come back beside their fields with what was typed. */
export function UploadPage(props: { chrome: AdminChrome; maxBytes: number; values?: { alt: string; caption: string; credit: string }; errors?: FieldErrors }) {
  const errors = props.errors ?? {}
  const values = props.values ?? { alt: '', caption: '', credit: '' }
  return (
    <AdminLayout chrome={props.chrome} title="Upload a picture">
      <h1>Upload a picture</h1>
      {errors._form ? (
        <p class="notice notice-danger" role="alert">
          {errors._form}
        </p>
      ) : null}
      <form method="post" action="/admin/media/upload" enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value={props.chrome.csrfToken} />
        <div class="field">
          <label for="field-file">Picture file</label>
          <p class="hint" id="field-file-hint">
            JPEG, PNG, WebP, AVIF or GIF, at most {bytes(props.maxBytes)}. Location and camera data are removed; resized copies are made for the site.
          </p>
          <input
            id="field-file"
            name="file"
            type="file"
            accept="image/jpeg,image/png,image/webp,image/avif,image/gif"
            required
            aria-invalid={errors.file ? 'true' : undefined}
            aria-describedby={errors.file ? 'field-file-hint field-file-error' : 'field-file-hint'}
          />
          {errors.file ? (
            <p class="field-error" id="field-file-error">
              {errors.file}
            </p>
          ) : null}
        </div>
        <PictureWords values={values} errors={errors} />
        <button type="submit">Upload</button>
      </form>
    </AdminLayout>
  )
}

/** One picture: a look at it, its words to edit, where it is used, its files, and deletion. */
export function PicturePage(props: {
  chrome: AdminChrome
  picture: Picture
  sources: PictureSources
  uses: PictureUse[]
  timeZone: string
  canDelete: boolean
  values?: { alt: string; caption: string; credit: string }
  errors?: FieldErrors
  notice?: string | null
}) {
  const { chrome, picture, sources, uses } = props
  const errors = props.errors ?? {}
  const name = picture.alt || picture.caption || picture.fileName
  const publicUses = uses.filter((u) => u.status === 'published' || u.status === 'scheduled')
  return (
    <AdminLayout chrome={chrome} title={name}>
      <p>
        <a href="/admin/media">← Media library</a>
      </p>
      {props.notice ? (
        <p class="notice notice-ok" role="status">
          {props.notice}
        </p>
      ) : null}
      {errors._form ? (
        <p class="notice notice-danger" role="alert">
          {errors._form}
        </p>
      ) : null}
      <h1>{name}</h1>
      <figure class="media-preview">
        <Thumbnail sources={sources} width={Math.min(640, picture.width)} />
        {picture.caption || picture.credit ? (
          <figcaption>
            {picture.caption} {picture.credit ? <span class="meta">{picture.credit}</span> : null}
          </figcaption>
        ) : null}
      </figure>

      <h2>Facts</h2>
      <dl class="facts">
        <dt>File</dt>
        <dd>
          {picture.fileName} ({FORMAT_NAME[picture.sourceFormat]}, {bytes(picture.byteLength)})
        </dd>
        <dt>Size</dt>
        <dd>
          {picture.width} × {picture.height} pixels
        </dd>
        <dt>Added</dt>
        <dd>
          <time datetime={picture.createdAt}>{formatDateTime(picture.createdAt, props.timeZone)}</time>
          {picture.origin === 'wire' && picture.wireItemId ? (
            <>
              {' '}
              from <a href={`/admin/wire/items/${picture.wireItemId}`}>a wire item</a>
            </>
          ) : null}
        </dd>
      </dl>

      <h2>Words</h2>
      <form method="post" action={`/admin/media/${picture.id}`}>
        <input type="hidden" name="_csrf" value={chrome.csrfToken} />
        <PictureWords values={props.values ?? picture} errors={errors} />
        <p class="hint">Stories that already show the picture keep the words they were given; change them in the story.</p>
        <button type="submit">Save words</button>
      </form>

      <h2>Used in</h2>
      {uses.length === 0 ? (
        <p>No story shows this picture.</p>
      ) : (
        <ul>
          {uses.map((use) => (
            <li>
              <a href={`/admin/stories/${use.id}`}>{use.title}</a> <span class="meta">({use.status.replace('_', ' ')})</span>
            </li>
          ))}
        </ul>
      )}

      <h2>Files</h2>
      <TableScroll label="Table of files">
        <table>
          <thead>
            <tr>
              <th scope="col">Format</th>
              <th scope="col">Size</th>
              <th scope="col">Bytes</th>
            </tr>
          </thead>
          <tbody>
            {[...sources.avif, ...sources.webp, ...sources.fallback].map((v) => (
              <tr>
                <td>
                  <a href={v.url}>{v.format.toUpperCase()}</a>
                </td>
                <td>
                  {v.width} × {v.height}
                </td>
                <td>{bytes(v.byteLength)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>

      {props.canDelete ? (
        <>
          <h2>Delete</h2>
          <form method="post" action={`/admin/media/${picture.id}/delete`} class="action-form">
            <input type="hidden" name="_csrf" value={chrome.csrfToken} />
            <p class="hint">
              {publicUses.length > 0
                ? 'A picture cannot be deleted while a published or scheduled story shows it.'
                : uses.length > 0
                  ? 'Drafts that show it will lose the picture.'
                  : 'The picture and its files are removed for good.'}
            </p>
            <button type="submit" class="button-danger">
              Delete picture
            </button>
          </form>
        </>
      ) : null}
    </AdminLayout>
  )
}
