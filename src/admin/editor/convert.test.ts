import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Body, type Block, type Inline, type Mark } from '../../articles/index.ts'
import { bodyToDoc, canonicalBody, docToBody, MAX_RUN_LENGTH, UnsupportedBodyError } from './convert.ts'
import { editorSchema } from './schema.ts'

/** A body with every block and mark, written the canonical way. */
const EVERY_BLOCK: Body = [
  { type: 'heading', level: 2, content: [{ text: 'Talks resume' }] },
  {
    type: 'paragraph',
    content: [
      { text: 'The ministers met on ' },
      { text: 'Tuesday', marks: [{ type: 'bold' }] },
      { text: ' in ', marks: [{ type: 'italic' }] },
      { text: 'the port city', marks: [{ type: 'bold' }, { type: 'italic' }, { type: 'link', href: 'https://example.org/port' }] },
      { text: '. See ' },
      { text: 'earlier', marks: [{ type: 'link', href: '/politics/harbour' }] },
      { text: ', ' },
      { text: 'below', marks: [{ type: 'link', href: '#timeline' }] },
      { text: ' or ' },
      { text: 'write to us', marks: [{ type: 'link', href: 'mailto:desk@example.org' }] },
    ],
  },
  { type: 'heading', level: 3, content: [{ text: 'What was said' }] },
  {
    type: 'quote',
    content: [{ text: 'We are ready to talk about the harbour.' }],
    attribution: { speaker: 'Ana Pérez', role: 'Foreign Minister', givenTo: 'Meridian', context: 'in an interview', via: 'ACP', date: '2026-02-02' },
  },
  { type: 'quote', content: [{ text: 'Nothing is agreed.', marks: [{ type: 'italic' }] }], attribution: { speaker: 'A spokesman' } },
  { type: 'pullquote', text: 'Ready to talk', speaker: 'Ana Pérez' },
  { type: 'pullquote', text: 'Nothing is agreed' },
  { type: 'image', mediaId: 'med_1', src: '/media/harbour.jpg', alt: 'Cranes over the harbour', width: 1200, height: 800, caption: 'The shared harbour.', credit: 'Photo: ACP' },
  { type: 'image', src: 'https://images.example/a.png', alt: '', width: 10, height: 20 },
  { type: 'list', ordered: false, items: [[{ text: 'Fishing rights' }], [{ text: 'Port fees', marks: [{ type: 'bold' }] }, { text: ' and tolls' }]] },
  { type: 'list', ordered: true, items: [[{ text: 'First' }], [{ text: 'Second' }]] },
  { type: 'embed', url: 'https://video.example/watch?v=1', title: 'The press conference', provider: 'Video Example' },
  { type: 'embed', url: 'https://maps.example/harbour', title: 'Map' },
  { type: 'divider' },
  { type: 'paragraph', content: [{ text: 'End.' }] },
]

describe('body ⇄ editor document', () => {
  it('keeps every block and mark', () => {
    expect(Body.parse(EVERY_BLOCK)).toEqual(EVERY_BLOCK)
    const doc = bodyToDoc(EVERY_BLOCK)
    doc.check()
    expect(docToBody(doc)).toEqual(EVERY_BLOCK)
  })

  it('maps each block to its own node and each mark to its own mark', () => {
    const doc = bodyToDoc(EVERY_BLOCK)
    const names: string[] = []
    doc.forEach((node) => names.push(node.type.name))
    expect(names).toEqual(['heading', 'paragraph', 'heading', 'quote', 'quote', 'pullquote', 'pullquote', 'image', 'image', 'list', 'list', 'embed', 'embed', 'divider', 'paragraph'])
    const marks = new Set<string>()
    doc.descendants((node) => node.marks.forEach((mark) => marks.add(mark.type.name)))
    expect([...marks].sort()).toEqual(['bold', 'italic', 'link'])
  })

  it('turns an empty body into one empty paragraph and back', () => {
    const doc = bodyToDoc([])
    expect(doc.childCount).toBe(1)
    expect(doc.firstChild!.type.name).toBe('paragraph')
    expect(docToBody(doc)).toEqual([])
  })

  it('writes the canonical form: merged runs, ordered and unique marks, no empty optional fields', () => {
    const messy: Block[] = [
      {
        type: 'paragraph',
        content: [
          { text: 'a', marks: [] },
          { text: 'b' },
          { text: '', marks: [{ type: 'bold' }] },
          { text: 'c', marks: [{ type: 'link', href: '/x' }, { type: 'italic' }, { type: 'bold' }, { type: 'bold' }] },
          { text: 'd', marks: [{ type: 'bold' }, { type: 'italic' }, { type: 'link', href: '/x' }] },
        ],
      },
      { type: 'quote', content: [{ text: 'q' }], attribution: { speaker: 'S', role: '', givenTo: '', context: '', via: '', date: undefined } },
      { type: 'pullquote', text: 'p', speaker: '' },
      { type: 'image', src: '/i.png', alt: 'x', width: 1, height: 1, caption: '', credit: '' },
      { type: 'embed', url: 'https://e.example/', title: 't', provider: '' },
      { type: 'list', ordered: true, items: [[{ text: 'one' }, { text: ' more' }]] },
    ]
    const expected: Body = [
      { type: 'paragraph', content: [{ text: 'ab' }, { text: 'cd', marks: [{ type: 'bold' }, { type: 'italic' }, { type: 'link', href: '/x' }] }] },
      { type: 'quote', content: [{ text: 'q' }], attribution: { speaker: 'S' } },
      { type: 'pullquote', text: 'p' },
      { type: 'image', src: '/i.png', alt: 'x', width: 1, height: 1 },
      { type: 'embed', url: 'https://e.example/', title: 't' },
      { type: 'list', ordered: true, items: [[{ text: 'one more' }]] },
    ]
    expect(canonicalBody(messy)).toEqual(expected)
    expect(docToBody(bodyToDoc(messy))).toEqual(expected)
  })

  it('splits a merged run longer than the body allows, without cutting a surrogate pair', () => {
    const half = 'x'.repeat(MAX_RUN_LENGTH - 1) + '😀'
    const body: Body = [{ type: 'paragraph', content: [{ text: half }, { text: 'tail' }] }]
    const out = docToBody(bodyToDoc(body))
    const runs = (out[0] as Extract<Block, { type: 'paragraph' }>).content
    expect(runs.map((r) => r.text).join('')).toBe(half + 'tail')
    expect(runs.every((r) => r.text.length <= MAX_RUN_LENGTH)).toBe(true)
    expect(runs[0]!.text.endsWith('x')).toBe(true)
    expect(Body.safeParse(out).success).toBe(true)
  })

  it('drops empty text blocks, which a body cannot hold', () => {
    const { nodes } = editorSchema
    const doc = nodes.doc.create(null, [
      nodes.paragraph.create(),
      nodes.heading.create({ level: 3 }),
      nodes.pullquote.create({ speaker: 'S' }),
      nodes.list.create(null, [nodes.list_item.create(null, nodes.paragraph.create()), nodes.list_item.create(null, nodes.paragraph.create(null, editorSchema.text('kept')))]),
      nodes.list.create(null, [nodes.list_item.create(null, nodes.paragraph.create())]),
    ])
    expect(docToBody(doc)).toEqual([{ type: 'list', ordered: false, items: [[{ text: 'kept' }]] }])
  })

  it('never lets an unsafe link out of the editor, even one the schema was handed directly', () => {
    const doc = editorSchema.nodes.doc.create(null, editorSchema.nodes.paragraph.create(null, editorSchema.text('x', [editorSchema.marks.link.create({ href: 'javascript:alert(1)' })])))
    expect(docToBody(doc)).toEqual([{ type: 'paragraph', content: [{ text: 'x' }] }])
  })

  it('refuses a block it does not know instead of dropping it', () => {
    expect(() => bodyToDoc([{ type: 'table', rows: [] } as unknown as Block])).toThrow(UnsupportedBodyError)
  })
})

// --- Generated bodies ---

const text = (max = 40) => fc.string({ unit: fc.oneof(fc.constantFrom('a', 'b', ' ', 'é', '😀', '\n', '"', '<'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), minLength: 1, maxLength: max })
const optionalText = (max = 20) => fc.option(fc.oneof(fc.constant(''), text(max)), { nil: undefined })
const safeHref = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  text(10).map((t) => `/${encodeURIComponent(t)}`),
  text(10).map((t) => `#${encodeURIComponent(t)}`),
  fc.emailAddress().map((e) => `mailto:${e}`),
)
const mark: fc.Arbitrary<Mark> = fc.oneof(
  fc.constant<Mark>({ type: 'bold' }),
  fc.constant<Mark>({ type: 'italic' }),
  safeHref.map((href): Mark => ({ type: 'link', href })),
)
const inline: fc.Arbitrary<Inline> = fc
  .record({ text: text(), marks: fc.option(fc.array(mark, { maxLength: 4 }), { nil: undefined }) })
  .map((run) => (run.marks === undefined ? { text: run.text } : run))
const inlines = fc.array(inline, { minLength: 1, maxLength: 6 })
const date = fc.date({ min: new Date('1990-01-01'), max: new Date('2040-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))

const block: fc.Arbitrary<Block> = fc.oneof(
  inlines.map((content): Block => ({ type: 'paragraph', content })),
  fc.record({ level: fc.constantFrom(2 as const, 3 as const), content: inlines }).map((b): Block => ({ type: 'heading', ...b })),
  fc
    .record({
      content: inlines,
      speaker: text(20),
      role: optionalText(),
      givenTo: optionalText(),
      context: optionalText(),
      via: optionalText(),
      date: fc.option(date, { nil: undefined }),
    })
    .map(({ content, ...attribution }): Block => ({ type: 'quote', content, attribution: dropUndefined(attribution) as Extract<Block, { type: 'quote' }>['attribution'] })),
  fc.record({ text: text(), speaker: optionalText() }).map((b): Block => dropUndefined({ type: 'pullquote', ...b }) as Block),
  fc
    .record({
      mediaId: fc.option(fc.stringMatching(/^med_[a-z0-9]{1,10}$/), { nil: undefined }),
      src: safeHref,
      alt: fc.oneof(fc.constant(''), text()),
      width: fc.integer({ min: 1, max: 20_000 }),
      height: fc.integer({ min: 1, max: 20_000 }),
      caption: optionalText(),
      credit: optionalText(),
    })
    .map((b): Block => dropUndefined({ type: 'image', ...b }) as Block),
  fc.record({ ordered: fc.boolean(), items: fc.array(inlines, { minLength: 1, maxLength: 4 }) }).map((b): Block => ({ type: 'list', ...b })),
  fc.record({ url: fc.webUrl({ withQueryParameters: true }), title: text(), provider: optionalText() }).map((b): Block => dropUndefined({ type: 'embed', ...b }) as Block),
  fc.constant<Block>({ type: 'divider' }),
)

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}

/** Generated bodies, kept only when the body schema itself accepts them. */
const body = fc.array(block, { maxLength: 12 }).filter((b) => Body.safeParse(b).success)

describe('generated bodies', () => {
  const runs = { numRuns: 300, seed: 20260203 }

  it('come back from the editor as their canonical form, which the body schema accepts', () => {
    fc.assert(
      fc.property(body, (b) => {
        const doc = bodyToDoc(b)
        doc.check()
        const back = docToBody(doc)
        expect(back).toEqual(canonicalBody(b))
        expect(Body.safeParse(back).success).toBe(true)
      }),
      runs,
    )
  })

  it('have a canonical form that is idempotent and a fixed point of the round trip', () => {
    fc.assert(
      fc.property(body, (b) => {
        const canonical = canonicalBody(b)
        expect(canonicalBody(canonical)).toEqual(canonical)
        expect(docToBody(bodyToDoc(canonical))).toEqual(canonical)
        // JSON keeps the exact same shape: no undefined keys that toEqual would forgive.
        expect(JSON.parse(JSON.stringify(canonical))).toStrictEqual(canonical)
      }),
      runs,
    )
  })

  it('keep their plain text', () => {
    fc.assert(
      fc.property(body, (b) => {
        const doc = bodyToDoc(b)
        const texts = (blocks: readonly Block[]) =>
          blocks.flatMap((x) =>
            x.type === 'paragraph' || x.type === 'heading' || x.type === 'quote' ? [x.content.map((r) => r.text).join('')] : x.type === 'list' ? x.items.map((i) => i.map((r) => r.text).join('')) : x.type === 'pullquote' ? [x.text] : [],
          )
        expect(texts(docToBody(doc))).toEqual(texts(b).filter((t) => t !== ''))
      }),
      runs,
    )
  })
})
