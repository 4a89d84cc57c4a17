import type { Container } from '../../src/server/container.ts'
import { paragraph, type Actor, type CreateDraft } from '../../src/articles/index.ts'

export const EDITOR: Actor = { userId: null }

let sequence = 0

/** The minimum world a publishable story needs: a section tree, a desk, a staff source, a tag. */
export async function makeWorld(container: Container) {
  const n = ++sequence
  const region = await container.sections.createSection({ slug: `region-${n}`, name: `Region ${n}`, kind: 'region' })
  const country = await container.sections.createSection({ slug: `country-${n}`, name: `Country ${n}`, kind: 'country', parentId: region.id })
  const topic = await container.sections.createSection({ slug: `topic-${n}`, name: `Topic ${n}`, kind: 'topic' })
  const desk = await container.authors.createAuthor({ slug: `desk-${n}`, name: `Desk ${n}`, kind: 'desk' })
  const reporter = await container.authors.createAuthor({ slug: `reporter-${n}`, name: `Reporter ${n}`, kind: 'person' })
  const staff = await container.sources.createSource({ slug: `staff-${n}`, name: 'Staff', credit: 'The Test Paper', kind: 'staff' })
  const agency = await container.sources.createSource({ slug: `agency-${n}`, name: 'Test Agency', credit: 'TA', kind: 'agency' })
  const tag = await container.sections.createTag({ slug: `tag-${n}`, name: `Tag ${n}` })
  return { region, country, topic, desk, reporter, staff, agency, tag }
}

export type World = Awaited<ReturnType<typeof makeWorld>>

/** A complete draft in the world's sections; override any field. */
export function draftInput(world: World, overrides: Partial<CreateDraft> = {}): CreateDraft {
  const n = ++sequence
  return {
    title: `Story number ${n}`,
    dek: `The dek of story ${n}.`,
    body: [paragraph(`First paragraph of story ${n}.`), paragraph('Second paragraph.')],
    sectionIds: [world.country.id, world.topic.id],
    authorIds: [world.desk.id],
    tagIds: [world.tag.id],
    sourceId: world.agency.id,
    ...overrides,
  }
}
