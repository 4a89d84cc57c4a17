import { describe, expect, it } from 'vitest'
import { WireItem } from './wire-item.ts'

const valid: WireItem = {
  format: 'newsml-g2',
  formatVersion: '2.34',
  kind: 'text',
  agency: 'ACP',
  agencyName: 'Agence Continentale de Presse',
  agencyItemId: 'urn:newsml:acp.example:20260203:DIPLO-0142',
  version: 2,
  versionCreated: '2026-02-03T14:05:00.000Z',
  firstCreated: null,
  headline: 'Coastal neighbours reopen talks on shared harbour',
  slugline: null,
  summary: null,
  body: [{ type: 'paragraph', content: [{ text: 'Negotiators met on Tuesday.' }] }],
  subjects: [{ scheme: 'medtop', code: '11000000', name: 'politics' }],
  keywords: [],
  located: 'Valmont',
  dateline: null,
  byline: null,
  creditLine: 'ACP',
  copyrightNotice: null,
  usageTerms: null,
  language: 'en-GB',
  urgency: 3,
  embargoUntil: null,
  pubStatus: 'usable',
  signals: ['sig:update'],
  editorialNotes: ['Moved with picture.'],
  pictures: [{ href: 'https://media.acp.example/1.jpg', width: 800, height: 600 }],
  link: null,
  related: [],
}

describe('WireItem', () => {
  it('accepts a complete item', () => {
    expect(WireItem.parse(valid)).toEqual(valid)
  })

  it.each([
    ['an unknown field', { ...valid, html: '<p>x</p>' }],
    ['an empty headline', { ...valid, headline: '' }],
    ['urgency out of range', { ...valid, urgency: 10 }],
    ['a date that is not ISO UTC', { ...valid, versionCreated: 'Tue, 03 Feb 2026' }],
    ['a relative link', { ...valid, link: '/story' }],
    ['a javascript: picture', { ...valid, pictures: [{ href: 'javascript:alert(1)' }] }],
    ['an unknown status', { ...valid, pubStatus: 'killed' }],
    ['a language that is not a tag', { ...valid, language: 'en_GB' }],
    ['a body block we do not know', { ...valid, body: [{ type: 'html', html: '<p>x</p>' }] }],
  ])('refuses %s', (_name, item) => {
    expect(WireItem.safeParse(item).success).toBe(false)
  })
})
