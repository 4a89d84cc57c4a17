import { describe, expect, it } from 'vitest'
import { startRepeating } from './repeating.ts'

describe('repeating tasks', () => {
  it('never runs two at once, reports failures and waits for the last run when stopped', async () => {
    let running = 0
    let most = 0
    let runs = 0
    const errors: unknown[] = []
    const loop = startRepeating(
      async () => {
        running++
        most = Math.max(most, running)
        runs++
        await new Promise((r) => setTimeout(r, 30))
        running--
        if (runs === 2) throw new Error('agency down')
      },
      5,
      (error) => errors.push(error),
    )
    await new Promise((r) => setTimeout(r, 200))
    await loop.stop()
    const after = runs
    expect(most).toBe(1)
    expect(runs).toBeGreaterThanOrEqual(3)
    expect(running).toBe(0)
    expect(errors).toEqual([new Error('agency down')])
    await new Promise((r) => setTimeout(r, 50))
    expect(runs).toBe(after)
  })
})
