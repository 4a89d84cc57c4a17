/** Where "now" comes from, so tests and the scheduler can control time. */
export interface Clock {
  now(): Date
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() }

/** A clock that always returns the given instant, for tests and imports. */
export function fixedClock(iso: string): Clock {
  const at = new Date(iso)
  return { now: () => new Date(at) }
}

/** Timestamps are stored as ISO 8601 UTC strings, which sort correctly as text on every dialect. */
export function toIso(date: Date): string {
  return date.toISOString()
}
