import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { decodeXML } from 'entities'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { htmlToBlocks, nodesToBlocks, parse5Html } from './convert.ts'
import { parseSimpleHtml } from './simple-html.ts'

/**
 * The fast reader must give parse5's tree whenever it answers at all; when it
 * gives up, parse5 reads the input, so only the speed differs.
 */
const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures/wire')

/** Every HTML fragment in the wire fixtures: ninjs string fields, CDATA and escaped markup in feeds. */
function fixtureFragments(): string[] {
  const out: string[] = []
  const strings = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.includes('<') || value.includes('&')) out.push(value)
    } else if (Array.isArray(value)) value.forEach(strings)
    else if (value && typeof value === 'object') Object.values(value).forEach(strings)
  }
  for (const dir of readdirSync(FIXTURES)) {
    for (const file of readdirSync(path.join(FIXTURES, dir))) {
      const text = readFileSync(path.join(FIXTURES, dir, file), 'utf8')
      if (file.endsWith('.json') || file.endsWith('.ndjson')) {
        for (const line of file.endsWith('.ndjson') ? text.split('\n') : [text]) {
          try {
            strings(JSON.parse(line))
          } catch {
            // a deliberately broken fixture
          }
        }
      } else {
        for (const m of text.matchAll(/<!\[CDATA\[([\s\S]*?)\]\]>/g)) out.push(m[1]!)
        for (const m of text.matchAll(/<(description|content|summary|title)[^>]*>([^<]*&lt;[\s\S]*?)<\/\1>/g)) out.push(decodeXML(m[2]!))
      }
    }
  }
  return out
}

function sameAsParse5(html: string): boolean {
  const simple = parseSimpleHtml(html)
  if (simple) expect(simple, html).toEqual(parse5Html(html))
  return simple !== null
}

describe('parseSimpleHtml', () => {
  it('gives parse5 tree for every fragment in the wire fixtures', () => {
    const fragments = fixtureFragments()
    expect(fragments.length).toBeGreaterThan(5)
    let simple = 0
    for (const html of fragments) if (sameAsParse5(html)) simple++
    // Most fixture copy is plain enough for the fast reader.
    expect(simple).toBeGreaterThan(fragments.length / 2)
  })

  it('reads typical agency copy itself', () => {
    const typical = [
      '<p>Harbour talks resumed on Tuesday.</p><p>The minister said: &ldquo;We are close.&rdquo; &mdash; and left.</p>',
      '<p class="lead">One <strong>two</strong> <em>three</em> <a href="https://x.example/a?b=1&amp;c=2">four</a></p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>',
      '<h2>Sub</h2><p>Text<br>more<br/>and <img src="https://x.example/p.jpg" width="600" height="400" alt="A &quot;pic&quot;"></p>',
      '<blockquote><p>Quoted</p><footer>— Ana Lima</footer></blockquote><!-- agency comment --><p>AT&T &amp; Co &copy 2026 &#8364;5 &#x20AC;6</p>',
      '<figure><img src="https://x.example/p.jpg"><figcaption>Caption <span class="credit">Photo: AN</span></figcaption></figure>',
      'Plain text with a < sign and a lone & ampersand',
      '<p>Unclosed at the end',
    ]
    for (const html of typical) expect(sameAsParse5(html), html).toBe(true)
  })

  it('hands markup that HTML would restructure to parse5', () => {
    const odd = [
      '<p>one<p>two', // an implied end tag
      '<p><div>x</div></p>',
      '<b><i>x</b></i>', // misnested formatting
      '<a href="#a">x<a href="#b">y</a></a>',
      '<table><tr><td>x</td></tr></table>',
      '<ul><li>a<li>b</ul>',
      '<script>alert(1)</script>',
      '<pre>\ncode</pre>',
      '</p>stray',
      '<p/>',
      '<!DOCTYPE html><p>x</p>',
      '<h1>a<h2>b</h2></h1>',
      'nul\0char',
    ]
    for (const html of odd) {
      expect(parseSimpleHtml(html), html).toBeNull()
      // What the desk gets is parse5's reading either way.
      expect(htmlToBlocks(html)).toEqual(nodesToBlocks(parse5Html(html)))
    }
  })

  const TAGS = ['p', 'b', 'i', 'em', 'strong', 'a', 'span', 'ul', 'ol', 'li', 'h2', 'h3', 'blockquote', 'footer', 'cite', 'figure', 'figcaption', 'div', 'code', 'u', 'sup', 'table', 'td', 'pre', 'script', 'font', 'P', 'Em']
  const VOIDS = ['br', 'img', 'hr', 'wbr', 'BR', 'input']
  const text = fc.oneof(
    fc.constantFrom('word', ' ', '\n', '\r\n', '\r', '\t', 'a < b', '&', '&amp;', '&amp', '&lt;', '&notit;', '&not', '&#38;', '&#x80;', '&#0;', '&#xD800;', '&#', '&#x;', '&rsquo;', '&copy', '&bogus;', 'é', '—', '\u00a0', '<', '>', '"', "'", '=', '/'),
    fc.string({ maxLength: 6 }),
  )
  const attrValue = fc.constantFrom('x', 'https://x.example/?a=1&b=2', 'a&amp;b', 'a&ampb', '&copy=1', '&notit', '', 'two words', 'q"q', "s'q", 'a&#34;b')
  const attribute = fc.tuple(fc.constantFrom('href', 'src', 'class', 'alt', 'width', 'HREF', 'data-x', 'on-click', 'x:y', '_a'), attrValue, fc.constantFrom('"', "'", '')).map(([name, value, quote]) =>
    quote === '' ? (value === '' ? ` ${name}` : ` ${name}=${value}`) : ` ${name}=${quote}${value.replaceAll(quote, '')}${quote}`,
  )
  const attributes = fc.array(attribute, { maxLength: 3 }).map((list) => list.join(''))
  /** Well-nested trees: what the fast reader is for. */
  const tree: fc.Arbitrary<string> = fc.letrec((tie) => ({
    node: fc.oneof(
      { weight: 3, arbitrary: text },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...VOIDS), attributes, fc.boolean()).map(([tag, attrs, slash]) => `<${tag}${attrs}${slash ? '/' : ''}>`) },
      { weight: 1, arbitrary: fc.constantFrom('<!-- c -->', '<!---->', '<!-->', '<!-- a --!> b -->', '<?php ?>', '</>', '<!x>') },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom(...TAGS), attributes, fc.array(tie('node') as fc.Arbitrary<string>, { maxLength: 4 }), fc.constantFrom('', ' ', '\n'))
          .map(([tag, attrs, kids, space]) => `<${tag}${attrs}>${kids.join('')}</${tag}${space}>`),
      },
    ),
  })).node
  /** Any sequence of pieces: broken, misnested, unclosed. */
  const soup = fc.array(fc.oneof(text, fc.constantFrom(...TAGS, ...VOIDS).chain((tag) => fc.constantFrom(`<${tag}>`, `</${tag}>`, `<${tag}`, `<${tag} a="1"/>`))), { maxLength: 12 }).map((parts) => parts.join(''))

  it('gives parse5 tree for generated well-nested markup, and reads most of it itself', () => {
    let simple = 0
    let runs = 0
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 5 }), (parts) => {
        runs++
        if (sameAsParse5(parts.join(''))) simple++
      }),
      { numRuns: 2000 },
    )
    expect(simple).toBeGreaterThan(runs / 10)
  })

  it('gives parse5 tree for generated tag soup whenever it answers', () => {
    fc.assert(
      fc.property(soup, (html) => {
        sameAsParse5(html)
      }),
      { numRuns: 3000 },
    )
  })
})
