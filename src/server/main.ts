import type { FastifyInstance } from 'fastify'
import { buildApp, type AppOptions } from './app.ts'
import type { Config } from './config.ts'
import type { Container } from './container.ts'
import { openContainer, prepareSite, type FirstStartReport } from './startup.ts'
import { StartupError } from './startup-error.ts'
import { startScheduledPublisher } from './scheduled-publisher.ts'
import { startWirePoller } from './wire-poller.ts'
import { startPeriodicJobs } from './periodic-jobs.ts'
import { startWebhookWorker } from './webhook-worker.ts'
import type { WorkerLink } from '../cluster/index.ts'

export interface RunningServer {
  app: FastifyInstance
  container: Container
  url: string
  report: FirstStartReport
  /**
   * Stops the server gracefully: /readyz answers 503 at once, the server keeps
   * serving for the configured delay, then stops accepting connections while
   * requests in flight finish (within the grace period) and the repeating
   * jobs finish their current run; then the database closes. Calling it again
   * returns the same promise.
   */
  close(): Promise<void>
}

/**
 * Stops accepting and lets requests in flight finish, but not for ever: a
 * client that trickles a body it never ends (or a stuck download) would hold
 * the shutdown open, so after the grace period its connection is cut.
 */
async function closeWithin(app: FastifyInstance, graceMs: number): Promise<void> {
  const cut = setTimeout(() => app.server.closeAllConnections(), graceMs)
  try {
    await app.close()
  } finally {
    clearTimeout(cut)
  }
}

/**
 * Opens the database, prepares the site and listens. The only place that
 * listens; `close()` stops accepting, drains requests and closes the database.
 */
export async function startServer(config: Config, options: AppOptions & { workerLink?: WorkerLink } = {}): Promise<RunningServer> {
  const { workerLink, ...appOptions } = options
  const container = await openContainer(config, workerLink ? { workerLink } : {})
  let app: FastifyInstance | null = null
  try {
    const report = await prepareSite(container)
    app = await buildApp(container, appOptions)
    try {
      await app.listen({ port: config.port, host: config.host })
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EADDRINUSE') throw new StartupError(`Port ${config.port} on ${config.host} is already in use. Stop the other server or set PORT to a free port.`)
      if (code === 'EACCES') throw new StartupError(`Not allowed to listen on port ${config.port}. Use a port above 1023 or run with the needed rights.`)
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new StartupError(`HOST ${config.host} is not an address of this machine. Set HOST to 127.0.0.1, 0.0.0.0 or one of its addresses.`)
      throw error
    }
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : config.port
    const host = config.host.includes(':') ? `[${config.host}]` : config.host
    const running = app
    const { metrics } = running
    const observe = (job: string) => (outcome: 'ok' | 'failed', seconds: number) => metrics.jobRan(job, outcome, seconds)
    const poller =
      config.wirePollSeconds > 0
        ? startWirePoller({
            wire: container.wire,
            owner: container.node,
            log: app.log,
            everyMs: config.wirePollSeconds * 1000,
            onRun: observe('wire-poller'),
          })
        : null
    const publisher = startScheduledPublisher({ articles: container.articles, log: app.log, everyMs: 15_000, onRun: observe('scheduled-publisher'), onLate: (s) => metrics.publishedLate(s) })
    // Daily work such as the retention of declined submissions; checked every ten minutes, run by one process per period.
    const jobs = startPeriodicJobs({ runner: container.jobRunner, jobs: container.periodicJobs, log: app.log, everyMs: 10 * 60_000, onRun: observe('periodic-jobs') })
    const webhookWorker =
      config.webhooks.everySeconds > 0 ? startWebhookWorker({ webhooks: container.webhooks, owner: container.node, log: app.log, everyMs: config.webhooks.everySeconds * 1000, onRun: observe('webhook-worker') }) : null
    let closing: Promise<void> | null = null
    const shutDown = async () => {
      running.lifecycle.isDraining = true
      if (config.shutdown.delayMs > 0) {
        running.log.info({ delayMs: config.shutdown.delayMs }, 'draining: /readyz answers 503; still serving until the delay ends')
        await new Promise((resolve) => setTimeout(resolve, config.shutdown.delayMs))
      }
      // The jobs finish their current run while the requests in flight finish: neither waits for the other.
      const stopped = await Promise.allSettled([poller?.stop(), publisher.stop(), jobs.stop(), webhookWorker?.stop(), closeWithin(running, config.shutdown.graceMs)])
      await container.close()
      const failed = stopped.find((r) => r.status === 'rejected')
      if (failed) throw failed.reason
    }
    return {
      app: running,
      container,
      url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
      report,
      close() {
        closing ??= shutDown()
        return closing
      },
    }
  } catch (error) {
    await app?.close().catch(() => {})
    await container.close().catch(() => {})
    throw error
  }
}
