import { fork, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Runs one load test against one URL with wrk (when installed: C, its own
 * threads, negligible overhead) or autocannon (in this process; fine because
 * every server under test runs in a child process).
 */

export const WRK_PATH = '/usr/bin/wrk'

export type LoadTool = 'wrk' | 'autocannon'

export interface LoadOptions {
  durationS: number
  connections: number
  tool: LoadTool
  /** wrk's threads; 1 when not given. */
  loadThreads?: number
}

export interface LoadResult {
  tool: LoadTool
  requests: number
  requestsPerSec: number
  p50Ms: number
  p99Ms: number
  /** Socket errors and timeouts. */
  errors: number
  /** Responses outside 2xx/3xx; any at all makes the row suspect. */
  non2xx: number
}

export function defaultTool(): LoadTool {
  return existsSync(WRK_PATH) ? 'wrk' : 'autocannon'
}

export async function runLoad(url: string, options: LoadOptions): Promise<LoadResult> {
  return options.tool === 'wrk' ? runWrk(url, options) : runAutocannon(url, options)
}

/** wrk prints durations as 812.00us, 1.23ms, 1.02s or 1.50m. */
function toMs(value: string, unit: string): number {
  const n = Number(value)
  switch (unit) {
    case 'us':
      return n / 1000
    case 'ms':
      return n
    case 's':
      return n * 1000
    case 'm':
      return n * 60_000
    default:
      throw new Error(`Unknown wrk time unit "${unit}"`)
  }
}

/** The figures every load result reports, from an autocannon run. */
export function autocannonFigures(result: {
  requests: { total: number }
  duration: number
  latency: { p50: number; p99: number }
  errors: number
  timeouts: number
  non2xx: number
}): Omit<LoadResult, 'tool'> {
  return {
    requests: result.requests.total,
    requestsPerSec: result.requests.total / Math.max(result.duration, 0.001),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }
}

/** Reads the numbers out of `wrk --latency` output; throws with the output when a line is missing. */
export function parseWrk(output: string): Omit<LoadResult, 'tool'> {
  const need = (pattern: RegExp, what: string): RegExpMatchArray => {
    const match = output.match(pattern)
    if (!match) throw new Error(`Could not find ${what} in wrk output:\n${output}`)
    return match
  }
  const percentile = (p: string) => {
    const m = need(new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm'), `the ${p}% latency line`)
    return toMs(m[1]!, m[2]!)
  }
  const socket = output.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/)
  const errors = socket ? socket.slice(1, 5).reduce((sum, n) => sum + Number(n), 0) : 0
  return {
    requests: Number(need(/(\d+) requests in /, 'the request count')[1]),
    requestsPerSec: Number(need(/Requests\/sec:\s+([\d.]+)/, 'Requests/sec')[1]),
    p50Ms: percentile('50'),
    p99Ms: percentile('99'),
    errors,
    non2xx: Number(output.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0),
  }
}

function runWrk(url: string, options: LoadOptions): Promise<LoadResult> {
  // One wrk thread unless asked: the machine's other cores belong to the server under test. With a server
  // of several workers busy on every core, one thread is itself starved and its latency figures hold its own waits.
  // wrk's default 2 s timeout drops slow responses from the latency figures
  // (counting them only as socket errors); a timeout as long as the run keeps them in.
  const args = [`-t${options.loadThreads ?? 1}`, `-c${options.connections}`, `-d${options.durationS}s`, `--timeout`, `${Math.max(2, options.durationS)}s`, '--latency', url]
  return new Promise((resolve, reject) => {
    const child = spawn(WRK_PATH, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    // wrk stops itself after -d; this only guards against a hang.
    const guard = setTimeout(() => child.kill('SIGKILL'), (options.durationS + 30) * 1000)
    child.on('error', (error) => {
      clearTimeout(guard)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(guard)
      if (code !== 0) return reject(new Error(`wrk exited with ${code}: ${err || out}`))
      try {
        resolve({ tool: 'wrk', ...parseWrk(out) })
      } catch (error) {
        reject(error)
      }
    })
  })
}

async function runAutocannon(url: string, options: LoadOptions): Promise<LoadResult> {
  const { default: autocannon } = await import('autocannon')
  const result = await autocannon({ url, connections: options.connections, duration: options.durationS, timeout: 10 })
  return { tool: 'autocannon', ...autocannonFigures(result) }
}

/** A mixed load over several servers and pages, at a fixed rate or as fast as they answer. */
export interface MixedLoadSpec {
  urls: string[]
  /** Paths each connection asks for in turn. */
  paths: string[]
  connections: number
  durationS: number
  /** Requests a second over all servers; null for as many as they answer. */
  rate: number | null
}

export interface MixedLoadResult extends Omit<LoadResult, 'tool'> {
  status5xx: number
  byStatus: Record<string, number>
}

/** Runs a mixed load from a child process (bench/load-child.ts, autocannon); ends it if it outlives its duration by a minute. */
export function runMixedLoad(spec: MixedLoadSpec): Promise<MixedLoadResult> {
  const child = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_LOAD_SPEC: JSON.stringify(spec) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return new Promise((resolve, reject) => {
    let result: MixedLoadResult | null = null
    const guard = setTimeout(() => child.kill('SIGKILL'), (spec.durationS + 60) * 1000)
    child.on('message', (message: MixedLoadResult) => (result = message))
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(guard)
      if (result) resolve(result)
      else reject(new Error(`The load generator exited (code ${code}) without a result.`))
    })
  })
}
