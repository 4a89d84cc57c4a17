import { describe, expect, it } from 'vitest'
import { DomainError } from '../shared/errors.ts'
import { assertPublishable, canTransition, publishProblems, type Article } from './article.ts'
import { Body, bodyText, paragraph } from './body.ts'

const base: Article = {
  id: 'art_1',
  slug: 's',
  title: 'A headline',
  seoTitle: null,
  dek: null,
  body: [paragraph('Text.')],
  status: 'draft',
  sectionIds: ['sec_1'],
  authorIds: ['aut_1'],
  tagIds: [],
  sourceId: 'src_1',
  dateline: null,
  seoDescription: null,
  featuredMediaId: null,
  publishedAt: null,
  updatedAt: null,
  scheduledAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  modifiedAt: '2026-01-01T00:00:00.000Z',
  revision: 0,
  editVersion: 1,
  createdBy: null,
  modifiedBy: null,
  withdrawnAt: null,
  withdrawnNote: null,
}

describe('article lifecycle rules', () => {
  it('allows the newsroom moves and refuses the rest', () => {
    expect(canTransition('draft', 'in_review')).toBe(true)
    expect(canTransition('in_review', 'published')).toBe(true)
    expect(canTransition('scheduled', 'published')).toBe(true)
    expect(canTransition('published', 'unpublished')).toBe(true)
    expect(canTransition('unpublished', 'published')).toBe(true)
    expect(canTransition('published', 'draft')).toBe(false)
    expect(canTransition('published', 'published')).toBe(false)
    expect(canTransition('draft', 'unpublished')).toBe(false)
  })

  it('names everything a story lacks before it can be published', () => {
    expect(publishProblems(base)).toEqual([])
    const empty = { ...base, title: ' ', body: [], sectionIds: [], authorIds: [], sourceId: null }
    expect(publishProblems(empty).map((i) => i.path)).toEqual(['title', 'body', 'sectionIds', 'authorIds', 'sourceId'])
    expect(() => assertPublishable(empty)).toThrow(DomainError)
  })

  it('refuses to publish a picture without alt text', () => {
    const picture = { type: 'image' as const, src: '/media/a.png', alt: ' ', width: 10, height: 10 }
    expect(publishProblems({ ...base, body: [paragraph('Text.'), picture] }).map((i) => i.path)).toEqual(['body[1].alt'])
  })
})

describe('body documents', () => {
  it('accept every block type and yield plain text', () => {
    const body = Body.parse([
      { type: 'heading', level: 2, content: [{ text: 'Background' }] },
      { type: 'paragraph', content: [{ text: 'See ' }, { text: 'the report', marks: [{ type: 'link', href: 'https://example.org/r' }] }] },
      { type: 'quote', content: [{ text: 'We will talk.' }], attribution: { speaker: 'A. Minister', givenTo: 'Meridian', context: 'in an interview', via: 'ACP' } },
      { type: 'pullquote', text: 'We will talk.' },
      { type: 'image', src: '/media/a.svg', alt: 'A map', width: 800, height: 400, caption: 'The route', credit: 'Illustration: Ledger' },
      { type: 'list', ordered: false, items: [[{ text: 'one' }], [{ text: 'two' }]] },
      { type: 'embed', url: 'https://video.example.org/x', title: 'Briefing' },
      { type: 'divider' },
    ])
    expect(bodyText(body)).toBe('Background\n\nSee the report\n\nWe will talk.\n\nWe will talk.\n\nThe route\n\none\ntwo\n\nBriefing')
  })

  it('refuse script links, protocol-relative links and unknown blocks', () => {
    const link = (href: string) => [{ type: 'paragraph', content: [{ text: 'x', marks: [{ type: 'link', href }] }] }]
    expect(Body.safeParse(link('javascript:alert(1)')).success).toBe(false)
    expect(Body.safeParse(link('//evil.example/')).success).toBe(false)
    expect(Body.safeParse(link('data:text/html,hi')).success).toBe(false)
    expect(Body.safeParse(link('/sections/politics')).success).toBe(true)
    expect(Body.safeParse([{ type: 'html', html: '<b>x</b>' }]).success).toBe(false)
  })
})
