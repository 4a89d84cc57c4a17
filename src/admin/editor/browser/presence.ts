import { clockTime } from './dom.ts'

/**
 * Presence: tells the server this story is open here, every 20 seconds,
 * with `POST {form action}/presence` (x-csrf-token), and shows who else has it
 * open from the answer `{ others: [{ name, since }] }` in #presence ("Also open
 * by: …"). The text changes only when the people change, so screen readers
 * announce it (politely) only then. Failures are quiet: presence is a courtesy.
 */
export function startPresence(opts: { url: string; element: HTMLElement; csrf: () => string; intervalMs: number }): void {
  const { element } = opts
  if (!element.hasAttribute('aria-live') && !element.hasAttribute('role')) element.setAttribute('aria-live', 'polite')

  async function ping() {
    try {
      const response = await fetch(opts.url, {
        method: 'POST',
        headers: { 'x-csrf-token': opts.csrf(), accept: 'application/json' },
        credentials: 'same-origin',
      })
      if (!response.ok) return
      const data = (await response.json()) as { others?: { name?: unknown; since?: unknown }[] }
      const others = (data.others ?? []).filter((o) => typeof o.name === 'string' && o.name !== '')
      const text = others.length
        ? `Also open by: ${others.map((o) => (typeof o.since === 'string' && clockTime(o.since) ? `${String(o.name)} (since ${clockTime(o.since)})` : String(o.name))).join(', ')}.`
        : ''
      if (element.textContent !== text) element.textContent = text
    } catch {
      // Offline or signed out: the autosave says so; presence just waits for the next round.
    }
  }

  void ping()
  window.setInterval(() => void ping(), opts.intervalMs)
}
