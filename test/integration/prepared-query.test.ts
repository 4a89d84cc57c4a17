import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { preparedQuery, preparedQueryWith } from '../../src/db/prepared.ts'
import type { Container } from '../../src/server/container.ts'
import { DIALECTS } from '../support/dialects.ts'
import { buildTestContainer, type TestContainer } from '../support/test-context.ts'

/** Queries compiled once per shape and run with new values (src/db/prepared.ts), on both databases. */
for (const dialect of DIALECTS) {
  describe(`${dialect}: prepared queries`, () => {
    let ctx: TestContainer
    let c: Container

    beforeEach(async () => {
      ctx = await buildTestContainer(dialect)
      c = ctx.container
      for (const slug of ['alpha', 'beta', 'gamma', 'delta']) await c.sections.createTag({ slug, name: slug.toUpperCase() })
    })
    afterEach(async () => ctx.cleanup())

    it('runs a query compiled once with each call’s values, scalars and lists alike', async () => {
      let builds = 0
      const bySlug = preparedQuery((db, slug: string) => {
        builds++
        return db.selectFrom('tags').select('name').where('slug', '=', slug)
      })
      const db = c.database.db
      expect(await bySlug(db, 'alpha')).toEqual([{ name: 'ALPHA' }])
      expect(await bySlug(db, 'gamma')).toEqual([{ name: 'GAMMA' }])
      expect(await bySlug(db, 'nothing')).toEqual([])
      expect(builds).toBe(1)

      const anyOf = preparedQuery((db, slugs: readonly string[], limit: number) => db.selectFrom('tags').select('slug').where('slug', 'in', slugs).orderBy('slug').limit(limit))
      expect(await anyOf(db, ['beta', 'delta'], 10)).toEqual([{ slug: 'beta' }, { slug: 'delta' }])
      expect(await anyOf(db, ['gamma', 'alpha'], 10)).toEqual([{ slug: 'alpha' }, { slug: 'gamma' }])
      // Another length is another shape; the limit is a value like any other.
      expect(await anyOf(db, ['alpha', 'beta', 'gamma'], 2)).toEqual([{ slug: 'alpha' }, { slug: 'beta' }])
      // In a transaction too.
      expect(await db.transaction().execute((trx) => bySlug(trx, 'delta'))).toEqual([{ name: 'DELTA' }])
    })

    it('refuses an argument used to shape the SQL instead of as a value, rather than lose it on the next call', async () => {
      // The value is worked on before it reaches the query: the compiled query would keep the first call's.
      const shaped = preparedQuery((db, slug: string) => db.selectFrom('tags').select('name').where('slug', '=', `${slug}`.toLowerCase()))
      await expect(shaped(c.database.db, 'ALPHA')).rejects.toThrow(/not plain query values/)
    })

    it('writes a fixed value (a limit) into the SQL, one compiled query per value', async () => {
      let builds = 0
      const firstSlugs = preparedQueryWith((limit: number) => {
        builds++
        return (db, after: string) => db.selectFrom('tags').select('slug').where('slug', '>', after).orderBy('slug').limit(sql.lit(limit))
      })
      const db = c.database.db
      expect(await firstSlugs(2)(db, 'a')).toEqual([{ slug: 'alpha' }, { slug: 'beta' }])
      expect(await firstSlugs(2)(db, 'b')).toEqual([{ slug: 'beta' }, { slug: 'delta' }])
      expect(await firstSlugs(3)(db, 'a')).toEqual([{ slug: 'alpha' }, { slug: 'beta' }, { slug: 'delta' }])
      expect(builds).toBe(2)
    })
  })
}
