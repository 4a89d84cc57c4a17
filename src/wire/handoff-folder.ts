import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/**
 * The private folder through which a parser process (parser-process.ts) gets
 * its inputs and gives its replies, as files, so only their names cross the
 * IPC channel. Made on first use, readable by this user only, under /dev/shm
 * (memory) where it exists; removed at close and when the process exits. When
 * no file can be written there, `write` says so and the caller uses the
 * channel.
 */
export interface HandoffFolder {
  /** Writes an input for a child to read, and names the file for its reply; null when no file can be written. */
  write(bytes: Uint8Array): Handoff | null
  /** Removes an input's files, read or not. */
  remove(handoff: Handoff): void
  close(): void
}

/** Where the child reads one input and writes its reply (a v8-serialized ParserReply). */
export interface Handoff {
  input: string
  reply: string
}

const PREFIX = 'masthead-wire-'
/** A folder's name gives the pid of the process that made it. */
const MADE_BY = new RegExp(`^${PREFIX}(\\d+)-`)

/** Handoff folders of this process, removed when it exits however it ends. */
const live = new Set<string>()
let removesOnExit = false

export function createHandoffFolder(parent: string = defaultParent()): HandoffFolder {
  let folder: string | null | undefined
  let count = 0
  return {
    write(bytes) {
      if (folder === undefined) folder = makeFolder(parent)
      if (folder === null) return null
      const n = ++count
      const handoff = { input: path.join(folder, `${n}.in`), reply: path.join(folder, `${n}.out`) }
      try {
        writeFileSync(handoff.input, bytes)
        return handoff
      } catch {
        rmSync(handoff.input, { force: true })
        // The folder may have been removed under us (a cleaner of /dev/shm): the next input makes a new one.
        folder = undefined
        return null
      }
    },
    remove(handoff) {
      for (const file of [handoff.input, handoff.reply]) rmSync(file, { force: true })
    },
    close() {
      if (folder) {
        rmSync(folder, { recursive: true, force: true })
        live.delete(folder)
      }
      folder = undefined
    },
  }
}

function defaultParent(): string {
  try {
    return statSync('/dev/shm').isDirectory() ? '/dev/shm' : tmpdir()
  } catch {
    return tmpdir()
  }
}

function makeFolder(parent: string): string | null {
  removeFoldersOfEndedProcesses(parent)
  let folder: string
  try {
    // mkdtemp makes it readable by this user only; the name carries our pid for removeFoldersOfEndedProcesses.
    folder = mkdtempSync(path.join(parent, `${PREFIX}${process.pid}-`))
  } catch {
    return null // not writable here: the channel is used
  }
  live.add(folder)
  if (!removesOnExit) {
    removesOnExit = true
    process.once('exit', () => {
      for (const f of live) rmSync(f, { recursive: true, force: true })
    })
  }
  return folder
}

/**
 * A process killed outright (SIGKILL, a crash) leaves its folder behind, and
 * in /dev/shm that is memory: the next folder made removes those of processes
 * that no longer run (its user's only; others' it may not touch).
 */
function removeFoldersOfEndedProcesses(parent: string): void {
  let names: string[]
  try {
    names = readdirSync(parent)
  } catch {
    return
  }
  for (const name of names) {
    const pid = Number(MADE_BY.exec(name)?.[1])
    if (!pid || pid === process.pid || isRunning(pid)) continue
    try {
      rmSync(path.join(parent, name), { recursive: true, force: true })
    } catch {
      // Someone else's, or already gone.
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
