import type { DialectName } from '../../src/db/database.ts'

/**
 * The databases every integration test runs against. Narrow a local run with
 * MASTHEAD_TEST_DIALECTS=sqlite; CI runs both.
 */
export const DIALECTS: readonly DialectName[] = (() => {
  const wanted = process.env.MASTHEAD_TEST_DIALECTS?.split(',').map((s) => s.trim()).filter(Boolean)
  const all: DialectName[] = ['sqlite', 'postgres']
  if (!wanted || wanted.length === 0) return all
  return all.filter((d) => wanted.includes(d))
})()

/** The PostgreSQL every machine of ours runs; override with MASTHEAD_TEST_PG_URL. */
export const TEST_PG_URL = process.env.MASTHEAD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
