import { clockTime } from './dom.ts'

/**
 * Presence: tells the server this story is open here, every 20 seconds,
 * with `POST {form action}/presence` (x-csrf-token), and shows who else has it
 * open from the answer `{ others: [{ name, since }] }` in #presence ("Also open
 * by: …"). `since` is when each opened the story, and the server draws the
 * same text first, so the text changes only when the people change and
 * screen readers announce it (politely) only then. Failures are quiet: presence is a courtesy.
 */
export function startPresence(opts: { url: string; element: HTMLElement; csrf: () => string; intervalMs: number }): void {
  const { element } = opts
  if (!element.hasAttribute('aria-live') && !element.hasAttribute('role')) element.setAttribute('aria-live', 'polite')
  const time = timeFormat(element.dataset.timeZone)

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
        ? `Also open by: ${others.map((o) => (typeof o.since === 'string' && time(o.since) ? `${String(o.name)} (since ${time(o.since)})` : String(o.name))).join(', ')}.`
        : ''
      if (element.textContent !== text) element.textContent = text
    } catch {
      // Offline or signed out: the autosave says so; presence just waits for the next round.
    }
  }

  void ping()
  window.setInterval(() => void ping(), opts.intervalMs)
}

/**
 * "14:05" in the site's time zone (the page's `data-time-zone`), as the server
 * writes the first text (src/admin/stories/editor-page.tsx presenceText), else
 * in the browser's own.
 */
function timeFormat(timeZone: string | undefined): (iso: string) => string {
  if (!timeZone) return clockTime
  try {
    const format = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone })
    return (iso) => {
      const date = new Date(iso)
      return Number.isNaN(date.getTime()) ? '' : format.format(date)
    }
  } catch {
    return clockTime
  }
}
