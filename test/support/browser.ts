import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

const require = createRequire(import.meta.url)

/**
 * Starts the machine's headless Chromium (Debian's, at /usr/bin/chromium, or
 * CHROMIUM_PATH). The flags keep it quiet and offline apart from the pages we
 * open: no sandbox (CI runs as root), no GPU, no background updates or sync.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

/**
 * The axe-core rule tags the public site is held to: WCAG 2.0, 2.1 and 2.2 at
 * levels A and AA, plus axe's best practices. The best practices (one main
 * landmark, one h1, no skipped heading levels, content inside landmarks, unique
 * landmark names) are not WCAG conformance failures by themselves, but each
 * one is a real defect for screen-reader users and our pages meet them all.
 */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] as const

/** One axe rule a page breaks, reduced to what a person needs to fix it. */
export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  helpUrl: string
  /** One entry per offending element: its CSS selector and axe's explanation. */
  nodes: { target: string; summary: string }[]
}

let axeSource: string | undefined

/** axe-core's minified source, read once per test file. */
function readAxeSource(): string {
  axeSource ??= readFileSync(path.join(path.dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8')
  return axeSource
}

/**
 * Runs axe-core against the page as it is now and returns its violations
 * (an empty list when the page passes). The violations are plain data, so
 * `expect(violations).toEqual([])` prints rule, impact and elements on failure.
 */
export async function auditAccessibility(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: readAxeSource() })
  // The callback runs in the page; the test tsconfig has no DOM lib, so the
  // page globals are reached through globalThis with just the types we use.
  return page.evaluate(async (tags) => {
    type AxeResult = {
      violations: {
        id: string
        impact?: string | null
        help: string
        helpUrl: string
        nodes: { target: unknown[]; failureSummary?: string }[]
      }[]
    }
    const page = globalThis as unknown as {
      axe: { run(context: unknown, options: unknown): Promise<AxeResult> }
      document: unknown
    }
    const result = await page.axe.run(page.document, { runOnly: { type: 'tag', values: tags } })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))).join(' '),
        summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
      })),
    }))
  }, [...AXE_TAGS])
}

/**
 * Opens each page in one tab and runs axe on it: the violations of every page
 * that has any, keyed "kind: path". A page that answers another status than
 * expected (200 unless given) throws, naming it.
 */
export async function axeViolationsOf(context: BrowserContext, baseUrl: string, pages: readonly { kind: string; path: string; status?: number }[]): Promise<Record<string, AxeViolation[]>> {
  const violations: Record<string, AxeViolation[]> = {}
  const tab = await context.newPage()
  try {
    for (const page of pages) {
      const response = await tab.goto(baseUrl + page.path)
      if (response?.status() !== (page.status ?? 200)) throw new Error(`${page.path} answered ${response?.status()}, not ${page.status ?? 200}`)
      const found = await auditAccessibility(tab)
      if (found.length > 0) violations[`${page.kind}: ${page.path}`] = found
    }
  } finally {
    await tab.close()
  }
  return violations
}

/**
 * The page's document as the person has it now (what the editor and dialogs
 * added included), without inline scripts: our pages have none, so any there
 * were injected by an earlier accessibility audit.
 */
export async function currentHtml(page: Page): Promise<string> {
  return page.evaluate(() => {
    const root = document.documentElement.cloneNode(true) as HTMLElement
    root.querySelectorAll('script:not([src])').forEach((script) => script.remove())
    return `<!DOCTYPE html>${root.outerHTML}`
  })
}

/** Signs in at /admin with the sign-in form, as a person would, and waits for the dashboard. */
export async function signInAs(page: Page, baseUrl: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/admin`)
  await page.getByLabel('Email').fill(who.email)
  await page.getByLabel('Password').fill(who.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor()
}
