import { fork, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import type { Socket } from 'node:net'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { deserialize } from 'node:v8'
import { WIRE_INTERNAL, WIRE_PARSE_OUT_OF_MEMORY, WIRE_PARSE_TIMEOUT } from './errors.ts'
import { parseWire } from './formats/index.ts'
import { createHandoffFolder, type Handoff } from './handoff-folder.ts'
import type { ParsedInput, WireParser } from './ingest.ts'
import type { PreparedItem } from './prepared.ts'
import type { ParseReport, WireItem } from './wire-item.ts'

/**
 * Parses wire copy outside the server's process. Inputs above a few kilobytes
 * go to one long-lived child process, one at a time, with a bound on its heap
 * and on the time each input may take; an input that hits a bound is refused
 * with a report (`WIRE_PARSE_TIMEOUT`, `WIRE_PARSE_OUT_OF_MEMORY`) and the
 * child is replaced for the next one. So however hostile an upload, a feed or
 * a file in a drop folder, the server keeps answering and keeps its memory.
 *
 * A process rather than a worker thread: V8 ends a worker that reaches its
 * heap limit only on a best effort, and some allocations (one large array
 * grown in place, a young-generation allocation at the limit) abort the whole
 * process instead, server included. A child that runs out of memory dies alone.
 *
 * Tiny inputs are parsed inline: every step of the parser is linear, so a few
 * kilobytes cost well under a millisecond, less than a trip to the child.
 *
 * An input and its reply cross as files in a private folder (in memory where
 * /dev/shm exists), and only their names go through the IPC channel. The
 * channel moves a large message in many small writes, each waiting for a turn
 * of the storing process's event loop, which a backfill keeps busy writing:
 * a 5 MB input and its 7 MB reply took hundreds of milliseconds to cross, and
 * a child sat idle meanwhile. Where no file can be written, they go through
 * the channel as before.
 */
export interface ParserProcessOptions {
  /** Inputs smaller than this are parsed in the calling process. Default 32 KB. */
  inlineBelowBytes?: number
  /** Longest one input may take, the child's start included. Default 30 s. */
  timeoutMs?: number
  /** The child's old-generation heap limit. Default 512 MB. */
  maxHeapMb?: number
  /**
   * Children at most. A second starts only when an input arrives while the
   * first is busy (a backfill: `ingestSeries` reads ahead), so inputs that
   * come one at a time never cost a second process. Default 2, 1 on one core.
   */
  processes?: number
  /** Where the folder for inputs and replies is made (handoff-folder.ts): /dev/shm where it exists, else the system's temporary folder. */
  handoffIn?: string
}

export interface ParserProcess {
  parse: WireParser
  /**
   * Starts children now, so the first large inputs do not wait for them to load
   * the parser; resolves when they are ready. One by default; a backfill (a
   * folder of files) wants every one it may use.
   */
  warm(processes?: number): Promise<void>
  /** Stops the child; a later parse starts a new one. */
  close(): Promise<void>
}

const ENTRY = fileURLToPath(new URL('./parser-process-entry.mjs', import.meta.url))
/** How much of the child's last words we keep to tell an out-of-memory death from others. */
const STDERR_TAIL = 4096

type ParseOptions = { contentType?: string; baseUrl?: string }

/**
 * What the child sends back for one input: the report, with each item's
 * prepared values and the item itself without its body (`body: null`), which
 * is the bulk of it and is in the prepared JSON anyway.
 */
type ParserReply = Omit<ParseReport, 'items'> & { prepared: PreparedItem[]; heads: ItemHead[] }

type ItemHead = Omit<WireItem, 'body'> & { body: null }

/** The parse report again, each item whole. */
function fromReply({ prepared, heads, ...report }: ParserReply): ParsedInput {
  return { ...report, items: heads.map((head, i) => withBodyFromJson(head, prepared[i]!.json)), prepared }
}

/**
 * The item with its body read from its JSON when first asked for. Storing
 * never asks (the body's text and fingerprint come prepared), and reading
 * every item's JSON again was a tenth of the storing process's time in a
 * backfill; a re-parse shown to an editor does ask. The body keeps its place
 * among the item's keys.
 */
function withBodyFromJson(head: ItemHead, json: string): WireItem {
  let body: WireItem['body'] | undefined
  return Object.defineProperty(head, 'body', { enumerable: true, configurable: true, get: () => (body ??= (JSON.parse(json) as WireItem).body) }) as unknown as WireItem
}

/** One child and the inputs waiting for it. */
interface Slot {
  current: Child | null
  /** One input at a time: the child is single-threaded, and a queue keeps each input's time bound its own. */
  queue: Promise<unknown>
  /** Inputs sent to this slot and not yet answered. */
  pending: number
}

interface Child {
  process: ChildProcess
  /** Resolves once the child has loaded the parser and listens. */
  ready: Promise<void>
  stderrTail: string
}

function refusal(code: string, message: string): ParseReport {
  return { format: null, items: [], rejected: [{ where: 'document', code, message }], warnings: [] }
}

const diedOfMemory = (child: Child) => /heap out of memory|Allocation failed/i.test(child.stderrTail)

export function createParserProcess(options: ParserProcessOptions = {}): ParserProcess {
  const inlineBelow = options.inlineBelowBytes ?? 32 * 1024
  const timeoutMs = options.timeoutMs ?? 30_000
  const maxHeapMb = options.maxHeapMb ?? 512
  const handoffs = createHandoffFolder(options.handoffIn)
  const slots: Slot[] = Array.from({ length: Math.max(1, options.processes ?? Math.min(2, availableParallelism())) }, () => ({
    current: null,
    queue: Promise.resolve(),
    pending: 0,
  }))

  const start = (slot: Slot): Child => {
    const spawned = fork(ENTRY, [], {
      // Our own flags only: the parent's (a test runner's, a loader's) are not the parser's business.
      execArgv: [`--max-old-space-size=${maxHeapMb}`, '--max-semi-space-size=16', '--stack-size=4000'],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    })
    const child: Child = { process: spawned, ready: Promise.resolve(), stderrTail: '' }
    spawned.stderr?.setEncoding('utf8')
    spawned.stderr?.on('data', (chunk: string) => {
      child.stderrTail = (child.stderrTail + chunk).slice(-STDERR_TAIL)
    })
    // An idle parser never keeps the server alive: once it has loaded (until
    // then someone may be waiting for it), the child, its channel and its
    // stderr (a socket) stop holding the process open.
    child.ready = new Promise<void>((resolve) => {
      const loaded = () => {
        spawned.unref()
        spawned.channel?.unref()
        ;(spawned.stderr as Socket | null)?.unref()
        resolve()
      }
      spawned.once('message', loaded)
      // A child that dies before it loads answers its waiters through 'close' (below) or here.
      spawned.once('exit', loaded)
      spawned.once('error', loaded)
    })
    // A child that dies between inputs is forgotten so the next input starts
    // a new one. Without an error listener a failed spawn would end the server.
    const forget = () => {
      if (slot.current === child) slot.current = null
    }
    spawned.on('error', forget)
    spawned.on('exit', forget)
    return child
  }

  const stop = (slot: Slot, child: Child) => {
    if (slot.current === child) slot.current = null
    child.process.kill('SIGKILL')
  }

  const runInChild = (slot: Slot, bytes: Uint8Array, parseOptions: ParseOptions): Promise<ParsedInput> =>
    new Promise((resolve) => {
      const child = (slot.current ??= start(slot))
      const spawned = child.process
      const mb = (bytes.byteLength / (1024 * 1024)).toFixed(1)
      let settled = false
      let handoff: Handoff | null = null
      const finish = (report: ParsedInput, replace: boolean) => {
        if (settled) return
        settled = true
        if (handoff) handoffs.remove(handoff)
        clearTimeout(timer)
        spawned.off('message', onMessage)
        spawned.off('error', onError)
        spawned.off('close', onExit)
        if (replace) stop(slot, child)
        resolve(report)
      }
      const onMessage = (reply: ParserReply | { replyFile: true } | 'ready') => {
        if (reply === 'ready') return
        if (!('replyFile' in reply)) return finish(fromReply(reply), false)
        let written: ParserReply
        try {
          written = deserialize(readFileSync(handoff!.reply)) as ParserReply
        } catch (error) {
          return finish(refusal(WIRE_INTERNAL, `The wire parser's answer could not be read (${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'}); keep the file and report it.`), true)
        }
        finish(fromReply(written), false)
      }
      const onError = (error: Error) =>
        finish(refusal(WIRE_INTERNAL, `The wire parser could not run (${error.message.slice(0, 200)}); keep the file and report it.`), true)
      // 'close' rather than 'exit': by then the child's stderr, its last words, is read to the end.
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        finish(
          diedOfMemory(child)
            ? refusal(WIRE_PARSE_OUT_OF_MEMORY, `Reading this ${mb} MB input needed more than the parser's ${maxHeapMb} MB of memory, so it was refused; ask the sender for smaller files, or check it for padding.`)
            : refusal(WIRE_INTERNAL, `The wire parser stopped unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`}); keep the file and report it.`),
          true,
        )
      const timer = setTimeout(
        () => finish(refusal(WIRE_PARSE_TIMEOUT, `Reading this ${mb} MB input took longer than ${Math.round(timeoutMs / 1000)} s, so it was refused; ask the sender for smaller files.`), true),
        timeoutMs,
      )
      spawned.on('message', onMessage)
      spawned.on('error', onError)
      spawned.on('close', onExit)
      void child.ready.then(() => {
        // A child that died meanwhile is reported by 'close'; the failed send needs no second answer.
        if (settled) return
        handoff = handoffs.write(bytes)
        spawned.send(handoff ? { inputFile: handoff.input, replyFile: handoff.reply, options: parseOptions } : { bytes, options: parseOptions }, () => {})
      })
    })

  const parse: WireParser = (bytes, parseOptions) => {
    if (bytes.byteLength < inlineBelow) return parseWire(bytes, parseOptions)
    // The least busy child; the first when all are idle, so one-at-a-time input never starts a second.
    const slot = slots.reduce((best, s) => (s.pending < best.pending ? s : best))
    slot.pending++
    const next = slot.queue.then(() => runInChild(slot, bytes, parseOptions)).finally(() => slot.pending--)
    slot.queue = next.catch(() => {})
    return next
  }

  const closeSlot = async (slot: Slot) => {
    const child = slot.current
    slot.current = null
    if (!child || child.process.exitCode !== null || child.process.signalCode !== null) return
    const exited = new Promise((resolve) => child.process.once('exit', resolve))
    // Held until it has gone: an unreferenced child's exit alone would let the process end mid-close.
    child.process.ref()
    child.process.kill('SIGKILL')
    await exited
  }

  return {
    parse,
    async warm(processes = 1) {
      await Promise.all(slots.slice(0, Math.max(1, processes)).map((slot) => (slot.current ??= start(slot)).ready))
    },
    async close() {
      await Promise.all(slots.map(closeSlot))
      handoffs.close()
    },
  }
}
