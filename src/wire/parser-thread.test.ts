import { afterEach, describe, expect, it } from 'vitest'
import { createParserThread, type ParserThread } from './parser-thread.ts'

/**
 * The parser thread: the issue 12 file and hostile variants are read off the
 * event loop within bounds of memory and time, and a bound that is hit is a
 * clear refusal, after which the next input is read by a fresh worker.
 */

const utf8 = (text: string) => new TextEncoder().encode(text)

/** Issue 12's file: a 200 KB attribute on the root, 20,000 items, and a broken end. */
function salvageFile(): Uint8Array {
  let text = `<?xml version="1.0"?>\n<rss version="2.0" data-pad="${'x'.repeat(200 * 1024)}"><channel><title>t</title>`
  for (let i = 0; i < 20_000; i++) text += `<item><guid>g${i}</guid><title>t${i}</title></item>`
  return utf8(`${text}<broken></channel></rss>`)
}

function soundFeed(items: number): Uint8Array {
  const body = Array.from({ length: items }, (_, i) => `<item><guid>g${i}</guid><title>Item ${i}</title><description>${'word '.repeat(200)}</description></item>`).join('')
  return utf8(`<rss version="2.0"><channel><title>Feed</title>${body}</channel></rss>`)
}

describe('wire parser thread', () => {
  let thread: ParserThread | null = null
  afterEach(async () => {
    await thread?.close()
    thread = null
  })

  it('reads the issue 12 salvage file within a 192 MB heap (it took over 4 GB before)', async () => {
    thread = createParserThread({ maxHeapMb: 192, timeoutMs: 120_000 })
    const report = await thread.parse(salvageFile(), {})
    expect(report.rejected).toEqual([])
    expect(report.items).toHaveLength(20_000)
    expect(report.warnings.map((w) => w.code)).toEqual(['WIRE_DOCUMENT_RECOVERED'])
  }, 150_000)

  it('refuses an input that needs more memory than the thread may use, then reads the next one', async () => {
    thread = createParserThread({ maxHeapMb: 32, timeoutMs: 120_000 })
    const report = await thread.parse(soundFeed(18_000), {})
    expect(report.items).toEqual([])
    expect(report.rejected).toEqual([{ where: 'document', code: 'WIRE_PARSE_OUT_OF_MEMORY', message: expect.stringContaining("32 MB") }])
    const next = await thread.parse(soundFeed(100), {})
    expect(next.rejected).toEqual([])
    expect(next.items).toHaveLength(100)
  }, 150_000)

  it('refuses an input that takes longer than the bound, then reads the next one', async () => {
    thread = createParserThread({ timeoutMs: 1 })
    const report = await thread.parse(soundFeed(2_000), {})
    expect(report.rejected).toEqual([{ where: 'document', code: 'WIRE_PARSE_TIMEOUT', message: expect.stringContaining('took longer than') }])
    await thread.close()
    thread = createParserThread({ timeoutMs: 120_000 })
    expect((await thread.parse(soundFeed(2_000), {})).items).toHaveLength(2_000)
  }, 150_000)

  it('reads small inputs inline and keeps refusing entities either way', async () => {
    thread = createParserThread({ inlineBelowBytes: 1024 })
    const xxe = '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><item><title>&x;</title></item></channel></rss>'
    const inline = thread.parse(utf8(xxe), {})
    expect(inline).not.toBeInstanceOf(Promise)
    const padded = await thread.parse(utf8(xxe.replace('<channel>', `<channel><description>${'p'.repeat(4096)}</description>`)), {})
    for (const report of [await inline, padded]) expect(report.rejected.map((r) => r.code)).toEqual(['WIRE_ENTITY_REFUSED'])
  }, 60_000)
})
