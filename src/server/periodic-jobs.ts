import type { FastifyBaseLogger } from 'fastify'
import type { JobRunner, PeriodicJob } from '../jobs/index.ts'
import type { SettingsService } from '../settings/index.ts'
import type { SubmissionService } from '../submissions/index.ts'
import type { WebhookService } from '../webhooks/index.ts'
import { startRepeating } from './repeating.ts'

const DAY_MS = 24 * 3600_000

/**
 * Deletes declined letters, opinion pieces and tips once a day, after the
 * number of days set in the site settings ("Never" turns it off). The
 * submission service writes one audit entry per run that deleted anything.
 */
export function declinedRetentionJob(deps: { submissions: SubmissionService; settings: SettingsService }): PeriodicJob {
  return {
    name: 'submissions.declined-retention',
    everyMs: DAY_MS,
    async run() {
      const days = (await deps.settings.get()).declinedRetentionDays
      if (days === null) return 'retention is off'
      const r = await deps.submissions.purgeDeclined(days)
      return `older than ${days} days: ${r.letters} letters, ${r.opinions} opinion pieces, ${r.tips} tips, ${r.files} files deleted${r.fileErrors ? `, ${r.fileErrors} files could not be removed` : ''}`
    },
  }
}

/** How long the webhook log keeps deliveries that are done (delivered or failed). */
export const WEBHOOK_LOG_DAYS = 30

/** Deletes webhook deliveries that were delivered or failed more than 30 days ago, once a day. */
export function webhookRetentionJob(deps: { webhooks: WebhookService }): PeriodicJob {
  return {
    name: 'webhooks.log-retention',
    everyMs: DAY_MS,
    async run() {
      const r = await deps.webhooks.purgeFinished(WEBHOOK_LOG_DAYS)
      return `older than ${WEBHOOK_LOG_DAYS} days: ${r.deliveries} deliveries and ${r.attempts} attempts deleted`
    },
  }
}

/**
 * Gives every periodic job its chance on a timer in this process. Every
 * process may run this: the runner's lease lets one of them run each job per period.
 */
export function startPeriodicJobs(deps: { runner: JobRunner; jobs: readonly PeriodicJob[]; log: FastifyBaseLogger; everyMs: number }): { stop(): Promise<void> } {
  return startRepeating(
    async () => {
      for (const turn of await deps.runner.runDue(deps.jobs)) {
        if (turn.result === 'ran') deps.log.info({ job: turn.name, outcome: turn.outcome }, 'periodic job ran')
        else if (turn.result === 'failed') deps.log.error({ job: turn.name, err: turn.error }, 'periodic job failed')
      }
    },
    deps.everyMs,
    (error) => deps.log.error({ err: error }, 'periodic jobs could not be checked'),
  )
}
