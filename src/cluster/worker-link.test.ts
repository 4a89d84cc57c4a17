import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { createMemoryCounter } from '../rate-limits/index.ts'
import { createMemorySpentStore } from '../submissions/index.ts'
import type { PrimaryToWorker, WorkerToPrimary } from './messages.ts'
import { connectToPrimary, type Channel } from './worker-link.ts'

/** A worker's end of the IPC channel, with a stand-in primary answering counts from one shared counter. */
function linkedWorkers(count: number) {
  const shared = createMemoryCounter()
  const channels: (Channel & EventEmitter)[] = []
  for (let i = 0; i < count; i++) {
    const channel = Object.assign(new EventEmitter(), {
      connected: true,
      send(message: WorkerToPrimary) {
        if (message.masthead === 'count') {
          void shared.count(message.key, message.windowMs).then((w) => {
            const answer: PrimaryToWorker = { masthead: 'counted', id: message.id, current: w.current, resetInMs: w.resetInMs }
            channel.emit('message', answer)
          })
        }
        if (message.masthead === 'uncount') void shared.uncount(message.key)
        if (message.masthead === 'purge') for (const other of channels) if (other !== channel) other.emit('message', message)
        return true
      },
    })
    channels.push(channel)
  }
  return channels.map((c) => connectToPrimary(c))
}

describe('a worker\'s link to the cluster primary', () => {
  it('counts a window once across workers, keeps limit spaces apart, and spends a proof of work once', async () => {
    const [a, b] = linkedWorkers(2)
    const counterA = a!.counter('admin', createMemoryCounter())
    const counterB = b!.counter('admin', createMemoryCounter())
    expect((await counterA.count('ip:1', 60_000)).current).toBe(1)
    expect((await counterB.count('ip:1', 60_000)).current).toBe(2)
    expect((await b!.counter('reader', createMemoryCounter()).count('ip:1', 60_000)).current).toBe(1)
    // A hit given back through one worker is gone for all.
    await counterA.uncount('ip:1')
    expect((await counterB.count('ip:1', 60_000)).current).toBe(2)

    const spentA = a!.spentStore(createMemorySpentStore())
    const spentB = b!.spentStore(createMemorySpentStore())
    expect(await spentA.spend('challenge-1', 60_000)).toBe(true)
    expect(await spentB.spend('challenge-1', 60_000)).toBe(false)
  })

  it('hands a purge to the other workers only', async () => {
    const [a, b] = linkedWorkers(2)
    const heardByA: unknown[] = []
    const heardByB: unknown[] = []
    await a!.purgeBus.subscribe((m) => heardByA.push(m))
    await b!.purgeBus.subscribe((m) => heardByB.push(m))
    a!.purgeBus.publish({ from: 'a', keys: ['story:1'], hard: false })
    expect(heardByB).toEqual([{ from: 'a', keys: ['story:1'], hard: false }])
    expect(heardByA).toEqual([])
  })

  it('counts in the worker alone, without failing, when the primary is gone', async () => {
    const channel = Object.assign(new EventEmitter(), { connected: false, send: () => false })
    const link = connectToPrimary(channel)
    const counter = link.counter('admin', createMemoryCounter())
    expect((await counter.count('ip:1', 60_000)).current).toBe(1)
    expect((await counter.count('ip:1', 60_000)).current).toBe(2)
    await counter.uncount('ip:1')
    expect((await counter.count('ip:1', 60_000)).current).toBe(2)
    const spent = link.spentStore(createMemorySpentStore())
    expect(await spent.spend('c', 60_000)).toBe(true)
    expect(await spent.spend('c', 60_000)).toBe(false)
    await expect(link.clusterMetrics()).rejects.toThrow('cannot be reached')
  })
})
