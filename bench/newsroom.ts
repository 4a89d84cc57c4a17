import { SCOPES } from '../src/api/admin/index.ts'
import type { Container } from '../src/server/container.ts'

/**
 * What the soak and crash runs need to write like a newsroom program: an admin
 * API token (every scope) and the references a publishable story needs, made
 * once in the bench's own container before the servers start.
 */
export interface Newsroom {
  token: string
  story: { sectionIds: string[]; authorIds: string[]; sourceId: string }
  /** The section's public address, where new stories show. */
  sectionSlug: string
}

export async function prepareNewsroom(container: Container): Promise<Newsroom> {
  const { user } = await container.auth.createUser({ email: 'bench.robot@example.org', password: 'bench robot password 1', name: 'Bench Robot', role: 'admin' })
  const { token } = await container.adminTokens.create({ name: 'Reliability bench', scopes: [...SCOPES] }, { userId: user.id })
  const [sections, staff, source] = await Promise.all([container.sections.listSections(), container.authors.findBySlug('staff'), container.sources.findBySlug('staff')])
  const section = sections.find((s) => s.slug === 'latin-america') ?? sections[0]
  if (!section || !staff || !source) throw new Error('The demo paper has no section, staff byline or staff source to file under.')
  return { token, story: { sectionIds: [section.id], authorIds: [staff.id], sourceId: source.id }, sectionSlug: section.slug }
}

/** A publishable story body with `title` (a paragraph of plain words). */
export function storyInput(newsroom: Newsroom, title: string) {
  return {
    title,
    body: [{ type: 'paragraph', content: [{ text: `${title}. Filed by the reliability bench to see that what is published shows everywhere, once.` }] }],
    ...newsroom.story,
  }
}

export interface ApiAnswer {
  /** 0 when no answer came (refused connection, reset, timeout). */
  status: number
  data: any
  /** The server answered from a stored answer or a commit mark (`Idempotent-Replayed`). */
  replayed?: boolean
  error?: string
}

/** One admin API call; never throws: a lost answer comes back as status 0. */
export async function adminCall(baseUrl: string, token: string, method: string, path: string, options: { body?: unknown; key?: string; timeoutMs?: number; form?: FormData } = {}): Promise<ApiAnswer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  if (options.key) headers['idempotency-key'] = options.key
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  try {
    const response = await fetch(`${baseUrl}/api/admin/v1${path}`, {
      method,
      headers,
      body: options.form ?? (options.body === undefined ? null : JSON.stringify(options.body)),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    })
    const text = await response.text()
    let data: unknown = text
    try {
      data = JSON.parse(text)
    } catch {
      /* not JSON: keep the text */
    }
    return { status: response.status, data, replayed: response.headers.get('idempotent-replayed') === 'true' }
  } catch (error) {
    return { status: 0, data: null, error: error instanceof Error ? error.message : String(error) }
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}
