import { describe, expect, it } from 'vitest'
import { progress } from './progress.ts'

function stream(isTTY: boolean) {
  const written: string[] = []
  return { written, stream: { isTTY, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream }
}

describe('progress bar', () => {
  it('draws on a terminal and clears the line at the end', () => {
    const s = stream(true)
    const bar = progress(4, s.stream)
    bar.step(2, 'Harbour cranes')
    bar.end()
    expect(s.written[0]).toContain('[###############               ] 2/4 Harbour cranes')
    expect(s.written[1]!.startsWith('\r')).toBe(true)
  })

  it('writes nothing when the output is not a terminal', () => {
    const s = stream(false)
    const bar = progress(4, s.stream)
    bar.step(1, 'x')
    bar.end()
    expect(s.written).toEqual([])
  })
})
