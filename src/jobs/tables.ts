/**
 * One row per periodic job. A process may run the job when `next_due_at` has
 * come and no live lease is held; it takes the lease with a conditional UPDATE.
 */
export interface JobRunsTable {
  name: string
  next_due_at: string
  last_run_at: string | null
  /** A short line about the last run (`ok: …` or `failed: …`), for operators; never content. */
  last_outcome: string | null
  lease_owner: string | null
  lease_until: string | null
}

export interface JobsTables {
  job_runs: JobRunsTable
}
