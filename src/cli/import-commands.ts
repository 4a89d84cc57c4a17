import { readFile, stat } from 'node:fs/promises'
import type { Command } from 'commander'
import type { ImportReport } from '../importers/index.ts'
import { DomainError } from '../shared/errors.ts'
import { progress } from './progress.ts'
import type { WithContainer } from './wire-commands.ts'

/** The largest export file read; WordPress and Ghost exports of big sites stay well under it. */
const MAX_EXPORT_BYTES = 1024 * 1024 * 1024

// The importers (and their XML parser) load when an import runs, not with every command.
const importers = () => import('../importers/index.ts')

async function readExport(file: string): Promise<Uint8Array> {
  const { ImportErrors } = await importers()
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) throw new DomainError('invalid', ImportErrors.IMPORT_NOT_FOUND, `${file} is not a file.`)
  if (info.size > MAX_EXPORT_BYTES) throw new DomainError('too_large', ImportErrors.IMPORT_UNREADABLE, `${file} is larger than 1 GB; split the export.`)
  return new Uint8Array(await readFile(file))
}

async function checkFolder(folder: string | undefined): Promise<void> {
  if (folder === undefined) return
  const { ImportErrors } = await importers()
  const info = await stat(folder).catch(() => null)
  if (!info?.isDirectory()) throw new DomainError('invalid', ImportErrors.IMPORT_NOT_FOUND, `${folder} (--media) is not a folder.`)
}

function printReport(report: ImportReport): void {
  const out = process.stdout
  out.write(
    `imported ${report.imported}, unchanged ${report.unchanged}, kept as drafts ${report.keptAsDrafts}, pictures ${report.pictures}, redirects ${report.redirects}, skipped ${report.skipped.length}\n`,
  )
  for (const issue of report.skipped) out.write(`  skipped ${issue.where}: ${issue.code} ${issue.message}\n`)
  for (const note of report.notes) out.write(`  note ${note.where}: ${note.code} ${note.message}\n`)
}

/** Registers `masthead import wordpress|ghost`: bring an old site's stories in, once. */
export function registerImportCommands(program: Command, withContainer: WithContainer, fail: (error: unknown) => never): void {
  const importer = program.command('import').description('bring stories in from another publishing system')

  const run = async (file: string, options: { media?: string }, format: 'wordpress' | 'ghost') => {
    try {
      const { readGhost, readWordPress } = await importers()
      const { createMediaFolder } = await import('../importers/sources/media-folder.ts')
      const read = format === 'wordpress' ? readWordPress : readGhost
      await checkFolder(options.media)
      // The file is read and checked before the database is touched: a broken export imports nothing.
      const bundle = read(await readExport(file), file)
      const report = await withContainer(async (container) => {
        const bar = progress(bundle.posts.length)
        const result = await container.importer.run(bundle, {
          findMedia: options.media ? createMediaFolder(options.media) : null,
          onProgress: (done, _total, label) => bar.step(done, label),
        })
        bar.end()
        return result
      })
      printReport(report)
      process.exitCode = report.skipped.length > 0 ? 2 : 0
    } catch (error) {
      fail(error)
    }
  }

  importer
    .command('wordpress')
    .argument('<export.xml>', 'a WordPress export (Tools → Export, WXR 1.1 or 1.2)')
    .option('--media <folder>', 'a copy of wp-content/uploads, for featured and inline pictures')
    .description('import posts, categories (as sections), tags and authors; exit code 2 when anything was skipped')
    .action((file: string, options: { media?: string }) => run(file, options, 'wordpress'))

  importer
    .command('ghost')
    .argument('<export.json>', 'a Ghost export (Settings → Labs → Export, Ghost 5 or earlier)')
    .option('--media <folder>', 'a copy of content/images, for featured and inline pictures')
    .description('import posts, tags (the primary one as section), authors; exit code 2 when anything was skipped')
    .action((file: string, options: { media?: string }) => run(file, options, 'ghost'))
}
