import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { generateDatabase } from './generate.ts'

/**
 * Checks that the direct writer still writes what the article service writes:
 * generates the same paper both ways and compares every article with its
 * links, revisions (snapshots included) and corrections, with generated ids
 * replaced by the slugs they point at. Run after changing src/articles:
 *
 *   node --import tsx bench/check-generator.ts [articles=1000]
 */

const ID = /\b(art|sec|tag|aut|src|rev|cor)_[0-9a-z]{19}\b/g

type Row = Record<string, unknown>

/** Every article of a database as comparable text, keyed by slug. */
function describe(file: string): Map<string, string> {
  const db = new SqliteDatabase(file, { readonly: true })
  try {
    const names = new Map<string, string>()
    for (const table of ['sections', 'authors', 'tags', 'sources', 'articles']) {
      for (const row of db.prepare(`select id, slug from ${table}`).all() as { id: string; slug: string }[]) names.set(row.id, `${table}:${row.slug}`)
    }
    const name = (id: string) => names.get(id) ?? `${id.slice(0, 3)}_*`
    const unId = (text: string) => text.replace(ID, name)
    const all = (sql: string, id: string) => db.prepare(sql).all(id) as Row[]
    const out = new Map<string, string>()
    for (const article of db.prepare('select * from articles').all() as Row[]) {
      const id = String(article.id)
      const revisions = all('select * from revisions where article_id = ? order by number', id).map((r) => {
        const snapshot = JSON.parse(String(r.snapshot)) as { tagIds: string[] }
        // loadArticle orders tag ids by id; ids differ between the two databases, so check the order here and compare as a set.
        const sorted = [...snapshot.tagIds].sort()
        if (sorted.join() !== snapshot.tagIds.join()) throw new Error(`${file}: revision ${String(r.id)} lists tag ids out of order`)
        return { ...r, id: '*', snapshot: { ...snapshot, tagIds: snapshot.tagIds.map(name).sort() } }
      })
      const record = {
        article,
        sections: all('select section_id, position from article_sections where article_id = ? order by position', id),
        authors: all('select author_id, position from article_authors where article_id = ? order by position', id),
        tags: all('select tag_id from article_tags where article_id = ?', id).map((t) => name(String(t.tag_id))).sort(),
        revisions,
        corrections: all('select * from corrections where article_id = ? order by created_at', id).map((c) => ({ ...c, id: '*' })),
        // The section listings; section ids differ between the two databases, so compare by slug.
        listings: all('select * from article_listings where article_id = ?', id)
          .map((l) => ({ ...l, section_id: name(String(l.section_id)) }))
          .sort((a, b) => a.section_id.localeCompare(b.section_id)),
      }
      out.set(String(article.slug), unId(JSON.stringify(record)))
    }
    return out
  } finally {
    db.close()
  }
}

async function main(): Promise<void> {
  const articles = Number(process.argv[2] ?? 1000)
  const dir = mkdtempSync(path.join(tmpdir(), 'masthead-bench-check-'))
  try {
    // One instant for both, so the generated dates agree.
    const now = new Date()
    const files = { direct: path.join(dir, 'direct.db'), services: path.join(dir, 'services.db') }
    for (const writer of ['direct', 'services'] as const) {
      const result = await generateDatabase({ articles, file: files[writer], writer, now })
      console.log(`${writer.padEnd(8)} ${result.articles} articles in ${result.seconds.toFixed(1)} s`)
    }
    const direct = describe(files.direct)
    const services = describe(files.services)
    const differing = [...new Set([...direct.keys(), ...services.keys()])].filter((slug) => direct.get(slug) !== services.get(slug))
    for (const slug of differing.slice(0, 3)) {
      const a = direct.get(slug) ?? ''
      const b = services.get(slug) ?? ''
      let i = 0
      while (i < a.length && a[i] === b[i]) i++
      console.log(`\n${slug} differs at ${i}:\n  direct:   …${a.slice(Math.max(0, i - 80), i + 120)}\n  services: …${b.slice(Math.max(0, i - 80), i + 120)}`)
    }
    console.log(differing.length === 0 ? `OK: all ${direct.size} articles identical.` : `\n${differing.length} of ${direct.size} articles differ.`)
    process.exitCode = differing.length === 0 ? 0 : 1
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
