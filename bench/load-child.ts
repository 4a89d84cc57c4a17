/**
 * A load generator in a process of its own (autocannon), for the soak run: the
 * bench's own process keeps its event loop for publishing and for timing how
 * fast changes show, undisturbed by thousands of requests a second. Forked by
 * `runMixedLoad` in load.ts with the spec in BENCH_LOAD_SPEC; sends one
 * `MixedLoadResult` back and exits. Bounded by the spec's duration.
 */
import { autocannonFigures, type MixedLoadResult, type MixedLoadSpec } from './load.ts'

async function main(): Promise<void> {
  const raw = process.env.BENCH_LOAD_SPEC
  if (!raw || !process.send) throw new Error('load-child.ts is started by runMixedLoad in bench/load.ts.')
  const spec = JSON.parse(raw) as MixedLoadSpec
  const { default: autocannon } = await import('autocannon')
  const result = await autocannon({
    url: spec.urls,
    requests: spec.paths.map((path) => ({ path })),
    connections: spec.connections,
    duration: spec.durationS,
    timeout: 10,
    ...(spec.rate ? { overallRate: spec.rate } : {}),
  })
  const byStatus = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count]))
  const answer: MixedLoadResult = {
    ...autocannonFigures(result),
    status5xx: Object.entries(byStatus).reduce((sum, [code, count]) => (code.startsWith('5') ? sum + count : sum), 0),
    byStatus,
  }
  process.send(answer, () => process.exit(0))
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
