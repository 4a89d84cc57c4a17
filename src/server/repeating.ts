/** Hears the end of each run of a repeating task: its outcome and its length in seconds. */
export type RunObserver = (outcome: 'ok' | 'failed', seconds: number) => void

/**
 * Runs `task` now and then every `everyMs`, never two at once: a tick that
 * finds the previous run still going is skipped. Failures go to `onError`.
 * The timer does not keep the process alive; `stop()` waits for a run in progress.
 * `onRun`, when given, hears how each run ended and how long it took (metrics).
 */
export function startRepeating(task: () => Promise<void>, everyMs: number, onError: (error: unknown) => void, onRun?: RunObserver): { stop(): Promise<void> } {
  let running: Promise<void> | null = null
  let stopped = false
  const tick = () => {
    if (running || stopped) return
    const started = performance.now()
    running = task()
      .then(
        () => onRun?.('ok', (performance.now() - started) / 1000),
        (error: unknown) => {
          onRun?.('failed', (performance.now() - started) / 1000)
          onError(error)
        },
      )
      .finally(() => {
        running = null
      })
  }
  const timer = setInterval(tick, everyMs)
  timer.unref()
  setImmediate(tick)
  return {
    async stop() {
      stopped = true
      clearInterval(timer)
      await running
    },
  }
}
