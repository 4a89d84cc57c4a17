import type { Author } from '../../authors/index.ts'
import { AdminLayout, ErrorSummary, Field, type AdminChrome, type FieldErrors } from '../shell/layout.tsx'
import { CheckboxField, DoneNotice, pictureOptions, SelectField, TextAreaField } from '../shell/record-fields.tsx'
import { TableScroll } from '../shell/table-scroll.tsx'

/** What the author form shows: the stored author, or what the person typed. */
export interface AuthorValues {
  name: string
  slug: string
  isDesk: boolean
  jobTitle: string
  bio: string
  userId: string
  links: string
  pictureMediaId: string
}

/** Authors and desks with their accounts and story counts. */
export function AuthorsPage(props: { chrome: AdminChrome; authors: readonly Author[]; counts: ReadonlyMap<string, number>; accounts: ReadonlyMap<string, string>; notice: string | null }) {
  return (
    <AdminLayout chrome={props.chrome} title="Authors and desks">
      <h1>Authors and desks</h1>
      <DoneNotice message={props.notice} />
      <p>
        <a href="/admin/authors/new">New author or desk</a>
      </p>
      <TableScroll label="Table of authors and desks">
        <table>
          <caption class="visually-hidden">Authors and desks by name</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Staff account</th>
              <th scope="col">Stories</th>
            </tr>
          </thead>
          <tbody>
            {props.authors.map((author) => (
              <tr>
                <th scope="row">
                  <a href={`/admin/authors/${author.id}`}>{author.name}</a>
                  {author.jobTitle ? (
                    <>
                      <br />
                      <span class="meta">{author.jobTitle}</span>
                    </>
                  ) : null}
                </th>
                <td>{author.kind === 'desk' ? 'Desk' : 'Person'}</td>
                <td>{author.userId ? (props.accounts.get(author.userId) ?? 'Unknown account') : 'None'}</td>
                <td>{props.counts.get(author.id) ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </AdminLayout>
  )
}

/** The form for a new author or desk, or for changing one (with deletion below). */
export function AuthorFormPage(props: {
  chrome: AdminChrome
  author: Author | null
  values: AuthorValues
  errors: FieldErrors
  accounts: readonly { value: string; label: string }[]
  /** Pictures of the media library to choose from. */
  pictures: readonly { id: string; label: string }[]
  stories: number
  notice: string | null
}) {
  const { chrome, author, values, errors } = props
  const title = author ? `Author: ${author.name}` : 'New author or desk'
  return (
    <AdminLayout chrome={chrome} title={title}>
      <p>
        <a href="/admin/authors">All authors and desks</a>
      </p>
      <h1>{title}</h1>
      <DoneNotice message={props.notice} />
      <ErrorSummary errors={errors} intro={author ? 'Nothing was changed' : 'The author was not created'} />
      <form method="post" action={author ? `/admin/authors/${author.id}` : '/admin/authors'} class="record-form">
        <input type="hidden" name="_csrf" value={chrome.csrfToken} />
        <Field name="name" label="Name" value={values.name} required error={errors.name} />
        <Field name="slug" label="Slug" value={values.slug} hint="The address of their page: /authors/slug. Leave empty to make one from the name." error={errors.slug} />
        <CheckboxField name="isDesk" label="This is a desk" checked={values.isDesk} hint={'A desk signs for the newsroom, as in "Hemisphere Ledger Staff".'} error={errors.kind} />
        <Field name="jobTitle" label="Job title" value={values.jobTitle} error={errors.jobTitle} />
        <TextAreaField name="bio" label="Biography" value={values.bio} rows={5} error={errors.bio} />
        <TextAreaField name="links" label="Links" value={values.links} rows={3} hint="One a line: a name, a space, then the address, e.g. Mastodon https://social.example/@name." error={errors.links} />
        <SelectField name="pictureMediaId" label="Picture" value={values.pictureMediaId} options={pictureOptions(props.pictures, values.pictureMediaId, 'No picture')} hint="From the media library: upload it there first." error={errors.pictureMediaId} />
        <SelectField name="userId" label="Staff account" value={values.userId} options={props.accounts} hint="Contributors and wire bylines need no account." error={errors.userId} />
        <div>
          <button type="submit">{author ? 'Save' : 'Create'}</button>
        </div>
      </form>
      {author ? (
        <section class="danger-zone" aria-labelledby="delete-title">
          <h2 id="delete-title">Delete</h2>
          {props.stories > 0 ? (
            <p>
              {author.name} is in the byline of {props.stories} {props.stories === 1 ? 'story' : 'stories'}, so it cannot be deleted.
            </p>
          ) : (
            <form method="post" action={`/admin/authors/${author.id}/delete`}>
              <input type="hidden" name="_csrf" value={chrome.csrfToken} />
              <button type="submit" class="button-danger">
                Delete {author.name}
              </button>
            </form>
          )}
        </section>
      ) : null}
    </AdminLayout>
  )
}
