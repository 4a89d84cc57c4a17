import type { FastifyInstance } from 'fastify'
import { buildApp, type AppOptions } from './app.ts'
import type { Config } from './config.ts'
import type { Container } from './container.ts'
import { openContainer, prepareSite, StartupError, type FirstStartReport } from './startup.ts'
import { startScheduledPublisher } from './scheduled-publisher.ts'
import { startWirePoller } from './wire-poller.ts'
import { startPeriodicJobs } from './periodic-jobs.ts'
import { startWebhookWorker } from './webhook-worker.ts'

export interface RunningServer {
  app: FastifyInstance
  container: Container
  url: string
  report: FirstStartReport
  close(): Promise<void>
}

/** How long requests in flight get to finish when the server stops. */
const SHUTDOWN_GRACE_MS = 10_000

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
export async function startServer(config: Config, options: AppOptions = {}): Promise<RunningServer> {
  const container = await openContainer(config)
  let app: FastifyInstance | null = null
  try {
    const report = await prepareSite(container)
    app = await buildApp(container, options)
    try {
      await app.listen({ port: config.port, host: config.host })
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EADDRINUSE') throw new StartupError(`Port ${config.port} on ${config.host} is already in use. Stop the other server or set PORT to a free port.`)
      if (code === 'EACCES') throw new StartupError(`Not allowed to listen on port ${config.port}. Use a port above 1023 or run with the needed rights.`)
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new StartupError(`HOST ${config.host} is not an address of this machine. Set HOST to 127.0.0.1, 0.0.0.0 or one of its addresses.`)
      throw error
    }
    // Started once the server answers, so the first large wire input does not wait for it.
    void container.wireParser.warm()
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : config.port
    const host = config.host.includes(':') ? `[${config.host}]` : config.host
    const running = app
    const poller = config.wirePollSeconds > 0 ? startWirePoller({ wire: container.wire, log: app.log, everyMs: config.wirePollSeconds * 1000 }) : null
    const publisher = startScheduledPublisher({ articles: container.articles, log: app.log, everyMs: 15_000 })
    // Daily work such as the retention of declined submissions; checked every ten minutes, run by one process per period.
    const jobs = startPeriodicJobs({ runner: container.jobRunner, jobs: container.periodicJobs, log: app.log, everyMs: 10 * 60_000 })
    const webhookWorker = config.webhooks.everySeconds > 0 ? startWebhookWorker({ webhooks: container.webhooks, log: app.log, everyMs: config.webhooks.everySeconds * 1000 }) : null
    return {
      app: running,
      container,
      url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
      report,
      async close() {
        await poller?.stop()
        await publisher.stop()
        await jobs.stop()
        await webhookWorker?.stop()
        await closeWithin(running, SHUTDOWN_GRACE_MS)
        await container.close()
      },
    }
  } catch (error) {
    await app?.close().catch(() => {})
    await container.close().catch(() => {})
    throw error
  }
}
