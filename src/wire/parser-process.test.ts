import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { parseWire } from './formats/index.ts'
import { createParserProcess, type ParserProcess } from './parser-process.ts'
import { prepareItem } from './prepared.ts'

/**
 * The parser process: the issue 12 file and hostile variants are read outside
 * this process within bounds of memory and time, and a bound that is hit is a
 * clear refusal, after which the next input is read by a fresh child. Running
 * out of memory there never takes this process with it (it did, now and then,
 * when the parser was a worker thread).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
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

/** This process's parser children, by the entry file they run. */
function childPids(): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), '-f', 'parser-process-entry'], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number)
  } catch {
    return [] // pgrep exits 1 when nothing matches
  }
}

describe('wire parser process', () => {
  let thread: ParserProcess | null = null
  afterEach(async () => {
    await thread?.close()
    thread = null
  })

  it('reads the issue 12 salvage file within a 192 MB heap (it took over 4 GB before)', async () => {
    thread = createParserProcess({ maxHeapMb: 192, timeoutMs: 120_000 })
    const report = await thread.parse(salvageFile(), {})
    expect(report.rejected).toEqual([])
    expect(report.items).toHaveLength(20_000)
    expect(report.warnings.map((w) => w.code)).toEqual(['WIRE_DOCUMENT_RECOVERED'])
  }, 150_000)

  it('salvages huge attributes, deep nesting and many items under a padded root within the same 192 MB heap', async () => {
    // The recovery path with issue 12's variants at once: a 200 KB root attribute, 2,000 items each
    // carrying a 4 KB attribute, every 50th nested 5,000 tags deep, and a broken end.
    let text = `<?xml version="1.0"?>\n<rss version="2.0" data-pad="${'x'.repeat(200 * 1024)}"><channel><title>t</title>`
    for (let i = 0; i < 2_000; i++) {
      text +=
        i % 50 === 0
          ? `<item><guid>deep${i}</guid><title>${'<b>'.repeat(5_000)}</title></item>`
          : `<item data-wide="${'w'.repeat(4_096)}"><guid>g${i}</guid><title>t${i}</title></item>`
    }
    thread = createParserProcess({ maxHeapMb: 192, timeoutMs: 120_000 })
    const report = await thread.parse(utf8(`${text}<broken></channel></rss>`), {})
    expect(report.items).toHaveLength(1_960)
    expect(report.rejected).toHaveLength(40)
    expect(new Set(report.rejected.map((r) => r.code))).toEqual(new Set(['WIRE_LIMIT_EXCEEDED']))
    expect(report.warnings.map((w) => w.code)).toEqual(['WIRE_DOCUMENT_RECOVERED'])
  }, 150_000)

  it('refuses an input that needs more memory than the parser may use, then reads the next one', async () => {
    thread = createParserProcess({ maxHeapMb: 32, timeoutMs: 120_000 })
    const report = await thread.parse(soundFeed(18_000), {})
    expect(report.items).toEqual([])
    expect(report.rejected).toEqual([{ where: 'document', code: 'WIRE_PARSE_OUT_OF_MEMORY', message: expect.stringContaining("32 MB") }])
    const next = await thread.parse(soundFeed(100), {})
    expect(next.rejected).toEqual([])
    expect(next.items).toHaveLength(100)
  }, 150_000)

  it('refuses an input that takes longer than the bound, then reads the next one', async () => {
    thread = createParserProcess({ timeoutMs: 1 })
    const report = await thread.parse(soundFeed(2_000), {})
    expect(report.rejected).toEqual([{ where: 'document', code: 'WIRE_PARSE_TIMEOUT', message: expect.stringContaining('took longer than') }])
    await thread.close()
    thread = createParserProcess({ timeoutMs: 120_000 })
    expect((await thread.parse(soundFeed(2_000), {})).items).toHaveLength(2_000)
  }, 150_000)

  it('answers when its child is killed mid-parse, and reads the next input with a new one', async () => {
    thread = createParserProcess({ timeoutMs: 120_000 })
    const pending = thread.parse(soundFeed(40_000), {})
    let killed = false
    for (let i = 0; i < 200 && !killed; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      const pids = childPids()
      for (const pid of pids) process.kill(pid, 'SIGKILL')
      killed = pids.length > 0
    }
    expect(killed).toBe(true)
    const report = await pending
    expect(report.rejected).toEqual([{ where: 'document', code: 'WIRE_INTERNAL', message: expect.stringContaining('signal SIGKILL') }])
    expect((await thread.parse(soundFeed(100), {})).items).toHaveLength(100)
  }, 150_000)

  it('lets a program that parsed and closed the parser run to its end', () => {
    // The child is unreferenced so an idle parser never keeps a server up; a
    // close that waited on its exit without holding it let Node end the
    // program mid-close (exit code 13, unsettled top-level await).
    const script = [
      "import { createParserProcess } from './src/wire/parser-process.ts'",
      'const parser = createParserProcess({ inlineBelowBytes: 0 })',
      "const report = await parser.parse(new TextEncoder().encode('<rss version=\"2.0\"><channel><item><guid>a</guid><title>A</title></item></channel></rss>'), {})",
      'await parser.close()',
      "console.log('items', report.items.length)",
    ].join('\n')
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 })
    expect(output.trim()).toBe('items 1')
  }, 90_000)

  it('gives the report an inline parse gives, each item with what storing it needs', async () => {
    thread = createParserProcess({ inlineBelowBytes: 0 })
    const ninjs = utf8(
      JSON.stringify(
        Array.from({ length: 40 }, (_, i) => ({
          uri: `urn:example:${i}`,
          type: 'text',
          version: String(i + 1),
          versioncreated: '2026-02-01T10:00:00Z',
          language: 'en',
          headline: `Ferry timetable ${i} extended through winter`,
          body_html: `<p>Council <b>votes</b> ${i}.</p><blockquote><p>It matters.</p><footer>— Ana Ruiz, mayor</footer></blockquote><ul><li>one</li></ul>`,
          subject: [{ code: '11000000', scheme: 'medtop', name: 'politics' }],
          ...(i === 3 ? { embargoed: 'not a date' } : {}),
        })),
      ),
    )
    const inline = parseWire(ninjs)
    const { prepared, ...report } = await thread.parse(ninjs, {})
    expect(report).toEqual(inline)
    expect(prepared).toEqual(inline.items.map(prepareItem))
  }, 60_000)

  it('hands inputs and replies over as files it removes, and uses the channel where no file can be written', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'masthead-handoff-test-'))
    try {
      // Left by a process that was killed outright (no such pid runs): removed when the next parser starts.
      mkdirSync(path.join(parent, 'masthead-wire-999999999-abc123'))
      thread = createParserProcess({ handoffIn: parent })
      const feed = soundFeed(500)
      expect((await thread.parse(feed, {})).items).toHaveLength(500)
      // One folder, made on first use, holding nothing once the input is read.
      const folders = readdirSync(parent)
      expect(folders).toHaveLength(1)
      expect(readdirSync(path.join(parent, folders[0]!))).toEqual([])
      // Its folder removed under it: that input goes through the channel, and the next makes a new folder.
      rmSync(path.join(parent, folders[0]!), { recursive: true })
      expect((await thread.parse(feed, {})).items).toHaveLength(500)
      expect((await thread.parse(feed, {})).items).toHaveLength(500)
      expect(readdirSync(parent)).toHaveLength(1)
      expect(readdirSync(parent)[0]).not.toBe(folders[0])
      await thread.close()
      thread = null
      expect(readdirSync(parent)).toEqual([])

      thread = createParserProcess({ handoffIn: path.join(parent, 'missing', 'folder') })
      const report = await thread.parse(feed, {})
      expect(report.rejected).toEqual([])
      expect(report.items.map((i) => i.agencyItemId)).toEqual(parseWire(feed).items.map((i) => i.agencyItemId))
    } finally {
      rmSync(parent, { recursive: true, force: true })
    }
  }, 60_000)

  it('reads small inputs inline and keeps refusing entities either way', async () => {
    thread = createParserProcess({ inlineBelowBytes: 1024 })
    const xxe = '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><item><title>&x;</title></item></channel></rss>'
    const inline = thread.parse(utf8(xxe), {})
    expect(inline).not.toBeInstanceOf(Promise)
    const padded = await thread.parse(utf8(xxe.replace('<channel>', `<channel><description>${'p'.repeat(4096)}</description>`)), {})
    for (const report of [await inline, padded]) expect(report.rejected.map((r) => r.code)).toEqual(['WIRE_ENTITY_REFUSED'])
  }, 60_000)
})
