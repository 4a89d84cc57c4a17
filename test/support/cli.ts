import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'

const BIN = path.resolve(import.meta.dirname, '../../bin/masthead.js')

/** Environment for a child masthead process: nothing inherited that could change its behaviour. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', LOG_LEVEL: 'warn', ...env }
}

/** Runs `masthead <args>` to completion. */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`masthead ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`))
    }, timeoutMs)
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** A `masthead serve` child that is up and listening. */
export interface ServeProcess {
  url: string
  pid: number
  stdout: () => string
  stderr: () => string
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>
}

/** Starts `masthead serve` and waits for it to say where it listens. */
export function startServe(env: Record<string, string>, timeoutMs = 60_000): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [BIN, 'serve'], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`masthead serve did not start in ${timeoutMs} ms\n${stdout}\n${stderr}`))
    }, timeoutMs)
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`masthead serve exited with ${code}\n${stdout}\n${stderr}`))
    })
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()))
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString()
      const match = /Masthead is running at (\S+)/.exec(stdout)
      if (match) {
        clearTimeout(timer)
        resolve({
          url: match[1]!,
          pid: child.pid!,
          stdout: () => stdout,
          stderr: () => stderr,
          stop: () => {
            child.kill('SIGTERM')
            return exited
          },
        })
      }
    })
  })
}
