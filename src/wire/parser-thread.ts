import { Worker } from 'node:worker_threads'
import { WIRE_INTERNAL, WIRE_PARSE_OUT_OF_MEMORY, WIRE_PARSE_TIMEOUT } from './errors.ts'
import { parseWire } from './formats/index.ts'
import type { WireParser } from './ingest.ts'
import type { ParseReport } from './wire-item.ts'

/**
 * Parses wire copy off the event loop. Inputs above a few kilobytes go to one
 * long-lived worker thread, one at a time, with a bound on its heap and on the
 * time each input may take; an input that hits a bound is refused with a
 * report (`WIRE_PARSE_TIMEOUT`, `WIRE_PARSE_OUT_OF_MEMORY`) and the worker is
 * replaced for the next one. So however hostile an upload, a feed or a file in
 * a drop folder, the server keeps answering, and the process keeps its memory.
 * Tiny inputs are parsed inline: every step of the parser is linear, so a few
 * kilobytes cost well under a millisecond, less than a trip to the thread.
 */
export interface ParserThreadOptions {
  /** Inputs smaller than this are parsed on the calling thread. Default 32 KB. */
  inlineBelowBytes?: number
  /** Longest one input may take, worker start included. Default 30 s. */
  timeoutMs?: number
  /** The worker's old-generation heap limit. Default 512 MB. */
  maxHeapMb?: number
}

export interface ParserThread {
  parse: WireParser
  /** Stops the worker; a later parse starts a new one. */
  close(): Promise<void>
}

const ENTRY = new URL('./parser-thread-entry.mjs', import.meta.url)

function refusal(code: string, message: string): ParseReport {
  return { format: null, items: [], rejected: [{ where: 'document', code, message }], warnings: [] }
}

export function createParserThread(options: ParserThreadOptions = {}): ParserThread {
  const inlineBelow = options.inlineBelowBytes ?? 32 * 1024
  const timeoutMs = options.timeoutMs ?? 30_000
  const maxHeapMb = options.maxHeapMb ?? 512
  let worker: Worker | null = null
  // One input at a time: the worker is a single thread, and a queue keeps each
  // input's time bound its own.
  let queue: Promise<unknown> = Promise.resolve()

  const start = (): Worker => {
    const created = new Worker(ENTRY, {
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
      stdout: false,
      stderr: false,
    })
    // An idle parser thread never keeps the process alive.
    created.unref()
    // A worker that fails or stops between inputs is forgotten, and the next
    // input starts a new one; without a listener its error would end the process.
    const forget = () => {
      if (worker === created) worker = null
    }
    created.on('error', forget)
    created.on('exit', forget)
    return created
  }

  const stop = (target: Worker) => {
    if (worker === target) worker = null
    void target.terminate()
  }

  const runInThread = (bytes: Uint8Array, parseOptions: { contentType?: string; baseUrl?: string }): Promise<ParseReport> =>
    new Promise((resolve) => {
      const thread = (worker ??= start())
      const mb = (bytes.byteLength / (1024 * 1024)).toFixed(1)
      const finish = (report: ParseReport, replace: boolean) => {
        clearTimeout(timer)
        thread.off('message', onMessage)
        thread.off('error', onError)
        thread.off('exit', onExit)
        if (replace) stop(thread)
        resolve(report)
      }
      const onMessage = (report: ParseReport) => finish(report, false)
      const onError = (error: Error & { code?: string }) => {
        if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          finish(
            refusal(WIRE_PARSE_OUT_OF_MEMORY, `Reading this ${mb} MB input needed more than the parser's ${maxHeapMb} MB of memory, so it was refused; ask the sender for smaller files, or check it for padding.`),
            true,
          )
        } else {
          finish(refusal(WIRE_INTERNAL, `The wire parser failed unexpectedly (${error.message.slice(0, 200)}); keep the file and report it.`), true)
        }
      }
      const onExit = (code: number) => finish(refusal(WIRE_INTERNAL, `The wire parser stopped unexpectedly (exit code ${code}); keep the file and report it.`), true)
      const timer = setTimeout(
        () => finish(refusal(WIRE_PARSE_TIMEOUT, `Reading this ${mb} MB input took longer than ${Math.round(timeoutMs / 1000)} s, so it was refused; ask the sender for smaller files.`), true),
        timeoutMs,
      )
      thread.on('message', onMessage)
      thread.on('error', onError)
      thread.on('exit', onExit)
      // A copy of its own for the thread: the caller still stores the bytes.
      const copy = bytes.slice()
      thread.postMessage({ bytes: copy, options: parseOptions }, [copy.buffer])
    })

  const parse: WireParser = (bytes, parseOptions) => {
    if (bytes.byteLength < inlineBelow) return parseWire(bytes, parseOptions)
    const next = queue.then(() => runInThread(bytes, parseOptions))
    queue = next.catch(() => {})
    return next
  }

  return {
    parse,
    async close() {
      const current = worker
      worker = null
      if (current) await current.terminate()
    },
  }
}
