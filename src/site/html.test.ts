import fc from 'fast-check'
import { Fragment, h } from 'preact'
import { renderToString } from 'preact-render-to-string'
import { describe, expect, it } from 'vitest'
import { attr, html, htmlAround, htmlNode, rawHtml } from './html.ts'

describe('html templates', () => {
  it('escape every value unless it is markup made by html or named raw', () => {
    const text = '<script>alert("x")</script> & more'
    expect(html`<p>${text}</p>`.value).toBe('<p>&lt;script>alert(&quot;x&quot;)&lt;/script> &amp; more</p>')
    expect(html`<p>${[text, html`<b>${'b'}</b>`, null, undefined, false, 3]}</p>`.value).toBe('<p>&lt;script>alert(&quot;x&quot;)&lt;/script> &amp; more<b>b</b>3</p>')
    expect(html`${rawHtml('<hr/>')}`.value).toBe('<hr/>')
  })

  it('print text and attributes byte for byte as Preact does', () => {
    fc.assert(
      fc.property(fc.string(), fc.oneof(fc.string(), fc.constant(''), fc.constant(null), fc.constant(undefined), fc.integer()), (text, value) => {
        expect(html`<p${attr('title', value)}>${text}</p>`.value).toBe(renderToString(h('p', { title: value ?? undefined }, text)))
      }),
    )
  })

  it('mix with Preact views both ways, Preact still escaping its own values', () => {
    expect(renderToString(h('div', null, htmlNode(html`<b>${'<i>'}</b>`)))).toBe('<div><b>&lt;i></b></div>')
    expect(renderToString(htmlAround([html`<main>`, html`</main>`], [h(Fragment, null, '<x>')]))).toBe('<main>&lt;x></main>')
  })
})
