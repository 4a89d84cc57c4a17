import type { Kysely } from 'kysely'
import type { Db } from '../db/database.ts'

/**
 * Rewrites a section or tag id inside the wire desk's routing data (rules and
 * the routing stored on items), which keeps ids in JSON lists rather than in
 * link tables a foreign key would follow. `to` null removes the id. Runs in
 * the caller's transaction, so a merge or deletion never leaves a rule that
 * would make drafts with a tag or section that no longer exists.
 */
export async function replaceRoutingId(db: Db, column: 'section_ids' | 'tag_ids', from: string, to: string | null): Promise<void> {
  // The wire tables belong to src/wire; only their id lists are touched here, through an untyped handle.
  const loose = db as unknown as Kysely<any>
  for (const table of ['wire_rules', 'wire_items']) {
    const rows: { id: string; ids: string }[] = await loose
      .selectFrom(table)
      .select(['id', `${column} as ids`])
      .where(column, 'like', `%"${from}"%`)
      .execute()
    for (const row of rows) {
      let ids: unknown
      try {
        ids = JSON.parse(row.ids)
      } catch {
        continue
      }
      if (!Array.isArray(ids)) continue
      const next: string[] = []
      for (const id of ids) {
        const replaced = id === from ? to : id
        if (typeof replaced === 'string' && !next.includes(replaced)) next.push(replaced)
      }
      await loose.updateTable(table).set({ [column]: JSON.stringify(next) }).where('id', '=', row.id).execute()
    }
  }
}
