import { fork, spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ChildMessage, ChildSpec, ParentMessage } from './serve-child.ts'

const CHILD_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'serve-child.ts')
const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')

/** `npm start` without npm in between: the arguments package.json's start script gives node (its flags included). */
function startArguments(): string[] {
  const start = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start
  const [command, ...args] = start.trim().split(/\s+/)
  if (command !== 'node') throw new Error(`package.json's start script runs ${command}, not node; the bench cannot start Masthead as it does.`)
  return args.map((arg) => (arg.startsWith('bin/') ? path.join(ROOT, arg) : arg))
}
const live = new Set<ChildProcess>()

/** A server under test running in its own process. */
export interface ServerChild {
  pid: number
  url: string
  /** Resident memory in bytes, from /proc when there is one, else asked over IPC; of the largest process when it runs several (workers). */
  rss(): Promise<number>
  /** CPU time used so far by the server and every process under it, in milliseconds; null without /proc. */
  cpuMs(): number | null
  stop(): Promise<void>
  /** Milliseconds from spawning the process to its first 200 for `/` (Masthead only). */
  firstOkMs?: number
}

/** VmRSS of a process from /proc, in bytes; null where /proc is not available. */
function procRss(pid: number): number | null {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m)
    return match ? Number(match[1]) * 1024 : null
  } catch {
    return null
  }
}

/**
 * CPU time a process has used so far (user + system, all its threads), in
 * milliseconds, from /proc; null where /proc is not available. On a machine
 * shared with other work, the CPU a server spends per request moves far less
 * than its requests per second.
 */
export function procCpuMs(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces) start after the last ')'; utime and stime are the 12th and 13th of them.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticksPerMs = 100 / 1000 // USER_HZ is 100 on Linux
    return (Number(fields[11]) + Number(fields[12])) / ticksPerMs
  } catch {
    return null
  }
}

/** A process and every process under it (a cluster's workers, their parser processes), from /proc. */
function processTree(pid: number): number[] {
  const pids = [pid]
  for (let i = 0; i < pids.length; i++) {
    try {
      const children = readFileSync(`/proc/${pids[i]}/task/${pids[i]}/children`, 'utf8').trim()
      if (children) pids.push(...children.split(/\s+/).map(Number))
    } catch {
      // Gone since it was listed.
    }
  }
  return pids
}

/** CPU milliseconds of a process and everything under it; null where /proc is not available. */
export function treeCpuMs(pid: number): number | null {
  if (procCpuMs(pid) === null) return null
  return processTree(pid).reduce((sum, p) => sum + (procCpuMs(p) ?? 0), 0)
}

/** The resident memory of the largest process of a tree, in bytes; null where /proc is not available. */
function treeRss(pid: number): number | null {
  if (procRss(pid) === null) return null
  return Math.max(...processTree(pid).map((p) => procRss(p) ?? 0))
}

/** A port nobody listens on now, on loopback (below the ephemeral range the load generator's sockets use). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

function getStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', () => resolve(0))
  })
}

/**
 * Starts Masthead as `npm start` does, `node <flags> bin/masthead.js serve`
 * (the build in dist/ when it is current), and asks for `/` from the moment it
 * is spawned until the first 200: the time a restarted server keeps readers waiting.
 */
export async function startMastheadServe(options: { dataDir: string; pageCache: boolean; workers?: number; timeoutMs?: number }): Promise<ServerChild> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const started = performance.now()
  const child = spawn(process.execPath, startArguments(), {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATA_DIR: options.dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'silent',
      MASTHEAD_PAGE_CACHE: String(options.pageCache),
      MASTHEAD_WORKERS: String(options.workers ?? 1),
      // Nothing in the background while measuring: no polling of wire sources, no webhook sends.
      MASTHEAD_WIRE_POLL_SECONDS: '0',
      MASTHEAD_WEBHOOKS_SECONDS: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  live.add(child)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.once('exit', () => live.delete(child))
  const deadline = started + (options.timeoutMs ?? 60_000)
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`masthead serve exited (code ${child.exitCode}) before it answered`)
    if ((await getStatus(`${url}/`)) === 200) break
    if (performance.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error('masthead serve did not answer 200 for / within 60 s')
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  const firstOkMs = performance.now() - started
  const pid = child.pid!
  return {
    pid,
    url,
    firstOkMs,
    async rss() {
      return treeRss(pid) ?? 0
    },
    cpuMs: () => treeCpuMs(pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000)
      child.kill('SIGTERM')
      await exited
      clearTimeout(kill)
    },
  }
}

/** Forks bench/serve-child.ts with `spec` and waits until it listens (or fails, or takes over 60 s). */
export function startChild(spec: ChildSpec): Promise<ServerChild> {
  const child = fork(CHILD_SCRIPT, [], {
    // Same loader as `npm run bench`; production mode as a deployment would run.
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_ENV: 'production', BENCH_CHILD_SPEC: JSON.stringify(spec) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  live.add(child)
  child.on('exit', () => live.delete(child))

  const request = (message: ParentMessage) => child.send(message)

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`The ${spec.kind} server did not start within 60 s.`))
    }, 60_000)
    const onExit = (code: number | null) => {
      clearTimeout(timer)
      reject(new Error(`The ${spec.kind} server exited (code ${code}) before it was ready.`))
    }
    child.once('exit', onExit)
    child.on('message', function onMessage(message: ChildMessage) {
      if (message.type === 'error') {
        clearTimeout(timer)
        child.off('message', onMessage)
        reject(new Error(`The ${spec.kind} server failed to start: ${message.message}`))
      } else if (message.type === 'ready') {
        clearTimeout(timer)
        child.off('message', onMessage)
        child.off('exit', onExit)
        resolve({
          pid: message.pid,
          url: message.url,
          cpuMs: () => treeCpuMs(message.pid),
          async rss() {
            const fromProc = treeRss(message.pid)
            if (fromProc !== null) return fromProc
            return new Promise<number>((done) => {
              child.on('message', function onMemory(reply: ChildMessage) {
                if (reply.type !== 'memory') return
                child.off('message', onMemory)
                done(reply.rss)
              })
              request({ type: 'memory' })
            })
          },
          stop() {
            return new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done()
              const kill = setTimeout(() => child.kill('SIGKILL'), 5000)
              child.once('exit', () => {
                clearTimeout(kill)
                done()
              })
              request({ type: 'stop' })
            })
          },
        })
      }
    })
  })
}

/** Kills every child still running; for the watchdog and signal handlers. */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL')
}

/**
 * Samples a child's RSS every `intervalMs` while `work` runs and returns the
 * work's result with the highest sample: the memory the server needed under load.
 */
export async function withPeakRss<T>(child: ServerChild, work: () => Promise<T>, intervalMs = 250): Promise<{ result: T; peakRss: number }> {
  let peak = await child.rss()
  let sampling = Promise.resolve()
  const timer = setInterval(() => {
    sampling = sampling.then(async () => {
      peak = Math.max(peak, await child.rss())
    })
  }, intervalMs)
  try {
    const result = await work()
    clearInterval(timer)
    await sampling
    peak = Math.max(peak, await child.rss())
    return { result, peakRss: peak }
  } finally {
    clearInterval(timer)
  }
}
