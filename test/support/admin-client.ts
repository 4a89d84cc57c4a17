import { parseHtml } from './html.ts'

/** A browser-like client for the admin: keeps cookies, reads CSRF tokens from forms, never follows redirects by itself. */
export class AdminClient {
  private readonly cookies = new Map<string, string>()
  constructor(private readonly baseUrl: string) {}

  private remember(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq).trim()
      const value = pair!.slice(eq + 1).trim()
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(header) || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name)
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name)
  }

  /** Plants a cookie, as an attacker on a sibling subdomain could. */
  setCookie(name: string, value: string): void {
    this.cookies.set(name, value)
  }

  async get(path: string): Promise<{ response: Response; html: string; $: ReturnType<typeof parseHtml> }> {
    const response = await fetch(this.baseUrl + path, { redirect: 'manual', headers: { cookie: this.cookieHeader() } })
    this.remember(response)
    const html = await response.text()
    return { response, html, $: parseHtml(html) }
  }

  /**
   * The fields of a form as the page shows them (selected options, ticked
   * boxes, text), so a test posts the form back changing only what it names.
   */
  async formValues(path: string, formSelector: string): Promise<Record<string, string>> {
    const { $ } = await this.get(path)
    const values: Record<string, string> = {}
    $(`${formSelector} select`).each((_, el) => {
      values[$(el).attr('name')!] = $(el).find('option[selected]').attr('value') ?? ''
    })
    $(`${formSelector} input, ${formSelector} textarea`).each((_, el) => {
      const name = $(el).attr('name')
      if (!name) return
      if ($(el).attr('type') === 'checkbox') {
        if ($(el).attr('checked') !== undefined) values[name] = 'on'
      } else values[name] = $(el).is('textarea') ? $(el).text() : ($(el).attr('value') ?? '')
    })
    return values
  }

  /** The CSRF token of the first form on a page. */
  async csrfFrom(path: string): Promise<string> {
    const { $ } = await this.get(path)
    const token = $('input[name="_csrf"]').first().attr('value')
    if (!token) throw new Error(`No CSRF token on ${path}`)
    return token
  }

  async post(path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<{ response: Response; html: string; $: ReturnType<typeof parseHtml> }> {
    const body = new URLSearchParams()
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one)
    const response = await fetch(this.baseUrl + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    })
    this.remember(response)
    const html = await response.text()
    return { response, html, $: parseHtml(html) }
  }

  /** A JSON request, as the editor's scripts send them; the CSRF token goes in its header. */
  async json(method: string, path: string, body: unknown, csrf: string): Promise<{ response: Response; data: any }> {
    const response = await fetch(this.baseUrl + path, {
      method,
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    })
    this.remember(response)
    const text = await response.text()
    const parse = (): any => {
      try {
        return JSON.parse(text)
      } catch {
        return text
      }
    }
    return { response, data: parse() }
  }

  /** Sends a multipart form; the files go in the field `files` unless `field` names another. */
  async upload(path: string, fields: Record<string, string>, files: { name: string; bytes: Uint8Array; type?: string }[], field = 'files') {
    const form = new FormData()
    for (const [k, v] of Object.entries(fields)) form.append(k, v)
    for (const f of files) form.append(field, new Blob([Buffer.from(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name)
    const response = await fetch(this.baseUrl + path, { method: 'POST', redirect: 'manual', headers: { cookie: this.cookieHeader() }, body: form })
    this.remember(response)
    const html = await response.text()
    return { response, html, $: parseHtml(html) }
  }

  /** Signs in through the form, as a person would. */
  async signIn(email: string, password: string): Promise<Response> {
    const csrf = await this.csrfFrom('/admin/sign-in')
    const { response } = await this.post('/admin/sign-in', { _csrf: csrf, email, password, next: '/admin/wire' })
    return response
  }
}
