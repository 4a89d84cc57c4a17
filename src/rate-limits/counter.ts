/**
 * Fixed-window request counting, shared by every limit Masthead keeps: the
 * reader forms', the admin sign-in's and the admin API's. A counter says how
 * many hits a key has had in its current window and when that window ends;
 * what to do past a limit is the caller's business.
 */
export interface WindowCount {
  current: number
  /** Milliseconds until the window ends and counting starts over. */
  resetInMs: number
}

export interface WindowCounter {
  count(key: string, windowMs: number): Promise<WindowCount>
  /** Takes one hit back from the key's current window (never below none): for a request that failed on our side. */
  uncount(key: string): Promise<void>
}

/** Whether a hit on `key` is within `limit` per window: the question the reader forms ask. */
export interface RateLimiter {
  hit(key: string, limit: number, windowMs: number): Promise<boolean>
  /** Takes back a hit that should not count, because what the reader sent could not be saved through no fault of theirs. */
  giveBack(key: string): Promise<void>
}

export function limiterOn(counter: WindowCounter): RateLimiter {
  return {
    async hit(key, limit, windowMs) {
      return (await counter.count(key, windowMs)).current <= limit
    },
    giveBack: (key) => counter.uncount(key),
  }
}

/** Counting in this process's memory, for one process (or while Redis is away). Windows are forgotten once over. */
export function createMemoryCounter(now: () => number = Date.now): WindowCounter {
  const windows = new Map<string, { start: number; count: number; windowMs: number }>()
  return {
    async count(key, windowMs) {
      const t = now()
      if (windows.size > 10_000) for (const [k, w] of windows) if (t - w.start >= w.windowMs) windows.delete(k)
      let w = windows.get(key)
      if (!w || t - w.start >= w.windowMs) {
        w = { start: t, count: 0, windowMs }
        windows.set(key, w)
      }
      w.count += 1
      return { current: w.count, resetInMs: w.start + w.windowMs - t }
    },
    async uncount(key) {
      const w = windows.get(key)
      if (w && now() - w.start < w.windowMs && w.count > 0) w.count -= 1
    },
  }
}
