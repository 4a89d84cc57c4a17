import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { wireFixturePath } from '../../../test/support/wire-fixtures.ts'
import { parseWire } from './index.ts'

/** A picture fixture with its agency host pointed at an address of ours. */
const fixture = (name: string) => new TextEncoder().encode(readFileSync(wireFixturePath(name), 'utf8').replaceAll('PORT', '8080'))

describe('picture items', () => {
  it('reads a ninjs picture with its rendition, caption, alt text and credit', () => {
    const report = parseWire(fixture('ninjs/v2-acp-harbour-picture.json'), {})
    expect(report.rejected).toEqual([])
    const [item] = report.items
    expect(item).toMatchObject({ kind: 'picture', agency: 'ACP', headline: 'Cranes over the container quay of the shared harbour at dusk, on the eve of the talks.' })
    expect(item!.pictures).toEqual([
      {
        href: 'http://127.0.0.1:8080/acp/harbour-cranes.jpg',
        caption: 'Cranes over the container quay of the shared harbour at dusk, on the eve of the talks.',
        altText: 'Harbour cranes against an orange evening sky',
        credit: 'Lena Ortiz',
        width: 1200,
        height: 800,
      },
    ])
  })

  it('reads a NewsML-G2 picture with its highest rendition and the agency credit line', () => {
    const report = parseWire(fixture('newsml-g2/meridian-ferry-picture.xml'), {})
    expect(report.rejected).toEqual([])
    const [item] = report.items
    expect(item).toMatchObject({ kind: 'picture', agency: 'MERIDIAN' })
    expect(item!.pictures).toEqual([
      {
        href: 'http://127.0.0.1:8080/meridian/ferry.png',
        caption: 'The evening ferry leaves the harbour as the crossing reopens after the dispute.',
        altText: 'A white ferry sailing out past the harbour wall',
        credit: 'Photo: Meridian / Tomás Reyes',
        width: 1024,
        height: 768,
      },
    ])
  })

  it('keeps a picture that comes with no words at all, listed by its file name, instead of rejecting it as empty', () => {
    const ninjs = parseWire(new TextEncoder().encode(JSON.stringify({ uri: 'urn:x:photo:1', type: 'picture', renditions: [{ name: 'original', href: 'https://photos.acp.example/2026/quay%20at%20dawn.jpg' }] })), {})
    expect(ninjs.rejected).toEqual([])
    expect(ninjs.items[0]!.headline).toBe('Picture: quay at dawn.jpg')
    expect(ninjs.warnings.map((w) => w.code)).toContain('WIRE_HEADLINE_DERIVED')

    const g2 = parseWire(
      new TextEncoder().encode(
        '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:g2:photo" version="1" standard="NewsML-G2" standardversion="2.33"><itemMeta><itemClass qcode="ninat:graphic"/><provider literal="MERIDIAN"/></itemMeta><contentSet><remoteContent href="https://photos.meridian.example/chart.png" contenttype="image/png"/></contentSet></newsItem>',
      ),
      {},
    )
    expect(g2.rejected).toEqual([])
    expect(g2.items[0]).toMatchObject({ kind: 'graphic', headline: 'Graphic: chart.png' })

    // A text item with nothing in it is still empty.
    const empty = parseWire(new TextEncoder().encode(JSON.stringify({ uri: 'urn:x:text:1', type: 'text' })), {})
    expect(empty.rejected.map((r) => r.code)).toEqual(['WIRE_ITEM_EMPTY'])
  })

  it('keeps a bare file name as a file delivered beside the copy, and never a path', () => {
    const item = (href: string) => new TextEncoder().encode(JSON.stringify({ uri: `urn:x:photo:${href}`, type: 'picture', headlines: [{ value: 'Quay' }], renditions: [{ name: 'original', href }] }))
    const where = (bytes: Uint8Array, baseUrl?: string) => parseWire(bytes, baseUrl ? { baseUrl } : {}).items[0]!.pictures.map((p) => ({ href: p.href, file: p.file }))
    expect(where(item('quay at dawn.jpg'))).toEqual([{ href: undefined, file: 'quay at dawn.jpg' }])
    for (const href of ['../secrets/quay.jpg', '/etc/passwd', 'photos/quay.jpg', '..\\quay.jpg', 'file:///etc/passwd']) {
      const report = parseWire(item(href), {})
      expect(report.items[0]!.pictures, href).toEqual([])
      expect(report.warnings.map((w) => w.code), href).toContain('WIRE_LINK_DROPPED')
    }
    // With a base (a polled feed), a relative name is an address, not a file.
    expect(where(item('quay.jpg'), 'https://wire.acp.example/photos/')).toEqual([{ href: 'https://wire.acp.example/photos/quay.jpg', file: undefined }])
  })
})
