import { Body } from '../articles/index.ts'
import type { Db } from '../db/database.ts'
import { buildSearchDocument } from './document.ts'
import type { SearchEngine } from './port.ts'

const BATCH = 500

/**
 * Indexes every published story, in batches by id (keyset), so a large
 * archive is never loaded at once. Used by the migration that creates the
 * index and by `reindex`; safe to run again (each story is replaced).
 * Returns how many stories were indexed.
 */
export async function backfillSearchIndex(db: Db, engine: SearchEngine): Promise<number> {
  // Oldest first, by (published_at, id): stories of one second then take the SQLite engine's row ids in that order.
  let after: { at: string; id: string } | null = null
  let count = 0
  for (;;) {
    let query = db
      .selectFrom('articles')
      .select(['id', 'title', 'dek', 'dateline', 'body', 'source_id', 'published_at', 'created_at'])
      .where('status', '=', 'published')
      .where('published_at', 'is not', null)
    if (after) {
      const { at, id } = after
      query = query.where((eb) => eb.or([eb('published_at', '>', at), eb.and([eb('published_at', '=', at), eb('id', '>', id)])]))
    }
    const rows = await query.orderBy('published_at').orderBy('id').limit(BATCH).execute()
    if (rows.length === 0) return count
    const ids = rows.map((r) => r.id)
    const [authors, tags] = await Promise.all([
      db.selectFrom('article_authors').select(['article_id', 'author_id']).where('article_id', 'in', ids).orderBy('article_id').orderBy('position').execute(),
      db.selectFrom('article_tags').select(['article_id', 'tag_id']).where('article_id', 'in', ids).execute(),
    ])
    for (const row of rows) {
      const parsed = Body.safeParse(JSON.parse(row.body))
      const doc = await buildSearchDocument(db, {
        id: row.id,
        title: row.title,
        dek: row.dek,
        dateline: row.dateline,
        // A hand-edited body that no longer parses is still findable by its headline.
        body: parsed.success ? parsed.data : [],
        authorIds: authors.filter((a) => a.article_id === row.id).map((a) => a.author_id),
        tagIds: tags.filter((t) => t.article_id === row.id).map((t) => t.tag_id),
        sourceId: row.source_id,
        publishedAt: row.published_at,
        createdAt: row.created_at,
      })
      await engine.upsert(db, doc)
      count++
    }
    const last = rows.at(-1)!
    after = { at: last.published_at!, id: last.id }
  }
}
