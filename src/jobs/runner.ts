import type { Db } from '../db/database.ts'
import type { Clock } from '../shared/clock.ts'

/** A job that should run once per period across every process of the site. */
export interface PeriodicJob {
  /** Stable name; the key of its row in `job_runs`. */
  name: string
  /** How long from one run's start to the next one's being due. */
  everyMs: number
  /** Does the work and returns one short line for `job_runs.last_outcome` (counts, never content). */
  run(): Promise<string>
}

/** What one call to `runIfDue` did. */
export type JobTurn = { name: string; result: 'ran'; outcome: string } | { name: string; result: 'not-due' } | { name: string; result: 'failed'; error: unknown }

export interface JobRunnerDeps {
  db: Db
  clock: Clock
  /** Who this runner is, for the lease (host and process, plus something unique per runner). */
  owner: string
  /** How long a claim holds; longer than any run. A crashed runner's lease simply runs out. 30 minutes by default. */
  leaseMs?: number
  /** After a failed run, how long until it is due again; at most the job's period. 15 minutes by default. */
  retryMs?: number
}

/**
 * Runs periodic jobs once per period across processes. Each job has a row in
 * `job_runs`; a runner takes it with one conditional UPDATE (due, and no live
 * lease), like the wire poller takes its sources, so when several processes
 * tick at once exactly one of them wins. The next run is due one period after
 * this one was claimed, so a daily job keeps its hour.
 *
 * The statements, in order, on both SQLite and PostgreSQL:
 *
 * ```sql
 * INSERT INTO job_runs (name, next_due_at, …) VALUES (?, now, …) ON CONFLICT (name) DO NOTHING;
 * UPDATE job_runs SET lease_owner = ?, lease_until = ?
 *   WHERE name = ? AND next_due_at <= now AND (lease_until IS NULL OR lease_until < now);
 * -- one row changed: run it; then
 * UPDATE job_runs SET last_run_at = ?, last_outcome = ?, next_due_at = ?, lease_owner = NULL, lease_until = NULL
 *   WHERE name = ? AND lease_owner = ?;
 * ```
 *
 * PostgreSQL re-checks the UPDATE's WHERE after waiting for a competing
 * writer's row lock, and SQLite lets one writer in at a time, so the second
 * claimant finds the lease taken and changes nothing.
 */
export function createJobRunner(deps: JobRunnerDeps) {
  const { db, clock, owner } = deps
  const leaseMs = deps.leaseMs ?? 30 * 60_000

  /** Runs the job if it is due and no other runner holds it. Returns what happened; a failing job is reported, not thrown. */
  async function runIfDue(job: PeriodicJob): Promise<JobTurn> {
    const now = clock.now()
    const nowIso = now.toISOString()
    await db
      .insertInto('job_runs')
      .values({ name: job.name, next_due_at: nowIso, last_run_at: null, last_outcome: null, lease_owner: null, lease_until: null })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute()
    const claimed = await db
      .updateTable('job_runs')
      .set({ lease_owner: owner, lease_until: new Date(now.getTime() + leaseMs).toISOString() })
      .where('name', '=', job.name)
      .where('next_due_at', '<=', nowIso)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
      .executeTakeFirst()
    if (Number(claimed.numUpdatedRows) !== 1) return { name: job.name, result: 'not-due' }
    const finish = (outcome: string, nextDue: number) =>
      db
        .updateTable('job_runs')
        .set({ last_run_at: clock.now().toISOString(), last_outcome: outcome.slice(0, 500), next_due_at: new Date(nextDue).toISOString(), lease_owner: null, lease_until: null })
        .where('name', '=', job.name)
        .where('lease_owner', '=', owner)
        .execute()
    try {
      const outcome = await job.run()
      await finish(`ok: ${outcome}`, now.getTime() + job.everyMs)
      return { name: job.name, result: 'ran', outcome }
    } catch (error) {
      const retry = Math.min(deps.retryMs ?? 15 * 60_000, job.everyMs)
      await finish(`failed: ${error instanceof Error ? error.message : String(error)}`, now.getTime() + retry).catch(() => {})
      return { name: job.name, result: 'failed', error }
    }
  }

  /** Each job's turn, one after another. */
  async function runDue(jobs: readonly PeriodicJob[]): Promise<JobTurn[]> {
    const turns: JobTurn[] = []
    for (const job of jobs) turns.push(await runIfDue(job))
    return turns
  }

  return { runIfDue, runDue, owner }
}

export type JobRunner = ReturnType<typeof createJobRunner>
