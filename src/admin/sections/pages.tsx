import type { Section, SectionKind } from '../../sections/index.ts'
import { AdminLayout, ErrorSummary, Field, type AdminChrome, type FieldErrors } from '../shell/layout.tsx'
import { DoneNotice, SelectField, TextAreaField } from '../shell/record-fields.tsx'
import { TableScroll } from '../shell/table-scroll.tsx'

export const SECTION_KINDS: readonly { value: SectionKind; label: string }[] = [
  { value: 'topic', label: 'Topic (Politics, Science)' },
  { value: 'region', label: 'Region (Latin America)' },
  { value: 'country', label: 'Country (USA)' },
  { value: 'opinion', label: 'Opinion pages' },
]

/** What a section form shows: the stored section, or what the person typed. */
export interface SectionValues {
  name: string
  slug: string
  description: string
  kind: string
  parentId: string
}

/** The tree in display order, each section with its depth. */
export function walkTree(sections: readonly Section[]): { section: Section; depth: number }[] {
  const out: { section: Section; depth: number }[] = []
  const visit = (parentId: string | null, depth: number) => {
    for (const section of sections.filter((s) => s.parentId === parentId)) {
      if (out.some((o) => o.section.id === section.id) || depth > 32) continue
      out.push({ section, depth })
      visit(section.id, depth + 1)
    }
  }
  visit(null, 0)
  return out
}

function parentOptions(sections: readonly Section[], exclude: ReadonlySet<string>) {
  return [
    { value: '', label: 'None: a top-level section' },
    ...walkTree(sections)
      .filter(({ section }) => !exclude.has(section.id))
      .map(({ section, depth }) => ({ value: section.id, label: `${'— '.repeat(depth)}${section.name}` })),
  ]
}

function SectionFields(props: { values: SectionValues; errors: FieldErrors; sections: readonly Section[]; exclude: ReadonlySet<string> }) {
  const { values, errors } = props
  return (
    <>
      <Field name="name" label="Name" value={values.name} required error={errors.name} />
      <Field name="slug" label="Slug" value={values.slug} hint="The address: /sections/slug. Lower-case letters, digits and hyphens. Leave empty to make one from the name." error={errors.slug} />
      <TextAreaField name="description" label="Description" value={values.description} rows={3} hint="Shown at the top of the section page." error={errors.description} />
      <SelectField name="kind" label="Kind" value={values.kind} options={SECTION_KINDS} error={errors.kind} />
      <SelectField name="parentId" label="Parent section" value={values.parentId} options={parentOptions(props.sections, props.exclude)} error={errors.parentId} />
    </>
  )
}

/** The section tree: order, story counts, and a form for a new section. */
export function SectionsPage(props: {
  chrome: AdminChrome
  sections: readonly Section[]
  counts: ReadonlyMap<string, number>
  values: SectionValues
  errors: FieldErrors
  notice: string | null
}) {
  const { chrome, errors } = props
  const tree = walkTree(props.sections)
  return (
    <AdminLayout chrome={chrome} title="Sections">
      <h1>Sections</h1>
      <DoneNotice message={props.notice} />
      <ErrorSummary errors={errors} intro="The section was not created" />
      <TableScroll label="Table of sections">
        <table>
          <caption class="visually-hidden">The section tree, in the order readers see it</caption>
          <thead>
            <tr>
              <th scope="col">Section</th>
              <th scope="col">Address</th>
              <th scope="col">Stories</th>
              <th scope="col">Order and changes</th>
            </tr>
          </thead>
          <tbody>
            {tree.map(({ section, depth }) => {
              const siblings = tree.filter((t) => t.section.parentId === section.parentId)
              const place = siblings.findIndex((t) => t.section.id === section.id)
              return (
                <tr class={`tree-depth-${Math.min(depth, 3)}`}>
                  <th scope="row">{section.name}</th>
                  <td>
                    <a href={`/sections/${section.slug}`}>/sections/{section.slug}</a>
                  </td>
                  <td>{props.counts.get(section.id) ?? 0}</td>
                  <td>
                    <div class="row-actions">
                      <a href={`/admin/sections/${section.id}`}>
                        Edit<span class="visually-hidden"> {section.name}</span>
                      </a>
                      {(['up', 'down'] as const).map((direction) =>
                        (direction === 'up' ? place > 0 : place < siblings.length - 1) ? (
                          <form method="post" action={`/admin/sections/${section.id}/move`}>
                            <input type="hidden" name="_csrf" value={chrome.csrfToken} />
                            <input type="hidden" name="direction" value={direction} />
                            <button type="submit" class="link-button">
                              Move {direction}
                              <span class="visually-hidden"> {section.name}</span>
                            </button>
                          </form>
                        ) : null,
                      )}
                    </div>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </TableScroll>
      <section aria-labelledby="new-section-title">
        <h2 id="new-section-title">New section</h2>
        <form method="post" action="/admin/sections" class="record-form">
          <input type="hidden" name="_csrf" value={chrome.csrfToken} />
          <SectionFields values={props.values} errors={errors} sections={props.sections} exclude={new Set()} />
          <div>
            <button type="submit">Create the section</button>
          </div>
        </form>
      </section>
    </AdminLayout>
  )
}

/** One section: rename, describe, move under another parent; delete, moving its stories first. */
export function SectionEditPage(props: {
  chrome: AdminChrome
  section: Section
  sections: readonly Section[]
  /** The section itself and everything under it: it cannot move there. */
  subtree: ReadonlySet<string>
  stories: number
  hasChildren: boolean
  values: SectionValues
  errors: FieldErrors
  moveTo: string
  notice: string | null
}) {
  const { chrome, section, errors } = props
  const targets = walkTree(props.sections).filter(({ section: s }) => s.id !== section.id)
  return (
    <AdminLayout chrome={chrome} title={`Section: ${section.name}`}>
      <p>
        <a href="/admin/sections">All sections</a>
      </p>
      <h1>Section: {section.name}</h1>
      <DoneNotice message={props.notice} />
      <ErrorSummary errors={errors} intro="Nothing was changed" anchors={{ moveTo: 'field-moveTo' }} />
      <form method="post" action={`/admin/sections/${section.id}`} class="record-form">
        <input type="hidden" name="_csrf" value={chrome.csrfToken} />
        <SectionFields values={props.values} errors={errors} sections={props.sections} exclude={props.subtree} />
        <p class="hint">A new slug keeps the old address working: it sends readers on with a permanent redirect.</p>
        <div>
          <button type="submit">Save the section</button>
        </div>
      </form>
      <section class="danger-zone" aria-labelledby="delete-title">
        <h2 id="delete-title">Delete this section</h2>
        {props.hasChildren ? (
          <p>This section has sub-sections. Move them under another parent, or delete them, before deleting it.</p>
        ) : (
          <form method="post" action={`/admin/sections/${section.id}/delete`} class="record-form">
            <input type="hidden" name="_csrf" value={chrome.csrfToken} />
            {props.stories > 0 ? (
              <SelectField
                name="moveTo"
                label={`Move its ${props.stories} ${props.stories === 1 ? 'story' : 'stories'} to`}
                value={props.moveTo}
                hint="The stories join this section, and the old address redirects there."
                options={[{ value: '', label: 'Choose a section' }, ...targets.map(({ section: s, depth }) => ({ value: s.id, label: `${'— '.repeat(depth)}${s.name}` }))]}
                error={errors.moveTo}
              />
            ) : (
              <p>No story is in this section.</p>
            )}
            <div>
              <button type="submit" class="button-danger">
                Delete {section.name}
              </button>
            </div>
          </form>
        )}
      </section>
    </AdminLayout>
  )
}
