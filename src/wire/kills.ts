import type { Db } from '../db/database.ts'
import type { SourceKills } from '../articles/index.ts'

/**
 * The wire desk's answer to publishing: a story is held back while any
 * agency item it was made from stands killed or withdrawn (`pub_status`
 * other than usable). Read inside the publishing transaction.
 */
export const wireSourceKills: SourceKills = {
  async killedCopyOf(trx: Db, articleId: string) {
    const row = await trx.selectFrom('wire_items').select('id').where('article_id', '=', articleId).where('pub_status', '!=', 'usable').limit(1).executeTakeFirst()
    return row ? { itemId: row.id } : null
  },
}
