import type { Tag } from '../../sections/index.ts'
import { AdminLayout, ErrorSummary, Field, type AdminChrome, type FieldErrors } from '../shell/layout.tsx'
import { DoneNotice, SelectField } from '../shell/record-fields.tsx'
import { TableScroll } from '../shell/table-scroll.tsx'

/** Every tag with its story count, and a form for a new one. */
export function TagsPage(props: { chrome: AdminChrome; tags: readonly Tag[]; counts: ReadonlyMap<string, number>; values: { name: string; slug: string }; errors: FieldErrors; notice: string | null }) {
  const { chrome, errors } = props
  return (
    <AdminLayout chrome={chrome} title="Tags">
      <h1>Tags</h1>
      <DoneNotice message={props.notice} />
      <ErrorSummary errors={errors} intro="The tag was not created" />
      {props.tags.length === 0 ? (
        <p>No tags yet. Writers add them on a story; you can add one here too.</p>
      ) : (
        <TableScroll label="Table of tags">
          <table>
            <caption class="visually-hidden">Tags by name</caption>
            <thead>
              <tr>
                <th scope="col">Tag</th>
                <th scope="col">Address</th>
                <th scope="col">Stories</th>
              </tr>
            </thead>
            <tbody>
              {props.tags.map((tag) => (
                <tr>
                  <th scope="row">
                    <a href={`/admin/tags/${tag.id}`}>{tag.name}</a>
                  </th>
                  <td>
                    <a href={`/tags/${tag.slug}`}>/tags/{tag.slug}</a>
                  </td>
                  <td>{props.counts.get(tag.id) ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <section aria-labelledby="new-tag-title">
        <h2 id="new-tag-title">New tag</h2>
        <form method="post" action="/admin/tags" class="record-form">
          <input type="hidden" name="_csrf" value={chrome.csrfToken} />
          <Field name="name" label="Name" value={props.values.name} required error={errors.name} />
          <Field name="slug" label="Slug" value={props.values.slug} hint="The address: /tags/slug. Leave empty to make one from the name." error={errors.slug} />
          <div>
            <button type="submit">Create the tag</button>
          </div>
        </form>
      </section>
    </AdminLayout>
  )
}

/** One tag: rename it, or merge it into another. */
export function TagEditPage(props: {
  chrome: AdminChrome
  tag: Tag
  tags: readonly Tag[]
  stories: number
  values: { name: string; slug: string }
  intoId: string
  errors: FieldErrors
  notice: string | null
}) {
  const { chrome, tag, errors } = props
  return (
    <AdminLayout chrome={chrome} title={`Tag: ${tag.name}`}>
      <p>
        <a href="/admin/tags">All tags</a>
      </p>
      <h1>Tag: {tag.name}</h1>
      <DoneNotice message={props.notice} />
      <ErrorSummary errors={errors} intro="Nothing was changed" />
      <p>
        {props.stories} {props.stories === 1 ? 'story carries' : 'stories carry'} this tag. Public address: <a href={`/tags/${tag.slug}`}>/tags/{tag.slug}</a>
      </p>
      <section aria-labelledby="rename-title">
        <h2 id="rename-title">Rename</h2>
        <form method="post" action={`/admin/tags/${tag.id}`} class="record-form">
          <input type="hidden" name="_csrf" value={chrome.csrfToken} />
          <Field name="name" label="Name" value={props.values.name} required error={errors.name} />
          <Field name="slug" label="Slug" value={props.values.slug} hint="A new slug keeps the old address working with a permanent redirect." error={errors.slug} />
          <div>
            <button type="submit">Save the tag</button>
          </div>
        </form>
      </section>
      <section class="danger-zone" aria-labelledby="merge-title">
        <h2 id="merge-title">Merge into another tag</h2>
        <p>Its stories get the tag you keep, its address redirects there, and this tag is deleted.</p>
        <form method="post" action={`/admin/tags/${tag.id}/merge`} class="record-form">
          <input type="hidden" name="_csrf" value={chrome.csrfToken} />
          <SelectField
            name="intoId"
            label="Tag to keep"
            value={props.intoId}
            options={[{ value: '', label: 'Choose a tag' }, ...props.tags.map((t) => ({ value: t.id, label: t.id === tag.id ? `${t.name} (this tag)` : t.name }))]}
            error={errors.intoId}
          />
          <div>
            <button type="submit" class="button-danger">
              Merge {tag.name}
            </button>
          </div>
        </form>
      </section>
    </AdminLayout>
  )
}
