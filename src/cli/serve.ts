import cluster from 'node:cluster'
import { InvalidArgumentError } from 'commander'
import { connectToPrimary, runPrimary, WORKER_INDEX_VARIABLE, type WorkerLink } from '../cluster/index.ts'
import { WorkerCount, type Config } from '../server/config.ts'

/** How long after listening the browser scripts are built; a page that needs them sooner builds them itself. */
const WARM_UP_AFTER_MS = 2000

/** `--workers`: the rule of MASTHEAD_WORKERS. */
export function parseWorkers(value: string): number {
  const parsed = WorkerCount.safeParse(value)
  if (!parsed.success) throw new InvalidArgumentError(`It ${parsed.error.issues[0]?.message ?? 'is not a number of workers'}.`)
  return parsed.data
}

/**
 * `masthead serve`. With one worker (the default) this process serves the
 * site. With more, this process becomes the cluster's primary and serves
 * nothing itself: each worker it forks runs this same command and lands in
 * the worker branch (src/cluster).
 */
export async function serve(config: Config, workers: number, fail: (error: unknown) => never): Promise<void> {
  if (cluster.isPrimary && workers > 1) {
    const code = await runPrimary({
      workers,
      log: (line) => process.stderr.write(`masthead: ${line}\n`),
      onRunning: (url, count) => process.stdout.write(`Masthead is running at ${url} (${count} workers)\n`),
    })
    process.exit(code)
  }
  const link = cluster.isWorker ? connectToPrimary(process) : null
  try {
    await serveHere(config, link)
  } catch (error) {
    fail(error)
  }
}

/** Serves the site from this process: the only one, or one worker of a cluster (`link`). */
async function serveHere(config: Config, link: WorkerLink | null): Promise<void> {
  const { startServer } = await import('../server/main.ts')
  const server = await startServer(config, link ? { workerLink: link } : {})
  // The story editor's and the reader forms' scripts are made ready in the background a moment after the site answers:
  // read from the build's dist/browser-bundles.json, or, run from src/, bundled by esbuild (~0.3 s of both cores), so
  // neither the first readers of a restart nor the first editor wait for them.
  setTimeout(() => void server.app.warmUp(), WARM_UP_AFTER_MS).unref()
  const { report } = server
  if (report.seeded) server.app.log.info('loaded demo content')
  if (report.admin) {
    const lines = [
      'An admin account was created.',
      `  email:    ${report.admin.email}`,
      report.admin.generatedPassword
        ? `  password: ${report.admin.generatedPassword}   (shown once; change it at first sign-in)`
        : '  password: the one set in MASTHEAD_ADMIN_PASSWORD',
    ]
    process.stdout.write(`\n${lines.join('\n')}\n\n`)
  }
  // Handlers go in before the "running" line: whoever reads it may stop us at once.
  // A graceful stop: /readyz says 503, requests in flight and the jobs' current runs finish, the database closes, exit 0.
  // If that takes far longer than the delay and grace period allow (a job stuck on a slow agency), exit 1 anyway.
  let closing = false
  const shutdown = (signal: string) => {
    if (closing) {
      // A second Ctrl-C means "now"; a repeated SIGTERM changes nothing. A worker leaves that to its primary,
      // since a terminal's Ctrl-C reaches the primary and every worker at once.
      if (signal === 'SIGINT' && !link) process.exit(1)
      return
    }
    closing = true
    const { delayMs, graceMs } = server.container.config.shutdown
    server.app.log.info({ signal, delayMs, graceMs }, 'shutting down')
    const force = setTimeout(() => {
      server.app.log.error('shutdown did not finish in time; exiting')
      process.exit(1)
    }, delayMs + graceMs + 20_000)
    force.unref()
    server.close().then(
      () => {
        server.app.log.info('stopped')
        process.exit(0)
      },
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  if (link) {
    // The primary is gone (killed): no one hands this worker connections any more, so it stops rather than linger.
    process.on('disconnect', () => shutdown('primary gone'))
    if (!process.connected) shutdown('primary gone')
    server.app.log.info({ worker: process.env[WORKER_INDEX_VARIABLE] }, 'worker serving')
    link.ready(server.url)
  } else {
    process.stdout.write(`Masthead is running at ${server.url}\n`)
  }
}
