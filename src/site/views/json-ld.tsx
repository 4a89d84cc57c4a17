import { html, htmlNode, rawHtml, type Html } from '../html.ts'

/**
 * A schema.org JSON-LD block. This is the one place public pages emit raw
 * text into a <script>: JSON.stringify output with `<`, `>` and `&` escaped as
 * \u sequences, so no value can close the script element.
 */
export function jsonLd(data: Record<string, unknown>): Html {
  const json = JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return html`<script type="application/ld+json">${rawHtml(json)}</script>`
}

/** jsonLd in a Preact view. */
export function JsonLd({ data }: { data: Record<string, unknown> }) {
  return htmlNode(jsonLd(data))
}
