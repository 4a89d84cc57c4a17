/**
 * A small typed publish/subscribe channel. Services emit what happened; the
 * composition root subscribes caches, webhooks and the like. Built per app,
 * never a module-level singleton.
 */
export interface EventChannel<Events extends Record<string, unknown>> {
  emit<K extends keyof Events>(name: K, payload: Events[K]): void
  on<K extends keyof Events>(name: K, listener: (payload: Events[K]) => void): () => void
}

/** Creates an event channel. A throwing listener is reported to `onError` and never breaks the emitter. */
export function createEventChannel<Events extends Record<string, unknown>>(
  onError: (error: unknown) => void = () => {},
): EventChannel<Events> {
  const listeners = new Map<keyof Events, Set<(payload: never) => void>>()
  return {
    emit(name, payload) {
      for (const listener of listeners.get(name) ?? []) {
        try {
          ;(listener as (p: typeof payload) => void)(payload)
        } catch (error) {
          onError(error)
        }
      }
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set()
      set.add(listener as (payload: never) => void)
      listeners.set(name, set)
      return () => set.delete(listener as (payload: never) => void)
    },
  }
}
