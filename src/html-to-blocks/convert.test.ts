import { describe, expect, it } from 'vitest'
import { Body, bodyText } from '../articles/index.ts'
import { xhtmlToBlocks } from '../wire/formats/xhtml-to-blocks.ts'
import { parseXml } from '../wire/formats/xml.ts'
import { htmlToBlocks, htmlToText, textToBlocks } from './convert.ts'

const base = { baseUrl: 'https://wire.example/news/world/' }

describe('htmlToBlocks', () => {
  it('makes paragraphs with bold, italic and links, merging neighbouring runs', () => {
    const { body } = htmlToBlocks('<p>One <strong>two</strong><b> three</b> <em>four</em> <a href="https://x.example/">five</a></p>')
    expect(body).toEqual([
      {
        type: 'paragraph',
        content: [
          { text: 'One ' },
          { text: 'two three', marks: [{ type: 'bold' }] },
          { text: ' ' },
          { text: 'four', marks: [{ type: 'italic' }] },
          { text: ' ' },
          { text: 'five', marks: [{ type: 'link', href: 'https://x.example/' }] },
        ],
      },
    ])
  })

  it('collapses whitespace the way a browser would', () => {
    const { body } = htmlToBlocks('<p>\n   Spread\n\tover    lines  </p>')
    expect(body).toEqual([{ type: 'paragraph', content: [{ text: 'Spread over lines' }] }])
  })

  it('drops scripts, styles, frames, forms, embeds and every attribute but the few it needs', () => {
    const html = `<p onclick="steal()" style="color:red" class="x">Safe text</p>
      <script>alert(1)</script><style>p{}</style><iframe src="https://evil.example"></iframe>
      <object data="x.swf"></object><embed src="y"><form><input value="secret"><button>Go</button></form>
      <noscript>noscript text</noscript><template><p>template text</p></template><svg><text>svg text</text></svg>`
    const { body } = htmlToBlocks(html)
    expect(body).toEqual([{ type: 'paragraph', content: [{ text: 'Safe text' }] }])
  })

  it('refuses javascript: and data: links but keeps their text', () => {
    const { body, warnings } = htmlToBlocks('<p><a href="javascript:alert(1)">click</a> and <a href="data:text/html,x">this</a></p>')
    expect(body).toEqual([{ type: 'paragraph', content: [{ text: 'click and this' }] }])
    expect(warnings).toHaveLength(2)
  })

  it('resolves relative links against the base, and drops them without one', () => {
    expect(htmlToBlocks('<p><a href="../europe/story">more</a></p>', base).body[0]).toEqual({
      type: 'paragraph',
      content: [{ text: 'more', marks: [{ type: 'link', href: 'https://wire.example/news/europe/story' }] }],
    })
    const bare = htmlToBlocks('<p><a href="/story">more</a></p>')
    expect(bare.body[0]).toEqual({ type: 'paragraph', content: [{ text: 'more' }] })
    expect(bare.warnings[0]).toMatch(/no base URL/)
  })

  it('keeps mailto and fragment links', () => {
    const { body } = htmlToBlocks('<p><a href="mailto:desk@wire.example">desk</a> <a href="#para2">below</a></p>')
    expect(body[0]).toMatchObject({
      content: [
        { text: 'desk', marks: [{ type: 'link', href: 'mailto:desk@wire.example' }] },
        { text: ' ' },
        { text: 'below', marks: [{ type: 'link', href: '#para2' }] },
      ],
    })
  })

  it('makes headings (h1 and h2 at level 2, deeper at level 3) and lists', () => {
    const { body } = htmlToBlocks('<h1>Top</h1><h4>Lower</h4><ul><li>One</li><li><b>Two</b></li><li></li></ul><ol><li>First<ul><li>nested</li></ul></li></ol>')
    expect(body).toEqual([
      { type: 'heading', level: 2, content: [{ text: 'Top' }] },
      { type: 'heading', level: 3, content: [{ text: 'Lower' }] },
      { type: 'list', ordered: false, items: [[{ text: 'One' }], [{ text: 'Two', marks: [{ type: 'bold' }] }]] },
      { type: 'list', ordered: true, items: [[{ text: 'First nested' }]] },
    ])
  })

  it('splits paragraphs at double line breaks and keeps single ones', () => {
    const { body } = htmlToBlocks('First line<br>same paragraph<br><br>Second paragraph')
    expect(body).toEqual([
      { type: 'paragraph', content: [{ text: 'First line\nsame paragraph' }] },
      { type: 'paragraph', content: [{ text: 'Second paragraph' }] },
    ])
  })

  it('makes an attributed quote only when the speaker is named', () => {
    const named = htmlToBlocks('<blockquote><p>We will rebuild.</p><cite>Mayor Ilse Brand</cite></blockquote>')
    expect(named.body).toEqual([{ type: 'quote', content: [{ text: 'We will rebuild.' }], attribution: { speaker: 'Mayor Ilse Brand' } }])
    const dashed = htmlToBlocks('<blockquote><p>Not today.</p><p>-- Coach Ren</p></blockquote>')
    expect(dashed.body[0]).toMatchObject({ type: 'quote', attribution: { speaker: 'Coach Ren' } })
    const anonymous = htmlToBlocks('<blockquote><p>Somebody said this.</p></blockquote>')
    expect(anonymous.body).toEqual([{ type: 'paragraph', content: [{ text: 'Somebody said this.' }] }])
  })

  it('reads a quote in a figure with its attribution in the caption, as the site renders quotes', () => {
    const html =
      '<figure class="quote"><blockquote><p>We will talk again soon.</p></blockquote><figcaption>— <cite>Ana Pérez</cite>, Foreign Minister, in an interview with ACP</figcaption></figure>'
    expect(htmlToBlocks(html).body).toEqual([
      { type: 'quote', content: [{ text: 'We will talk again soon.' }], attribution: { speaker: 'Ana Pérez', context: 'Foreign Minister, in an interview with ACP' } },
    ])
    const dashed = htmlToBlocks('<figure><blockquote><p>Not today.</p></blockquote><figcaption>— Coach Ren</figcaption></figure>')
    expect(dashed.body).toEqual([{ type: 'quote', content: [{ text: 'Not today.' }], attribution: { speaker: 'Coach Ren' } }])
    // No caption and no cite: the words stay, as paragraphs, with no invented speaker.
    expect(htmlToBlocks('<figure><blockquote><p>Somebody said this.</p></blockquote></figure>').body).toEqual([{ type: 'paragraph', content: [{ text: 'Somebody said this.' }] }])
  })

  it('places images of known size with caption and credit, and lists the others as pictures', () => {
    const html = `<figure><img src="/p/1.jpg" alt="A quay" width="800" height="600"><figcaption>The quay at dawn. <span class="credit">Ana Voss</span></figcaption></figure>
      <p>Text <img src="https://cdn.example/2.jpg" alt="inline"> more</p>
      <img src="https://cdn.example/pixel.gif" width="1" height="1">
      <img src="data:image/png;base64,AAAA" width="10" height="10">`
    const { body, pictures, warnings } = htmlToBlocks(html, base)
    expect(body).toEqual([
      { type: 'image', src: 'https://wire.example/p/1.jpg', alt: 'A quay', width: 800, height: 600, caption: 'The quay at dawn.', credit: 'Ana Voss' },
      { type: 'paragraph', content: [{ text: 'Text more' }] },
    ])
    expect(pictures).toEqual([{ href: 'https://cdn.example/2.jpg', altText: 'inline' }])
    expect(warnings).toEqual([expect.stringContaining('data:image/png')])
  })

  it('moves notes to editors out of the body', () => {
    const { body, notes } = htmlToBlocks('<p>Public.</p><p class="ednote">Check the figures with the ministry.</p><div class="note-to-editors">Pictures follow.</div>')
    expect(bodyText(body)).toBe('Public.')
    expect(notes).toEqual(['Check the figures with the ministry.', 'Pictures follow.'])
  })

  it('flattens tables to one paragraph per row', () => {
    const { body } = htmlToBlocks('<table><caption>Results</caption><tr><th>Team</th><th>Pts</th></tr><tr><td>Kessa</td><td>41</td></tr></table>')
    expect(body.map((b) => (b.type === 'paragraph' ? b.content[0]!.text : b.type))).toEqual(['Team | Pts', 'Kessa | 41', 'Results'])
  })

  it('keeps the line breaks of preformatted text', () => {
    const { body } = htmlToBlocks('<pre>Kessa   2\nMirow   1</pre>')
    expect(body).toEqual([{ type: 'paragraph', content: [{ text: 'Kessa   2\nMirow   1' }] }])
  })

  it('reads HTML that was escaped twice as HTML, but only once more', () => {
    const { body } = htmlToBlocks('&lt;p&gt;Escaped &lt;b&gt;twice&lt;/b&gt;&lt;/p&gt;')
    expect(body).toEqual([{ type: 'paragraph', content: [{ text: 'Escaped ' }, { text: 'twice', marks: [{ type: 'bold' }] }] }])
    const thrice = htmlToBlocks('&amp;lt;p&amp;gt;Three times&amp;lt;/p&amp;gt;')
    expect(bodyText(thrice.body)).toBe('&lt;p&gt;Three times&lt;/p&gt;')
  })

  it('keeps text that merely mentions angle brackets', () => {
    expect(bodyText(htmlToBlocks('<p>Inflation &lt; 2% and rates &gt; 4%</p>').body)).toBe('Inflation < 2% and rates > 4%')
  })

  it('cuts very long text into runs the body schema accepts', () => {
    const long = 'word '.repeat(9000)
    const { body } = htmlToBlocks(`<p>${long}</p>`)
    expect(Body.safeParse(body).success).toBe(true)
    expect(body[0]!.type === 'paragraph' && body[0]!.content.length).toBe(3)
  })

  it('survives absurdly deep nesting without overflowing the stack', () => {
    const deep = `${'<div><span>'.repeat(5000)}deep text${'</span></div>'.repeat(5000)}`
    const { body } = htmlToBlocks(deep)
    expect(bodyText(body)).toContain('deep text')
    expect(Body.safeParse(body).success).toBe(true)
  })

  it('drops control characters', () => {
    expect(bodyText(htmlToBlocks('<p>bell\u0007 and nul\u0000 gone</p>').body)).toBe('bell and nul gone')
  })
})

describe('xhtmlToBlocks', () => {
  it('converts parsed XHTML, skipping the head', () => {
    const root = parseXml('<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Not body</title></head><body><h2>Sub</h2><p>Text with <em>stress</em>.</p></body></html>')
    expect(xhtmlToBlocks([root]).body).toEqual([
      { type: 'heading', level: 2, content: [{ text: 'Sub' }] },
      { type: 'paragraph', content: [{ text: 'Text with ' }, { text: 'stress', marks: [{ type: 'italic' }] }, { text: '.' }] },
    ])
  })

  it('reads NITF inside NewsML-G2 without repeating its headline, keeping ed-msg for editors', () => {
    const root = parseXml('<nitf><body><body.head><hedline><hl1>Headline again</hl1></hedline></body.head><body.content><ed-msg info="Hold for legal"/><p>Story text.</p><hl2>Crosshead</hl2></body.content></body></nitf>')
    const converted = xhtmlToBlocks([root])
    expect(converted.body).toEqual([
      { type: 'paragraph', content: [{ text: 'Story text.' }] },
      { type: 'heading', level: 3, content: [{ text: 'Crosshead' }] },
    ])
    expect(converted.notes).toEqual(['Hold for legal'])
  })
})

describe('htmlToText and textToBlocks', () => {
  it('gives the text of an HTML title on one line', () => {
    expect(htmlToText('Lorune&#8217;s <em>Night</em>\n Orchestra<script>x()</script>')).toBe('Lorune\u2019s Night Orchestra')
  })

  it('splits plain text at blank lines, joining wrapped lines', () => {
    expect(textToBlocks('One line\nwrapped.\n\nTwo.')).toEqual([
      { type: 'paragraph', content: [{ text: 'One line wrapped.' }] },
      { type: 'paragraph', content: [{ text: 'Two.' }] },
    ])
  })

  it('starts paragraphs at indented lines in copy without blank lines', () => {
    expect(textToBlocks('   First para\ncontinues.\n   Second para.')).toEqual([
      { type: 'paragraph', content: [{ text: 'First para continues.' }] },
      { type: 'paragraph', content: [{ text: 'Second para.' }] },
    ])
  })

  it('makes each line a paragraph otherwise', () => {
    expect(textToBlocks('Alpha\r\nBeta').map((b) => b.type === 'paragraph' && b.content[0]!.text)).toEqual(['Alpha', 'Beta'])
  })
})
