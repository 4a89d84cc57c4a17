import { describe, expect, it } from 'vitest'
import { Mark } from './body.ts'
import { isEmbedUrl, isSafeHref, MAX_HREF_LENGTH } from './links.ts'

describe('isSafeHref', () => {
  it.each([
    'https://example.org/a?b=c#d',
    'HTTP://EXAMPLE.ORG',
    'mailto:desk@example.org',
    '/politics/harbour-talks',
    '/',
    '#corrections',
  ])('accepts %s', (href) => expect(isSafeHref(href)).toBe(true))

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '//evil.example/path',
    'vbscript:msgbox',
    'ftp://example.org/file',
    'example.org/page',
    '',
    `https://example.org/${'a'.repeat(MAX_HREF_LENGTH)}`,
  ])('refuses %s', (href) => expect(isSafeHref(href)).toBe(false))

  it('is the rule the body schema applies to links', () => {
    for (const href of ['https://a.example', '/x', '#y', 'mailto:z@a.example', '//host', 'javascript:x', 'data:x']) {
      expect(Mark.safeParse({ type: 'link', href }).success, href).toBe(isSafeHref(href))
    }
  })
})

describe('isEmbedUrl', () => {
  it('accepts absolute http(s) URLs only', () => {
    expect(isEmbedUrl('https://video.example/watch?v=1')).toBe(true)
    expect(isEmbedUrl('http://maps.example/')).toBe(true)
    expect(isEmbedUrl('/local')).toBe(false)
    expect(isEmbedUrl('https://')).toBe(false)
    expect(isEmbedUrl('javascript:alert(1)')).toBe(false)
  })
})
