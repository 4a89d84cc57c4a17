import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Command } from 'commander'
import type { Container } from '../server/container.ts'
import { DomainError } from '../shared/errors.ts'
import type { IngestInput, WireIssue } from '../wire/index.ts'
import { progress } from './progress.ts'

/** Runs `fn` with an opened, migrated container and always closes it. */
export type WithContainer = <T>(fn: (container: Container) => Promise<T>) => Promise<T>

interface Totals {
  imported: number
  updated: number
  unchanged: number
  rejected: { input: string; issue: WireIssue }[]
  /** Tolerated on items that were kept: a recovered document, a guessed encoding, an unreadable date. */
  warnings: { input: string; issue: WireIssue }[]
}

/** The most files one folder import reads; deeper trees are cut there and said so. */
const MAX_FOLDER_FILES = 100_000

/**
 * What a target names: a URL, one file, or the files of a folder, by default
 * with those of its sub-folders (agencies and archives often sort copy into
 * dated folders). Hidden files and folders are left out; symbolic links to
 * folders are not followed, so a loop cannot make the walk endless.
 */
async function inputsOf(target: string, recursive: boolean): Promise<{ inputs: { kind: 'url' | 'file'; path: string }[]; subFolders: number; isFolder: boolean }> {
  if (/^https?:\/\//i.test(target)) return { inputs: [{ kind: 'url', path: target }], subFolders: 0, isFolder: false }
  const info = await stat(target).catch(() => null)
  if (!info) throw new DomainError('invalid', 'WIRE_IMPORT_NOT_FOUND', `${target} is neither a file, a folder nor an http(s) URL.`)
  if (info.isFile()) return { inputs: [{ kind: 'file', path: target }], subFolders: 0, isFolder: false }
  const files: string[] = []
  let subFolders = 0
  const pending = [target]
  while (pending.length > 0 && files.length < MAX_FOLDER_FILES) {
    const folder = pending.shift()!
    const entries = await readdir(folder, { withFileTypes: true })
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue
      const full = path.join(folder, entry.name)
      if (entry.isFile()) files.push(full)
      else if (entry.isDirectory()) {
        subFolders += 1
        if (recursive) pending.push(full)
      }
    }
  }
  files.sort((a, b) => a.localeCompare(b))
  return { inputs: files.slice(0, MAX_FOLDER_FILES).map((file) => ({ kind: 'file' as const, path: file })), subFolders, isFolder: true }
}

/** Registers `masthead wire …`: import copy by hand, and manage sources and routing rules. */
export function registerWireCommands(program: Command, withContainer: WithContainer, fail: (error: unknown) => never): void {
  const wire = program.command('wire').description('the wire desk: agency copy')

  wire
    .command('import')
    .argument('<target>', 'a file, a folder of files, or an http(s) URL')
    .option('--source <slug>', 'the wire source the copy arrives through (see `masthead wire sources`)')
    .option('--no-recursive', 'read only the files directly in the folder, not those in its sub-folders')
    .description('ingest agency copy once; exit code 0 when everything was read, 2 when anything was rejected')
    .action(async (target: string, options: { source?: string; recursive: boolean }) => {
      try {
        const totals = await withContainer(async (container) => {
          const source = options.source ? await container.wire.findSourceBySlug(options.source) : null
          if (options.source && !source) {
            throw new DomainError('not_found', 'WIRE_SOURCE_NOT_FOUND', `No wire source "${options.source}". List them with: masthead wire sources`)
          }
          const { inputs, subFolders, isFolder } = await inputsOf(target, options.recursive)
          // A folder is read like a backfill: every parser process will be busy.
          void container.wireParser.warm(inputs.length > 1 ? Infinity : 1)
          if (isFolder) {
            const files = `${inputs.length} file${inputs.length === 1 ? '' : 's'}`
            const where = options.recursive
              ? subFolders > 0 ? ` (${subFolders} sub-folder${subFolders === 1 ? '' : 's'} included)` : ''
              : subFolders > 0 ? ` (${subFolders} sub-folder${subFolders === 1 ? '' : 's'} not read: --no-recursive)` : ''
            process.stdout.write(`found ${files} in ${target}${where}\n`)
          }
          const totals: Totals = { imported: 0, updated: 0, unchanged: 0, rejected: [], warnings: [] }
          const bar = progress(inputs.length)
          // Inputs handed to the desk, in order; the desk reads the next while it stores one.
          const handed: string[] = []
          async function* readInputs(): AsyncGenerator<IngestInput> {
            for (const input of inputs) {
              if (input.kind === 'url') {
                // An operator typing a URL means it, so private addresses are allowed here.
                const { fetchFeed } = await import('../wire/sources/http-fetch.ts')
                const fetched = await fetchFeed({ url: input.path, allowPrivateNetwork: true })
                if (fetched.kind !== 'fetched') {
                  const reason = fetched.kind === 'failed' ? fetched.reason : 'The server answered 304 Not Modified to an unconditional request.'
                  totals.rejected.push({ input: input.path, issue: { where: 'request', code: 'WIRE_FETCH_FAILED', message: reason } })
                  continue
                }
                handed.push(input.path)
                yield {
                  bytes: fetched.bytes,
                  origin: fetched.finalUrl,
                  ...(fetched.contentType ? { contentType: fetched.contentType } : {}),
                  baseUrl: fetched.finalUrl,
                  wireSourceId: source?.id ?? null,
                }
              } else {
                handed.push(input.path)
                yield { bytes: new Uint8Array(await readFile(input.path)), origin: input.path, wireSourceId: source?.id ?? null }
              }
            }
          }
          let done = 0
          for await (const report of container.wire.ingestAll(readInputs())) {
            const path = handed[done++]!
            bar.step(done, path)
            totals.imported += report.imported
            totals.updated += report.updated
            totals.unchanged += report.unchanged
            for (const issue of report.rejected) totals.rejected.push({ input: path, issue })
            for (const issue of report.warnings) totals.warnings.push({ input: path, issue })
          }
          bar.step(inputs.length, 'done')
          bar.end()
          return totals
        })
        const warned = totals.warnings.length > 0 ? ` (${totals.warnings.length} warning${totals.warnings.length === 1 ? '' : 's'}, listed below)` : ''
        process.stdout.write(`imported ${totals.imported}, updated ${totals.updated}, unchanged ${totals.unchanged}, rejected ${totals.rejected.length}${warned}\n`)
        for (const { input, issue } of totals.rejected) process.stdout.write(`  rejected ${input} ${issue.where}: ${issue.code} ${issue.message}\n`)
        for (const { input, issue } of totals.warnings) process.stdout.write(`  warning ${input} ${issue.where}: ${issue.code} ${issue.message}\n`)
        process.exitCode = totals.rejected.length > 0 ? 2 : 0
      } catch (error) {
        fail(error)
      }
    })

  wire
    .command('sources')
    .description('list wire sources with their last success and last error')
    .action(async () => {
      try {
        const sources = await withContainer((c) => c.wire.listSources())
        if (sources.length === 0) process.stdout.write('No wire sources yet. Add one with: masthead wire source-add --help\n')
        for (const s of sources) {
          const where = s.kind === 'feed' ? s.url : s.kind === 'folder' ? s.folder : 'manual'
          process.stdout.write(`${s.slug}\t${s.kind}\t${where}\t${s.enabled ? 'enabled' : 'disabled'}\n`)
          process.stdout.write(`\tlast success: ${s.lastSuccessAt ?? 'never'}; last error: ${s.lastError ? `${s.lastErrorAt} ${s.lastError}` : 'none'}\n`)
        }
      } catch (error) {
        fail(error)
      }
    })

  wire
    .command('source-add')
    .description('add a polled feed, a drop folder or a manual source')
    .requiredOption('--slug <slug>', 'short name, e.g. acp-world')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--kind <kind>', 'feed, folder or manual')
    .option('--url <url>', 'feed URL (feeds)')
    .option('--folder <path>', 'drop folder (folders)')
    .option('--interval <seconds>', 'how often to poll', '300')
    .option('--credit <source-slug>', 'the agency (a source) that articles from this feed are credited to')
    .option('--allow-private-network', 'allow private and loopback addresses (an agency on a private line)')
    .action(async (o: { slug: string; name: string; kind: string; url?: string; folder?: string; interval: string; credit?: string; allowPrivateNetwork?: boolean }) => {
      try {
        const created = await withContainer(async (c) => {
          const credit = o.credit ? await c.sources.findBySlug(o.credit) : null
          if (o.credit && !credit) throw new DomainError('not_found', 'SOURCE_NOT_FOUND', `No source "${o.credit}".`)
          return c.wire.createSource({
            slug: o.slug,
            name: o.name,
            kind: o.kind as 'feed',
            url: o.url ?? null,
            folder: o.folder ? path.resolve(o.folder) : null,
            intervalSeconds: Number(o.interval),
            creditSourceId: credit?.id ?? null,
            allowPrivateNetwork: Boolean(o.allowPrivateNetwork),
          })
        })
        process.stdout.write(`Added wire source ${created.slug} (${created.id}).\n`)
      } catch (error) {
        fail(error)
      }
    })

  wire
    .command('rule-add')
    .description('add a routing rule: items matching every given criterion go to the sections and tags')
    .requiredOption('--name <name>', 'what the rule is for')
    .option('--agency <key>', 'agency, e.g. acp')
    .option('--subject <code>', 'subject code, e.g. medtop:11000000')
    .option('--keyword <word>', 'keyword or headline word')
    .option('--language <tag>', 'language, e.g. en')
    .option('--section <slug...>', 'sections to route to')
    .option('--tag <slug...>', 'tags to add')
    .option('--priority <n>', 'lower runs first; the first section becomes primary', '100')
    .action(async (o: { name: string; agency?: string; subject?: string; keyword?: string; language?: string; section?: string[]; tag?: string[]; priority: string }) => {
      try {
        const rule = await withContainer(async (c) => {
          const sections = await c.sections.listSections()
          const sectionIds = (o.section ?? []).map((slug) => {
            const found = sections.find((s) => s.slug === slug)
            if (!found) throw new DomainError('not_found', 'SECTION_NOT_FOUND', `No section "${slug}".`)
            return found.id
          })
          const tagIds: string[] = []
          for (const slug of o.tag ?? []) {
            const tag = await c.sections.findTagBySlug(slug)
            if (!tag) throw new DomainError('not_found', 'TAG_NOT_FOUND', `No tag "${slug}".`)
            tagIds.push(tag.id)
          }
          return c.wire.createRule({
            name: o.name,
            agency: o.agency ?? null,
            subjectCode: o.subject ?? null,
            keyword: o.keyword ?? null,
            language: o.language ?? null,
            sectionIds,
            tagIds,
            priority: Number(o.priority),
          })
        })
        process.stdout.write(`Added routing rule "${rule.name}" (${rule.id}).\n`)
      } catch (error) {
        fail(error)
      }
    })
}
