import { describe, expect, it } from 'vitest'
import { normalizeLegacyPath } from '../paths.ts'
import { lexicalToHtml, mobiledocToHtml } from './ghost.ts'
import { autoParagraphs, decodeExport, slugFrom, stripShortcodes } from './text.ts'
import { readWordPress } from './wordpress.ts'

describe('export text helpers', () => {
  it('reduces shortcodes to their text and leaves brackets that are not shortcodes', () => {
    expect(stripShortcodes('[caption id="a" width="300"]<img src="x.jpg" alt="A"> The quay.[/caption]')).toBe('<figure><img src="x.jpg" alt="A"><figcaption>The quay.</figcaption></figure>')
    expect(stripShortcodes('Before [gallery ids="1,2"] after [sic] and [note]kept[/note].')).toBe('Before  after [sic] and kept.')
    expect(stripShortcodes('[embed]https://video.example/1[/embed]')).toBe('https://video.example/1')
  })

  it('makes paragraphs of classic-editor text, and leaves block-editor markup alone', () => {
    expect(autoParagraphs('One line\nsame paragraph.\n\nSecond.')).toBe('<p>One line<br>\nsame paragraph.</p>\n<p>Second.</p>')
    expect(autoParagraphs('<p>Already.</p>\n\n<p>Done.</p>')).toBe('<p>Already.</p>\n\n<p>Done.</p>')
  })

  it('makes ASCII slugs from encoded, accented and other-script slugs', () => {
    expect(slugFrom('%c3%a9lections-2024', 'x', 'y')).toBe('elections-2024')
    expect(slugFrom('%e6%b8%af', '港', 'post-13')).toBe('post-13')
    expect(slugFrom('%zz', 'Bad escape', 'y')).toBe('zz')
  })

  it('decodes strictly: a declared encoding is honoured, bad bytes are refused', () => {
    expect(decodeExport(new Uint8Array([0x3c, 0x3f, 0x78, 0x6d, 0x6c, 0x20, ...new TextEncoder().encode('encoding="ISO-8859-1"?>'), 0xe9]), 'f')).toMatch(/é$/)
    expect(() => decodeExport(new Uint8Array([0xff, 0xfe, 0x00]), 'f.xml')).toThrow(/not valid UTF-8/)
    expect(() => decodeExport(new TextEncoder().encode('<?xml version="1.0" encoding="x-nothing"?>'), 'f.xml')).toThrow(/cannot be read/)
  })

  it('stores old paths decoded, without a trailing slash or tracking parameters, keeping ?p=N', () => {
    expect(normalizeLegacyPath('/2024/05/Harbour/?utm_source=x#top')).toBe('/2024/05/Harbour')
    expect(normalizeLegacyPath('https://old.example/%E6%B8%AF/')).toBe('/港')
    expect(normalizeLegacyPath('/?p=12&utm=1')).toBe('/?p=12')
    expect(normalizeLegacyPath('/')).toBe('/')
    expect(normalizeLegacyPath('relative/path')).toBeNull()
  })
})

describe('Ghost bodies', () => {
  it('renders Lexical with marks, links, headings, lists and pictures, escaping text', () => {
    const html = lexicalToHtml(JSON.stringify({ root: { type: 'root', children: [
      { type: 'paragraph', children: [{ type: 'text', text: 'a <b>', format: 3 }, { type: 'link', url: '/x/', children: [{ type: 'text', text: 'x' }] }] },
      { type: 'list', listType: 'number', children: [{ type: 'listitem', children: [{ type: 'text', text: 'one' }] }] },
      { type: 'image', src: '/content/images/p.jpg', altText: 'P', caption: '<i>c</i>' },
    ] } }))
    expect(html).toBe('<p><em><strong>a &lt;b&gt;</strong></em><a href="/x/">x</a></p><ol><li>one</li></ol><figure><img src="/content/images/p.jpg" alt="P"><figcaption>c</figcaption></figure>')
  })

  it('renders Mobiledoc markers, lists and cards', () => {
    const html = mobiledocToHtml(JSON.stringify({ version: '0.3.1', markups: [['em'], ['a', ['href', 'https://x.example']]], atoms: [['mention', '@desk', {}]], cards: [['hr', {}]],
      sections: [[1, 'h2', [[0, [0], 1, 'Title']]], [1, 'p', [[0, [1], 1, 'link'], [1, [], 0, 0]]], [10, 0], [3, 'ul', [[[0, [], 0, 'item']]]]] }))
    expect(html).toBe('<h2><em>Title</em></h2><p><a href="https://x.example">link</a>@desk</p><hr><ul><li>item</li></ul>')
  })
})

describe('WordPress reader', () => {
  it('reports a huge body instead of importing it, and reads the rest', () => {
    const huge = 'x'.repeat(2_000_001)
    const item = (id: number, body: string) =>
      `<item><title>Post ${id}</title><content:encoded><![CDATA[${body}]]></content:encoded><wp:post_id>${id}</wp:post_id><wp:post_date_gmt>2024-01-01 00:00:00</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>`
    const xml = `<rss xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title><wp:wxr_version>1.2</wp:wxr_version>${item(1, huge)}${item(2, '<p>Small.</p>')}</channel></rss>`
    const bundle = readWordPress(new TextEncoder().encode(xml), 'huge.xml')
    // No guid and no site address: the post is known by its id in this file.
    expect(bundle.posts.map((p) => p.sourceId)).toEqual(['file:huge.xml/?p=2'])
    expect(bundle.skipped).toEqual([expect.objectContaining({ where: 'item[1] "Post 1"', code: 'IMPORT_FIELD_TOO_LARGE' })])
    expect(bundle.posts[0]!.publishedAt).toBe('2024-01-01T00:00:00.000Z')
  })

  it('keys posts by guid, or by id on the host (scheme and www ignored), and reads a draft\'s local date in the zone of the nearest sample', () => {
    const item = (id: number, guid: string, dates: string) =>
      `<item><title>Post ${id}</title>${guid ? `<guid isPermaLink="false">${guid}</guid>` : ''}<content:encoded><![CDATA[<p>Text.</p>]]></content:encoded><wp:post_id>${id}</wp:post_id>${dates}<wp:status>draft</wp:status><wp:post_type>post</wp:post_type></item>`
    const sample = (local: string, gmt: string) => `<item><title>S</title><wp:post_id>9${local.slice(5, 7)}</wp:post_id><wp:post_date>${local}</wp:post_date><wp:post_date_gmt>${gmt}</wp:post_date_gmt><wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type></item>`
    const local = (value: string) => `<wp:post_date>${value}</wp:post_date><wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>`
    const exportOf = (site: string) =>
      `<rss xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title><link>${site}</link><wp:wxr_version>1.2</wp:wxr_version>` +
      // Summer (+2) and winter (+1) offsets, as a site in Central European time shows them.
      sample('2024-07-01 12:00:00', '2024-07-01 10:00:00') +
      sample('2024-01-10 12:00:00', '2024-01-10 11:00:00') +
      item(1, 'https://old.example/?p=1', local('2024-07-03 09:00:00')) +
      item(2, '', local('2024-01-12 09:00:00')) +
      '</channel></rss>'
    const first = readWordPress(new TextEncoder().encode(exportOf('https://old.example')), 'a.xml')
    const moved = readWordPress(new TextEncoder().encode(exportOf('http://www.old.example')), 'b.xml')
    expect(first.posts.map((p) => p.sourceId)).toEqual(['https://old.example/?p=1', 'old.example/?p=2'])
    expect(moved.posts.map((p) => p.sourceId)).toEqual(first.posts.map((p) => p.sourceId))
    expect(first.posts.map((p) => p.createdAt)).toEqual(['2024-07-03T07:00:00.000Z', '2024-01-12T08:00:00.000Z'])
  })
})
