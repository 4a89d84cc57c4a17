import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { crc32, deflateSync } from 'node:zlib'
import type { Page } from 'playwright-core'
import type { Body } from '../../src/articles/index.ts'
import { buildEditorBundle } from '../../src/admin/editor/index.ts'

/**
 * A stand-in for the admin's story page, for browser tests of the editor
 * bundle: a loopback HTTP server with the page the README describes (the
 * story form, #story-editor, #story-body, #save-state, #presence), the real
 * built bundle, the admin stylesheet, a media library answered from
 * test/fixtures/media/library.json, and draft and presence endpoints whose
 * answers each test scripts. It records every request the bundle makes.
 */

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const ADMIN_CSS = readFileSync(path.join(ROOT, 'src/admin/assets/admin.css'), 'utf8')
const LIBRARY = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/media/library.json'), 'utf8')) as { items: Record<string, unknown>[] }
const PIXEL = grayPng()
/** The policy the admin must send with the editor page: its usual one, with scripts from itself allowed. */
export const EDITOR_PAGE_CSP =
  "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
const MEDIA_PAGE_SIZE = 4

/** One request the bundle made. */
export interface Recorded {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  /** Parsed JSON, or the raw text for form posts. */
  body: any
}

/** What a scripted endpoint answers: a status and JSON, or 'drop' to cut the connection (a network failure). */
export type Answer = { status: number; json?: unknown; type?: string } | 'drop'

export interface StoryPage {
  id: string
  body?: Body
  baseVersion?: number
  title?: string
  /** Extra data-* attributes for #story-editor (timings in tests). */
  data?: Record<string, string>
  /** Draws the featured-picture select, as the server's editor page has it. */
  featured?: boolean
  /** What the server drew in #presence, and the site's time zone it wrote the times in. */
  presence?: { text: string; timeZone: string }
}

export interface EditorHarness {
  url: string
  requests: Recorded[]
  /** Answers the next PUT …/draft; the default saves and answers { version: baseVersion + 1, savedAt }. */
  onDraft: (payload: any, request: Recorded) => Answer
  onPresence: (request: Recorded) => Answer
  /** Registers a story page and returns its URL. */
  story(page: StoryPage): string
  drafts(): Recorded[]
  close(): Promise<void>
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function storyHtml(story: StoryPage, scriptPath: string, cssPath: string): string {
  const data = Object.entries({ 'label-id': 'story-text-label', 'autosave-delay-ms': '150', 'retry-base-ms': '100', 'session-retry-ms': '300', ...story.data })
    .map(([k, v]) => ` data-${k}="${escapeAttr(v)}"`)
    .join('')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Edit story | The Meridian newsroom</title>
<link rel="stylesheet" href="/assets/admin.css">
<link rel="stylesheet" href="${cssPath}">
<script src="${scriptPath}" defer></script>
</head>
<body>
<main id="main">
<h1>Edit story</h1>
<p id="presence"${story.presence ? ` aria-live="polite" data-time-zone="${escapeAttr(story.presence.timeZone)}"` : ''}>${story.presence ? escapeAttr(story.presence.text) : ''}</p>
<form id="story-form" method="post" action="/admin/stories/${story.id}">
<input type="hidden" name="_csrf" value="csrf-${story.id}">
<input type="hidden" name="baseVersion" value="${story.baseVersion ?? 1}">
<div class="field"><label for="title">Headline</label><input id="title" name="title" value="${escapeAttr(story.title ?? 'Coastal neighbours reopen talks')}"></div>
<div class="field"><label for="dek">Standfirst</label><textarea id="dek" name="dek">Ministers meet for the first time in a year.</textarea></div>
<div class="field"><label for="slug">Slug</label><input id="slug" name="slug" value="coastal-talks"></div>
<div class="field"><label for="sectionIds">Sections</label><select id="sectionIds" name="sectionIds" multiple><option value="sec_1" selected>Politics</option><option value="sec_2" selected>Latin America</option><option value="sec_3">Business</option></select></div>
<div class="field"><label for="primarySectionId">Primary section</label><select id="primarySectionId" name="primarySectionId"><option value="sec_1" selected>Politics</option><option value="sec_2">Latin America</option></select></div>
<fieldset class="field"><legend>Tags</legend><label><input type="checkbox" name="tagIds" value="tag_1" checked> Harbour</label> <label><input type="checkbox" name="tagIds" value="tag_2"> Fishing</label></fieldset>
<div class="field"><label for="sourceId">Source</label><select id="sourceId" name="sourceId"><option value="">Staff</option><option value="src_acp" selected>ACP</option></select></div>
${story.featured ? '<div class="field"><label for="field-featuredMediaId">Featured picture</label><select id="field-featuredMediaId" name="featuredMediaId"><option value="">None</option><option value="med_harbour">Cranes over the container quay (1200 × 800)</option></select></div>\n' : ''}<p id="story-text-label" class="label">Story text</p>
<div id="story-editor"${data}></div>
<input type="hidden" name="body" id="story-body" value="${escapeAttr(JSON.stringify(story.body ?? []))}">
<p id="save-state" role="status"></p>
<button type="submit">Save</button>
</form>
<form method="post" action="/admin/stories/${story.id}/publish" data-flush-autosave>
<input type="hidden" name="_csrf" value="csrf-${story.id}">
<input type="hidden" name="baseVersion" value="${story.baseVersion ?? 1}">
<button type="submit">Publish</button>
</form>
</main>
</body>
</html>`
}

/** A 1×1 grey PNG, served for every picture of the fake media library. */
function grayPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8)
    head.writeUInt32BE(data.length, 0)
    head.write(type, 4, 'ascii')
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'ascii'), data])), 0)
    return Buffer.concat([head, data, crc])
  }
  const header = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]) // 1×1, 8-bit greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 0xb0]))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** Starts the harness on a loopback port with a freshly built bundle. */
export async function startEditorHarness(): Promise<EditorHarness> {
  const bundle = await buildEditorBundle()
  const scriptPath = `/admin/assets/editor.${bundle.hash}.js`
  const cssPath = `/admin/assets/editor.${bundle.hash}.css`
  const stories = new Map<string, StoryPage>()
  const requests: Recorded[] = []

  const harness: EditorHarness = {
    url: '',
    requests,
    onDraft: (payload) => ({ status: 200, json: { version: Number(payload.baseVersion) + 1, savedAt: new Date().toISOString() } }),
    onPresence: () => ({ status: 200, json: { others: [] } }),
    story(page) {
      stories.set(page.id, page)
      return `${harness.url}/admin/stories/${page.id}/edit`
    },
    drafts: () => requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/draft')),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }

  const send = (response: ServerResponse, answer: Answer) => {
    if (answer === 'drop') {
      response.socket?.destroy()
      return
    }
    const problem = answer.status >= 400
    response.writeHead(answer.status, { 'content-type': answer.type ?? (problem ? 'application/problem+json' : 'application/json') })
    response.end(answer.json === undefined ? '' : JSON.stringify(answer.json))
  }

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const raw = await readBody(request)
    const recorded: Recorded = { method: request.method ?? 'GET', path: url.pathname + url.search, headers: request.headers, body: raw }
    if (request.headers['content-type']?.includes('json') && raw) recorded.body = JSON.parse(raw)
    response.setHeader('cache-control', 'no-store')

    const edit = /^\/admin\/stories\/([\w-]+)\/edit$/.exec(url.pathname)
    if (request.method === 'GET' && edit && stories.has(edit[1]!)) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': EDITOR_PAGE_CSP })
      return response.end(storyHtml(stories.get(edit[1]!)!, scriptPath, cssPath))
    }
    if (url.pathname === scriptPath) {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' })
      return response.end(bundle.js)
    }
    if (url.pathname === cssPath) {
      response.writeHead(200, { 'content-type': 'text/css; charset=utf-8' })
      return response.end(bundle.css)
    }
    if (url.pathname === '/assets/admin.css') {
      response.writeHead(200, { 'content-type': 'text/css; charset=utf-8' })
      return response.end(ADMIN_CSS)
    }
    if (url.pathname.startsWith('/media/')) {
      response.writeHead(200, { 'content-type': 'image/png' })
      return response.end(PIXEL)
    }
    requests.push(recorded)
    if (request.method === 'GET' && url.pathname === '/admin/media.json') {
      const q = (url.searchParams.get('q') ?? '').toLowerCase()
      const page = Math.max(1, Number(url.searchParams.get('page') ?? '1'))
      const matching = LIBRARY.items.filter((item) => !q || [item.alt, item.caption, item.credit].some((v) => typeof v === 'string' && v.toLowerCase().includes(q)))
      const items = matching.slice((page - 1) * MEDIA_PAGE_SIZE, page * MEDIA_PAGE_SIZE)
      return send(response, { status: 200, json: { items, hasMore: page * MEDIA_PAGE_SIZE < matching.length } })
    }
    if (request.method === 'PUT' && /^\/admin\/stories\/[\w-]+\/draft$/.test(url.pathname)) return send(response, harness.onDraft(recorded.body, recorded))
    if (request.method === 'POST' && /^\/admin\/stories\/[\w-]+\/presence$/.test(url.pathname)) return send(response, harness.onPresence(recorded))
    if (request.method === 'POST' && /^\/admin\/stories\/[\w-]+(\/publish)?$/.test(url.pathname)) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      return response.end('<!doctype html><html lang="en"><head><title>Done</title></head><body><main><h1>Form received</h1></main></body></html>')
    }
    response.writeHead(404, { 'content-type': 'text/plain' })
    response.end('not found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  harness.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return harness
}

/** The body JSON the editor keeps in the form's hidden body field. */
export async function readBodyField(page: Page): Promise<Body> {
  return JSON.parse(await page.locator('input[name="body"]').inputValue()) as Body
}

/** Waits until the editor has mounted its text box. */
export async function editorReady(page: Page) {
  // The plain textarea the page starts with is also a "Story text" box, so
  // wait for the editor's own, which replaces it once the bundle has mounted.
  const text = page.locator('#story-editor [contenteditable="true"]').and(page.getByRole('textbox', { name: 'Story text' }))
  await text.waitFor()
  return text
}

/**
 * Pastes into the focused editor the way a browser does: a real paste
 * ClipboardEvent whose DataTransfer holds text/html (and text/plain).
 */
export async function pasteInto(page: Page, html: string, plain = ''): Promise<void> {
  await page.getByRole('textbox', { name: 'Story text' }).focus()
  await page.evaluate(
    ([markup, text]) => {
      // The test tsconfig has no DOM library; the page's globals are reached through globalThis.
      const g = globalThis as any
      const data = new g.DataTransfer()
      data.setData('text/html', markup)
      if (text) data.setData('text/plain', text)
      g.document.activeElement.dispatchEvent(new g.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    },
    [html, plain] as const,
  )
}
