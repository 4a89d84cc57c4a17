import { fork, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ChildMessage, ChildSpec, ParentMessage } from './serve-child.ts'

const CHILD_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'serve-child.ts')
const live = new Set<ChildProcess>()

/** A server under test running in its own process. */
export interface ServerChild {
  pid: number
  url: string
  /** Resident memory in bytes, from /proc when there is one, else asked over IPC. */
  rss(): Promise<number>
  stop(): Promise<void>
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
          async rss() {
            const fromProc = procRss(message.pid)
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
