import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium } from 'playwright-core'
import { buildReaderScripts } from '../src/site/reader-scripts.ts'
import { createMemorySpentStore, createProofOfWork } from '../src/submissions/proof.ts'

/**
 * What the reader forms' proof of work costs a browser: the page's own script
 * (the built reader-forms bundle) solves real challenges in headless Chromium,
 * and the time from load to the answer is reported per difficulty.
 *
 *   node --import tsx bench/proof.ts [runs per difficulty, default 20]
 */

const runs = Number(process.argv[2] ?? 20)
const scripts = await buildReaderScripts()
const pow = (bits: number) => createProofOfWork({ secret: 'bench', now: Date.now, bits, maxAgeSeconds: 3600, spent: createMemorySpentStore() })
let bits = 16
const server = http.createServer((request, response) => {
  if (request.url === scripts.forms.path) return response.writeHead(200, { 'content-type': 'text/javascript' }).end(scripts.forms.js)
  const page = `<!doctype html><title>proof</title><form class="reader-form"><input type="hidden" name="_proof" value="${pow(bits).issue('letter')}"><input type="hidden" name="_proof_answer" value=""></form><script src="${scripts.forms.path}" defer></script>`
  response.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': "script-src 'self'; connect-src 'none'" }).end(page)
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' })
const page = await browser.newPage()
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
try {
  for (bits of [14, 15, 16, 17]) {
    const times: number[] = []
    for (let i = 0; i < runs; i++) {
      await page.goto(url)
      await page.waitForFunction(() => document.querySelector('form')?.dataset.proofMs !== undefined, null, { timeout: 60_000 })
      times.push(Number(await page.locator('form').getAttribute('data-proof-ms')))
    }
    times.sort((a, b) => a - b)
    const mean = times.reduce((a, b) => a + b, 0) / times.length
    console.log(`${bits} bits: mean ${mean.toFixed(0)} ms, median ${percentile(times, 0.5)} ms, p90 ${percentile(times, 0.9)} ms, max ${times.at(-1)} ms (${runs} runs)`)
  }
} finally {
  await browser.close()
  server.close()
}
