import { leadImageOf, type Article, type Body, type Correction } from '../../articles/index.ts'
import type { Author } from '../../authors/index.ts'
import type { Section, Tag } from '../../sections/index.ts'
import { bodyHtml, urls } from '../../site/index.ts'
import type { Source } from '../../sources/index.ts'

/** A section, author or tag as the API shows it: enough to link and to filter by. */
export interface ApiRef {
  id: string
  slug: string
  name: string
  url: string
}

/** A public story as the content API gives it: the fields its page shows. */
export interface ApiStory {
  id: string
  slug: string
  url: string
  headline: string
  standfirst: string | null
  dateline: string | null
  publishedAt: string
  updatedAt: string | null
  primarySection: ApiRef | null
  sections: ApiRef[]
  authors: (ApiRef & { kind: Author['kind']; jobTitle: string | null })[]
  tags: ApiRef[]
  credit: { slug: string; name: string; credit: string; kind: Source['kind'] } | null
  image: { url: string; width: number; height: number; alt: string; caption: string | null; credit: string | null } | null
  corrections: { text: string; at: string }[]
  body: Body
  bodyHtml: string
}

/** What turning stories into API objects needs, looked up once per response. */
export interface StoryLookups {
  origin: string
  timeZone: string
  sections: ReadonlyMap<string, Section>
  authors: ReadonlyMap<string, Author>
  tags: ReadonlyMap<string, Tag>
  sources: ReadonlyMap<string, Source>
  corrections: ReadonlyMap<string, readonly Correction[]>
}

export const sectionRef = (origin: string, s: Section): ApiRef => ({ id: s.id, slug: s.slug, name: s.name, url: origin + urls.section(s.slug) })
export const authorRef = (origin: string, a: Author) => ({ id: a.id, slug: a.slug, name: a.name, url: origin + urls.author(a.slug), kind: a.kind, jobTitle: a.jobTitle })
export const tagRef = (origin: string, t: Tag): ApiRef => ({ id: t.id, slug: t.slug, name: t.name, url: origin + urls.tag(t.slug) })

const present = <T,>(value: T | undefined): value is T => value !== undefined

/** One public story as the API shows it. Editorial notes, drafts and workflow fields never appear. */
export function toApiStory(article: Article, look: StoryLookups): ApiStory {
  const { origin } = look
  const sections = article.sectionIds.map((id) => look.sections.get(id)).filter(present)
  const source = article.sourceId ? look.sources.get(article.sourceId) : undefined
  const image = leadImageOf(article)
  const absolute = (src: string) => (src.startsWith('/') && !src.startsWith('//') ? origin + src : src)
  return {
    id: article.id,
    slug: article.slug,
    url: origin + urls.article(article.slug),
    headline: article.title,
    standfirst: article.dek,
    dateline: article.dateline,
    publishedAt: article.publishedAt!,
    updatedAt: article.updatedAt,
    primarySection: sections[0] ? sectionRef(origin, sections[0]) : null,
    sections: sections.map((s) => sectionRef(origin, s)),
    authors: article.authorIds.map((id) => look.authors.get(id)).filter(present).map((a) => authorRef(origin, a)),
    tags: article.tagIds.map((id) => look.tags.get(id)).filter(present).map((t) => tagRef(origin, t)),
    credit: source ? { slug: source.slug, name: source.name, credit: source.credit, kind: source.kind } : null,
    image: image ? { url: absolute(image.src), width: image.width, height: image.height, alt: image.alt, caption: image.caption ?? null, credit: image.credit ?? null } : null,
    corrections: (look.corrections.get(article.id) ?? []).map((c) => ({ text: c.text, at: c.createdAt })),
    body: article.body,
    bodyHtml: bodyHtml(article.body, origin, look.timeZone),
  }
}
