import type { CompiledQuery, Insertable, Kysely } from 'kysely'
import type { Database } from './database.ts'

type Db = Kysely<Database>

const SLOT = Symbol('prepared query slot')
/** Compiled shapes kept per query and dialect. */
const MAX_SHAPES = 200

/** Stands in for an argument (or one element of an array argument) while the query is built once. */
interface Slot {
  readonly [SLOT]: true
  readonly arg: number
  readonly item: number | null
}

const slot = (arg: number, item: number | null): Slot => Object.freeze({ [SLOT]: true as const, arg, item })
const isSlot = (value: unknown): value is Slot => typeof value === 'object' && value !== null && SLOT in value

/**
 * A read query built and compiled once per shape, then run with each call's
 * values. Kysely builds and compiles a query anew on every call, and on an
 * uncached story page that was a sixth of the server's CPU time.
 *
 * `build` runs once per shape with placeholders in place of the arguments,
 * and the placeholders found among the compiled parameters are swapped for
 * each call's values. So it must use its arguments as values only (compared
 * in `where`, given to `limit`), never to decide what the query looks like,
 * with one exception: an array argument arrives as an array of placeholders
 * of the same length, so the query may follow how many elements it has (an
 * `in` list, one branch of a UNION per id). The shape is the arrays'
 * lengths; each shape is compiled once per dialect.
 */
export function preparedQuery<Args extends readonly unknown[], Row>(build: (db: Db, ...args: Args) => { compile(): CompiledQuery<Row> }) {
  // Per adapter: the same shape compiles to different SQL on SQLite and PostgreSQL.
  const compiledBy = new WeakMap<object, Map<string, CompiledQuery<Row>>>()

  function compile(db: Db, args: Args): CompiledQuery<Row> {
    const placeholders = args.map((arg, i) => (Array.isArray(arg) ? arg.map((_, j) => slot(i, j)) : slot(i, null))) as unknown as Args
    const query = build(db, ...placeholders).compile()
    const used = new Set(query.parameters.filter(isSlot).map((s) => `${s.arg}:${s.item}`))
    const expected = args.flatMap((arg, i) => (Array.isArray(arg) ? arg.map((_, j) => `${i}:${j}`) : [`${i}:null`]))
    // An argument that did not become a parameter was used to shape the SQL: its value would be lost on the next call.
    const lost = expected.filter((key) => !used.has(key))
    if (lost.length > 0 || query.sql.includes('[object Object]')) {
      throw new Error(`preparedQuery: arguments ${lost.join(', ') || '(in the SQL text)'} are not plain query values; pass what they decide as an array's length or build another query.`)
    }
    return query
  }

  return async function run(db: Db, ...args: Args): Promise<Row[]> {
    const adapter = db.getExecutor().adapter
    let compiled = compiledBy.get(adapter)
    if (!compiled) compiledBy.set(adapter, (compiled = new Map()))
    const key = args.map((arg) => (Array.isArray(arg) ? arg.length : '')).join(',')
    let query = compiled.get(key)
    if (!query) {
      query = compile(db, args)
      // Shapes come from list lengths, which callers bound; past this many, odd ones are compiled each time rather than kept.
      if (compiled.size < MAX_SHAPES) compiled.set(key, query)
    }
    const parameters = query.parameters.map((p) => (isSlot(p) ? (p.item === null ? args[p.arg] : (args[p.arg] as readonly unknown[])[p.item]) : p))
    return (await db.executeQuery<Row>({ ...query, parameters })).rows
  }
}

/** Queries kept per fixed value at most; past this many, odd values get a query compiled on each call. */
const MAX_FIXED_VALUES = 50

/**
 * A preparedQuery per value of `fixed`, which the query writes into its SQL
 * as a literal (`sql.lit`) rather than as a parameter: meant for a LIMIT,
 * which SQLite plans better when it can see it. Bound, the limit of each
 * member of the front page's UNION of listing ranges made that query take
 * more than twice as long (163 against 71 µs on 100,000 stories). Callers
 * pass a few constant values (a page size, a block size); each value gets its
 * own compiled query.
 */
export function preparedQueryWith<Fixed extends number, Args extends readonly unknown[], Row>(
  build: (fixed: Fixed) => (db: Db, ...args: Args) => { compile(): CompiledQuery<Row> },
): (fixed: Fixed) => (db: Db, ...args: Args) => Promise<Row[]> {
  const byValue = new Map<Fixed, (db: Db, ...args: Args) => Promise<Row[]>>()
  return (fixed) => {
    let query = byValue.get(fixed)
    if (!query) {
      query = preparedQuery(build(fixed))
      if (byValue.size < MAX_FIXED_VALUES) byValue.set(fixed, query)
    }
    return query
  }
}

/**
 * A multi-row INSERT into `table`, compiled once per list of columns and row
 * count, then run with each call's values: Kysely builds a node for every
 * value of every row and compiles them all again on each call, which was a
 * tenth of what storing a wire backfill cost. The columns are the first row's
 * keys; every row must give the same ones (null where it has no value).
 */
export function preparedInsert<T extends keyof Database & string>(table: T) {
  const byColumns = new Map<string, (db: Db, values: readonly unknown[]) => Promise<unknown[]>>()
  const queryFor = (columns: readonly string[]) =>
    preparedQuery((db: Db, values: readonly unknown[]) => {
      const rows: Record<string, unknown>[] = []
      for (let at = 0; at < values.length; at += columns.length) {
        const row: Record<string, unknown> = {}
        for (const [k, column] of columns.entries()) row[column] = values[at + k]
        rows.push(row)
      }
      return db.insertInto(table).values(rows as never)
    })
  return async (db: Db, rows: readonly Insertable<Database[T]>[]): Promise<void> => {
    if (rows.length === 0) return
    const columns = Object.keys(rows[0]!)
    const key = columns.join(',')
    let insert = byColumns.get(key)
    if (!insert) {
      insert = queryFor(columns)
      if (byColumns.size < MAX_SHAPES) byColumns.set(key, insert)
    }
    const values: unknown[] = []
    for (const row of rows as readonly Record<string, unknown>[]) {
      if (Object.keys(row).length !== columns.length) throw new Error(`preparedInsert(${table}): rows must all give the same columns`)
      for (const column of columns) {
        const value = row[column]
        if (value === undefined) throw new Error(`preparedInsert(${table}): a row has no value for "${column}"`)
        values.push(value)
      }
    }
    await insert(db, values)
  }
}
