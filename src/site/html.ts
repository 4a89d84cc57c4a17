import { jsxTemplate } from 'preact/jsx-runtime'
import type { VNode } from 'preact'

/**
 * HTML built as strings, for the pages rendered most often without the page
 * cache (the story page and the story cards). Preact builds a tree of nodes
 * and walks it again to print it; on an uncached story page that was a sixth
 * of the server's time, and most of its garbage. The output is the same bytes
 * Preact gives for the same markup, so views of either kind can be mixed.
 *
 * Escaping is on by default: every value placed in an `html` template is
 * escaped unless it is itself `Html` (made by `html`, or named with `rawHtml`).
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

/** Nothing: what a view returns when it shows nothing. */
export const EMPTY = new Html('')

/** What a template may hold: text and numbers (escaped), markup, nothing (null, undefined, booleans), or lists of these. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[]

const NEEDS_ESCAPING = /["&<]/

/**
 * Escapes text for an element's content or a quoted attribute value exactly
 * as preact-render-to-string does (`&`, `<` and `"`), so pages keep their
 * bytes whichever renderer made them. `>` needs no escaping in either place.
 */
export function escapeHtml(text: string): string {
  // Most text has nothing to escape, and the regular expression finds that out several times faster than the loop.
  if (!NEEDS_ESCAPING.test(text)) return text
  let out = ''
  let last = 0
  for (let i = 0; i < text.length; i++) {
    let entity: string
    switch (text.charCodeAt(i)) {
      case 34:
        entity = '&quot;'
        break
      case 38:
        entity = '&amp;'
        break
      case 60:
        entity = '&lt;'
        break
      default:
        continue
    }
    if (i !== last) out += text.slice(last, i)
    out += entity
    last = i + 1
  }
  return last === 0 ? text : out + text.slice(last)
}

function print(value: HtmlValue): string {
  if (typeof value === 'string') return escapeHtml(value)
  if (value instanceof Html) return value.value
  if (typeof value === 'number') return String(value)
  if (value === null || value === undefined || typeof value === 'boolean') return ''
  let out = ''
  for (const item of value) out += print(item)
  return out
}

/** A template of markup whose values are escaped (see `HtmlValue`). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!
  for (let i = 0; i < values.length; i++) out += print(values[i]!) + strings[i + 1]!
  return new Html(out)
}

/**
 * An attribute as Preact prints one: ` name="value"`; nothing for null,
 * undefined or false; the bare name for true or an empty string (`alt`, not
 * `alt=""`). For values that may be empty or absent; others can sit in the
 * template as `name="${value}"`.
 */
export function attr(name: string, value: string | number | boolean | null | undefined): Html {
  if (value === null || value === undefined || value === false) return EMPTY
  return new Html(value === true || value === '' ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`)
}

/** Markup taken as it is, unescaped. Rare, and every use says why its text is safe. */
export function rawHtml(markup: string): Html {
  return new Html(markup)
}

/** Markup from `html` placed in a Preact tree (a template fragment, which Preact prints as it is). */
export function htmlNode(markup: Html): VNode {
  return jsxTemplate([markup.value])
}

/**
 * A Preact node of `parts` with Preact nodes between them: `parts` are
 * printed as they are, `holes` by Preact (escaped as ever). For a string
 * view that wraps Preact children, such as the page layout.
 */
export function htmlAround(parts: readonly Html[], holes: readonly VNode[]): VNode {
  return jsxTemplate(
    parts.map((p) => p.value),
    ...holes,
  )
}
