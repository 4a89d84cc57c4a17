import type { Source, SourceKind } from '../../sources/index.ts'
import { AdminLayout, ErrorSummary, Field, type AdminChrome, type FieldErrors } from '../shell/layout.tsx'
import { DoneNotice, SelectField } from '../shell/record-fields.tsx'
import { TableScroll } from '../shell/table-scroll.tsx'

export const SOURCE_KINDS: readonly { value: SourceKind; label: string }[] = [
  { value: 'agency', label: 'News agency' },
  { value: 'partner', label: 'Syndication partner' },
  { value: 'staff', label: 'Our own staff' },
  { value: 'reader', label: 'Readers' },
]

const KIND_LABEL = new Map(SOURCE_KINDS.map((k) => [k.value, k.label]))

export interface SourceValues {
  name: string
  slug: string
  credit: string
  kind: string
  url: string
}

/** Every source with its credit and story count. */
export function SourcesPage(props: { chrome: AdminChrome; sources: readonly Source[]; counts: ReadonlyMap<string, number>; notice: string | null }) {
  return (
    <AdminLayout chrome={props.chrome} title="Sources">
      <h1>Sources</h1>
      <DoneNotice message={props.notice} />
      <p>Agencies, partners, the staff and readers: the credit line of every story names one. The wire desk adds an agency here the first time it makes a draft from its copy.</p>
      <p>
        <a href="/admin/sources/new">New source</a>
      </p>
      <TableScroll label="Table of sources">
        <table>
          <caption class="visually-hidden">Sources by name</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Credit line</th>
              <th scope="col">Kind</th>
              <th scope="col">Stories</th>
            </tr>
          </thead>
          <tbody>
            {props.sources.map((source) => (
              <tr>
                <th scope="row">
                  <a href={`/admin/sources/${source.id}`}>{source.name}</a>
                </th>
                <td>Source: {source.credit}</td>
                <td>{KIND_LABEL.get(source.kind) ?? source.kind}</td>
                <td>{props.counts.get(source.id) ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </AdminLayout>
  )
}

/** The form for a new source, or for changing one (slug fixed), with deletion below. */
export function SourceFormPage(props: { chrome: AdminChrome; source: Source | null; values: SourceValues; errors: FieldErrors; stories: number; notice: string | null }) {
  const { chrome, source, values, errors } = props
  const title = source ? `Source: ${source.name}` : 'New source'
  return (
    <AdminLayout chrome={chrome} title={title}>
      <p>
        <a href="/admin/sources">All sources</a>
      </p>
      <h1>{title}</h1>
      <DoneNotice message={props.notice} />
      <ErrorSummary errors={errors} intro={source ? 'Nothing was changed' : 'The source was not created'} />
      <form method="post" action={source ? `/admin/sources/${source.id}` : '/admin/sources'} class="record-form">
        <input type="hidden" name="_csrf" value={chrome.csrfToken} />
        <Field name="name" label="Name" value={values.name} required hint="In full, e.g. Agence Continentale de Presse." error={errors.name} />
        <Field name="credit" label="Credit" value={values.credit} required hint={'The short name the credit line shows: "Source: ACP".'} error={errors.credit} />
        {source ? (
          <p>
            Slug: <code>{source.slug}</code> <span class="hint">(fixed: the wire desk finds the agency by it)</span>
          </p>
        ) : (
          <Field name="slug" label="Slug" value={values.slug} hint="For a wire agency, its agency key (acp). Leave empty to make one from the credit." error={errors.slug} />
        )}
        <SelectField name="kind" label="Kind" value={values.kind} options={SOURCE_KINDS} error={errors.kind} />
        <Field name="url" label="Website" type="url" value={values.url} hint="Optional; http:// or https://." error={errors.url} />
        <div>
          <button type="submit">{source ? 'Save' : 'Create'}</button>
        </div>
      </form>
      {source ? (
        <section class="danger-zone" aria-labelledby="delete-title">
          <h2 id="delete-title">Delete</h2>
          {props.stories > 0 ? (
            <p>
              {props.stories} {props.stories === 1 ? 'story is' : 'stories are'} credited to {source.name}, so it cannot be deleted.
            </p>
          ) : (
            <form method="post" action={`/admin/sources/${source.id}/delete`}>
              <input type="hidden" name="_csrf" value={chrome.csrfToken} />
              <button type="submit" class="button-danger">
                Delete {source.name}
              </button>
            </form>
          )}
        </section>
      ) : null}
    </AdminLayout>
  )
}
