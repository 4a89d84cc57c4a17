import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

const SCHEMAS = path.resolve(import.meta.dirname, '..', 'fixtures', 'sitemaps')

/** The sitemap schemas under test/fixtures/sitemaps. */
export const SITEMAP_SCHEMAS = {
  index: path.join(SCHEMAS, 'siteindex.xsd'),
  urlset: path.join(SCHEMAS, 'sitemap.xsd'),
  news: path.join(SCHEMAS, 'sitemap-with-news.xsd'),
} as const

/** Validates an XML document against an XML Schema with xmllint (Debian libxml2-utils); `output` holds its messages. */
export function validateXml(document: string, schema: string): { ok: boolean; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'masthead-xml-'))
  try {
    const file = path.join(dir, 'document.xml')
    writeFileSync(file, document)
    const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, file], { encoding: 'utf8' })
    if (run.error) throw run.error
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
