import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'

const require = createRequire(import.meta.url)
const run = promisify(execFile)

/** One message of the Nu Html Checker about one document. */
export interface VnuMessage {
  /** "warning" is vnu's `info` message with subType `warning`. */
  type: 'error' | 'warning' | 'info'
  /** Line and column where the offending markup ends, when vnu knows it. */
  line: number | null
  column: number | null
  message: string
  /** A short excerpt of the markup around the problem. */
  extract: string | null
}

/** What vnu said about one document: errors (the document is invalid) apart from everything else. */
export interface VnuReport {
  errors: VnuMessage[]
  warnings: VnuMessage[]
}

/** The JSON vnu prints with `--format json` (https://github.com/validator/validator/wiki/Output-»-JSON). */
interface VnuJson {
  messages: {
    type: 'error' | 'info' | 'non-document-error'
    subType?: string
    url?: string
    lastLine?: number
    lastColumn?: number
    message: string
    extract?: string
  }[]
}

/** Where vnu-jar keeps the checker; the package's export is the jar's path as a String object. */
function vnuJarPath(): string {
  return String(require('vnu-jar'))
}

/**
 * Checks HTML documents with the Nu Html Checker (vnu.jar, the validator
 * behind validator.w3.org/nu) and returns its messages by document name.
 * All documents go to ONE java process, because starting the JVM and loading
 * the schemas costs seconds while checking a page costs milliseconds.
 * Throws when vnu cannot run or cannot read a document; invalid markup is a
 * result, never an exception.
 *
 * @example
 * const reports = await validateHtml([{ name: '/', html }])
 * expect(reports['/']!.errors).toEqual([])
 */
export async function validateHtml(docs: { name: string; html: string }[]): Promise<Record<string, VnuReport>> {
  const reports: Record<string, VnuReport> = {}
  if (docs.length === 0) return reports
  const folder = mkdtempSync(path.join(os.tmpdir(), 'masthead-vnu-'))
  try {
    // File names are positional so any document name (a URL path, say) is safe;
    // the map turns vnu's file URLs back into the caller's names.
    const nameByUrl = new Map<string, string>()
    const files = docs.map((doc, i) => {
      if (doc.name in reports) throw new Error(`validateHtml: two documents are named ${JSON.stringify(doc.name)}`)
      reports[doc.name] = { errors: [], warnings: [] }
      const file = path.join(folder, `doc-${String(i).padStart(3, '0')}.html`)
      writeFileSync(file, doc.html)
      nameByUrl.set(pathToFileURL(file).href, doc.name)
      return file
    })

    let stdout: string
    try {
      ;({ stdout } = await run('java', ['-jar', vnuJarPath(), '--format', 'json', '--stdout', ...files], {
        maxBuffer: 64 * 1024 * 1024,
      }))
    } catch (error) {
      // vnu exits with status 1 when any document has errors; its report is still on stdout.
      const failed = error as { code?: unknown; stdout?: string; stderr?: string; message: string }
      if (failed.code !== 1 || !failed.stdout) {
        throw new Error(`vnu did not run (java -jar ${vnuJarPath()}): ${failed.stderr || failed.message}`, { cause: error })
      }
      stdout = failed.stdout
    }

    const parsed = JSON.parse(stdout) as VnuJson
    for (const m of parsed.messages) {
      const name = m.url ? nameByUrl.get(normaliseFileUrl(m.url)) : undefined
      if (m.type === 'non-document-error' || name === undefined) {
        throw new Error(`vnu could not check ${m.url ?? 'a document'}: ${m.message}`)
      }
      const message: VnuMessage = {
        type: m.type === 'error' ? 'error' : m.subType === 'warning' ? 'warning' : 'info',
        line: m.lastLine ?? null,
        column: m.lastColumn ?? null,
        message: m.message,
        extract: m.extract ?? null,
      }
      const report = reports[name]!
      if (message.type === 'error') report.errors.push(message)
      else report.warnings.push(message)
    }
    return reports
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

/** vnu writes `file:/tmp/x.html`; Node writes `file:///tmp/x.html`. */
function normaliseFileUrl(url: string): string {
  return url.startsWith('file:') ? pathToFileURL(new URL(url).pathname).href : url
}

/** One line per message, "line:column message «extract»", for assertion output. */
export function formatVnuMessages(messages: readonly VnuMessage[]): string[] {
  return messages.map((m) => {
    const where = m.line === null ? '' : `${m.line}:${m.column ?? 0} `
    const extract = m.extract ? ` «${m.extract.replace(/\s+/g, ' ').trim()}»` : ''
    return `${where}${m.message}${extract}`
  })
}

/**
 * The Nu Html Checker's errors for each document that has any, formatted for
 * reading: `expect(await vnuErrors(seen)).toEqual({})` names every failing
 * page and what is wrong with it.
 */
export async function vnuErrors(docs: { name: string; html: string }[]): Promise<Record<string, string[]>> {
  const results = await validateHtml(docs)
  return Object.fromEntries(Object.entries(results).map(([name, r]) => [name, formatVnuMessages(r.errors)]).filter(([, e]) => e!.length > 0)) as Record<string, string[]>
}
