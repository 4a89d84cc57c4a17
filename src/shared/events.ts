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

/**
 * Listeners that write inside the transaction of the change they hear about
 * (the webhook outbox): what they write commits and rolls back with the
 * change, so a crash can neither lose an event nor announce a change that did
 * not happen. Listeners run one after another; one that throws rolls the
 * change back. `Trx` is the caller's transaction handle, opaque here.
 */
export interface TransactionalChannel<Events extends Record<string, unknown>, Trx> {
  emit<K extends keyof Events>(trx: Trx, name: K, payload: Events[K]): Promise<void>
  on<K extends keyof Events>(name: K, listener: (trx: Trx, payload: Events[K]) => Promise<unknown>): () => void
}

export function createTransactionalChannel<Events extends Record<string, unknown>, Trx>(): TransactionalChannel<Events, Trx> {
  const listeners = new Map<keyof Events, Set<(trx: Trx, payload: never) => Promise<unknown>>>()
  return {
    async emit(trx, name, payload) {
      for (const listener of [...(listeners.get(name) ?? [])]) await (listener as (t: Trx, p: typeof payload) => Promise<unknown>)(trx, payload)
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set()
      set.add(listener as (trx: Trx, payload: never) => Promise<unknown>)
      listeners.set(name, set)
      return () => set.delete(listener as (trx: Trx, payload: never) => Promise<unknown>)
    },
  }
}
