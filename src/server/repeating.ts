/**
 * Runs `task` now and then every `everyMs`, never two at once: a tick that
 * finds the previous run still going is skipped. Failures go to `onError`.
 * The timer does not keep the process alive; `stop()` waits for a run in progress.
 */
export function startRepeating(task: () => Promise<void>, everyMs: number, onError: (error: unknown) => void): { stop(): Promise<void> } {
  let running: Promise<void> | null = null
  let stopped = false
  const tick = () => {
    if (running || stopped) return
    running = task()
      .catch(onError)
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
